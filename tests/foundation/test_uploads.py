"""Upload media types and encodings, recognised once for every service."""

from __future__ import annotations

import pytest

from ipops.errors import UnsupportedMediaType
from ipops.uploads import XLSX_MEDIA_TYPE, decode_text, upload_charset, upload_format


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/csv", "csv"),
        ("text/csv; charset=GBK", "csv"),
        ("application/x-ndjson", "jsonl"),
        ("application/jsonl", "jsonl"),
    ],
)
def test_text_formats(content_type: str, expected: str) -> None:
    assert upload_format(content_type) == expected


def test_xlsx_only_where_the_route_takes_it() -> None:
    assert upload_format(XLSX_MEDIA_TYPE, ("csv", "jsonl", "xlsx")) == "xlsx"
    with pytest.raises(UnsupportedMediaType) as refused:
        upload_format(XLSX_MEDIA_TYPE)
    assert refused.value.extensions["errors"][0]["field"] == "header.Content-Type"


@pytest.mark.parametrize("content_type", ["application/json", "", None, "text/plain"])
def test_anything_else_is_415_naming_the_header(content_type: str | None) -> None:
    with pytest.raises(UnsupportedMediaType):
        upload_format(content_type)


class TestEncodings:
    TEXT = "企业名称,服务类型\n天津东丽科技有限公司,咨询\n"

    @pytest.mark.parametrize("codec", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
    def test_detected_without_a_charset(self, codec: str) -> None:
        assert decode_text(self.TEXT.encode(codec), None) == self.TEXT

    def test_a_named_charset_is_used(self) -> None:
        codec = upload_charset('text/csv; charset="GB2312"')
        assert codec == "gb18030"
        assert decode_text(self.TEXT.encode("gb2312"), codec) == self.TEXT
        assert upload_charset("text/csv") is None

    def test_an_unknown_charset_is_415(self) -> None:
        with pytest.raises(UnsupportedMediaType, match="charset latin-9"):
            upload_charset("text/csv; charset=latin-9")

    def test_bytes_that_fit_the_named_charset_nowhere_fail(self) -> None:
        with pytest.raises(UnicodeDecodeError):
            decode_text("天津".encode("gbk"), "utf-8-sig")
