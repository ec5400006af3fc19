"""Rights protection: cases of every type received over the years, worked through to their outcome
(decided, mediated, assisted) and closed, rated by the served parties, and the district's yearly
public satisfaction survey."""

# ruff: noqa: RUF001  (full-width punctuation is right in Chinese text)
from __future__ import annotations

import zlib
from datetime import date, timedelta
from typing import Any

from scripts.demo import names
from scripts.demo.context import Context, each
from scripts.demo.world import SURVEYS, Case

E = "/api/v1/enforcement"
MOVE_PATH = f"{E}/cases/{{case_id}}/transitions"
OUTCOME = {
    "patent_infringement_adjudication": "decide",
    "counterfeit_patent": "decide",
    "trademark_enforcement": "decide",
    "patent_mediation": "mediate",
    "assistance": None,
    "overseas_assistance": None,
}
TITLE = {
    "patent_infringement_adjudication": "专利侵权纠纷行政裁决",
    "counterfeit_patent": "假冒专利案",
    "trademark_enforcement": "商标侵权行政执法案",
    "patent_mediation": "专利侵权纠纷快速调解",
    "assistance": "知识产权维权援助",
    "overseas_assistance": "海外知识产权纠纷应对指导",
}
RESOLUTION = {"decide": "认定侵权成立，责令停止侵权行为", "mediate": "双方达成调解协议"}


def steps(ctx: Context) -> int:
    return len(ctx.world.cases) + len(SURVEYS)


async def run(ctx: Context) -> None:
    await each(ctx.world.cases, lambda case: _case(ctx, case))
    await surveys(ctx)


def _parties(case: Case) -> list[dict[str, Any]]:
    requester = {
        "role": "requester",
        "kind": "enterprise",
        "name": case.requester.name,
        "credit_code": case.requester.code,
    }
    if case.case_type == "overseas_assistance":
        respondent: dict[str, Any] = {
            "role": "respondent",
            "kind": "foreign",
            "name": "Acme Robotics GmbH",
            "country": "DE",
        }
    elif case.case_type == "counterfeit_patent":
        respondent = {
            "role": "respondent",
            "kind": "person",
            "name": names.person(len(case.key) + case.received_on.day),
        }
    else:
        code = names.credit_code(ctx_seed(case), division="131000")  # Langfang, Hebei: the neighbour across the line
        respondent = {"role": "respondent", "kind": "enterprise", "name": case.respondent, "credit_code": code}
    return [requester, respondent]


def ctx_seed(case: Case) -> int:
    """A serial for the respondent's credit code, one per respondent name."""
    return 700_000 + zlib.crc32(case.respondent.encode()) % 100_000


def _rights(case: Case) -> dict[str, list[str]]:
    if case.case_type == "trademark_enforcement":
        return {"trademark_numbers": [names.trademark_number(case.requester.serial)]}
    if case.requester.patent is not None and case.case_type != "assistance":
        return {"patent_numbers": [case.requester.patent[0]]}
    return {}


async def _case(ctx: Context, case: Case) -> None:
    op, label = ctx.operator, f"case:{case.key}"
    body: dict[str, Any] = {
        "case_type": case.case_type,
        "channel": "rapid" if case.case_type == "patent_mediation" else "ordinary",
        "title": f"{case.requester.name[2:8]}{TITLE[case.case_type]}",
        "parties": _parties(case),
        **_rights(case),
    }
    body = ctx.schema.dated("POST", f"{E}/cases", body, case.received_on, ("received_on", "received_at", "occurred_at"))
    created = await op.write("POST", f"{E}/cases", label, body)
    case_id = str(created["id"])
    moves: list[tuple[str, date, dict[str, Any]]] = [
        ("accept", case.received_on + timedelta(days=3), {}),
        ("start_review", case.received_on + timedelta(days=10), {}),
    ]
    if case.closed:
        outcome = OUTCOME[case.case_type]
        done = case.received_on + timedelta(days=40)
        if outcome:
            moves.append((outcome, done, {"resolution": RESOLUTION[outcome]}))
        moves.append(("close", done + timedelta(days=2), {}))
    answer: Any = None
    for move, on, fields in moves:
        move_body = ctx.schema.dated("POST", MOVE_PATH, {"move": move, **fields}, on, ("occurred_on", "occurred_at"))
        answer = await op.write("POST", f"{E}/cases/{case_id}/transitions", f"{label}:{move}", move_body)
    token = (answer or {}).get("rating_token") if case.closed else None
    if token and case.rating is not None:
        rating = {"token": token, "score": case.rating, "comment": "办案及时，服务周到"}
        await op.write("POST", f"{E}/ratings", f"{label}:rating", rating, exists=(409,))
    ctx.advance("enforcement", 1)


async def surveys(ctx: Context) -> None:
    """The yearly public satisfaction survey (统计调查), where the service takes it."""
    path = f"{E}/satisfaction-surveys"
    if not ctx.schema.has_path(path):
        ctx.notes.append("enforcement has no satisfaction-survey route: the surveys were not loaded")
        ctx.advance("enforcement", len(SURVEYS))
        return
    props = ctx.schema.properties("POST", path)
    for year, (score, sample) in SURVEYS.items():
        values = {
            "year": year,
            "score": score,
            "sample_size": sample,
            "conducted_by": "天津市东丽区统计局社会调查队",
            "conducted_on": f"{year}-11-20",
            "evidence_ref": f"东丽统调〔{year}〕12号",
            "evidence": f"东丽统调〔{year}〕12号",
            "evidence_reference": f"东丽统调〔{year}〕12号",
            "method": "电话及问卷抽样调查",
        }
        body = {k: v for k, v in values.items() if k in props}
        await ctx.operator.write("POST", path, f"survey:{year}", body, exists=(409,))
        ctx.advance("enforcement", 1)
