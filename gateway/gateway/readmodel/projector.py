"""How each event the gateway consumes changes the public read model.

The plan's figures are the services' indicator contributions, kept as announced
(`ipops.indicators.ledger.apply_recorded`: the latest revision of each wins), and the owners that
announced themselves as sources. The gateway never decides what counts: every rule lives in the
owning service's `domain/indicators.py`. Besides the figures it keeps what the public pages show
that is not a figure: accepted navigation projects, cases by type and channel (no parties), and
the milestones of goals 七-九.

Every handler runs behind the inbox (the ConsumerRunner claims the event id first), and each one
writes by the producer's id (upsert, or latest revision), so replaying a topic from the
beginning gives the same rows.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import RmCase, RmIndicatorSource, RmMilestone, RmProject
from ipops.contracts import enforcement, indicators, navigation, operations
from ipops.events import CloudEvent
from ipops.events.consumer import Handler
from ipops.indicators.ledger import apply_recorded


async def on_contribution_recorded(
    session: AsyncSession, event: CloudEvent, p: indicators.ContributionRecordedV1
) -> None:
    """A service's contribution to one indicator (an older or repeated revision changes nothing)."""
    await apply_recorded(session, p)


async def on_source_announced(session: AsyncSession, event: CloudEvent, p: indicators.SourceAnnouncedV1) -> None:
    """An owner says it is the source of these indicators: from now on they have figures (zero
    until something counts) instead of "no data yet". The latest announcement wins."""
    row = await session.get(RmIndicatorSource, p.owner, with_for_update=True)
    if row is None:
        session.add(RmIndicatorSource(owner=p.owner[:32], indicators=list(p.indicators), announced_at=p.announced_at))
    elif p.announced_at >= row.announced_at:
        row.indicators, row.announced_at = list(p.indicators), p.announced_at


async def on_milestone_recorded(session: AsyncSession, event: CloudEvent, p: operations.MilestoneRecordedV1) -> None:
    """A milestone of goals 七-九 (recorded again: the later record wins)."""
    row = await session.get(RmMilestone, p.milestone_id, with_for_update=True)
    if row is not None and row.recorded_at > p.recorded_at:
        return
    if row is None:
        row = RmMilestone(
            milestone_id=p.milestone_id, goal=p.goal, title_zh="", title_en="", achieved_on=p.achieved_on,
            evidence="", recorded_at=p.recorded_at,
        )  # fmt: skip
        session.add(row)
    # Cut to the columns' sizes: a long text must not turn an event into a dead letter.
    row.goal, row.title_zh, row.title_en = p.goal, p.title_zh[:300], p.title_en[:300]
    row.achieved_on, row.evidence, row.recorded_at = p.achieved_on, p.evidence[:2000], p.recorded_at


async def on_project_accepted(session: AsyncSession, event: CloudEvent, p: navigation.ProjectAcceptedV1) -> None:
    """An accepted navigation project joins the public list (the counts are navigation's
    contributions)."""
    row = await session.get(RmProject, p.project_id)
    if row is None:
        row = RmProject(
            project_id=p.project_id, kind=p.kind, title="", industry="", undertaking_org="", accepted_at=p.accepted_at
        )
        session.add(row)
    row.kind, row.title, row.industry = p.kind[:40], p.title[:300], p.industry[:200]
    row.undertaking_org, row.accepted_at = p.undertaking_org[:200], p.accepted_at
    row.undertaking_org_name = p.undertaking_org_name[:200] if p.undertaking_org_name else None
    row.summary = p.summary[:2000] if p.summary else None


async def on_case_opened(session: AsyncSession, event: CloudEvent, p: enforcement.CaseOpenedV1) -> None:
    """A case by type, channel and year for the anonymised table; its parties are not kept."""
    row = await session.get(RmCase, p.case_id)
    if row is None:
        session.add(RmCase(case_id=p.case_id, case_type=p.case_type, channel=p.channel, opened_at=p.opened_at))
    else:
        row.case_type, row.channel, row.opened_at = p.case_type, p.channel, p.opened_at


async def on_case_closed(session: AsyncSession, event: CloudEvent, p: enforcement.CaseClosedV1) -> None:
    """When a case closed, and whether within its deadline (the table's "closed in time" share)."""
    row = await session.get(RmCase, p.case_id)
    if row is None:
        # Closing seen without the opening (retention): the case still closed.
        row = RmCase(case_id=p.case_id, case_type=p.case_type, channel=p.channel, opened_at=p.closed_at)
        session.add(row)
    row.closed_at, row.closed_within_deadline = p.closed_at, p.within_deadline


HANDLERS: dict[str, Handler] = {
    indicators.ContributionRecordedV1.event_type: on_contribution_recorded,
    indicators.SourceAnnouncedV1.event_type: on_source_announced,
    operations.MilestoneRecordedV1.event_type: on_milestone_recorded,
    navigation.ProjectAcceptedV1.event_type: on_project_accepted,
    enforcement.CaseOpenedV1.event_type: on_case_opened,
    enforcement.CaseClosedV1.event_type: on_case_closed,
}


# Raise when a handler's meaning changes; new event types change the signature by themselves.
# 2: the figures are the services' contributions (issue #12); loans, enterprises and facts gone.
PROJECTION_VERSION = 2
SIGNATURE = hashlib.sha256(f"{PROJECTION_VERSION}:{','.join(sorted(HANDLERS))}".encode()).hexdigest()[:32]
