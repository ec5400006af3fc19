"""A bank integrates from the merged OpenAPI document with a standard generator: the client that
`openapi-python-client` makes from it covers every operation, and the generator warns about
nothing but the known problems of the services' own schemas listed here (fixed in the services,
they leave this list, which can only shrink: the test asserts it is exactly what the generator
reports)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.contract.documents import build

# (what the generator names, the first line it says about it), from the services' schemas.
KNOWN: set[tuple[str, str]] = {
    # the public chart is an image: the function is generated, its body is left to the caller.
    (
        "GET /api/v1/public/charts/{indicator}.svg",
        "Cannot parse response for status code <status> (Unsupported content_type image/svg+xml), "
        "response will be omitted from generated client",
    ),
}

# What an integrator puts in the generator's configuration (README, "A generated client"): an
# upload's body is a file (CSV, JSON Lines or XLSX), which the generator knows as a binary body
# once told; without it, it drops the upload operations. No ruff over the generated code: faster.
GENERATOR_CONFIG = """post_hooks: []
content_type_overrides:
  text/csv: application/octet-stream
  application/x-ndjson: application/octet-stream
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
"""

HEADERS = (
    re.compile(r"^WARNING parsing (?P<subject>\S+ \S+) within .*?\.(?P<dropped> Endpoint will not be generated\.)?$"),
    re.compile(r"^Unable to (?:parse|process) (?P<subject>schema) /components/schemas/(?P<name>\S+?):?$"),
)
OBJECT_REPR = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>")


def _issues(output: str) -> Iterator[tuple[str, str, bool]]:
    """(subject, first message line, operation dropped) for every problem the generator reports;
    a WARNING or "Unable to" line that is neither a problem's heading nor its first message fails
    (a format this parser does not know)."""
    lines = output.splitlines()
    expecting_message: tuple[str, bool] | None = None
    for line in lines:
        if not line.strip():
            continue
        if expecting_message is not None:
            subject, dropped = expecting_message
            yield subject, OBJECT_REPR.sub("<status>", line.strip()), dropped
            expecting_message = None
            continue
        for header in HEADERS:
            if match := header.match(line):
                groups = match.groupdict()
                subject = groups["subject"] + (f" {groups['name']}" if groups.get("name") else "")
                expecting_message = (subject, bool(groups.get("dropped")))
                break
        else:
            assert not line.startswith(("WARNING", "Unable to")), f"unparsed generator output: {line}"


def _generated_operations(package: Path) -> set[tuple[str, str]]:
    """(method, path) of every function module the generator wrote."""
    found: set[tuple[str, str]] = set()
    for module in (package / "api").rglob("*.py"):
        if module.name == "__init__.py":
            continue
        match = re.search(r'"method": "(\w+)",\s*"url": "([^"]+)"', module.read_text(encoding="utf-8"))
        assert match, f"no request in {module}"
        found.add((match.group(1), match.group(2)))
    return found


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (method, path): operation["operationId"]
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }


@pytest.fixture(scope="module")
def merged_document() -> dict[str, Any]:
    """The merged OpenAPI document, built from the apps as the contract test builds it."""
    return build()["merged.openapi"]


def test_every_operation_has_a_unique_id(merged_document) -> None:
    operations = _operations(merged_document)
    count = sum(1 for item in merged_document["paths"].values() for method, op in item.items() if isinstance(op, dict))
    assert len(operations) == count  # every operation has one
    ids = list(operations.values())
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


def test_generated_client_covers_every_operation(merged_document, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(merged_document), encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(GENERATOR_CONFIG, encoding="utf-8")
    out = tmp_path / "client"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            f"--path={spec}",
            "--meta=none",
            f"--config={config}",
            f"--output-path={out}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    issues = list(_issues(output))
    assert {(subject, message) for subject, message, _ in issues} == KNOWN, output
    dropped = {subject for subject, _, was_dropped in issues if was_dropped}
    expected = {
        (method, path) for method, path in _operations(merged_document) if f"{method.upper()} {path}" not in dropped
    }
    assert _generated_operations(out) == expected
