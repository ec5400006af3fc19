"""The access matrix (issue #15): every operation of the gateway's merged OpenAPI x the six callers
x {own object, another tenant's object, a missing id}, each cell's expected outcome taken from
tests/e2e/access_policy.py, run against the real platform and written to docs/ACCESS.md.

A leak is a cell where a caller got 2xx for an object or route it must not see, or a list answered
to one tenant that names another tenant's objects. Leaks must be exactly KNOWN_LEAKS (so that set can
only shrink); every other cell must hold; an operation without a policy entry fails the test."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.e2e.access_bodies import body
from tests.e2e.access_policy import KNOWN_ENUMERABLE, KNOWN_LEAKS, NOT_OBJECTS, POLICY, ROLES, Rule, expected
from tests.e2e.access_world import World, build_world
from tests.e2e.conftest import Caller
from tests.stack import ROOT

DOC = ROOT / "docs" / "ACCESS.md"
METHODS = ("get", "post", "put", "patch", "delete")
CONCURRENCY = 8


@dataclass
class Cell:
    op_id: str
    method: str
    template: str
    role: str
    obj: str  # own, other, missing, or "-" for an operation without an object
    expect: Any
    path: str = ""
    status: int = 0
    leak: str = ""
    text: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.op_id, self.role, self.obj)

    @property
    def holds(self) -> bool:
        if self.expect == "ok":
            if self.method == "GET":
                return 200 <= self.status < 300
            return self.status < 500 and self.status not in (401, 403, 404)
        if self.expect == "up":  # readiness answers 503 while an upstream is slow: not a matter of access
            return self.status in (200, 503)
        return bool(self.status == self.expect)


def letter_of(role: str, obj: str) -> str:
    own = "b" if role.endswith("_b") else "a"
    if obj == "own":
        return own
    if obj == "other":
        return "a" if own == "b" else "b"
    return "missing"


def operations(document: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [
        (op["operationId"], method.upper(), path, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def enumerable(document: dict[str, Any]) -> dict[str, list[str]]:
    """Integer path parameters that name an object, with the operations using them."""
    found: dict[str, list[str]] = {}
    for op_id, _, _, operation in operations(document):
        for param in operation.get("parameters", []):
            integer = param.get("schema", {}).get("type") == "integer"
            if param["in"] == "path" and integer and param["name"] not in NOT_OBJECTS:
                found.setdefault(param["name"], []).append(op_id)
    return found


def cells_of(op_id: str, method: str, template: str, rule: Rule, w: World) -> list[Cell]:
    cells = []
    for role in ROLES:
        for obj in ("own", "other", "missing") if rule.kind else ("-",):
            params = dict(rule.fixed)
            if rule.kind:
                params.update(w.objects[rule.kind][letter_of(role, obj)])
            path = template.format(**{k: str(v) for k, v in params.items()})
            cells.append(Cell(op_id, method, template, role, obj, expected(rule, role, obj), path))
    return cells


async def send(cell: Cell, w: World, payload: Any, sem: asyncio.Semaphore) -> None:
    caller: Caller = w.callers[cell.role]
    rule = POLICY[cell.op_id]
    headers = {**caller.headers, "Idempotency-Key": uuid.uuid4().hex}
    kwargs: dict[str, Any] = {"params": rule.query or None}
    if cell.op_id == "gateway_issue_token":
        kwargs.update(data={"grant_type": "client_credentials"}, auth=w.values["token_client"])
    elif cell.op_id in ("navigation_upload_dataset", "trusteeship_upload_work"):
        kwargs["params"] = {"filename": "records.csv"}
        kwargs["content"] = w.values["dataset_csv"] if cell.op_id.startswith("navigation") else work_csv(w, cell)
        headers["Content-Type"] = "text/csv"
    elif cell.method != "GET" and payload is not None:
        kwargs["json"] = payload
    async with sem:
        response = await caller.client.request(cell.method, cell.path, headers=headers, **kwargs)
    cell.status = response.status_code
    cell.text = response.text if cell.method == "GET" or response.status_code >= 400 else ""


def work_csv(w: World, cell: Cell) -> bytes:
    code = w.values[f"code_{letter_of(cell.role, 'own')}"]
    return f"credit_code,service_type,work_date,hours,description\n{code},training,2025-03-04,1.0,IP basics\n".encode()


def judge(cell: Cell, w: World) -> None:
    ok = 200 <= cell.status < 300
    if ok and cell.expect in (401, 403, 404, 422):
        cell.leak = f"{cell.status} where {cell.expect} was expected"
    elif ok and cell.text and cell.obj in ("own", "-") and cell.role[-2:] in ("_a", "_b"):
        peer = "b" if cell.role.endswith("_a") else "a"
        named = sorted(m for m in w.markers[peer] if m in cell.text)
        if named:
            cell.leak = f"names the other tenant's {', '.join(named[:3])}"


async def run_matrix(document: dict[str, Any], w: World) -> list[Cell]:
    components = document.get("components", {}).get("schemas", {})
    sem = asyncio.Semaphore(CONCURRENCY)
    cells: list[Cell] = []
    payloads: dict[int, Any] = {}
    for op_id, method, template, operation in operations(document):
        for cell in cells_of(op_id, method, template, POLICY[op_id], w):
            cells.append(cell)
            if method != "GET":
                payloads[id(cell)] = body(op_id, operation, components, w, letter_of(cell.role, "own"))
    reads = [c for c in cells if c.method == "GET"]
    refused = [c for c in cells if c.method != "GET" and c.expect != "ok"]
    granted = [c for c in cells if c.method != "GET" and c.expect == "ok"]
    last = [c for c in granted if POLICY[c.op_id].destructive]
    await asyncio.gather(*(send(c, w, None, sem) for c in reads))
    await asyncio.gather(*(send(c, w, payloads[id(c)], sem) for c in refused))
    for cell in [c for c in granted if c not in last] + sorted(last, key=lambda c: c.op_id == "gateway_rotate_keys"):
        await send(cell, w, payloads[id(cell)], asyncio.Semaphore(1))
    for cell in cells:
        judge(cell, w)
    return cells


def show(expect: Any) -> str:
    return str(expect)


# lists whose operator answer must name both tenants' objects: proof that the tenants' content
# check can see a leak in them (the check would be vacuous on lists that never name anything)
WITNESS_LISTS = (
    "pledge_list_loans",
    "pledge_list_claims",
    "pledge_list_banks",
    "pledge_list_agreements",
    "trusteeship_list_enrolments",
    "trusteeship_list_enterprises",
    "trusteeship_list_agencies",
    "navigation_list_projects",
    "navigation_list_portfolios",
    "enforcement_list_cases",
    "operations_list_transactions",
    "operations_list_revenue_reports",
    "operations_list_agencies",
)


def unwitnessed(cells: list[Cell], w: World) -> list[str]:
    """Witness lists whose operator answer does not name both tenants' objects."""
    operator_lists = [c for c in cells if c.op_id in WITNESS_LISTS and c.role == "operator"]
    return [c.op_id for c in operator_lists if not all(any(m in c.text for m in w.markers[t]) for t in "ab")]


def blind_to_own(cells: list[Cell], w: World) -> list[tuple[str, str]]:
    """Witness lists a tenant may call whose answer to it does not name its own objects (a list
    filtered down to nothing would pass the leak check)."""
    mine = [c for c in cells if c.op_id in WITNESS_LISTS and c.expect == "ok" and c.role[-2:] in ("_a", "_b")]
    return [(c.op_id, c.role) for c in mine if not any(m in c.text for m in w.markers[c.role[-1]])]


def report(cells: list[Cell], operations_count: int, ints: dict[str, list[str]]) -> str:
    leaks = [c for c in cells if c.leak]
    known = [c for c in leaks if c.key in KNOWN_LEAKS]
    lines = [
        "# Access matrix",
        "",
        "Generated by `tests/e2e/test_access_matrix.py` on every run (do not edit by hand): every operation",
        "of the gateway's merged OpenAPI x {anonymous, operator, bank A, bank B, agency A, agency B} x",
        "{own object, another tenant's object, a missing id} (the object dimension only for operations",
        "with path parameters), run against the real platform. Expectations: `tests/e2e/access_policy.py`.",
        "",
        "`ok` = 2xx for a read; for a write, access granted (2xx, or a 4xx of validation/state other than",
        "401/403/404). A leak is a cell answered 2xx where 401/403/404 was expected, or a list that names",
        "another tenant's objects. The lists of `WITNESS_LISTS` must show each tenant its own objects",
        "and the operator both tenants' (so the content check can see a leak in them).",
        "",
        f"- operations: {operations_count}",
        f"- cells: {len(cells)}",
        f"- cells checked: {sum(1 for c in cells if c.status)}",
        f"- cells holding: {sum(1 for c in cells if c.holds and not c.leak)}",
        f"- leaks: {len(leaks) - len(known)} (known, being fixed: {len(known)})",
        "",
        "## Known leaks (being fixed)",
        "",
    ]
    lines += [f"- `{c.op_id}` {c.role} {c.obj}: {c.leak}" for c in known] or ["- none"]
    lines += ["", "## Cells", "", "Each cell: expected → answered, for own / other / missing objects.", ""]
    lines += ["| operation | route | " + " | ".join(ROLES) + " |", "|" + "---|" * (len(ROLES) + 2)]
    by_op: dict[str, list[Cell]] = {}
    for cell in cells:
        by_op.setdefault(cell.op_id, []).append(cell)
    for op_id, group in by_op.items():
        row = [f"`{op_id}`", f"{group[0].method} `{group[0].template}`"]
        for role in ROLES:
            mine = [c for c in group if c.role == role]
            exp = "/".join(show(c.expect) for c in mine)
            got = "/".join(f"{c.status}{'!' if c.leak else ''}" for c in mine)
            row.append(f"{exp} → {got}")
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "## Enumerable identifiers (sequential integers in paths)", ""]
    lines += [f"- `{k}` ({len(v)} operations)" for k, v in sorted(ints.items())] or ["- none"]
    refused: dict[str, set[int]] = {}
    for c in cells:
        if c.method != "GET" and c.expect == "ok" and not 200 <= c.status < 300:
            refused.setdefault(c.op_id, set()).add(c.status)
    lines += ["", "## Writes let through but refused for their body or the object's state", ""]
    lines += [
        "Access was granted (the cell holds); the write itself answered 409/422 for the body the matrix sends",
        "or the state the world's object is in, so these cells prove access, not the write's effect:",
        "",
    ]
    lines += [f"- `{k}`: {', '.join(map(str, sorted(v)))}" for k, v in sorted(refused.items())] or ["- none"]
    access_only = sorted(k for k, r in POLICY.items() if r.access_only)
    notes = sorted((k, r.note) for k, r in POLICY.items() if r.note)
    lines += ["", "## Writes checked for access only (body refused before the lookup)", ""]
    lines += [f"- `{k}`" for k in access_only] or ["- none"]
    lines += ["", "## Notes", ""] + [f"- `{k}`: {n}" for k, n in notes]
    return "\n".join(lines) + "\n"


async def merged_openapi(gateway: httpx.AsyncClient) -> dict[str, Any]:
    """The gateway's merged document once every service's part is in it (a busy machine can make
    a first fetch time out, and the gateway then serves a degraded document for a few seconds)."""
    for _ in range(30):
        document: dict[str, Any] = (await gateway.get("/openapi.json")).json()
        states = document["info"].get("x-ipops-services", {})
        if states and all(s == "included" for s in states.values()):
            return document
        await asyncio.sleep(2)
    raise AssertionError(f"the merged OpenAPI stays incomplete: {states}")


async def test_access_matrix(platform: Any, gateway: httpx.AsyncClient, operator: Caller, make_caller: Any) -> None:
    document = await merged_openapi(gateway)
    ops = operations(document)
    unlisted = sorted({o[0] for o in ops} - set(POLICY))
    assert not unlisted, f"operations without an access policy in tests/e2e/access_policy.py: {unlisted}"
    stale = sorted(set(POLICY) - {o[0] for o in ops})
    assert not stale, f"policy entries for operations that no longer exist: {stale}"
    w = await build_world(gateway, operator, make_caller)
    cells = await run_matrix(document, w)
    ints = enumerable(document)
    DOC.write_text(report(cells, len(ops), ints), encoding="utf-8")
    wrong = [(c.op_id, c.role, c.obj, c.expect, c.status) for c in cells if not c.holds and not c.leak]
    leaks = {c.key for c in cells if c.leak}
    (ROOT / "var" / "reliability").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "reliability" / "access-matrix.json").write_text(
        json.dumps([[c.op_id, c.role, c.obj, str(c.expect), c.status, c.leak, c.text[:300]] for c in cells], indent=1)
    )
    assert not wrong, f"{len(wrong)} cells do not hold: {wrong}"
    blind = unwitnessed(cells, w)
    assert not blind, f"the operator's answer names not both tenants, so the tenants' check is blind: {blind}"
    empty = blind_to_own(cells, w)
    assert not empty, f"lists that do not show a tenant its own objects: {empty}"
    new_ints = sorted(set(ints) - KNOWN_ENUMERABLE)
    assert not new_ints, f"objects named by sequential integers (enumerable): {new_ints}"
    assert leaks == KNOWN_LEAKS, (
        f"new leaks: {sorted(leaks - KNOWN_LEAKS)}; fixed (remove from KNOWN_LEAKS): {sorted(KNOWN_LEAKS - leaks)}"
    )
