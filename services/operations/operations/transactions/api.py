"""Transaction routes: agencies register the deals they broker, operators any deal; rescissions
and royalties. An agency sees only the deals it brokered; another's is 404."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator
from ipops.errors import PayloadTooLarge
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from operations.common import TABULAR_UPLOAD, TEMPLATE_RESPONSES, UPLOAD_RESPONSES, read_table, refused_as_asked
from operations.config import OperationsSettings
from operations.enums import TransactionStatus
from operations.transactions import service
from operations.transactions.schemas import (
    Rescission,
    RoyaltyCreate,
    RoyaltyPublic,
    TransactionCreate,
    TransactionPage,
    TransactionPublic,
    UploadAccepted,
    royalty_public,
    transaction_public,
)
from operations.upload_columns import template

router = APIRouter()


@router.post("/transactions", status_code=201, response_model=TransactionPublic)
async def register_transaction(
    body: TransactionCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Register an assignment or licence of patents or trademarks (numbers validated, parties by
    credit code). Its amount counts toward the transactions figure in the Beijing year of
    `contracted_on`. A licence out of a patent pool names the pool and licenses patents it holds."""

    async def work(session: AsyncSession) -> tuple[int, TransactionPublic]:
        return 201, transaction_public(await service.register(session, principal, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/transaction-uploads/template", response_class=Response, responses=TEMPLATE_RESPONSES)
async def transaction_upload_template(
    principal: AgencyOrOperator, template_format: Annotated[Literal["xlsx", "csv"], Query(alias="format")] = "xlsx"
) -> Response:
    """The template of `POST /transaction-uploads`, to fill in and upload. XLSX (the default): sheet
    `交易登记` whose first row holds the Chinese headers the upload reads (each with a comment opening
    with the English field name; required ones shaded), text format on code and number columns, date
    checks on dates, drop-downs of the enumerations (合同类型, 权利类型, 支付方式); no example row.
    The second sheet, `填写说明`, explains each column and the meaning of each enumeration value.
    `?format=csv`: the same headers as one CSV line, UTF-8 with a byte-order mark so Excel shows them right."""
    return template("transaction", template_format)


@router.post("/transaction-uploads", status_code=201, response_model=UploadAccepted, openapi_extra=TABULAR_UPLOAD,
             responses=UPLOAD_RESPONSES)  # fmt: skip
async def upload_transactions(
    request: Request, principal: AgencyOrOperator, runtime: Runtime, idempotency_key: IdempotencyKey
) -> Response:
    """Register many transactions at once from CSV (`text/csv`, UTF-8 or GBK/GB18030), JSON Lines
    (`application/x-ndjson`: one object a line, keyed like the CSV's columns, lists as arrays or
    `;`-separated; rows numbered by line) or XLSX (first sheet; the template is
    `GET /transaction-uploads/template`). **All or nothing**: every row is checked as
    `POST /transactions` checks a body; one bad row refuses the upload with 422 whose `errors`
    give each problem's `row` and name its field
    `rows.<row>.<field>` (row numbers as the file shows them, the header being row 1;
    `error_count` counts all) and nothing is saved. With `Accept: application/vnd.openxmlformats-
    officedocument.spreadsheetml.sheet` the 422 is an XLSX report instead: every row as read, then
    `原行号` (its row number) and `错误` (its problems; bad rows shaded); fixed, it can be uploaded
    again as it is (those two columns are ignored).
    Columns by English name or Chinese header: kind 合同类型, right_kind 权利类型, right_numbers
    专利号/商标号 (`;`-separated), transferor_credit_code, transferor_name, transferee_credit_code,
    transferee_name, territory, start_date, end_date, amount 金额, payment_form, contracted_on
    签订日期, recordal_number, recordal_date, agency_id, navigation_project_id, pool_id."""
    settings = runtime.settings_as(OperationsSettings)
    body = await request.body()
    if len(body) > settings.bulk_max_bytes:
        raise PayloadTooLarge(f"at most {settings.bulk_max_bytes} bytes an upload", errors=[{"field": "body",
                              "message": "too large"}])  # fmt: skip
    rows = read_table(request.headers.get("content-type"), body, max_rows=settings.bulk_max_rows,
                      max_unzipped=settings.bulk_max_unzipped_bytes,
                      max_reported=settings.bulk_max_reported_errors)  # fmt: skip

    async def work(session: AsyncSession) -> tuple[int, UploadAccepted]:
        return 201, await service.upload(session, principal, rows, max_reported=settings.bulk_max_reported_errors)

    write = idempotent_write(runtime, request, principal, idempotency_key, work)
    return await refused_as_asked(write, request, body, max_unzipped=settings.bulk_max_unzipped_bytes,
                                  filename="transaction-upload-errors.xlsx")  # fmt: skip


@router.get("/transactions", response_model=TransactionPage)
async def list_transactions(
    principal: AgencyOrOperator,
    runtime: Runtime,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="the year contracted")] = None,
    pool_id: str | None = None,
    status: TransactionStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> TransactionPage:
    """Registered transactions, newest first: all for operators, the deals it brokered for an agency."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_transactions(
            session, principal, year=year, pool_id=pool_id, status=status, limit=limit, offset=offset
        )
        royalties = await service.royalties(session, rows)
    return TransactionPage(items=[transaction_public(r, royalties[r.id]) for r in rows], total=total)


@router.get("/transactions/{transaction_id}", response_model=TransactionPublic)
async def get_transaction(transaction_id: str, principal: AgencyOrOperator, runtime: Runtime) -> TransactionPublic:
    """One transaction with its royalties."""
    async with runtime.sessionmaker() as session:
        row = await service.get(session, principal, transaction_id)
        royalties = await service.royalties(session, [row])
    return transaction_public(row, royalties[row.id])


@router.post("/transactions/{transaction_id}/rescission", response_model=TransactionPublic)
async def rescind_transaction(
    transaction_id: str,
    body: Rescission,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Rescind a contract (its broker or an operator): its amount and royalties leave the figure."""

    async def work(session: AsyncSession) -> tuple[int, TransactionPublic]:
        row = await service.rescind(session, principal, transaction_id, body)
        return 200, transaction_public(row, (await service.royalties(session, [row]))[row.id])

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/transactions/{transaction_id}/royalties", status_code=201, response_model=RoyaltyPublic)
async def report_royalty(
    transaction_id: str,
    body: RoyaltyCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Report the running royalties of a year under a licence in force (one report per year);
    they count in that year."""

    async def work(session: AsyncSession) -> tuple[int, RoyaltyPublic]:
        return 201, royalty_public(await service.report_royalty(session, principal, transaction_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
