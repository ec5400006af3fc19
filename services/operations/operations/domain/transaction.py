"""Rules of the transaction and licensing register.

Guarantees: every right is a valid number of the contract's kind (patent numbers with their check
digit, trademark registration numbers), normalised, without duplicates; a licence's term does not
end before it starts; a contract is not dated in the future; a recordal has both its number and
its date; a licence out of a patent pool is a licence (not an assignment) of patents the pool
holds; royalties are reported only under a running-royalty licence, for a year of its life.
Each refusal names the field at fault.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from ipops.errors import Conflict, RuleViolation
from ipops.identifiers import normalize_patent_number, normalize_trademark_number
from operations.enums import PaymentForm, RightKind, TransactionKind


def normalise_rights(right_kind: RightKind, numbers: Sequence[str], field: str = "body.right_numbers") -> list[str]:
    """The numbers normalised, in the order given; the first invalid or repeated one is refused."""
    normalise = normalize_patent_number if right_kind is RightKind.PATENT else normalize_trademark_number
    result: list[str] = []
    for index, raw in enumerate(numbers):
        try:
            number = normalise(raw)
        except ValueError as exc:
            raise RuleViolation(str(exc), field=f"{field}.{index}") from exc
        if number in result:
            raise RuleViolation(f"{number} is listed twice", field=f"{field}.{index}")
        result.append(number)
    return result


def check_dates(
    start_date: date, end_date: date | None, contracted_on: date, today: date, recordal: tuple[str | None, date | None]
) -> None:
    """A term that ends after it starts, a contract not in the future, a recordal complete."""
    if end_date is not None and end_date < start_date:
        raise RuleViolation("the licence ends before it starts", field="body.end_date")
    if contracted_on > today:
        raise RuleViolation(
            "a contract is registered once signed: contracted_on is in the future", field="body.contracted_on"
        )
    number, on = recordal
    if (number is None) != (on is None):
        field = "body.recordal_date" if on is None else "body.recordal_number"
        raise RuleViolation("a CNIPA recordal has both a number and a date", field=field)


def check_pool_licence(
    kind: TransactionKind, right_kind: RightKind, rights: Sequence[str], pool_patents: Collection[str]
) -> None:
    """A licence granted out of a pool licenses patents the pool holds."""
    if kind is TransactionKind.ASSIGNMENT:
        raise RuleViolation("a pool grants licences, not assignments", field="body.kind")
    if right_kind is not RightKind.PATENT:
        raise RuleViolation("a patent pool licenses patents", field="body.right_kind")
    for index, number in enumerate(rights):
        if number not in pool_patents:
            raise RuleViolation(f"{number} is not in the pool", field=f"body.right_numbers.{index}")


def check_royalty(payment_form: str, status: str, year: int, contracted_on: date, today: date) -> None:
    """Royalties are reported under a running-royalty licence in force, for a year from the
    contract's year to the current one."""
    if payment_form != PaymentForm.RUNNING_ROYALTY:
        raise Conflict(f"the contract is paid as {payment_form}, not by running royalty")
    if status != "in_force":
        raise Conflict("the contract was rescinded", allowed_moves=[])
    if year > today.year:
        raise RuleViolation(f"{year} is a future year", field="body.year")
    if year < contracted_on.year:
        raise RuleViolation(f"the contract was signed in {contracted_on.year}", field="body.year")
