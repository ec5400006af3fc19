"""Every query of district enterprises and of the operator's applicant alias table (short lists the
district office keeps; every landscape reads all of them)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.db import dialect_name
from navigation.models import ApplicantAlias, ApplicantAliasVariant, DistrictEnterprise


async def district_enterprises(session: AsyncSession) -> Sequence[DistrictEnterprise]:
    """The district's enterprises by name."""
    rows = await session.execute(select(DistrictEnterprise).order_by(col(DistrictEnterprise.name)))
    return rows.scalars().all()


async def district_enterprise(session: AsyncSession, credit_code: str) -> DistrictEnterprise | None:
    """One district enterprise, locked for its change."""
    return await session.get(DistrictEnterprise, credit_code, with_for_update=True)


async def district_names(session: AsyncSession) -> list[str]:
    """Every name and alias of the district's enterprises (the landscape's "own applicants")."""
    names: list[str] = []
    for enterprise in await district_enterprises(session):
        names.append(enterprise.name)
        names.extend(enterprise.aliases)
    return names


async def lock_alias_table(session: AsyncSession) -> None:
    """One change of the alias table at a time (its overlap check reads every group); PostgreSQL
    only, since SQLite has a single writer anyway. Held until the transaction ends."""
    if dialect_name(session) == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('navigation.applicant_alias'))"))


async def alias_groups(session: AsyncSession) -> Sequence[ApplicantAlias]:
    """The operator's alias groups by canonical name."""
    rows = await session.execute(select(ApplicantAlias).order_by(col(ApplicantAlias.canonical)))
    return rows.scalars().all()


async def alias_group(session: AsyncSession, canonical_key: str) -> ApplicantAlias | None:
    """One alias group by its canonical's name key."""
    return await session.get(ApplicantAlias, canonical_key)


async def alias_owners(session: AsyncSession) -> dict[str, str]:
    """Every variant key of the table and the canonical key of its group."""
    rows = await session.execute(
        select(col(ApplicantAliasVariant.variant_key), col(ApplicantAliasVariant.canonical_key))
    )
    return {variant: canonical for variant, canonical in rows.all()}


async def delete_alias_variants(session: AsyncSession, canonical_key: str) -> None:
    """Remove a group's variant keys in one statement (a group's variants are replaced whole)."""
    await session.execute(
        delete(ApplicantAliasVariant).where(col(ApplicantAliasVariant.canonical_key) == canonical_key)
    )
