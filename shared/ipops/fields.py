"""Annotated pydantic types for identifiers and money, so every schema validates the same way.

Each type names its rule in the error, and FastAPI reports the field at fault as problem+json.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, PlainSerializer

from ipops import identifiers

PatentNumber = Annotated[str, AfterValidator(identifiers.normalize_patent_number)]
CreditCode = Annotated[str, AfterValidator(identifiers.normalize_uscc)]
TrademarkNumber = Annotated[str, AfterValidator(identifiers.normalize_trademark_number)]

# Amounts in yuan: at most two decimals, never negative, serialised as a string ("1234.50").
Yuan = Annotated[
    Decimal,
    Field(ge=0, max_digits=16, decimal_places=2, examples=["1000000.00"]),
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json"),
]
