"""Use cases of district enterprises and of the operator's applicant alias table: the district
office keeps both; every landscape computed afterwards reads the register's names and aliases
(the district's own applicants, and merges) and the table's groups (merges). Nothing here commits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.db import flush_or_conflict
from ipops.errors import NotFound
from navigation.common import actor
from navigation.datasets.landscape_sql import name_keys
from navigation.domain import applicants
from navigation.domain.applicants import ALIAS_TABLE, REGISTER, AliasGroup
from navigation.enterprises import repository
from navigation.enterprises.schemas import ApplicantAliasPut, DistrictEnterpriseUpsert
from navigation.models import ApplicantAlias, ApplicantAliasVariant, DistrictEnterprise


async def upsert_district_enterprise(
    session: AsyncSession, credit_code: str, body: DistrictEnterpriseUpsert
) -> DistrictEnterprise:
    """Add or change a district enterprise (its names mark "the district's own" applicants)."""
    row = await repository.district_enterprise(session, credit_code)
    now = utc_now()
    if row is None:
        row = DistrictEnterprise(credit_code=credit_code, name=body.name, aliases=body.aliases, updated_at=now)
        session.add(row)
    else:
        row.name, row.aliases, row.updated_at = body.name, list(body.aliases), now
    await session.flush()
    return row


async def list_district_enterprises(session: AsyncSession) -> Sequence[DistrictEnterprise]:
    """The district's enterprises by name."""
    return await repository.district_enterprises(session)


async def district_names(session: AsyncSession) -> list[str]:
    """Every name and alias the district's enterprises file under."""
    return await repository.district_names(session)


async def landscape_aliases(session: AsyncSession) -> list[AliasGroup]:
    """The alias groups a landscape merges by: each district enterprise's registered name with its
    aliases, and each group of the operator's table."""
    register = [AliasGroup(e.name, tuple(e.aliases), REGISTER) for e in await repository.district_enterprises(session)]
    table = [AliasGroup(g.canonical, tuple(g.variants), ALIAS_TABLE) for g in await repository.alias_groups(session)]
    return register + table


async def _key_of(canonical: str) -> str:
    key = (await asyncio.to_thread(name_keys, [canonical]))[0]
    if key is None:
        raise NotFound(f"no alias group {canonical!r}")
    return key


async def put_alias_group(
    session: AsyncSession, principal: Principal, canonical: str, body: ApplicantAliasPut
) -> ApplicantAlias:
    """Set the variants of `canonical` (replacing its group's previous ones); 409 when the group
    would overlap another group of the table, 422 for a name without a letter or digit."""
    canonical = canonical.strip()
    variants = [v.strip() for v in body.variants]
    group = applicants.keyed_group(canonical, variants, await asyncio.to_thread(name_keys, [canonical, *variants]))
    variants = list(dict.fromkeys(variants))
    await repository.lock_alias_table(session)
    canonicals = {g.canonical_key: g.canonical for g in await repository.alias_groups(session)}
    applicants.check_group(group, await repository.alias_owners(session), canonicals)
    row = await repository.alias_group(session, group.canonical_key)
    now = utc_now()
    if row is None:
        row = ApplicantAlias(canonical_key=group.canonical_key, canonical=canonical, updated_by="", updated_at=now)
        session.add(row)
    row.canonical, row.variants, row.updated_by, row.updated_at = canonical, variants, actor(principal), now
    await repository.delete_alias_variants(session, group.canonical_key)
    session.add_all(ApplicantAliasVariant(variant_key=k, canonical_key=group.canonical_key) for k in group.variant_keys)
    await flush_or_conflict(session, "another group took one of these variants at the same time; retry")
    return row


async def get_alias_group(session: AsyncSession, canonical: str) -> ApplicantAlias:
    """The group of `canonical` (any spelling with its name key), or 404."""
    row = await repository.alias_group(session, await _key_of(canonical))
    if row is None:
        raise NotFound(f"no alias group {canonical!r}")
    return row


async def delete_alias_group(session: AsyncSession, canonical: str) -> ApplicantAlias:
    """Remove the group of `canonical` (its spellings stay apart from then on), or 404."""
    await repository.lock_alias_table(session)
    row = await get_alias_group(session, canonical)
    await repository.delete_alias_variants(session, row.canonical_key)
    await session.delete(row)
    await session.flush()
    return row


async def list_alias_groups(session: AsyncSession) -> Sequence[ApplicantAlias]:
    """The operator's alias groups by canonical name."""
    return await repository.alias_groups(session)
