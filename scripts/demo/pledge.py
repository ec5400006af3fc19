"""Pledge financing: the district's risk-compensation pool on the published terms, the banks'
loans through their whole lifecycle, and IP insurance policies.

The pool shares a principal loss 54 : 26 : 16 : 4 between the pool, the bank, the insurer and the
valuer (the Zhongshan ratio of DOMAIN-RULES.md), requires an IP share of at least 50 % of the
collateral and caps the pool's part at 5,000,000.00 yuan a loan. No stop line: with a handful of
loans a bank a year, one default passes any realistic ratio (3 %), and the demo shows claims paid.
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from scripts.demo import names
from scripts.demo.client import Api
from scripts.demo.context import Context, each
from scripts.demo.world import Loan, Policy

P = "/api/v1/pledge"
POOL = "dongli-ip-pool"
TERMS = {
    "shares": {"pool": "54", "bank": "26", "insurer": "16", "valuer": "4"},
    "min_ip_share": "50",
    "per_loan_cap": "5000000.00",
}
FUNDING = (("district", "30000000.00"), ("municipal", "20000000.00"), ("central", "10000000.00"))
# the business date of a counted fact: the disbursement (the pledge indicators count from it)
DISBURSED = ("disbursed_date", "disbursed_on", "disbursement_date", "occurred_on", "effective_date")


def steps(ctx: Context) -> int:
    """How many objects this part makes (the progress bar's length)."""
    return len(ctx.world.banks) + len(ctx.world.loans) + len(ctx.world.policies)


async def run(ctx: Context) -> None:
    """The loans and policies (`pool` has run before: the banks and their agreements)."""
    await each(ctx.world.loans, lambda loan: _loan(ctx, loan))
    await each(ctx.world.policies, lambda policy: _policy(ctx, policy))


async def pool(ctx: Context) -> None:
    """The banks, the pool, its funding and one agreement per bank (operator)."""
    op = ctx.operator
    for bank_id, name in ctx.world.banks:
        await op.write("POST", f"{P}/banks", f"bank:{bank_id}", {"id": bank_id, "name": name}, exists=(409,))
    await op.write(
        "POST",
        f"{P}/pools",
        f"pool:{POOL}",
        {"id": POOL, "name": "东丽区知识产权质押融资风险补偿资金池"},
        exists=(409,),
    )
    for source, amount in FUNDING:
        await op.write(
            "POST", f"{P}/pools/{POOL}/contributions", f"funding:{source}", {"source": source, "amount": amount}
        )
    for bank_id, _ in ctx.world.banks:
        body = {"pool_id": POOL, "bank_id": bank_id, "effective_from": "2018-01-01T00:00:00+08:00", "terms": TERMS}
        await op.write("POST", f"{P}/pool-agreements", f"agreement:{bank_id}", body, exists=(409,))
        ctx.advance("pledge", 1)


async def _move(ctx: Context, bank: Api, loan_id: str, label: str, move: str, on: date, **fields: Any) -> Any:
    body = {"move": move, **fields}
    if move == "disburse":
        body = ctx.schema.dated("POST", f"{P}/loans/{{loan_id}}/transitions", body, on, DISBURSED)
    return await bank.write("POST", f"{P}/loans/{loan_id}/transitions", f"{label}:{move}", body)


async def _collateral(ctx: Context, bank: Api, loan: Loan) -> list[str]:
    firm = loan.firm
    await bank.write(
        "POST",
        f"{P}/enterprises",
        f"enterprise:{firm.code}",
        {"credit_code": firm.code, "name": firm.name},
        exists=(409,),
    )
    ids: list[str] = []
    for right in loan.rights:
        body: dict[str, Any] = {
            "kind": right.kind,
            "number": right.number,
            "title": right.title,
            "owner_credit_code": firm.code,
        }
        if right.trademark_class is not None:
            body["trademark_class"] = right.trademark_class
        created = await bank.write("POST", f"{P}/rights", f"right:{right.number}", body)
        appraisal = {
            "value": str(right.value),
            "valuer": names.VALUERS[len(ids) % 2],
            "appraised_date": (loan.submitted_on - timedelta(days=7)).isoformat(),
        }
        await bank.write("POST", f"{P}/rights/{created['id']}/appraisals", f"appraisal:{right.number}", appraisal)
        ids.append(str(created["id"]))
    return ids


async def _loan(ctx: Context, loan: Loan) -> None:
    bank = ctx.banks[loan.bank]
    rights = await _collateral(ctx, bank, loan)
    body = {
        "enterprise_credit_code": loan.firm.code,
        "amount": str(loan.amount),
        "term_months": loan.term_months,
        "right_ids": rights,
        "other_collateral_value": "0",
        "insurer": names.INSURERS[0],
        "valuer": names.VALUERS[0],
    }
    created = await bank.write("POST", f"{P}/loans", f"loan:{loan.key}", body)
    loan_id, label = str(created["id"]), f"loan:{loan.key}"
    decided = loan.submitted_on + timedelta(days=7)
    if loan.fate == "rejected":
        await _move(ctx, bank, loan_id, label, "reject", decided, reason="押品价值评估不足")
    else:
        await _move(ctx, bank, loan_id, label, "approve", decided)
        if loan.fate == "withdrawn":
            await _move(ctx, bank, loan_id, label, "withdraw", decided + timedelta(days=5), reason="企业撤回申请")
        else:
            await _disburse(ctx, bank, loan_id, loan)
    ctx.advance("pledge", 1)


async def _disburse(ctx: Context, bank: Api, loan_id: str, loan: Loan) -> None:
    label = f"loan:{loan.key}"
    registered = loan.disbursed_on - timedelta(days=3)
    number = f"Y{registered.year}980{zlib.crc32(loan.key.encode()) % 1_000_000:06d}"
    await _move(
        ctx,
        bank,
        loan_id,
        label,
        "register",
        registered,
        registration_number=number,
        registered_date=registered.isoformat(),
    )
    await _move(ctx, bank, loan_id, label, "disburse", loan.disbursed_on)
    end = loan.disbursed_on + timedelta(days=365)
    if loan.fate == "repaid":
        interest = (loan.amount * Decimal("0.0435")).quantize(Decimal("0.01"))
        repayment = {"principal": str(loan.amount), "interest": str(interest), "paid_date": end.isoformat()}
        await bank.write(
            "POST", f"{P}/loans/{loan_id}/repayments", f"{label}:repayment", repayment
        )  # repaid in full: the loan closes
    elif loan.fate == "defaulted":
        await _default(ctx, bank, loan_id, loan)


async def _default(ctx: Context, bank: Api, loan_id: str, loan: Loan) -> None:
    """Overdue at maturity, defaulted 90 days on, a claim on the pool, then a recovery from the
    sale of the pledged patent (which flows back to the pool in proportion)."""
    label = f"loan:{loan.key}"
    due = loan.disbursed_on + timedelta(days=365)
    await _move(
        ctx,
        bank,
        loan_id,
        label,
        "mark_overdue",
        due,
        overdue_since=due.isoformat(),
        as_of=(due + timedelta(days=91)).isoformat(),
    )
    await _move(ctx, bank, loan_id, label, "default", due + timedelta(days=91))
    loss = (loan.amount * Decimal("0.8")).quantize(Decimal("0.01"))
    await bank.write("POST", f"{P}/loans/{loan_id}/claims", f"{label}:claim", {"loss": str(loss)})
    recovery = (loss * Decimal("0.25")).quantize(Decimal("0.01"))
    await bank.write("POST", f"{P}/loans/{loan_id}/recoveries", f"{label}:recovery", {"amount": str(recovery)})


async def _policy(ctx: Context, policy: Policy) -> None:
    body = {
        "policy_number": policy.number,
        "insurer": policy.insurer,
        "product_type": "patent_pledge_financing",
        "enterprise_credit_code": policy.firm.code,
        "insured_rights": [],
        "sum_insured": str(policy.sum_insured),
        "premium": str(policy.premium),
        "subsidy": str((policy.premium / 2).quantize(Decimal("0.01"))),
        "start_date": policy.start.isoformat(),
        "end_date": (policy.start + timedelta(days=364)).isoformat(),
    }
    await ctx.operator.write("POST", f"{P}/insurance-policies", f"policy:{policy.number}", body, exists=(409,))
    ctx.advance("pledge", 1)
