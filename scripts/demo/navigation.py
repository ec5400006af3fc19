"""Patent navigation: projects proposed by agencies, approved and accepted by the district office
through every phase gate (technology decomposition, search strategy and data set, report, a
passing acceptance opinion), and high-value portfolios of medium and large firms."""

# ruff: noqa: RUF001  (full-width punctuation is right in Chinese text)
from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from scripts.demo import names
from scripts.demo.client import Api
from scripts.demo.context import Context, each
from scripts.demo.world import Portfolio, Project

N = "/api/v1/navigation"
KIND_ZH = {"industry_planning": "产业规划类专利导航", "enterprise_operation": "企业运营类专利导航"}
MOVE_PATH = f"{N}/projects/{{project_id}}/transitions"
ACCEPT_DATES = ("accepted_on", "acceptance_date", "occurred_on", "effective_date", "occurred_at")
EXPERTS = ["王建华（天津大学）", "李秀英（国家知识产权局专利局天津代办处）", "张志强（天津市知识产权保护中心）"]


def steps(ctx: Context) -> int:
    return len(ctx.world.projects) + len(ctx.world.portfolios)


async def run(ctx: Context) -> None:
    await each(ctx.world.projects, lambda project: _project(ctx, project))
    for portfolio in ctx.world.portfolios:  # in order: seniority decides which portfolio counts a patent
        await _portfolio(ctx, portfolio)


def _title(project: Project) -> str:
    place = project.beneficiary.name if project.beneficiary else "东丽区"
    return f"{place}{names.INDUSTRY_ZH[project.industry]}产业{KIND_ZH[project.kind]}项目"


async def _project(ctx: Context, project: Project) -> None:
    agency, op = ctx.agencies[project.agency], ctx.operator
    agency_name = dict(ctx.world.agencies)[project.agency]
    body: dict[str, Any] = {
        "kind": project.kind,
        "title": _title(project),
        "industry": project.industry,
        "undertaking_org_name": agency_name,
        "budget": "300000.00" if project.kind == "industry_planning" else "150000.00",
        "start_date": project.start.isoformat(),
        "planned_end_date": (project.accepted_on - timedelta(days=20)).isoformat(),
        "summary": f"围绕{names.INDUSTRY_ZH[project.industry]}产业开展专利信息分析，提出产业发展与企业运营建议。",
    }
    if project.beneficiary is not None:
        body |= {"beneficiary_credit_code": project.beneficiary.code, "beneficiary_name": project.beneficiary.name}
    created = await agency.write("POST", f"{N}/projects", f"project:{project.key}", body)
    pid, label = str(created["id"]), f"project:{project.key}"
    path = f"{N}/projects/{pid}"
    await op.write("POST", f"{path}/transitions", f"{label}:approve", {"move": "approve"})
    await _phases(agency, path, label, project)
    await _deliver(
        op,
        path,
        label,
        "acceptance_opinion",
        {
            "passed": True,
            "opinion": "项目完成合同约定任务，同意通过验收。",
            "experts": EXPERTS,
            "opinion_date": project.accepted_on.isoformat(),
        },
    )
    accept = ctx.schema.dated("POST", MOVE_PATH, {"move": "accept"}, project.accepted_on, ACCEPT_DATES)
    await op.write("POST", f"{path}/transitions", f"{label}:accept", accept)
    ctx.advance("navigation", 1)


async def _phases(agency: Api, path: str, label: str, project: Project) -> None:
    """Preparation, retrieval and analysis, each closed through its gate by the agency."""
    await _deliver(
        agency,
        path,
        label,
        "technology_decomposition",
        {
            "rows": [
                {
                    "level1": names.INDUSTRY_ZH[project.industry],
                    "level2": "关键材料",
                    "keywords": ["材料", "制备"],
                    "ipc": ["C08L"],
                },
                {
                    "level1": names.INDUSTRY_ZH[project.industry],
                    "level2": "核心装备",
                    "keywords": ["装置"],
                    "ipc": ["B23K"],
                },
            ]
        },
    )
    await agency.write("POST", f"{path}/transitions", f"{label}:phase1", {"move": "complete_phase"})
    await _deliver(
        agency,
        path,
        label,
        "search_strategy",
        {
            "databases": ["CNIPA 中国专利数据库", "incoPat"],
            "queries": [f"TI=({names.INDUSTRY_WORDS[project.industry][0]})"],
            "cut_off_date": (project.start + timedelta(days=30)).isoformat(),
        },
    )
    await agency.write(
        "POST",
        f"{path}/datasets?filename=landscape.csv",
        f"{label}:dataset",
        content=_dataset(project),
        content_type="text/csv",
    )
    await agency.write("POST", f"{path}/transitions", f"{label}:phase2", {"move": "complete_phase"})
    await _deliver(
        agency,
        path,
        label,
        "report",
        {"document_ref": f"oss://dongli-ipo/navigation/{project.key}.pdf", "abstract": "专利导航分析报告"},
    )
    await agency.write("POST", f"{path}/transitions", f"{label}:phase3", {"move": "complete_phase"})


async def _deliver(caller: Api, path: str, label: str, kind: str, fields: dict[str, Any]) -> None:
    titles = {
        "technology_decomposition": "技术分解表",
        "search_strategy": "检索策略",
        "report": "专利导航分析报告",
        "acceptance_opinion": "专家验收意见",
    }
    body = {"kind": kind, "title": titles[kind], **fields}
    await caller.write("POST", f"{path}/deliverables", f"{label}:{kind}", body)


def _dataset(project: Project) -> bytes:
    """A small landscape export (CSV as the databases give it) for the retrieval phase."""
    lines = ["application_number,applicants,title,application_date,ipc,legal_status,region,pct"]
    seed = int(hashlib.sha256(project.key.encode()).hexdigest()[:6], 16)
    for k in range(40):
        year = 2012 + k % 9
        number = names.patent_number(year, "1", 3_000_000 + seed % 500_000 * 2 + k)
        applicant = names.company_name((seed + k) % 1500, project.industry)
        filed = date(year, 1 + k % 12, 1 + k % 28).isoformat()
        lines.append(
            f"{number},{applicant},{names.INDUSTRY_WORDS[project.industry][k % 4]}相关技术,{filed},"
            f"{'C08L' if k % 2 else 'B23K'},{'授权' if k % 3 else '实质审查'},天津,{'true' if k % 7 == 0 else 'false'}"
        )
    return ("\n".join(lines) + "\n").encode()


async def _portfolio(ctx: Context, portfolio: Portfolio) -> None:
    patents: list[dict[str, Any]] = [
        {"application_number": a, "legal_status": "in_force"} for a in portfolio.inventions
    ]
    for k, number in enumerate(portfolio.pct):
        year = int(number[:4])
        patents.append(
            {
                "application_number": number,
                "legal_status": "pending",
                "pct": True,
                "pct_application_number": f"PCT/CN{year}/{(int(number[5:12]) + k) % 1_000_000:06d}",
            }
        )
    body = {
        "credit_code": portfolio.firm.code,
        "enterprise_name": portfolio.firm.name,
        "name": f"{portfolio.firm.name[2:6]}{names.INDUSTRY_ZH[portfolio.firm.industry]}高价值专利组合",
        "patents": patents,
    }
    body = ctx.schema.dated(
        "POST",
        f"{N}/portfolios",
        body,
        portfolio.qualified_on,
        ("effective_on", "qualified_on", "registered_on", "occurred_on"),
    )
    await ctx.operator.write("POST", f"{N}/portfolios", f"portfolio:{portfolio.key}", body)
    ctx.advance("navigation", 1)
