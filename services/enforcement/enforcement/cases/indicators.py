"""Use cases that keep the cases' part of the indicator ledger true: `count_case` after every
change of a case (intake, a move, a type correction), in the transaction of the change, and
`recount_cases` for every case at once (the backfill of cases received before the ledger
existed). Both apply the rules of `domain/indicators.py` and nothing else; `ledger.contribute`
writes a row and an event only when a figure changes, so calling them again is harmless.
Never commit: the route owns the transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.cases import repository
from enforcement.common import count
from enforcement.domain import indicators as rules
from enforcement.enums import CaseType
from enforcement.models import Case


def facts_of(case: Case) -> rules.CountedCase:
    """What the counting rules see of a case."""
    taken_out = rules.is_taken_out(case.withdrawn_at is not None, case.cancelled_at is not None)
    return rules.CountedCase(case.id, CaseType(case.case_type), case.received_date, taken_out)


async def count_case(session: AsyncSession, case: Case, codes: Sequence[str] | None = None) -> None:
    """The case's own contribution, and its requesters' for the year it was received. The caller
    holds the case's lock (or has just created it), and may pass the requesters' credit codes it
    already has (a move has the parties loaded, an intake has just written them)."""
    await session.flush()  # the case's new state (and, at intake, its parties) before the reads
    if codes is None:
        codes = (await repository.requester_codes(session, [case.id])).get(case.id, [])
    # No flush between the ledger's reads: the rows and events they write go out in one batch at
    # the end. Nothing read here depends on them (each subject is read once; the cases read are
    # flushed above).
    with session.no_autoflush:
        await count(session, rules.case_contribution(facts_of(case)))
        await count_enterprises(session, codes, case.received_date.year)


async def count_enterprises(session: AsyncSession, codes: Iterable[str], year: int) -> None:
    """Each enterprise's contribution in `year`, from every case it requested that year."""
    unique = sorted(set(codes))
    await repository.lock_subjects(session, [rules.enterprise_subject(year, code) for code in unique])
    for code in unique:
        requested = [
            rules.CountedCase(case_id, CaseType(case_type), received, rules.is_taken_out(withdrawn, cancelled))
            for case_id, case_type, received, withdrawn, cancelled in await repository.cases_requested_by(
                session, code, year
            )
        ]
        await count(session, rules.enterprise_contribution(year, code, requested))


async def recount_cases(session: AsyncSession) -> int:
    """Every case's contributions again, and every enterprise's in every year; the number of
    contributions that changed."""
    cases = await repository.all_cases(session)
    codes = await repository.all_requester_codes(session)
    changed = 0
    by_enterprise: dict[tuple[int, str], list[rules.CountedCase]] = defaultdict(list)
    for case in cases:
        facts = facts_of(case)
        changed += await count(session, rules.case_contribution(facts))
        for code in set(codes.get(case.id, [])):
            by_enterprise[(case.received_date.year, code)].append(facts)
    for (year, code), requested in sorted(by_enterprise.items()):
        changed += await count(session, rules.enterprise_contribution(year, code, requested))
    return changed
