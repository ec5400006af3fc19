"""Fund routes (operators): the operation guidance fund, its investments and exits."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from operations.fund import service
from operations.fund.schemas import (
    ExitCreate,
    FundCreate,
    FundPage,
    FundPublic,
    InvestmentCreate,
    InvestmentPage,
    InvestmentPublic,
    fund_public,
    investment_public,
)

router = APIRouter()


@router.post("/funds", status_code=201, response_model=FundPublic)
async def create_fund(
    body: FundCreate, request: Request, principal: OperatorPrincipal, runtime: Runtime, idempotency_key: IdempotencyKey
) -> Response:
    """Set up an IP operation guidance fund (知识产权运营引导基金) with its committed size."""

    async def work(session: AsyncSession) -> tuple[int, FundPublic]:
        return 201, fund_public(await service.create_fund(session, body), [])

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/funds", response_model=FundPage)
async def list_funds(principal: OperatorPrincipal, runtime: Runtime, limit: Limit = 50, offset: Offset = 0) -> FundPage:
    """Funds with their investments, amounts invested and outstanding."""
    async with runtime.sessionmaker() as session:
        found, total = await service.list_funds(session, limit=limit, offset=offset)
    return FundPage(items=[fund_public(f, i) for f, i in found], total=total)


@router.get("/funds/{fund_id}", response_model=FundPublic)
async def get_fund(fund_id: str, principal: OperatorPrincipal, runtime: Runtime) -> FundPublic:
    """One fund with its investments."""
    async with runtime.sessionmaker() as session:
        return fund_public(*await service.get_fund(session, fund_id))


@router.post("/funds/{fund_id}/investments", status_code=201, response_model=InvestmentPublic)
async def invest(
    fund_id: str,
    body: InvestmentCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Invest in an enterprise (amount, date, equity share, project), within the fund's size. An
    investment may name a pledge loan of the same enterprise (投贷联动): it is announced with the
    loan id so the pledge side shows the link."""

    async def work(session: AsyncSession) -> tuple[int, InvestmentPublic]:
        return 201, investment_public(await service.invest(session, fund_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/investments", response_model=InvestmentPage)
async def list_investments(
    principal: OperatorPrincipal,
    runtime: Runtime,
    credit_code: str | None = None,
    pledge_loan_id: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> InvestmentPage:
    """Investments, by enterprise or by the pledge loan they are linked to."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_investments(
            session, credit_code=credit_code, pledge_loan_id=pledge_loan_id, limit=limit, offset=offset
        )
    return InvestmentPage(items=[investment_public(r) for r in rows], total=total)


@router.post("/investments/{investment_id}/exit", response_model=InvestmentPublic)
async def exit_investment(
    investment_id: str,
    body: ExitCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """The fund exits an investment (once), with the amount it realised."""

    async def work(session: AsyncSession) -> tuple[int, InvestmentPublic]:
        return 200, investment_public(await service.exit_investment(session, investment_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
