"""Overseas-mark use cases: register an international registration, change a designation's status
(or add a subsequent designation). After each change the mark is judged again (rule in
domain/indicators) and announced. Never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_today, utc_now
from ipops.contracts.operations import OverseasMarkChangedV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import add_to_outbox
from operations.common import SOURCE, Row, actor_of, count, new_id, rejected, row_errors, split_list
from operations.domain import indicators, trademark
from operations.domain.moves import designation_move, move
from operations.enums import DesignationStatus
from operations.models import Designation, DesignationStateChange, OverseasMark
from operations.trademarks import repository
from operations.trademarks.schemas import DesignationChange, MarkUploadAccepted, OverseasMarkCreate, mark_from_row

INDICATOR = "overseas_trademarks"


def verdict(designations: Sequence[Designation]) -> indicators.Counts | None:
    """Whether and from when the mark counts."""
    facts = [indicators.DesignationFacts(d.status, d.protected_on, d.status_on) for d in designations]
    return indicators.overseas_mark(facts)


async def _changed(session: AsyncSession, mark: OverseasMark) -> Sequence[Designation]:
    await session.flush()
    found = await repository.designations(session, mark.id)
    await count(session, INDICATOR, mark.id, verdict(found), "designation status")
    payload = OverseasMarkChangedV1(
        mark_id=mark.id, ir_number=mark.ir_number, basic_mark_number=mark.basic_mark_number,
        owner_credit_code=mark.owner_credit_code, statuses={d.country: d.status for d in found}, changed_at=utc_now(),
    )  # fmt: skip
    add_to_outbox(session, payload, source=SOURCE, key=mark.id, subject=mark.id)
    return found


def _designation(mark: OverseasMark, country: str, status: str, on: date, actor: str) -> Designation:
    protected_on = on if status == DesignationStatus.PROTECTED else None
    return Designation(mark_id=mark.id, country=country, status=status, status_on=on, protected_on=protected_on)


async def register(
    session: AsyncSession, principal: Principal, data: OverseasMarkCreate
) -> tuple[OverseasMark, Sequence[Designation]]:
    """Register an international registration with its designations."""
    parties = trademark.check_parties([d.country for d in data.designations])
    classes = trademark.check_classes(data.nice_classes)
    if data.ir_date > district_today():
        raise RuleViolation("the international registration date is in the future", field="body.ir_date")
    if await repository.get_by_ir_number(session, data.ir_number) is not None:
        raise Conflict(f"international registration {data.ir_number} is registered")
    now = utc_now()
    mark = OverseasMark(
        id=new_id(), ir_number=data.ir_number, basic_mark_number=data.basic_mark_number, mark=data.mark,
        owner_credit_code=data.owner.credit_code, owner_name=data.owner.name, nice_classes=classes,
        ir_date=data.ir_date, created_at=now,
    )  # fmt: skip
    session.add(mark)
    await flush_or_conflict(session, f"international registration {data.ir_number} is registered")
    for party, item in zip(parties, data.designations, strict=True):
        session.add(_designation(mark, party, item.status, item.effective_on or data.ir_date, actor_of(principal)))
    return mark, await _changed(session, mark)


async def change_designation(
    session: AsyncSession, principal: Principal, mark_id: str, country: str, data: DesignationChange
) -> tuple[OverseasMark, Sequence[Designation]]:
    """Move a designation to a new status, or add a subsequent designation of a new party."""
    mark = await repository.get_mark(session, mark_id, for_update=True)
    if mark is None:
        raise NotFound(f"no overseas mark {mark_id}")
    party = trademark.check_party(country, "path.country")
    if data.effective_on < mark.ir_date:
        raise RuleViolation("a status takes effect after the international registration", field="body.effective_on")
    current = next((d for d in await repository.designations(session, mark.id) if d.country == party), None)
    if current is None:
        session.add(_designation(mark, party, data.status, data.effective_on, actor_of(principal)))
        return mark, await _changed(session, mark)
    target = move("designation", current.status, designation_move(data.status))
    assert current.id is not None  # a row read from the table has its key
    session.add(
        DesignationStateChange(
            designation_id=current.id, from_status=current.status, to_status=target, effective_on=data.effective_on,
            actor=actor_of(principal), at=utc_now(),
        )
    )  # fmt: skip
    current.status, current.status_on = target, data.effective_on
    if target == DesignationStatus.PROTECTED and current.protected_on is None:
        current.protected_on = data.effective_on
    return mark, await _changed(session, mark)


async def get(session: AsyncSession, mark_id: str) -> tuple[OverseasMark, Sequence[Designation]]:
    """A mark and its designations."""
    mark = await repository.get_mark(session, mark_id)
    if mark is None:
        raise NotFound(f"no overseas mark {mark_id}")
    return mark, await repository.designations(session, mark.id)


async def list_marks(
    session: AsyncSession, *, owner_credit_code: str | None, limit: int, offset: int
) -> tuple[list[tuple[OverseasMark, Sequence[Designation]]], int]:
    """Marks with their designations."""
    rows, total = await repository.list_marks(session, owner_credit_code=owner_credit_code, limit=limit, offset=offset)
    return [(r, await repository.designations(session, r.id)) for r in rows], total


async def upload(
    session: AsyncSession, principal: Principal, rows: list[Row], *, max_reported: int
) -> MarkUploadAccepted:
    """Register every row or none (as `POST /trademarks` would, each); one bad row refuses all and
    the caller's transaction rolls back what was added. An IR number repeated within the upload or
    already registered is a problem of its row."""
    errors: list[dict[str, str]] = []
    saved: list[str] = []
    seen: set[str] = set()
    for number, cells in rows:
        try:
            data = mark_from_row(cells, split_list)
            if data.ir_number in seen or await repository.get_by_ir_number(session, data.ir_number) is not None:
                raise RuleViolation(
                    f"international registration {data.ir_number} is registered", field="body.ir_number"
                )
            seen.add(data.ir_number)
            saved.append((await register(session, principal, data))[0].id)
        except (ValidationError, RuleViolation) as exc:
            errors.extend(row_errors(number, exc))
    if errors:
        raise rejected(errors, max_reported)
    return MarkUploadAccepted(row_count=len(saved), mark_ids=saved)
