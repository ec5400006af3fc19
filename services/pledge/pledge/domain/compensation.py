"""Risk-compensation arithmetic: who bears how much of a covered loan's principal loss, and how a
later recovery flows back.

The rules are data (`AgreementTerms`, one version of a bank's pool agreement), never code, so the
published municipal schemes are all expressible: fixed shares (Zhongshan 54:26:16:4), loan-size
bands (Guangzhou 40/30/20 %), per-loan and per-enterprise caps, yearly compensation caps per
agreement and per pool (Guangzhou 1.5 bn a year), the covered IP share of a mixed-collateral loan
with its minimum (Wuhan 50 %), a leverage limit (pool backs at most k times its balance) and a
bank's NPL stop line (`stopline.StopLine`).

Guarantees: a split's parts sum exactly to the loss (integer fen, remainder to a named party via
`ipops.money.allocate`); only the parties the loan has get a part (an absent party's share goes
where `absent_share_to` says); the covered part is the loss times ip / (ip + other), exact, floored
once; the pool never pays more than its caps allow; a recovery's parts sum exactly to the amount
and no party gets back more than it bore.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ipops.errors import RuleViolation
from ipops.money import allocate
from pledge.domain.stopline import StopLine
from pledge.enums import AbsentShareTo, CapExcess, Party

HUNDRED = Decimal(100)
# The pool (it covers the loan) and the bank (it lent) are parties to every covered loan.
ALWAYS_PRESENT: frozenset[Party] = frozenset({Party.POOL, Party.BANK})
YEARLY_CAPS = {"yearly_agreement_cap": "agreement's", "yearly_pool_cap": "pool's"}


@dataclass(frozen=True)
class Band:
    """Shares for loans whose principal is at most `up_to_fen`."""

    up_to_fen: int
    shares: Mapping[Party, Decimal]


@dataclass(frozen=True)
class AgreementTerms:
    """One version of a bank's pool agreement. Shares are percentages summing to exactly 100."""

    shares: Mapping[Party, Decimal]
    remainder_to: Party = Party.BANK
    absent_share_to: AbsentShareTo = AbsentShareTo.BANK
    bands: Sequence[Band] = ()
    per_loan_cap_fen: int | None = None
    per_enterprise_cap_fen: int | None = None
    yearly_agreement_cap_fen: int | None = None  # the pool pays the bank at most this a district year
    yearly_pool_cap_fen: int | None = None  # the pool pays all its banks at most this a district year
    yearly_cap_excess: CapExcess = CapExcess.PARTIAL
    min_ip_share: Decimal = Decimal(0)  # percent; a loan whose IP share is lower is not covered
    leverage_limit: Decimal | None = None  # covered outstanding <= k x pool balance
    stop_line: StopLine = field(default_factory=StopLine)
    max_loan_fen: int | None = None
    # kinds of collateral the pool covers (`invention`, `utility_model`, `design`, `pct_invention`,
    # `pct_utility_model`, `trademark`); None covers every kind
    eligible_right_types: frozenset[str] | None = None


@dataclass(frozen=True)
class Collateral:
    """What secures a loan: the appraised IP and the other collateral. Only the IP part of an
    amount is covered, in the exact proportion ip / (ip + other); nothing without collateral."""

    ip_value_fen: int
    other_value_fen: int = 0

    @property
    def ip_share(self) -> Fraction:
        """The IP share of the collateral value, exact (0 without collateral)."""
        total = self.ip_value_fen + self.other_value_fen
        return Fraction(self.ip_value_fen, total) if total else Fraction(0)

    def covered(self, amount_fen: int) -> int:
        """The IP-covered part of an amount, floored once (the odd fen stay with the bank)."""
        total = self.ip_value_fen + self.other_value_fen
        return amount_fen * self.ip_value_fen // total if total else 0

    def ip_share_percent(self) -> Decimal:
        """The IP share as a percentage with two decimals, rounded half up (for display)."""
        exact = self.ip_share * 100
        return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PaidSoFar:
    """What the pool has already paid, against which the caps are measured: on the enterprise's
    loans ever, to this bank under its agreement this district year, to every bank this year."""

    enterprise_fen: int = 0
    agreement_year_fen: int = 0
    pool_year_fen: int = 0


@dataclass(frozen=True)
class Split:
    """How one loss is borne. `parts` sums exactly to `loss_fen`."""

    loss_fen: int
    covered_fen: int
    parts: Mapping[Party, int]
    capped_by: str | None = None

    @property
    def pool_fen(self) -> int:
        """What the pool pays."""
        return self.parts.get(Party.POOL, 0)


@dataclass(frozen=True)
class Decision:
    """A claim's outcome: a split to pay, or the reason it is refused."""

    split: Split | None
    refusal: str | None = None
    notes: list[str] = field(default_factory=list)


def loan_parties(*, guarantor: str | None, insurer: str | None, valuer: str | None) -> frozenset[Party]:
    """The parties a loan really has: the pool and the bank, and the guarantor, insurer and valuer
    the loan names (a valuer who only appraised the rights is not one: the loan names the firm
    that shares the loss)."""
    named = {Party.GUARANTOR: guarantor, Party.INSURER: insurer, Party.VALUER: valuer}
    return ALWAYS_PRESENT | {party for party, name in named.items() if name}


def _check_shares(shares: Mapping[Party, Decimal], where: str) -> None:
    if any(v < 0 for v in shares.values()):
        raise RuleViolation("a share cannot be negative", field=where)
    total = sum(shares.values(), Decimal(0))
    if total != HUNDRED:
        raise RuleViolation(f"shares must sum to exactly 100 (they sum to {total})", field=where)
    if Party.POOL not in shares:
        raise RuleViolation("the pool must have a share (it may be 0)", field=where)


def validate_terms(terms: AgreementTerms) -> AgreementTerms:
    """The terms when they are consistent; `RuleViolation` naming the field otherwise."""
    _check_shares(terms.shares, "terms.shares")
    previous = 0
    for i, band in enumerate(terms.bands):
        _check_shares(band.shares, f"terms.bands.{i}.shares")
        if band.up_to_fen <= previous:
            raise RuleViolation("bands must be in increasing order of up_to", field=f"terms.bands.{i}.up_to")
        previous = band.up_to_fen
    parties = set(terms.shares).union(*(b.shares for b in terms.bands))
    if terms.remainder_to not in parties:
        raise RuleViolation("the remainder party must hold a share", field="terms.remainder_to")
    receiver = terms.absent_share_to
    if receiver is not AbsentShareTo.PRO_RATA and Party(receiver.value) not in parties | ALWAYS_PRESENT:
        raise RuleViolation(
            "an absent party's share goes to the pool, the bank or a party holding a share",
            field="terms.absent_share_to",
        )
    if not Decimal(0) <= terms.min_ip_share <= HUNDRED:
        raise RuleViolation("the minimum IP share is a percentage", field="terms.min_ip_share")
    return terms


def shares_for(terms: AgreementTerms, principal_fen: int) -> Mapping[Party, Decimal] | None:
    """The shares for a loan of `principal_fen`: its band's, or the flat ones without bands.
    None when the loan is above the largest band (not coverable)."""
    if not terms.bands:
        return terms.shares
    for band in terms.bands:
        if principal_fen <= band.up_to_fen:
            return band.shares
    return None


def coverage_refusal(
    terms: AgreementTerms,
    *,
    principal_fen: int,
    collateral: Collateral,
    bank_suspended: bool,
    covered_outstanding_fen: int,
    pool_balance_fen: int,
    right_types: Sequence[str] = (),
) -> str | None:
    """Why a loan cannot be covered at approval, or None when it is covered."""
    if bank_suspended:
        return "the bank is suspended from the pool"
    if terms.eligible_right_types is not None:
        ineligible = sorted(set(right_types) - terms.eligible_right_types)
        if ineligible:
            return f"collateral of type {', '.join(ineligible)} is not eligible under the agreement"
    if terms.max_loan_fen is not None and principal_fen > terms.max_loan_fen:
        return "the loan exceeds the agreement's largest coverable loan"
    if shares_for(terms, principal_fen) is None:
        return "the loan is above the largest loan-size band"
    if collateral.ip_share * 100 < Fraction(terms.min_ip_share):
        return f"the IP share of the collateral is below the minimum {terms.min_ip_share}%"
    if terms.leverage_limit is not None:
        exposure = covered_outstanding_fen + collateral.covered(principal_fen)
        if Fraction(exposure) > Fraction(terms.leverage_limit) * pool_balance_fen:
            return f"covered loans would exceed {terms.leverage_limit} times the pool balance"
    return None


def effective_shares(
    shares: Mapping[Party, Decimal], parties: Set[Party], absent_share_to: AbsentShareTo
) -> dict[Party, Fraction]:
    """The shares among the parties the loan has: an absent party's share goes to the named party
    (to the bank when that one is absent too), or is spread pro rata over the present parties
    (to the bank when they all hold nothing)."""
    present = {p: Fraction(v) for p, v in shares.items() if p in parties}
    absent = sum((Fraction(v) for p, v in shares.items() if p not in parties), Fraction(0))
    if not absent:
        return present
    if absent_share_to is AbsentShareTo.PRO_RATA and any(present.values()):
        return present  # `allocate` shares the whole by these weights: pro rata over the present
    receiver = Party.BANK if absent_share_to is AbsentShareTo.PRO_RATA else Party(absent_share_to.value)
    if receiver not in parties:
        receiver = Party.BANK
    present[receiver] = present.get(receiver, Fraction(0)) + absent
    return present


def _cap_rooms(terms: AgreementTerms, paid: PaidSoFar) -> list[tuple[str, int]]:
    """Each cap on the pool's part of this claim and the room it leaves, in the order applied."""
    rooms: list[tuple[str, int]] = []
    if terms.per_loan_cap_fen is not None:
        rooms.append(("per_loan_cap", terms.per_loan_cap_fen))
    for name, cap, used in (
        ("per_enterprise_cap", terms.per_enterprise_cap_fen, paid.enterprise_fen),
        ("yearly_agreement_cap", terms.yearly_agreement_cap_fen, paid.agreement_year_fen),
        ("yearly_pool_cap", terms.yearly_pool_cap_fen, paid.pool_year_fen),
    ):
        if cap is not None:
            rooms.append((name, max(cap - used, 0)))
    return rooms


def split_loss(
    terms: AgreementTerms,
    *,
    loss_fen: int,
    principal_fen: int,
    collateral: Collateral,
    parties: Set[Party],
    paid: PaidSoFar | None = None,
) -> Split:
    """Split a principal loss: the IP-covered part by the band's shares among the parties the loan
    has, the pool's part capped per loan, per enterprise and per year; the uncovered part and
    anything above a cap fall to the bank."""
    if loss_fen < 0:
        raise RuleViolation("a loss cannot be negative", field="loss")
    if loss_fen > principal_fen:
        raise RuleViolation("the principal loss cannot exceed the loan's principal", field="loss")
    shares = shares_for(terms, principal_fen)
    if shares is None:
        raise RuleViolation("the loan is above the largest loan-size band", field="loss")
    covered = collateral.covered(loss_fen)
    weights = effective_shares(shares, set(parties) | ALWAYS_PRESENT, terms.absent_share_to)
    # A band may leave out the remainder party, or the loan may not have it: then the largest
    # remainders take the odd fen.
    remainder_to = terms.remainder_to if terms.remainder_to in weights else None
    parts: dict[Party, int] = dict.fromkeys(Party, 0)
    parts.update(allocate(covered, weights, remainder_to=remainder_to))
    parts[Party.BANK] += loss_fen - covered
    capped_by = None
    pool = parts[Party.POOL]
    for name, room in _cap_rooms(terms, paid or PaidSoFar()):
        if pool > room:
            pool, capped_by = room, name
    parts[Party.BANK] += parts[Party.POOL] - pool
    parts[Party.POOL] = pool
    return Split(loss_fen=loss_fen, covered_fen=covered, parts=parts, capped_by=capped_by)


def decide_claim(
    terms: AgreementTerms,
    *,
    loss_fen: int,
    principal_fen: int,
    collateral: Collateral,
    parties: Set[Party],
    paid: PaidSoFar,
    pool_balance_fen: int,
    stopped: bool,
) -> Decision:
    """Pay or refuse a claim: the split, checked against the bank's stop, the yearly caps when the
    terms refuse a claim past them, and the pool's balance (the pool's liability is limited to its
    balance, Haikou's rule)."""
    if stopped:
        return Decision(None, "the bank is suspended from the pool")
    split = split_loss(
        terms, loss_fen=loss_fen, principal_fen=principal_fen, collateral=collateral, parties=parties, paid=paid
    )
    yearly = YEARLY_CAPS.get(split.capped_by or "")
    if yearly is not None and terms.yearly_cap_excess is CapExcess.REFUSE:
        return Decision(None, f"the claim would pass the {yearly} yearly compensation cap")
    if split.pool_fen == 0:
        if split.capped_by:
            return Decision(None, f"the pool's share of this loss is nothing: its {split.capped_by} is reached")
        return Decision(None, "the pool's share of this loss is nothing (caps exhausted)")
    if split.pool_fen > pool_balance_fen:
        return Decision(None, "the pool balance cannot cover the claim")
    return Decision(split)


def split_recovery(recovered_fen: int, unrecovered: Mapping[Party, int]) -> dict[Party, int]:
    """Share a recovery among the parties pro rata to the loss each still bears. No party gets
    more than it still bears (largest remainder, never a named party, keeps that true)."""
    total = sum(unrecovered.values())
    if recovered_fen < 0:
        raise RuleViolation("a recovery cannot be negative", field="amount")
    if recovered_fen > total:
        raise RuleViolation("the recovery exceeds the loss still unrecovered", field="amount")
    if recovered_fen == 0:
        return dict.fromkeys(unrecovered, 0)
    weights = {p: v for p, v in unrecovered.items() if v > 0}
    parts = allocate(recovered_fen, weights)
    return {p: parts.get(p, 0) for p in unrecovered}
