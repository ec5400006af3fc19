"""The guidance fund - loan link (投贷联动, issue #13): which investments operations announces a
pledge loan shows, and what pledge refuses to apply.

Operations owns the fund and its investments; an investment may name the pledge loan of the same
enterprise it goes with (`pledge_loan_id`). Operations cannot see pledge's loans when it records
one, so pledge decides here whether the link holds:
- an investment naming no loan is not pledge's concern: nothing is kept;
- it is linked when pledge holds the loan and the loan's enterprise is the investment's (the same
  unified social credit code, compared in its normal form);
- a loan pledge does not hold, or a loan of another enterprise, cannot be linked: the event is
  refused (`LinkRefused`), so the consumer retries it and then dead-letters it, where an operator
  sees the reason and replays it once the record is corrected. It is never applied half-way;
- an exit applies to the investment pledge linked; an exit of one it never linked (its `made` was
  refused) or naming another loan is refused the same way.

Pure: no I/O.
"""

from __future__ import annotations

from ipops.identifiers import normalize_uscc


class LinkRefused(ValueError):
    """An announced investment cannot be linked to the pledge loan it names (the reason says why)."""


def link_refusal(loan_id: str, loan_enterprise: str | None, investment_enterprise: str) -> str | None:
    """Why an investment of `investment_enterprise` cannot be linked to loan `loan_id` (whose
    enterprise is `loan_enterprise`, None when pledge holds no such loan); None when it can."""
    if loan_enterprise is None:
        return f"pledge holds no loan {loan_id}"
    try:
        investor_side = normalize_uscc(investment_enterprise)
    except ValueError:
        return f"the investment's enterprise {investment_enterprise!r} is not a valid credit code"
    if investor_side != loan_enterprise:
        return f"loan {loan_id} is enterprise {loan_enterprise}'s, the investment is in {investor_side}"
    return None


def exit_refusal(investment_id: str, linked_loan_id: str | None, named_loan_id: str) -> str | None:
    """Why the exit of `investment_id` naming loan `named_loan_id` cannot be applied, given the loan
    it is linked to (None: it was never linked); None when it can."""
    if linked_loan_id is None:
        return f"investment {investment_id} was never linked to a pledge loan"
    if linked_loan_id != named_loan_id:
        return f"investment {investment_id} is linked to loan {linked_loan_id}, the exit names {named_loan_id}"
    return None
