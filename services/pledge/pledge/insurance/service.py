"""The insurance use cases: record a policy, cancel it, list policies; recording and cancelling
keep the indicator ledger's `insurance_amount` in step in the same transaction. Never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_date, utc_now
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.money import to_fen
from pledge.domain.indicators import business_date
from pledge.insurance import repository
from pledge.insurance.schemas import InsurancePolicyCreate, PolicyCancellation
from pledge.models import InsurancePolicy
from pledge.rights import repository as rights_repository
from pledge.statistics import service as statistics_service


async def create_policy(session: AsyncSession, data: InsurancePolicyCreate) -> InsurancePolicy:
    """Record an IP insurance policy."""
    if data.end_date < data.start_date:
        raise RuleViolation("the policy ends before it starts", field="body.end_date")
    if data.subsidy > data.premium:
        raise RuleViolation("the subsidy exceeds the premium", field="body.subsidy")
    if await rights_repository.get_enterprise(session, data.enterprise_credit_code) is None:
        raise RuleViolation("no such enterprise", field="body.enterprise_credit_code")
    policy = InsurancePolicy(
        policy_number=data.policy_number,
        insurer=data.insurer,
        product_type=data.product_type,
        enterprise_credit_code=data.enterprise_credit_code,
        insured_rights=data.insured_rights,
        sum_insured_fen=to_fen(data.sum_insured),
        premium_fen=to_fen(data.premium),
        subsidy_fen=to_fen(data.subsidy),
        start_date=data.start_date,
        end_date=data.end_date,
        created_at=utc_now(),
    )
    session.add(policy)
    await flush_or_conflict(session, "this insurer's policy number is already recorded")
    await statistics_service.count_policy(session, policy, "policy recorded")
    return policy


async def cancel_policy(session: AsyncSession, policy_id: str, data: PolicyCancellation) -> InsurancePolicy:
    """Cancel (void) a policy: its sum insured no longer counts. Cancelling twice is a 409."""
    policy = await repository.get_policy(session, policy_id, for_update=True)
    if policy is None:
        raise NotFound(f"no insurance policy {policy_id}")
    if policy.cancelled_at is not None:
        raise Conflict(f"the policy was cancelled on {policy.cancelled_date}")
    at = utc_now()
    policy.cancelled_date = business_date(data.cancelled_date, district_date(at), field="body.cancelled_date")
    policy.cancelled_at, policy.cancellation_reason = at, data.reason
    await session.flush()
    await statistics_service.count_policy(session, policy, "policy cancelled")
    return policy


async def list_policies(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[InsurancePolicy], int]:
    """A page of the policies `principal` may see (a bank: those on its loans' rights), newest
    first, and the total."""
    return await repository.list_policies(session, principal, limit=limit, offset=offset)
