# ruff: noqa: RUF001  (full-width punctuation is the data)
"""The operator's applicant alias table over HTTP, and the landscapes computed with it and with the
district register's aliases: the two spellings merge when a list says so, stay apart otherwise,
and the landscape names the merge."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

import httpx

from ipops.identifiers import make_patent_number
from tests import testing
from tests.navigation.helpers import BASE, key, move, propose, upload

CN = "天津东丽科技有限公司"
EN = "Tianjin Dongli Tech Co Ltd"


def data_set() -> bytes:
    names = [CN, CN, CN, EN, EN, "华为技术有限公司"]
    lines = ["application_number,applicants,application_date"]
    lines += [f"{make_patent_number(2016 + i, '1', 700 + i)},{name},{2016 + i}-03-01" for i, name in enumerate(names)]
    return ("\n".join(lines) + "\n").encode()


async def landscape_of_upload(client: httpx.AsyncClient, tokens: testing.TokenFactory) -> dict[str, Any]:
    project = await propose(client, tokens, "agency-a")
    assert (await move(client, tokens.headers("operator"), project["id"], "approve")).status_code == 200
    org = tokens.headers("agency", "agency-a")
    dataset = await upload(client, org, project["id"], data_set())
    assert dataset.status_code == 201, dataset.text
    response = await client.get(f"{BASE}/datasets/{dataset.json()['id']}/landscape", headers=org)
    result: dict[str, Any] = response.json()
    return result


def filings(landscape: dict[str, Any]) -> dict[str, int]:
    return {a["name"]: a["filings"] for a in landscape["applicants"]["top"]}


def alias_url(canonical: str) -> str:
    return f"{BASE}/applicant-aliases/{quote(canonical, safe='')}"


class TestAliasTable:
    async def test_an_alias_merges_the_two_names_and_the_landscape_says_so(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        apart = await landscape_of_upload(client, tokens)
        assert filings(apart)[CN] == 3 and filings(apart)[EN] == 2
        assert apart["applicant_merges"] == []

        office = tokens.headers("operator")
        put = await client.put(alias_url(CN), json={"variants": [EN]}, headers={**office, **key()})
        assert put.status_code == 200, put.text
        group = put.json()
        assert (group["canonical"], group["key"], group["variants"]) == (CN, "天津东丽科技", [EN])
        assert group["updated_by"].startswith("operator:")

        merged = await landscape_of_upload(client, tokens)
        assert filings(merged)[CN] == 5 and EN not in filings(merged)
        assert merged["applicants"]["distinct"] == apart["applicants"]["distinct"] - 1
        assert merged["applicant_merges"] == [
            {"canonical": CN, "key": "天津东丽科技", "variants": [EN], "filings": 2, "sources": ["alias_table"]}
        ]

        listed = (await client.get(f"{BASE}/applicant-aliases", headers=office)).json()["items"]
        assert [g["canonical"] for g in listed] == [CN]
        assert (await client.get(alias_url(CN), headers=office)).json()["variants"] == [EN]

        deleted = await client.delete(alias_url(CN), headers={**office, **key()})
        assert deleted.status_code == 200 and deleted.json()["canonical"] == CN
        assert (await client.get(alias_url(CN), headers=office)).status_code == 404
        again = await landscape_of_upload(client, tokens)
        assert filings(again)[EN] == 2 and again["applicant_merges"] == []

    async def test_writes_are_the_operators_and_keyed(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        org = tokens.headers("agency", "agency-a")
        office = tokens.headers("operator")
        assert (await client.put(alias_url(CN), json={"variants": [EN]}, headers={**org, **key()})).status_code == 403
        assert (await client.get(f"{BASE}/applicant-aliases", headers=org)).status_code == 403
        assert (await client.put(alias_url(CN), json={"variants": [EN]}, headers=office)).status_code == 400
        same = {**office, "Idempotency-Key": uuid.uuid4().hex}
        first = await client.put(alias_url(CN), json={"variants": [EN]}, headers=same)
        replay = await client.put(alias_url(CN), json={"variants": [EN]}, headers=same)
        assert first.json() == replay.json() and replay.headers.get("Idempotent-Replayed") == "true"
        assert (await client.delete(alias_url("无此企业"), headers={**office, **key()})).status_code == 404

    async def test_overlapping_groups_are_refused(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        office = tokens.headers("operator")
        assert (
            await client.put(alias_url(CN), json={"variants": [EN]}, headers={**office, **key()})
        ).status_code == 200
        # the same spelling, written another way, for another group
        taken = await client.put(
            alias_url("东丽控股集团有限公司"),
            json={"variants": ["TIANJIN DONGLI TECH CO., LTD."]},
            headers={**office, **key()},
        )
        assert taken.status_code == 409 and taken.headers["content-type"].startswith("application/problem+json")
        chained = await client.put(alias_url(EN), json={"variants": ["Dongli Tech"]}, headers={**office, **key()})
        assert chained.status_code == 409  # EN is already a variant
        pointing = await client.put(alias_url("Dongli Tech"), json={"variants": [CN]}, headers={**office, **key()})
        assert pointing.status_code == 409  # CN is a group's canonical
        blank = await client.put(alias_url(CN), json={"variants": ["（）"]}, headers={**office, **key()})
        assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "body.variants.0"
        # replacing a group's own variants is fine, and a slash in a name is part of the name
        ok = await client.put(
            alias_url("Novo Nordisk A/S"), json={"variants": ["诺和诺德公司"]}, headers={**office, **key()}
        )
        assert ok.status_code == 200 and ok.json()["canonical"] == "Novo Nordisk A/S"


class TestRegisterAliases:
    async def test_the_registers_aliases_merge(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        office = tokens.headers("operator")
        put = await client.put(
            f"{BASE}/district-enterprises/91120110MA05JRBK4M", json={"name": CN, "aliases": [EN]}, headers=office
        )
        assert put.status_code == 200, put.text
        merged = await landscape_of_upload(client, tokens)
        assert filings(merged)[CN] == 5
        assert merged["applicant_merges"][0]["sources"] == ["register"]
        assert merged["district"]["top_district_applicants"][0] == {"name": CN, "filings": 5}
