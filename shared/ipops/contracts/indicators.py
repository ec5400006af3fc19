"""Events of the indicator system: every service announces its contributions to the plan's figures.

One topic for all producers, keyed by `<indicator>:<subject>`, so the versions of one contribution
stay in order on one partition. The gateway keeps the latest revision of each contribution and adds
them up with the same arithmetic the owning service uses (`ipops.indicators.figures`); it never
decides what counts - the owning service's `domain/indicators.py` does.
"""

from __future__ import annotations

from datetime import date, datetime

from ipops.events.registry import EventPayload, declare_topic, event_type

INDICATOR_TOPIC = declare_topic("ipops.indicator.contribution", partitions=3)


@event_type("ipops.indicator.contribution.recorded.v1", topic=INDICATOR_TOPIC)
class ContributionRecordedV1(EventPayload):
    """The current state of one record's contribution to one indicator of the plan.

    `quantity` is in the indicator's base unit (fen for money, 1 per counted thing, tenths of a
    point for scores); 0 means the record no longer counts at all (withdrawn, cancelled, corrected
    away). `start_on` is the Beijing date from which it counts (its year is the year it counts in);
    `end_on`, for stock indicators, the Beijing date from which it no longer counts. A later
    `revision` of the same (indicator, subject) replaces an earlier one."""

    indicator: str
    subject: str
    owner: str
    quantity: int
    start_on: date
    end_on: date | None = None
    revision: int
    reason: str
    recorded_at: datetime


@event_type("ipops.indicator.source.announced.v1", topic=INDICATOR_TOPIC)
class SourceAnnouncedV1(EventPayload):
    """A service says it is the source of these indicators (sent at every start): until an
    indicator's source has announced itself, the public view says "no data yet"."""

    owner: str
    indicators: list[str]
    announced_at: datetime
