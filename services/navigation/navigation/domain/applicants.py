"""Which spellings of an applicant count as one applicant in rankings and concentration figures,
beyond what the name key already merges (width, case, punctuation, legal forms:
`domain.patent_data`).

Guarantees:
- A merge comes only from a list someone keeps, never from similarity: the district's register
  (each enterprise's registered name and its aliases) and the operator's alias table (a canonical
  name and its variants). Spellings are compared by their name keys.
- When both lists claim a spelling, the operator's table wins (it is the explicit correction), then
  the smaller canonical key. A canonical that is itself claimed by a group is resolved once more,
  so an operator group pointing at a registered alias lands on the registered name.
- A group's canonical spelling is the name shown for it (the register's registered name).
- Within the operator's table a spelling belongs to one group, and a canonical is nobody's variant:
  a write that would break this is refused naming the other group (no chains, no cycles).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ipops.errors import Conflict, RuleViolation

REGISTER = "register"  # the district's enterprises: registered name and aliases
ALIAS_TABLE = "alias_table"  # the operator's alias table
SOURCE_RANK = {ALIAS_TABLE: 0, REGISTER: 1}  # lower wins a spelling both claim
MAX_VARIANTS = 50


@dataclass(frozen=True)
class AliasGroup:
    """Spellings of one applicant: the canonical name shown, and the variants merged into it."""

    canonical: str
    variants: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class KeyedGroup:
    """An operator group with the name key of its canonical and of each distinct variant (a variant
    whose key is the canonical's needs no merging and is dropped)."""

    canonical_key: str
    variant_keys: tuple[str, ...]


def keyed_group(canonical: str, variants: Sequence[str], keys: Sequence[str | None]) -> KeyedGroup:
    """The group of `canonical` and `variants` given their name keys (`keys[0]` is the canonical's),
    or a 422 naming a name without a letter or digit."""
    if keys[0] is None:
        raise RuleViolation(f"{canonical!r} has no letter or digit to compare", field="path.canonical")
    own: list[str] = []
    for i, (variant, key) in enumerate(zip(variants, keys[1:], strict=True)):
        if key is None:
            raise RuleViolation(f"{variant!r} has no letter or digit to compare", field=f"body.variants.{i}")
        if key != keys[0] and key not in own:
            own.append(key)
    return KeyedGroup(keys[0], tuple(own))


def check_group(group: KeyedGroup, owner_of: Mapping[str, str], canonicals: Mapping[str, str]) -> None:
    """A 409 when the group would overlap another group of the operator's table: a variant already
    another group's (`owner_of`: variant key -> canonical key), a variant that is another group's
    canonical, or a canonical that is another group's variant (`canonicals`: key -> name)."""
    here = group.canonical_key
    other = owner_of.get(here)
    if other is not None and other != here:
        name = canonicals.get(other, other)
        raise Conflict(f"this name is a variant of {name!r}; change that group first", group=name)
    for key in group.variant_keys:
        owner = owner_of.get(key)
        if owner is not None and owner != here:
            name = canonicals.get(owner, owner)
            raise Conflict(f"a variant already belongs to {name!r}", group=name)
        if key in canonicals and key != here:
            raise Conflict(f"a variant is the canonical name of the group {canonicals[key]!r}", group=canonicals[key])
