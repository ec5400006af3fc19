"""The guidance fund - loan link's rules (`pledge.domain.investment`), table-driven."""

from __future__ import annotations

import pytest

from pledge.domain.investment import exit_refusal, link_refusal

CODE = "91350100M000100Y43"


@pytest.mark.parametrize(
    ("loan_enterprise", "investment_enterprise", "refusal"),
    [
        (CODE, CODE, None),
        (CODE, CODE.lower(), None),  # compared in the normal form
        (CODE, "9135 0100 M000 100Y 43", None),
        (None, CODE, "pledge holds no loan L1"),
        ("911201100000000012", CODE, f"loan L1 is enterprise 911201100000000012's, the investment is in {CODE}"),
        (CODE, "91350100M000100Y44", "the investment's enterprise '91350100M000100Y44' is not a valid credit code"),
    ],
)
def test_link_refusal(loan_enterprise: str | None, investment_enterprise: str, refusal: str | None) -> None:
    assert link_refusal("L1", loan_enterprise, investment_enterprise) == refusal


@pytest.mark.parametrize(
    ("linked", "named", "refusal"),
    [
        ("L1", "L1", None),
        (None, "L1", "investment I1 was never linked to a pledge loan"),
        ("L1", "L2", "investment I1 is linked to loan L1, the exit names L2"),
    ],
)
def test_exit_refusal(linked: str | None, named: str, refusal: str | None) -> None:
    assert exit_refusal("I1", linked, named) == refusal
