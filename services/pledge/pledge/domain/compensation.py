"""Risk-compensation arithmetic: who bears how much of a covered loan's principal loss, and how a
later recovery flows back.

The rules are data (`AgreementTerms`, one version of a bank's pool agreement), never code, so the
published municipal schemes are all expressible: fixed shares (Zhongshan 54:26:16:4), loan-size
bands (Guangzhou 40/30/20 %), per-loan and per-enterprise caps, the covered IP share of a
mixed-collateral loan with its minimum (Wuhan 50 %), a leverage limit (pool backs at most k times
its balance) and a bank's NPL suspension threshold.

Guarantees: a split's parts sum exactly to the loss (integer fen, remainder to a named party via
`ipops.money.allocate`); the pool never pays more than its caps allow; a recovery's parts sum
exactly to the amount and no party gets back more than it bore.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ipops.errors import RuleViolation
from ipops.money import allocate
from pledge.enums import Party

HUNDRED = Decimal(100)
BASIS = 10_000  # IP share is held in basis points: 10000 = the whole loss is IP-covered


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
    bands: Sequence[Band] = ()
    per_loan_cap_fen: int | None = None
    per_enterprise_cap_fen: int | None = None
    min_ip_share: Decimal = Decimal(0)  # percent; a loan whose IP share is lower is not covered
    leverage_limit: Decimal | None = None  # covered outstanding <= k x pool balance
    npl_suspension_threshold: Decimal | None = None  # percent of the bank's disbursed principal
    max_loan_fen: int | None = None
    # kinds of collateral the pool covers (`invention`, `utility_model`, `design`, `pct_invention`,
    # `pct_utility_model`, `trademark`); None covers every kind
    eligible_right_types: frozenset[str] | None = None


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
    ip_share_bp: int,
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
    if Fraction(ip_share_bp, BASIS) * 100 < Fraction(terms.min_ip_share):
        return f"the IP share of the collateral is below the minimum {terms.min_ip_share}%"
    if terms.leverage_limit is not None:
        exposure = covered_outstanding_fen + covered_part(principal_fen, ip_share_bp)
        if Fraction(exposure) > Fraction(terms.leverage_limit) * pool_balance_fen:
            return f"covered loans would exceed {terms.leverage_limit} times the pool balance"
    return None


def ip_share_bp(ip_value_fen: int, other_value_fen: int) -> int:
    """The IP share of a loan's collateral value in basis points (floored; 0 without collateral)."""
    total = ip_value_fen + other_value_fen
    return ip_value_fen * BASIS // total if total else 0


def covered_part(amount_fen: int, ip_share_bp: int) -> int:
    """The IP-covered part of an amount (floored: the uncovered fen stay with the bank)."""
    return amount_fen * ip_share_bp // BASIS


def split_loss(
    terms: AgreementTerms,
    *,
    loss_fen: int,
    principal_fen: int,
    ip_share_bp: int,
    enterprise_paid_fen: int = 0,
) -> Split:
    """Split a principal loss: the IP-covered part by the band's shares, the pool's part capped
    per loan and per enterprise; the uncovered part and anything above a cap fall to the bank."""
    if loss_fen < 0:
        raise RuleViolation("a loss cannot be negative", field="loss")
    if loss_fen > principal_fen:
        raise RuleViolation("the principal loss cannot exceed the loan's principal", field="loss")
    shares = shares_for(terms, principal_fen)
    if shares is None:
        raise RuleViolation("the loan is above the largest loan-size band", field="loss")
    covered = covered_part(loss_fen, ip_share_bp)
    parts: dict[Party, int] = dict.fromkeys(Party, 0)
    # A band may leave out the remainder party; then the largest remainders take the odd fen.
    remainder_to = terms.remainder_to if terms.remainder_to in shares else None
    parts.update(allocate(covered, dict(shares), remainder_to=remainder_to))
    parts[Party.BANK] += loss_fen - covered
    capped_by = None
    pool = parts[Party.POOL]
    if terms.per_loan_cap_fen is not None and pool > terms.per_loan_cap_fen:
        pool, capped_by = terms.per_loan_cap_fen, "per_loan_cap"
    if terms.per_enterprise_cap_fen is not None:
        room = max(terms.per_enterprise_cap_fen - enterprise_paid_fen, 0)
        if pool > room:
            pool, capped_by = room, "per_enterprise_cap"
    parts[Party.BANK] += parts[Party.POOL] - pool
    parts[Party.POOL] = pool
    return Split(loss_fen=loss_fen, covered_fen=covered, parts=parts, capped_by=capped_by)


def decide_claim(
    terms: AgreementTerms,
    *,
    loss_fen: int,
    principal_fen: int,
    ip_share_bp: int,
    enterprise_paid_fen: int,
    pool_balance_fen: int,
    bank_suspended: bool,
) -> Decision:
    """Pay or refuse a claim: the split, checked against suspension and the pool's balance (the
    pool's liability is limited to its balance, Haikou's rule)."""
    if bank_suspended:
        return Decision(None, "the bank is suspended from the pool")
    split = split_loss(
        terms,
        loss_fen=loss_fen,
        principal_fen=principal_fen,
        ip_share_bp=ip_share_bp,
        enterprise_paid_fen=enterprise_paid_fen,
    )
    if split.pool_fen == 0:
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


def npl_ratio_exceeded(terms: AgreementTerms, *, npl_fen: int, disbursed_fen: int) -> bool:
    """True when the bank's non-performing principal passes the agreement's threshold."""
    if terms.npl_suspension_threshold is None or disbursed_fen <= 0:
        return False
    return Fraction(npl_fen) * 100 > Fraction(terms.npl_suspension_threshold) * disbursed_fen
