"""`StrEnum`s shared by models, schemas and domain."""

from enum import StrEnum


class ProjectKind(StrEnum):
    """The kinds of navigation GB/T 39551 defines; only parts 3 and 4 are run by the plan."""

    REGIONAL_PLANNING = "regional_planning"  # Part 2 (reserved)
    INDUSTRY_PLANNING = "industry_planning"  # Part 3
    ENTERPRISE_OPERATION = "enterprise_operation"  # Part 4
    RND_ACTIVITY = "rnd_activity"  # Part 5 (reserved)
    TALENT_MANAGEMENT = "talent_management"  # Part 6 (reserved)


class Industry(StrEnum):
    """The district's priority industries (Dongli plan)."""

    NEV_ICV = "nev_icv"  # new-energy and intelligent connected vehicles
    BIOMEDICINE = "biomedicine"  # biomedicine and medical devices
    NEW_MATERIALS = "new_materials"
    HIGH_END_EQUIPMENT = "high_end_equipment"
    MODERN_METALLURGY = "modern_metallurgy"


class ProjectStatus(StrEnum):
    """Where a project stands (DOMAIN-RULES §3)."""

    PROPOSED = "proposed"
    IN_PROGRESS = "in_progress"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Phase(StrEnum):
    """The four phases of a navigation project, in order."""

    PREPARATION = "preparation"
    RETRIEVAL = "retrieval"  # retrieval and data processing
    ANALYSIS = "analysis"
    REVIEW = "review"  # review and acceptance


class ProjectMove(StrEnum):
    """What can be done to a project's state."""

    APPROVE = "approve"
    COMPLETE_PHASE = "complete_phase"
    ACCEPT = "accept"
    RETURN_FOR_REWORK = "return_for_rework"
    REJECT = "reject"


class DeliverableKind(StrEnum):
    """The deliverables phase gates ask for."""

    TECHNOLOGY_DECOMPOSITION = "technology_decomposition"
    SEARCH_STRATEGY = "search_strategy"
    DATASET_SNAPSHOT = "dataset_snapshot"
    REPORT = "report"
    ACCEPTANCE_OPINION = "acceptance_opinion"


class DatasetFormat(StrEnum):
    """Accepted upload formats."""

    CSV = "csv"
    JSONL = "jsonl"


class PortfolioPatentStatus(StrEnum):
    """A portfolio patent's legal status, as the registrant states it; only `in_force` inventions
    count toward a high-value portfolio."""

    IN_FORCE = "in_force"  # granted and in force (授权, 有效)
    PENDING = "pending"  # filed, published or under examination (审中)
    REJECTED = "rejected"  # refused by the examiner (驳回)
    WITHDRAWN = "withdrawn"  # withdrawn, deemed withdrawn or abandoned before grant (撤回, 视为撤回, 放弃)
    LAPSED = "lapsed"  # granted, no longer in force: fees unpaid, term expired, surrendered, invalidated
