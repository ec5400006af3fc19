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
