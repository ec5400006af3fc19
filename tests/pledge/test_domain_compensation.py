"""Compensation arithmetic: the published municipal splits as cases, and properties (parts sum
exactly to the loss, absent parties get nothing, caps and bands hold, recoveries never return more
than was borne)."""

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
    Collateral,
    PaidSoFar,
    coverage_refusal,
    decide_claim,
    loan_parties,
    split_loss,
    split_recovery,
    validate_terms,
)
from pledge.domain.stopline import StopLine
from pledge.enums import AbsentShareTo, CapExcess
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
    stop_line=StopLine(threshold=D(3)),
)
WUHAN = AgreementTerms(shares={P.POOL: D(50), P.BANK: D(50)}, min_ip_share=D(50))
EVERYONE = frozenset(P)
ALL_IP = Collateral(ip_value_fen=1)  # the whole collateral is IP: the whole loss is covered


def yuan(parts: dict[P, int]) -> dict[str, str]:
    return {p.value: f"{v / 100:.2f}" for p, v in parts.items() if v}


class TestPublishedSplits:
    def test_zhongshan_54_26_16_4(self) -> None:
        split = split_loss(
            ZHONGSHAN, loss_fen=to_fen("1000000"), principal_fen=to_fen("2000000"), collateral=ALL_IP, parties=EVERYONE
        )
        assert yuan(dict(split.parts)) == {
            "pool": "540000.00",
            "bank": "260000.00",
            "insurer": "160000.00",
            "valuer": "40000.00",
        }

    def test_zhuhai_bank_60_fund_40(self) -> None:
        split = split_loss(
            ZHUHAI, loss_fen=to_fen("300000"), principal_fen=to_fen("300000"), collateral=ALL_IP, parties=EVERYONE
        )
        assert yuan(dict(split.parts)) == {"pool": "120000.00", "bank": "180000.00"}

    def test_shenzhen_one_to_one_and_5m_loan_limit(self) -> None:
        split = split_loss(
            SHENZHEN, loss_fen=to_fen("800000.01"), principal_fen=to_fen("1000000"), collateral=ALL_IP, parties=EVERYONE
        )
        assert split.parts[P.POOL] == 40000000 and split.parts[P.BANK] == 40000001  # odd fen to the bank
        assert (
            coverage_refusal(
                SHENZHEN,
                principal_fen=to_fen("5000000.01"),
                collateral=ALL_IP,
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
        split = split_loss(GUANGZHOU, loss_fen=loss, principal_fen=principal_fen, collateral=ALL_IP, parties=EVERYONE)
        assert split.parts[P.POOL] == loss * pool_pct // 100
        assert split.parts[P.BANK] == loss - split.parts[P.POOL]

    def test_guangzhou_above_30m_is_not_covered(self) -> None:
        reason = coverage_refusal(
            GUANGZHOU,
            principal_fen=to_fen("30000000.01"),
            collateral=ALL_IP,
            bank_suspended=False,
            covered_outstanding_fen=0,
            pool_balance_fen=10**12,
        )
        assert reason == "the loan is above the largest loan-size band"

    def test_wuhan_covers_only_the_ip_share_and_requires_half(self) -> None:
        split = split_loss(
            WUHAN,
            loss_fen=to_fen("1000000"),
            principal_fen=to_fen("1000000"),
            collateral=Collateral(to_fen("600000"), to_fen("400000")),
            parties=EVERYONE,
        )
        assert split.covered_fen == to_fen("600000")
        assert split.parts[P.POOL] == to_fen("300000") and split.parts[P.BANK] == to_fen("700000")
        below = coverage_refusal(
            WUHAN,
            principal_fen=100,
            collateral=Collateral(4999, 5001),
            bank_suspended=False,
            covered_outstanding_fen=0,
            pool_balance_fen=10**9,
        )
        at = coverage_refusal(
            WUHAN,
            principal_fen=100,
            collateral=Collateral(5000, 5000),
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
            collateral=ALL_IP,
            parties=EVERYONE,
            paid=PaidSoFar(),
            pool_balance_fen=to_fen("39.99"),
            stopped=False,
        )
        assert decision.split is None and decision.refusal == "the pool balance cannot cover the claim"

    def test_leverage_ten_times_the_balance(self) -> None:
        terms = AgreementTerms(shares={P.POOL: D(50), P.BANK: D(50)}, leverage_limit=D(10))
        ok = coverage_refusal(
            terms,
            principal_fen=100,
            collateral=ALL_IP,
            bank_suspended=False,
            covered_outstanding_fen=900,
            pool_balance_fen=100,
        )
        over = coverage_refusal(
            terms,
            principal_fen=101,
            collateral=ALL_IP,
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
        "collateral": ALL_IP,
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


# --- absent parties, exact IP share, yearly caps (issue #14) ------------------------------------------

NO_INSURER = loan_parties(guarantor=None, insurer=None, valuer="Tianjin Valuers")
LOSS = to_fen("1000000")


@pytest.mark.parametrize(
    ("absent_share_to", "parties", "expected"),
    [
        (AbsentShareTo.BANK, NO_INSURER, {"pool": "540000.00", "bank": "420000.00", "valuer": "40000.00"}),
        (AbsentShareTo.POOL, NO_INSURER, {"pool": "700000.00", "bank": "260000.00", "valuer": "40000.00"}),
        (AbsentShareTo.VALUER, NO_INSURER, {"pool": "540000.00", "bank": "260000.00", "valuer": "200000.00"}),
        (AbsentShareTo.INSURER, NO_INSURER, {"pool": "540000.00", "bank": "420000.00", "valuer": "40000.00"}),
        (AbsentShareTo.PRO_RATA, NO_INSURER, {"pool": "642857.14", "bank": "309523.82", "valuer": "47619.04"}),
        # nobody but the pool and the bank: 16 + 4 go to the bank, or pro rata 54 : 26
        (
            AbsentShareTo.BANK,
            loan_parties(guarantor=None, insurer=None, valuer=None),
            {"pool": "540000.00", "bank": "460000.00"},
        ),
        (AbsentShareTo.PRO_RATA, frozenset({P.POOL, P.BANK}), {"pool": "675000.00", "bank": "325000.00"}),
        (
            AbsentShareTo.BANK,
            EVERYONE,
            {"pool": "540000.00", "bank": "260000.00", "insurer": "160000.00", "valuer": "40000.00"},
        ),
    ],
)
def test_an_absent_partys_share_goes_where_the_terms_say(
    absent_share_to: AbsentShareTo, parties: frozenset[P], expected: dict[str, str]
) -> None:
    """Zhongshan 54:26:16:4 on a 1,000,000.00 loss: the insurer the loan does not have bears nothing."""
    terms = AgreementTerms(shares=ZHONGSHAN.shares, absent_share_to=absent_share_to)
    split = split_loss(terms, loss_fen=LOSS, principal_fen=2 * LOSS, collateral=ALL_IP, parties=parties)
    assert yuan(dict(split.parts)) == expected
    assert sum(split.parts.values()) == LOSS


def test_a_loan_names_its_parties() -> None:
    assert loan_parties(guarantor="Tianjin SME Guarantee", insurer="", valuer=None) == {P.POOL, P.BANK, P.GUARANTOR}


def test_the_absent_share_goes_to_a_party_holding_a_share() -> None:
    with pytest.raises(RuleViolation) as info:
        validate_terms(AgreementTerms(shares=ZHONGSHAN.shares, absent_share_to=AbsentShareTo.GUARANTOR))
    assert info.value.extensions["errors"][0]["field"] == "terms.absent_share_to"
    assert validate_terms(AgreementTerms(shares=ZHUHAI.shares, absent_share_to=AbsentShareTo.POOL))


@pytest.mark.parametrize(
    ("ip", "other", "loss", "covered", "pool"),
    [
        ("2000000", "1000000", "3000000", "2000000", "1000000"),  # 6666 bp would cover 1,999,800.00
        ("1", "2", "3", "1", "0.50"),
        ("0.01", "0.02", "0.03", "0.01", "0.01"),  # 1 fen covered, the pool's half-fen is the remainder's
        ("600000", "400000", "1000000", "600000", "300000"),
        ("1000", "0", "1000", "1000", "500"),
        ("0", "0", "1000", "0", "0"),  # no collateral at all: nothing is covered
    ],
)
def test_the_ip_share_is_exact_to_the_fen(ip: str, other: str, loss: str, covered: str, pool: str) -> None:
    terms = AgreementTerms(shares={P.POOL: D(50), P.BANK: D(50)}, remainder_to=P.POOL)
    split = split_loss(
        terms,
        loss_fen=to_fen(loss),
        principal_fen=to_fen(loss),
        collateral=Collateral(to_fen(ip), to_fen(other)),
        parties=EVERYONE,
    )
    assert (split.covered_fen, split.pool_fen) == (to_fen(covered), to_fen(pool))


@pytest.mark.parametrize(
    ("ip_value", "other_value", "percent"),
    [(1_000, 0, "100.00"), (0, 0, "0.00"), (0, 500, "0.00"), (600, 400, "60.00"), (2, 1, "66.67"), (1, 2, "33.33")],
)
def test_ip_share_for_display(ip_value: int, other_value: int, percent: str) -> None:
    """The percentage a loan shows, rounded half up; the arithmetic never uses it."""
    assert str(Collateral(ip_value, other_value).ip_share_percent()) == percent


HALF = {P.POOL: D(50), P.BANK: D(50)}


@pytest.mark.parametrize(
    ("excess", "paid", "outcome", "pool", "capped_by"),
    [
        (CapExcess.PARTIAL, PaidSoFar(agreement_year_fen=to_fen("600")), "paid", "400.00", "yearly_agreement_cap"),
        (CapExcess.PARTIAL, PaidSoFar(pool_year_fen=to_fen("900")), "paid", "100.00", "yearly_pool_cap"),
        (CapExcess.PARTIAL, PaidSoFar(agreement_year_fen=to_fen("400")), "paid", "600.00", None),  # just fits
        (CapExcess.PARTIAL, PaidSoFar(agreement_year_fen=to_fen("1000")), "refused", None, None),  # exhausted
        (CapExcess.REFUSE, PaidSoFar(agreement_year_fen=to_fen("600")), "refused", None, None),
        (CapExcess.REFUSE, PaidSoFar(pool_year_fen=to_fen("401")), "refused", None, None),
        (CapExcess.REFUSE, PaidSoFar(pool_year_fen=to_fen("400")), "paid", "600.00", None),
    ],
)
def test_yearly_caps(excess: CapExcess, paid: PaidSoFar, outcome: str, pool: str | None, capped_by: str | None) -> None:
    """A 1,000.00 cap per agreement and per pool; the claim's pool share is 600.00."""
    terms = AgreementTerms(
        shares=HALF,
        yearly_agreement_cap_fen=to_fen("1000"),
        yearly_pool_cap_fen=to_fen("1000"),
        yearly_cap_excess=excess,
    )
    decision = decide_claim(
        terms,
        loss_fen=to_fen("1200"),
        principal_fen=to_fen("1200"),
        collateral=ALL_IP,
        parties=EVERYONE,
        paid=paid,
        pool_balance_fen=10**12,
        stopped=False,
    )
    if outcome == "refused":
        assert decision.split is None and decision.refusal and "cap" in decision.refusal
        return
    assert decision.split is not None
    assert (yuan(dict(decision.split.parts))["pool"], decision.split.capped_by) == (pool, capped_by)
    assert sum(decision.split.parts.values()) == to_fen("1200")


# --- properties ----------------------------------------------------------------------------------


@st.composite
def agreement_terms(draw: st.DrawFn) -> AgreementTerms:
    parties = draw(st.lists(st.sampled_from([P.BANK, P.GUARANTOR, P.INSURER, P.VALUER]), unique=True, min_size=1))
    cuts = sorted(draw(st.lists(st.integers(0, 10000), min_size=len(parties), max_size=len(parties))))
    bounds = [0, *cuts, 10000]
    shares = {P.POOL: D(bounds[1] - bounds[0]) / 100}
    for i, party in enumerate(parties):
        shares[party] = D(bounds[i + 2] - bounds[i + 1]) / 100
    receivers = [AbsentShareTo.PRO_RATA, AbsentShareTo.BANK, AbsentShareTo.POOL] + [
        AbsentShareTo(p.value) for p in shares
    ]
    return AgreementTerms(
        shares=shares,
        remainder_to=draw(st.sampled_from(sorted(shares))),
        absent_share_to=draw(st.sampled_from(receivers)),
        per_loan_cap_fen=draw(st.none() | st.integers(0, 10**9)),
        per_enterprise_cap_fen=draw(st.none() | st.integers(0, 10**9)),
        yearly_agreement_cap_fen=draw(st.none() | st.integers(0, 10**10)),
        yearly_pool_cap_fen=draw(st.none() | st.integers(0, 10**10)),
    )


@settings(max_examples=300, deadline=None)
@given(
    terms=agreement_terms(),
    principal=st.integers(1, 10**10),
    loss_pct=st.integers(0, 100),
    ip=st.integers(0, 10**10),
    other=st.integers(0, 10**10),
    parties=st.sets(st.sampled_from([P.GUARANTOR, P.INSURER, P.VALUER])),
    paid=st.builds(PaidSoFar, st.integers(0, 10**9), st.integers(0, 10**10), st.integers(0, 10**10)),
)
def test_split_sums_exactly_absent_parties_get_nothing_and_caps_hold(
    terms: AgreementTerms, principal: int, loss_pct: int, ip: int, other: int, parties: set[P], paid: PaidSoFar
) -> None:
    validate_terms(terms)
    loss = principal * loss_pct // 100
    present = parties | {P.POOL, P.BANK}
    split = split_loss(
        terms, loss_fen=loss, principal_fen=principal, collateral=Collateral(ip, other), parties=present, paid=paid
    )
    assert sum(split.parts.values()) == loss
    assert all(v >= 0 for v in split.parts.values())
    assert all(split.parts.get(p, 0) == 0 for p in set(P) - present)
    total = ip + other
    assert split.covered_fen == (loss * ip // total if total else 0)  # exact, floored once
    pool = split.parts[P.POOL]
    for cap, used in (
        (terms.per_loan_cap_fen, 0),
        (terms.per_enterprise_cap_fen, paid.enterprise_fen),
        (terms.yearly_agreement_cap_fen, paid.agreement_year_fen),
        (terms.yearly_pool_cap_fen, paid.pool_year_fen),
    ):
        if cap is not None:
            assert pool <= max(cap - used, 0)
    if set(terms.shares) <= present:
        # everyone is there: the pool gets at most its floored share and the odd fen of the others
        floor_share = int(split.covered_fen * terms.shares[P.POOL] / 100)
        slack = len(terms.shares) - 1 if terms.remainder_to is P.POOL else 0
        assert pool <= floor_share + slack
        for party, pct in terms.shares.items():
            if party not in (P.POOL, P.BANK, terms.remainder_to):
                assert split.parts[party] == int(split.covered_fen * pct / 100)


@settings(max_examples=200, deadline=None)
@given(principal=st.integers(1, 6 * 10**9))
def test_bands_hold(principal: int) -> None:
    split = (
        split_loss(GUANGZHOU, loss_fen=principal, principal_fen=principal, collateral=ALL_IP, parties=EVERYONE)
        if principal <= to_fen("30000000")
        else None
    )
    if split is None:
        with pytest.raises(RuleViolation):
            split_loss(GUANGZHOU, loss_fen=principal, principal_fen=principal, collateral=ALL_IP, parties=EVERYONE)
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
