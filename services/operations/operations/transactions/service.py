"""Transaction use cases: register a deal, rescind it, report royalties. Each counts toward
transactions_licensing in the same transaction (rule in domain/indicators). Never commit."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_today, utc_now
from ipops.contracts.operations import RoyaltyReportedV1, TransactionRegisteredV1, TransactionRescindedV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.money import format_yuan, to_fen
from operations.common import (
    SOURCE,
    Row,
    actor_of,
    count,
    new_id,
    own_agency,
    rejected,
    row_errors,
    split_list,
    subject,
)
from operations.domain import indicators, transaction
from operations.domain.moves import move
from operations.models import Agency, RoyaltyReport, Transaction, TransactionStateChange
from operations.transactions import repository
from operations.transactions.schemas import (
    Rescission,
    RoyaltyCreate,
    TransactionCreate,
    UploadAccepted,
    transaction_from_row,
)

INDICATOR = "transactions_licensing"


async def _broker(session: AsyncSession, principal: Principal, agency_id: str | None) -> str | None:
    """The brokering agency: an agency registers its own deals; an operator may name any agency."""
    mine = own_agency(principal)
    if mine is not None and agency_id not in (None, mine):
        raise RuleViolation("an agency registers the deals it brokered itself", field="body.agency_id")
    broker = mine or agency_id
    if broker is not None and await session.get(Agency, broker) is None:
        raise RuleViolation(f"no agency {broker} in the registry", field="body.agency_id")
    return broker


async def _pool_rights(session: AsyncSession, data: TransactionCreate, rights: list[str]) -> None:
    if data.pool_id is None:
        return
    if await repository.get_pool(session, data.pool_id) is None:
        raise RuleViolation(f"no patent pool {data.pool_id}", field="body.pool_id")
    patents = await repository.pool_patents(session, data.pool_id)
    transaction.check_pool_licence(data.kind, data.right_kind, rights, patents)


def _validated(data: TransactionCreate) -> list[str]:
    rights = transaction.normalise_rights(data.right_kind, data.right_numbers)
    recordal = (data.recordal_number, data.recordal_date)
    transaction.check_dates(data.start_date, data.end_date, data.contracted_on, district_today(), recordal)
    if data.transferor.credit_code == data.transferee.credit_code:
        raise RuleViolation("a contract has two different parties", field="body.transferee.credit_code")
    return rights


async def register(
    session: AsyncSession, principal: Principal, data: TransactionCreate, *, upload_id: str | None = None
) -> Transaction:
    """Register a deal and count its amount in the year it was contracted."""
    rights = _validated(data)
    broker = await _broker(session, principal, data.agency_id)
    await _pool_rights(session, data, rights)
    now = utc_now()
    row = Transaction(
        id=new_id(), kind=data.kind, right_kind=data.right_kind, right_numbers=rights,
        transferor_credit_code=data.transferor.credit_code, transferor_name=data.transferor.name,
        transferee_credit_code=data.transferee.credit_code, transferee_name=data.transferee.name,
        territory=data.territory, start_date=data.start_date, end_date=data.end_date,
        amount_fen=to_fen(data.amount), payment_form=data.payment_form, contracted_on=data.contracted_on,
        recordal_number=data.recordal_number, recordal_date=data.recordal_date, agency_id=broker,
        navigation_project_id=data.navigation_project_id, pool_id=data.pool_id, status="in_force",
        upload_id=upload_id, created_by=actor_of(principal), created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    payload = TransactionRegisteredV1(
        transaction_id=row.id, kind=row.kind, right_kind=row.right_kind, right_numbers=rights,
        transferor_credit_code=row.transferor_credit_code, transferee_credit_code=row.transferee_credit_code,
        amount=format_yuan(row.amount_fen), payment_form=row.payment_form, contracted_on=row.contracted_on,
        agency_id=broker, pool_id=row.pool_id, navigation_project_id=row.navigation_project_id, registered_at=now,
    )  # fmt: skip
    add_to_outbox(session, payload, source=SOURCE, key=row.id, subject=row.id)
    verdict = indicators.transaction_amount(row.amount_fen, row.contracted_on, rescinded=False)
    await count(session, INDICATOR, subject("contract", row.id), verdict, "contract registered")
    return row


async def get(session: AsyncSession, principal: Principal, transaction_id: str, *, lock: bool = False) -> Transaction:
    """A transaction the caller may see; another agency's is the same 404 as a missing one."""
    row = await repository.get_transaction(session, principal, transaction_id, for_update=lock)
    if row is None:
        raise NotFound(f"no transaction {transaction_id}")
    return row


async def rescind(session: AsyncSession, principal: Principal, transaction_id: str, data: Rescission) -> Transaction:
    """Rescind a contract: its amount and its royalties leave the figure."""
    row = await get(session, principal, transaction_id, lock=True)
    target = move("transaction", row.status, "rescind")
    if data.rescinded_on < row.contracted_on:
        raise RuleViolation("a contract is rescinded after it was signed", field="body.rescinded_on")
    now = utc_now()
    session.add(
        TransactionStateChange(
            transaction_id=row.id, from_status=row.status, to_status=target, actor=actor_of(principal),
            reason=data.reason, at=now,
        )
    )  # fmt: skip
    row.status, row.rescinded_on, row.updated_at = target, data.rescinded_on, now
    await session.flush()
    await count(session, INDICATOR, subject("contract", row.id), None, "contract rescinded")
    for royalty in (await repository.royalties_of(session, [row.id]))[row.id]:
        await count(session, INDICATOR, subject("royalty", row.id, royalty.year), None, "contract rescinded")
    payload = TransactionRescindedV1(
        transaction_id=row.id, rescinded_on=data.rescinded_on, reason=data.reason, rescinded_at=now
    )
    add_to_outbox(session, payload, source=SOURCE, key=row.id, subject=row.id)
    return row


async def report_royalty(
    session: AsyncSession, principal: Principal, transaction_id: str, data: RoyaltyCreate
) -> RoyaltyReport:
    """Report a year's running royalties under a licence; they count in that year."""
    row = await get(session, principal, transaction_id, lock=True)
    transaction.check_royalty(row.payment_form, row.status, data.year, row.contracted_on, district_today())
    if await repository.royalty_for(session, row.id, data.year) is not None:
        raise Conflict(f"royalties for {data.year} are already reported")
    now = utc_now()
    royalty = RoyaltyReport(
        id=new_id(), transaction_id=row.id, year=data.year, amount_fen=to_fen(data.amount),
        reported_by=actor_of(principal), reported_at=now,
    )  # fmt: skip
    session.add(royalty)
    await flush_or_conflict(session, f"royalties for {data.year} are already reported")
    payload = RoyaltyReportedV1(
        transaction_id=row.id, royalty_report_id=royalty.id, year=royalty.year,
        amount=format_yuan(royalty.amount_fen), reported_at=now,
    )  # fmt: skip
    add_to_outbox(session, payload, source=SOURCE, key=row.id, subject=royalty.id)
    verdict = indicators.royalty_amount(royalty.amount_fen, royalty.year, rescinded=False)
    await count(session, INDICATOR, subject("royalty", row.id, royalty.year), verdict, "royalties reported")
    return royalty


async def royalties(session: AsyncSession, rows: Sequence[Transaction]) -> dict[str, list[RoyaltyReport]]:
    """The royalties of each transaction."""
    return await repository.royalties_of(session, [r.id for r in rows])


async def list_transactions(
    session: AsyncSession, principal: Principal, **filters: object
) -> tuple[Sequence[Transaction], int]:
    """Transactions the caller may see, filtered."""
    return await repository.list_transactions(session, principal, **filters)  # type: ignore[arg-type]


async def upload(session: AsyncSession, principal: Principal, rows: list[Row], *, max_reported: int) -> UploadAccepted:
    """Register every row of an upload or none: each row is checked and registered as
    `POST /transactions` would; one bad row refuses the whole upload (422 listing every row's
    problems), and the caller's transaction then rolls back whatever rows were added."""
    upload_id, errors, saved = new_id(), [], []
    for number, cells in rows:
        try:
            saved.append(
                await register(session, principal, transaction_from_row(cells, split_list), upload_id=upload_id)
            )
        except (ValidationError, RuleViolation) as exc:
            errors.extend(row_errors(number, exc))
    if errors:
        raise rejected(errors, max_reported)
    return UploadAccepted(
        upload_id=upload_id, row_count=len(saved), transaction_ids=[t.id for t in saved],
        total_amount=format_yuan(sum(t.amount_fen for t in saved)),
    )  # fmt: skip
