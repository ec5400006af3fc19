"""What the pledge service counts toward the plan's indicators (goal 五, task 8): one definition each.

The counting rules, in words (the README's "Indicators" section says the same):

- `pledge_amount` (专利、商标质押融资金额, flow, yuan): a pledge loan counts when its money is paid
  out (disbursement, 放款), by the principal disbursed (the loan's amount, as restated by the bank
  when it corrects it), in the Beijing year of the disbursement date the bank reports (by default
  the district's date on which it reports the disbursement). A loan that was never paid out does
  not count; an undone disbursement takes it back out (0), and so would a loan rejected or
  withdrawn (those moves only exist before a disbursement, or after an undone one).
  Repayment, default, compensation and closing do not take it out: the money was lent that year.
- `pledge_count` (质押次数, flow, count): 1 per disbursed loan, dated and taken out like the amount.
- `mixed_pledges` (专利商标混合质押, stock, count): 1 for a disbursed loan whose pledged rights
  include at least one patent and at least one trademark, from its disbursement date and without
  an end (the plan's target is a cumulative number of such pledges: a loan repaid later was still
  a mixed pledge); taken out like the amount.
- `insurance_amount` (知识产权保险金额, flow, yuan): a policy's insured amount (保险金额, the sum
  insured, not the premium), in the Beijing year the policy takes effect (its start date); a
  cancelled (voided) policy takes it back out (0).

Pure: given the state of a loan or a policy, the contribution it makes to each indicator now.
A quantity of 0 means "does not count (any more)"; the use case then withdraws the ledger row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ipops.errors import RuleViolation
from pledge.enums import LoanStatus, RightKind

PLEDGE_AMOUNT = "pledge_amount"
PLEDGE_COUNT = "pledge_count"
MIXED_PLEDGES = "mixed_pledges"
INSURANCE_AMOUNT = "insurance_amount"

LOAN_INDICATORS: tuple[str, ...] = (PLEDGE_AMOUNT, PLEDGE_COUNT, MIXED_PLEDGES)
POLICY_INDICATORS: tuple[str, ...] = (INSURANCE_AMOUNT,)

# History is entered late (the plan started in 2019), but no business fact of this platform is
# older than this, and none happens in the future.
EARLIEST_BUSINESS_DATE = date(2000, 1, 1)

# The statuses of a loan whose money was paid out and not taken back: everything after a
# disbursement. Submitted, approved and registered loans are not (yet, or again) paid out;
# rejected and withdrawn ones never were.
PAID_OUT: frozenset[LoanStatus] = frozenset(
    {
        LoanStatus.DISBURSED,
        LoanStatus.OVERDUE,
        LoanStatus.DEFAULTED,
        LoanStatus.COMPENSATED,
        LoanStatus.CLOSED_REPAID,
        LoanStatus.CLOSED_WRITTEN_OFF,
    }
)


@dataclass(frozen=True)
class Contribution:
    """What one record contributes to one indicator now. `start_on` is None for a record that has
    no date to count from (never paid out): its quantity is 0."""

    indicator: str
    subject: str
    quantity: int
    start_on: date | None
    end_on: date | None = None

    @property
    def counts(self) -> bool:
        """Whether it adds anything (else the ledger row, if any, is withdrawn)."""
        return self.quantity > 0 and self.start_on is not None


@dataclass(frozen=True)
class LoanFacts:
    """The facts of a loan the rules read: status, principal disbursed (fen), the disbursement's
    Beijing date (None when not paid out) and the kinds of the rights pledged for it."""

    loan_id: str
    status: LoanStatus
    principal_fen: int
    disbursed_on: date | None
    right_kinds: frozenset[str]

    @property
    def paid_out(self) -> bool:
        """Paid out and not undone."""
        return self.status in PAID_OUT and self.disbursed_on is not None

    @property
    def mixed(self) -> bool:
        """A patent and a trademark pledged together."""
        return {RightKind.PATENT.value, RightKind.TRADEMARK.value} <= self.right_kinds


@dataclass(frozen=True)
class PolicyFacts:
    """The facts of an IP insurance policy the rule reads."""

    policy_id: str
    sum_insured_fen: int
    start_date: date
    cancelled: bool


def loan_contributions(loan: LoanFacts) -> tuple[Contribution, ...]:
    """A loan's contributions to pledge_amount, pledge_count and mixed_pledges."""
    counts = loan.paid_out
    start = loan.disbursed_on if counts else None
    return (
        Contribution(PLEDGE_AMOUNT, loan.loan_id, loan.principal_fen if counts else 0, start),
        Contribution(PLEDGE_COUNT, loan.loan_id, 1 if counts else 0, start),
        Contribution(MIXED_PLEDGES, loan.loan_id, 1 if counts and loan.mixed else 0, start),
    )


def policy_contributions(policy: PolicyFacts) -> tuple[Contribution, ...]:
    """A policy's contribution to insurance_amount."""
    quantity = 0 if policy.cancelled else policy.sum_insured_fen
    return (Contribution(INSURANCE_AMOUNT, policy.policy_id, quantity, policy.start_date),)


def business_date(given: date | None, today: date, *, field: str) -> date:
    """The date a fact happened: `given`, or `today` (the district's) when the caller gives none;
    between 2000-01-01 and today, else a RuleViolation naming `field`."""
    if given is None:
        return today
    if given < EARLIEST_BUSINESS_DATE or given > today:
        raise RuleViolation(f"the date must be between {EARLIEST_BUSINESS_DATE} and today ({today})", field=field)
    return given
