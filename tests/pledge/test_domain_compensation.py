"""Compensation arithmetic: the published municipal splits as cases, and properties (parts sum
exactly to the loss, caps and bands hold, recoveries never return more than was borne)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipops.errors import RuleViolation
from ipops.money import to_fen
from pledge.domain.compensation import (
    AgreementTerms,
    Band,
    coverage_refusal,
    decide_claim,
    ip_share_bp,
    npl_ratio_exceeded,
    split_loss,
    split_recovery,
    validate_terms,
)
from pledge.enums import Party as P

D = Decimal
ZHONGSHAN = AgreementTerms(shares={P.POOL: D(54), P.BANK: D(26), P.INSURER: D(16), P.VALUER: D(4)})
ZHUHAI = AgreementTerms(shares={P.POOL: D(40), P.BANK: D(60)})
SHENZHEN = AgreementTerms(shares={P.POOL: D(50), P.BANK: D(50)}, max_loan_fen=to_fen("5000000"))
GUANGZHOU = AgreementTerms(
    shares={P.POOL: D(40), P.BANK: D(60)},
    bands=(
        Band(to_fen("5000000"), {P.POOL: D(40), P.BANK: D(60)}),
        Band(to_fen("15000000"), {P.POOL: D(30), P.BANK: D(70)}),
        Band(to_fen("30000000"), {P.POOL: D(20), P.BANK: D(80)}),
    ),
    npl_suspension_threshold=D(3),
)
WUHAN = AgreementTerms(shares={P.POOL: D(50), P.BANK: D(50)}, min_ip_share=D(50))


def yuan(parts: dict[P, int]) -> dict[str, str]:
    return {p.value: f"{v / 100:.2f}" for p, v in parts.items() if v}


class TestPublishedSplits:
    def test_zhongshan_54_26_16_4(self) -> None:
        split = split_loss(ZHONGSHAN, loss_fen=to_fen("1000000"), principal_fen=to_fen("2000000"), ip_share_bp=10000)
        assert yuan(dict(split.parts)) == {
            "pool": "540000.00",
            "bank": "260000.00",
            "insurer": "160000.00",
            "valuer": "40000.00",
        }

    def test_zhuhai_bank_60_fund_40(self) -> None:
        split = split_loss(ZHUHAI, loss_fen=to_fen("300000"), principal_fen=to_fen("300000"), ip_share_bp=10000)
        assert yuan(dict(split.parts)) == {"pool": "120000.00", "bank": "180000.00"}

    def test_shenzhen_one_to_one_and_5m_loan_limit(self) -> None:
        split = split_loss(SHENZHEN, loss_fen=to_fen("800000.01"), principal_fen=to_fen("1000000"), ip_share_bp=10000)
        assert split.parts[P.POOL] == 40000000 and split.parts[P.BANK] == 40000001  # odd fen to the bank
        assert (
            coverage_refusal(
                SHENZHEN,
                principal_fen=to_fen("5000000.01"),
                ip_share_bp=10000,
                bank_suspended=False,
                covered_outstanding_fen=0,
                pool_balance_fen=10**12,
            )
            is not None
        )

    @pytest.mark.parametrize(
        ("principal", "pool_pct"),
        [("1000000", 40), ("5000000", 40), ("5000000.01", 30), ("15000000", 30), ("15000000.01", 20), ("30000000", 20)],
    )
    def test_guangzhou_bands_40_30_20(self, principal: str, pool_pct: int) -> None:
        principal_fen = to_fen(principal)
        loss = to_fen("1000000")
        split = split_loss(GUANGZHOU, loss_fen=loss, principal_fen=principal_fen, ip_share_bp=10000)
        assert split.parts[P.POOL] == loss * pool_pct // 100
        assert split.parts[P.BANK] == loss - split.parts[P.POOL]

    def test_guangzhou_above_30m_is_not_covered(self) -> None:
        reason = coverage_refusal(
            GUANGZHOU,
            principal_fen=to_fen("30000000.01"),
            ip_share_bp=10000,
            bank_suspended=False,
            covered_outstanding_fen=0,
            pool_balance_fen=10**12,
        )
        assert reason == "the loan is above the largest loan-size band"

    def test_guangzhou_stops_above_3_percent_npl(self) -> None:
        assert not npl_ratio_exceeded(GUANGZHOU, npl_fen=3, disbursed_fen=100)
        assert npl_ratio_exceeded(GUANGZHOU, npl_fen=301, disbursed_fen=10000)

    def test_wuhan_covers_only_the_ip_share_and_requires_half(self) -> None:
        split = split_loss(WUHAN, loss_fen=to_fen("1000000"), principal_fen=to_fen("1000000"), ip_share_bp=6000)
        assert split.covered_fen == to_fen("600000")
        assert split.parts[P.POOL] == to_fen("300000") and split.parts[P.BANK] == to_fen("700000")
        below = coverage_refusal(
            WUHAN,
            principal_fen=100,
            ip_share_bp=4999,
            bank_suspended=False,
            covered_outstanding_fen=0,
            pool_balance_fen=10**9,
        )
        at = coverage_refusal(
            WUHAN,
            principal_fen=100,
            ip_share_bp=5000,
            bank_suspended=False,
            covered_outstanding_fen=0,
            pool_balance_fen=10**9,
        )
        assert below is not None and at is None

    def test_haikou_liability_limited_to_the_balance(self) -> None:
        decision = decide_claim(
            ZHUHAI,
            loss_fen=to_fen("100"),
            principal_fen=to_fen("100"),
            ip_share_bp=10000,
            enterprise_paid_fen=0,
            pool_balance_fen=to_fen("39.99"),
            bank_suspended=False,
        )
        assert decision.split is None and decision.refusal == "the pool balance cannot cover the claim"

    def test_leverage_ten_times_the_balance(self) -> None:
        terms = AgreementTerms(shares={P.POOL: D(50), P.BANK: D(50)}, leverage_limit=D(10))
        ok = coverage_refusal(
            terms,
            principal_fen=100,
            ip_share_bp=10000,
            bank_suspended=False,
            covered_outstanding_fen=900,
            pool_balance_fen=100,
        )
        over = coverage_refusal(
            terms,
            principal_fen=101,
            ip_share_bp=10000,
            bank_suspended=False,
            covered_outstanding_fen=900,
            pool_balance_fen=100,
        )
        assert ok is None and over is not None and "10" in over


def test_eligible_right_types() -> None:
    """Bank of Communications' rulebook: invention or utility patents, or a trademark."""
    terms = AgreementTerms(
        shares={P.POOL: D(50), P.BANK: D(50)},
        eligible_right_types=frozenset({"invention", "utility_model", "trademark"}),
    )
    common = {
        "principal_fen": 100,
        "ip_share_bp": 10000,
        "bank_suspended": False,
        "covered_outstanding_fen": 0,
        "pool_balance_fen": 0,
    }
    assert coverage_refusal(terms, right_types=["invention", "trademark"], **common) is None  # type: ignore[arg-type]
    refusal = coverage_refusal(terms, right_types=["design", "invention"], **common)  # type: ignore[arg-type]
    assert refusal == "collateral of type design is not eligible under the agreement"


class TestTermsValidation:
    def test_shares_must_sum_to_100(self) -> None:
        with pytest.raises(RuleViolation) as info:
            validate_terms(AgreementTerms(shares={P.POOL: D(54), P.BANK: D(26)}))
        assert info.value.extensions["errors"][0]["field"] == "terms.shares"

    def test_bands_must_increase(self) -> None:
        terms = AgreementTerms(
            shares={P.POOL: D(40), P.BANK: D(60)},
            bands=(Band(500, {P.POOL: D(40), P.BANK: D(60)}), Band(500, {P.POOL: D(30), P.BANK: D(70)})),
        )
        with pytest.raises(RuleViolation) as info:
            validate_terms(terms)
        assert info.value.extensions["errors"][0]["field"] == "terms.bands.1.up_to"

    def test_remainder_party_must_hold_a_share(self) -> None:
        with pytest.raises(RuleViolation):
            validate_terms(AgreementTerms(shares={P.POOL: D(40), P.BANK: D(60)}, remainder_to=P.INSURER))

    def test_published_terms_are_valid(self) -> None:
        for terms in (ZHONGSHAN, ZHUHAI, SHENZHEN, GUANGZHOU, WUHAN):
            assert validate_terms(terms) is terms


# --- properties ----------------------------------------------------------------------------------


@st.composite
def agreement_terms(draw: st.DrawFn) -> AgreementTerms:
    parties = draw(st.lists(st.sampled_from([P.BANK, P.GUARANTOR, P.INSURER, P.VALUER]), unique=True, min_size=1))
    cuts = sorted(draw(st.lists(st.integers(0, 10000), min_size=len(parties), max_size=len(parties))))
    bounds = [0, *cuts, 10000]
    shares = {P.POOL: D(bounds[1] - bounds[0]) / 100}
    for i, party in enumerate(parties):
        shares[party] = D(bounds[i + 2] - bounds[i + 1]) / 100
    return AgreementTerms(
        shares=shares,
        remainder_to=draw(st.sampled_from(sorted(shares))),
        per_loan_cap_fen=draw(st.none() | st.integers(0, 10**9)),
        per_enterprise_cap_fen=draw(st.none() | st.integers(0, 10**9)),
    )


@settings(max_examples=200, deadline=None)
@given(
    terms=agreement_terms(),
    principal=st.integers(1, 10**10),
    loss_pct=st.integers(0, 100),
    ip_bp=st.integers(0, 10000),
    paid=st.integers(0, 10**9),
)
def test_split_sums_exactly_and_caps_hold(
    terms: AgreementTerms, principal: int, loss_pct: int, ip_bp: int, paid: int
) -> None:
    validate_terms(terms)
    loss = principal * loss_pct // 100
    split = split_loss(terms, loss_fen=loss, principal_fen=principal, ip_share_bp=ip_bp, enterprise_paid_fen=paid)
    assert sum(split.parts.values()) == loss
    assert all(v >= 0 for v in split.parts.values())
    pool = split.parts[P.POOL]
    floor_share = int(split.covered_fen * terms.shares[P.POOL] / 100)
    slack = len(terms.shares) - 1 if terms.remainder_to is P.POOL else 0  # the odd fen of the others
    assert pool <= floor_share + slack
    if terms.per_loan_cap_fen is not None:
        assert pool <= terms.per_loan_cap_fen
    if terms.per_enterprise_cap_fen is not None:
        assert pool + paid <= max(terms.per_enterprise_cap_fen, paid)
    for party, pct in terms.shares.items():
        if party not in (P.POOL, P.BANK, terms.remainder_to):
            # a non-remainder party gets exactly its floored share of the covered part
            assert split.parts[party] == int(split.covered_fen * pct / 100)


@settings(max_examples=200, deadline=None)
@given(principal=st.integers(1, 6 * 10**9))
def test_bands_hold(principal: int) -> None:
    split = (
        split_loss(GUANGZHOU, loss_fen=principal, principal_fen=principal, ip_share_bp=10000)
        if principal <= to_fen("30000000")
        else None
    )
    if split is None:
        with pytest.raises(RuleViolation):
            split_loss(GUANGZHOU, loss_fen=principal, principal_fen=principal, ip_share_bp=10000)
        return
    pct = 40 if principal <= to_fen("5000000") else 30 if principal <= to_fen("15000000") else 20
    assert split.parts[P.POOL] == principal * pct // 100 or split.parts[P.POOL] == principal * pct // 100 + 1


@settings(max_examples=200, deadline=None)
@given(
    borne=st.dictionaries(st.sampled_from(list(P)), st.integers(0, 10**9), min_size=1),
    fractions=st.lists(st.integers(0, 100), min_size=1, max_size=6),
)
def test_recoveries_sum_exactly_and_never_exceed_what_was_borne(borne: dict[P, int], fractions: list[int]) -> None:
    remaining = dict(borne)
    for pct in fractions:
        amount = sum(remaining.values()) * pct // 100
        parts = split_recovery(amount, remaining)
        assert sum(parts.values()) == amount
        for party, got in parts.items():
            assert 0 <= got <= remaining[party]
            remaining[party] -= got
    parts = split_recovery(sum(remaining.values()), remaining)
    assert all(remaining[p] - parts[p] == 0 for p in remaining)


def test_recovery_above_the_loss_is_refused() -> None:
    with pytest.raises(RuleViolation):
        split_recovery(11, {P.POOL: 5, P.BANK: 5})


@pytest.mark.parametrize(
    ("ip_value", "other_value", "share_bp"),
    [
        (1_000, 0, 10_000),  # all IP
        (0, 0, 0),  # no collateral at all: nothing is IP-covered
        (0, 500, 0),
        (600, 400, 6_000),
        (1, 2, 3_333),  # floored: the odd basis point stays uncovered
    ],
)
def test_ip_share_of_the_collateral(ip_value: int, other_value: int, share_bp: int) -> None:
    assert ip_share_bp(ip_value, other_value) == share_bp
