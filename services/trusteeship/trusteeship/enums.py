"""`StrEnum`s shared by models, schemas and domain."""

from enum import StrEnum


class ServiceType(StrEnum):
    """The kinds of work an agency logs: the Dongli plan's own enumeration (task 6) plus the
    national SME programme's catalogue (DOMAIN-RULES §2)."""

    DEADLINE_WATCH = "deadline_watch"  # deadline and annual-fee watch
    SEARCH = "search"
    FILING_ASSISTANCE = "filing_assistance"
    TRAINING = "training"
    CONSULTATION = "consultation"
    MANAGEMENT_SYSTEM = "management_system"  # IP management system toward GB/T 29490
    EARLY_WARNING = "early_warning"
    VALUATION_FINANCING = "valuation_financing"  # valuation and financing referral
    RIGHTS_PROTECTION = "rights_protection"  # rights-protection referral
    OTHER = "other"


class EnterpriseSize(StrEnum):
    """Size class of an enterprise (the programme serves small and micro ones)."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class EnrolmentStatus(StrEnum):
    """Where an enrolment stands; `active` is the only one holding the enterprise."""

    ACTIVE = "active"
    TRANSFERRED = "transferred"
    EXITED = "exited"


class PatentKind(StrEnum):
    """Kinds of patent right, each with its own term and fee table."""

    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"


class PatentStatus(StrEnum):
    """Legal status as the docket tracks it."""

    PENDING = "pending"  # filed, not granted: no annual fees yet
    VALID = "valid"
    LAPSED = "lapsed"  # an annual fee went unpaid past the grace period
    EXPIRED = "expired"  # the term ended


class DeadlineStatus(StrEnum):
    """State of one annual-fee deadline."""

    OPEN = "open"
    PAID = "paid"
    LAPSED = "lapsed"


class Milestone(StrEnum):
    """What a reminder points at."""

    DUE = "due"
    GRACE_END = "grace_end"


class WorkSource(StrEnum):
    """How a work log arrived."""

    SINGLE = "single"
    BULK = "bulk"
