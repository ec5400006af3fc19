"""`StrEnum`s shared by models, schemas and domain."""

from enum import StrEnum


class RightKind(StrEnum):
    """What a transaction moves: patents or trademarks (one kind per contract)."""

    PATENT = "patent"
    TRADEMARK = "trademark"


class TransactionKind(StrEnum):
    """Assignment or the kind of licence (the CNIPA recordal's categories)."""

    ASSIGNMENT = "assignment"
    EXCLUSIVE_LICENCE = "exclusive_licence"  # 独占许可
    SOLE_LICENCE = "sole_licence"  # 排他许可
    ORDINARY_LICENCE = "ordinary_licence"  # 普通许可
    SUB_LICENCE = "sub_licence"  # 分许可


class PaymentForm(StrEnum):
    """How the price is paid; a running royalty is reported year by year."""

    LUMP_SUM = "lump_sum"
    INSTALMENTS = "instalments"
    RUNNING_ROYALTY = "running_royalty"


class TransactionStatus(StrEnum):
    """A contract is in force until rescinded (a rescission takes its amount out of the figure)."""

    IN_FORCE = "in_force"
    RESCINDED = "rescinded"


class BusinessLine(StrEnum):
    """The business lines of an operation agency (task 13's enumeration)."""

    TRANSACTION = "transaction"
    LICENSING = "licensing"
    VALUATION = "valuation"
    INVESTMENT_FINANCING = "investment_financing"
    ENFORCEMENT = "enforcement"
    LITIGATION = "litigation"
    COMMERCIALISATION = "commercialisation"


class RevenueStatus(StrEnum):
    """A revenue report waits for an operator, who verifies or rejects it."""

    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Industry(StrEnum):
    """The plan's key industries (task 1); alliances and pools count only in these."""

    NEW_ENERGY_ICV = "new_energy_icv"  # 新能源和智能网联汽车
    BIOMEDICINE_DEVICES = "biomedicine_devices"  # 生物医药和医疗器械
    NEW_MATERIALS = "new_materials"  # 新材料
    HIGH_END_EQUIPMENT = "high_end_equipment"  # 高端装备制造
    MODERN_METALLURGY = "modern_metallurgy"  # 现代冶金
    OTHER = "other"


class DesignationStatus(StrEnum):
    """Where a Madrid designation stands in one contracting party."""

    PENDING = "pending"
    PROTECTED = "protected"
    REFUSED = "refused"
    LAPSED = "lapsed"
