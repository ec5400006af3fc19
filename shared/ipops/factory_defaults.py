"""Table models' `default_factory` defaults without `inspect.signature` on every instantiation.

A table model (SQLModel, `table=True`) is built without validation, so SQLModel fills each field
left out by calling `FieldInfo.get_default(call_default_factory=True)`. pydantic (2.14) decides
there whether the factory takes the validated data by taking the factory's `inspect.signature`,
every time: nothing is cached for that path (ordinary models bake the answer into their
validator once). A consumer applying a backlog spent 15 % of its CPU there, one `Signature` per
row built (`benchmarks/profile.md`, "Event path"), and every service builds rows the same way.

The answer depends only on the factory, so it is computed once per factory. `install()` wraps
pydantic's helper with that memo; it is idempotent and called when `ipops.db` is imported, before
any row is built. A factory that cannot be a dictionary key (an unhashable callable object) is
asked every time, as before. Remove this when pydantic caches it on `FieldInfo` itself
(pydantic/pydantic#13376 fixed the same for private attributes only).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from pydantic._internal import _fields

_MEMO_SIZE = 4096  # distinct factories; a process has a few hundred at most


def install() -> None:
    """Make pydantic's "does this factory take the validated data?" check a memo per factory."""
    original = _fields.takes_validated_data_argument
    if getattr(original, "__ipops_memo__", False):
        return
    remembered = functools.lru_cache(maxsize=_MEMO_SIZE)(original)

    def takes_validated_data_argument(default_factory: Callable[..., Any]) -> bool:
        try:
            return bool(remembered(default_factory))
        except TypeError:  # unhashable callable: no memo
            return bool(original(default_factory))

    takes_validated_data_argument.__ipops_memo__ = True  # type: ignore[attr-defined]
    takes_validated_data_argument.__wrapped__ = original  # type: ignore[attr-defined]
    _fields.takes_validated_data_argument = takes_validated_data_argument  # type: ignore[assignment]
