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
