"""String enums shared by models, schemas and the domain, so a status is spelled one way."""

from __future__ import annotations

from enum import StrEnum


class LoanStatus(StrEnum):
    """Where a pledge loan is in its life."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    REGISTERED = "registered"  # the pledge is registered at the national IP office
    DISBURSED = "disbursed"
    OVERDUE = "overdue"
    DEFAULTED = "defaulted"
    COMPENSATED = "compensated"  # the pool paid its share of the loss
    CLOSED_REPAID = "closed_repaid"
    CLOSED_WRITTEN_OFF = "closed_written_off"


class Move(StrEnum):
    """What can happen to a loan; `ALLOWED_MOVES` says from where."""

    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    REGISTER = "register"
    DISBURSE = "disburse"
    REPAY = "repay"
    MARK_OVERDUE = "mark_overdue"
    CURE = "cure"  # arrears cleared: back from overdue to performing
    DEFAULT = "default"
    COMPENSATE = "compensate"
    RECOVER = "recover"
    CLOSE_REPAID = "close_repaid"
    WRITE_OFF = "write_off"
    UNDO_APPROVE = "undo_approve"
    UNDO_DISBURSE = "undo_disburse"


class RightKind(StrEnum):
    """The kind of IP right pledged."""

    PATENT = "patent"
    TRADEMARK = "trademark"


class Party(StrEnum):
    """Who bears a share of a covered loan's principal loss."""

    POOL = "pool"
    BANK = "bank"
    GUARANTOR = "guarantor"
    INSURER = "insurer"
    VALUER = "valuer"


class AbsentShareTo(StrEnum):
    """Where the share of a party the loan does not have goes: to a named party (the bank when
    that party is absent too), or pro rata over the parties the loan has."""

    BANK = "bank"
    POOL = "pool"
    GUARANTOR = "guarantor"
    INSURER = "insurer"
    VALUER = "valuer"
    PRO_RATA = "pro_rata"


class NplBasis(StrEnum):
    """How the stop line's NPL ratio is measured."""

    BALANCE = "balance"  # non-performing principal / outstanding principal, on the day
    FLOW = "flow"  # principal defaulted this district year / principal paid out this district year


class EmptyBase(StrEnum):
    """What an NPL ratio without a base (nothing outstanding, or nothing paid out this year) means."""

    NOT_STOPPED = "not_stopped"
    STOPPED = "stopped"


class StopScope(StrEnum):
    """Which claims a bank's stop refuses (the claim on the loan whose default tripped the line
    is never refused for the stop)."""

    ALL_CLAIMS = "all_claims"  # every claim filed while stopped, also on loans that defaulted before
    DEFAULTED_AFTER_STOP = "defaulted_after_stop"
    DISBURSED_AFTER_STOP = "disbursed_after_stop"


class Comeback(StrEnum):
    """How a stopped bank comes back."""

    OPERATOR = "operator"  # only by an operator's reinstatement
    AUTOMATIC = "automatic"  # also when its ratio is back at or under the line where it is measured


class CapExcess(StrEnum):
    """What a claim past a yearly compensation cap gets."""

    PARTIAL = "partial"  # paid up to the cap, the rest falls to the bank
    REFUSE = "refuse"


class ClaimStatus(StrEnum):
    """The decision on a compensation claim."""

    PAID = "paid"
    REFUSED = "refused"


class RegistrationStatus(StrEnum):
    """The pledge registration at the national IP office."""

    REGISTERED = "registered"
    REFUSED = "refused"
    CHANGED = "changed"
    CANCELLED = "cancelled"  # 注销: released when the loan closes


class FundingSource(StrEnum):
    """Where pool money comes from."""

    CENTRAL = "central"
    MUNICIPAL = "municipal"
    DISTRICT = "district"
