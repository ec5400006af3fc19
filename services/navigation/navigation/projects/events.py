"""What a project's moves announce: the event payloads (`ipops.contracts.navigation`) built from
a project row, one builder per announcement of the domain's move table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ipops.contracts.navigation import PhaseCompletedV1, ProjectAcceptedV1, ProjectApprovedV1, ProjectCreatedV1
from ipops.events import EventPayload
from ipops.money import format_yuan
from navigation.domain import project as rules
from navigation.domain.project import Announcement
from navigation.enums import ProjectStatus
from navigation.models import Project


def created(project: Project, now: datetime) -> ProjectCreatedV1:
    """A proposal, as announced."""
    return ProjectCreatedV1(
        project_id=project.id,
        kind=project.kind,
        gbt_part=project.gbt_part,
        title=project.title,
        industry=project.industry,
        undertaking_org=project.undertaking_org_id,
        undertaking_org_name=project.undertaking_org_name,
        beneficiary_credit_code=project.beneficiary_credit_code,
        budget=format_yuan(project.budget_fen),
        created_at=now,
    )


def _approved(project: Project, change: rules.StateChange, now: datetime) -> EventPayload:
    return ProjectApprovedV1(
        project_id=project.id,
        kind=project.kind,
        undertaking_org=project.undertaking_org_id,
        beneficiary_credit_code=project.beneficiary_credit_code,
        approved_at=now,
    )


def _phase_completed(project: Project, change: rules.StateChange, now: datetime) -> EventPayload:
    assert change.completed_phase is not None
    return PhaseCompletedV1(
        project_id=project.id,
        kind=project.kind,
        undertaking_org=project.undertaking_org_id,
        completed_phase=change.completed_phase.value,
        next_phase=None if change.to_status is ProjectStatus.ACCEPTED else project.phase,
        completed_at=now,
    )


def _accepted(project: Project, change: rules.StateChange, now: datetime) -> EventPayload:
    return ProjectAcceptedV1(
        project_id=project.id,
        kind=project.kind,
        title=project.title,
        industry=project.industry,
        undertaking_org=project.undertaking_org_id,
        beneficiary_credit_code=project.beneficiary_credit_code,
        accepted_at=now,
        gbt_part=project.gbt_part,
        undertaking_org_name=project.undertaking_org_name,
        beneficiary_name=project.beneficiary_name,
        summary=project.summary,
        accepted_on=project.accepted_on,
    )


# The event each announcement of the domain's move table is published as.
ANNOUNCERS: dict[Announcement, Callable[[Project, rules.StateChange, datetime], EventPayload]] = {
    Announcement.APPROVED: _approved,
    Announcement.PHASE_COMPLETED: _phase_completed,
    Announcement.ACCEPTED: _accepted,
}
