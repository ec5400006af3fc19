# ruff: noqa: RUF002  (full-width forms and Chinese punctuation are the data)
"""How a legal status written by a patent export becomes the landscape's status: valid, pending,
invalid or unknown. The vocabulary (CNIPA, incoPat, Himmpat, PatSnap, Lens, in Chinese and
English) is data, `legal_status.toml` beside this module; this module only applies it.

Guarantees:
- Letter case and character width never matter (NFKC, then case-folded: `ＡＣＴＩＶＥ` is `active`).
- The file's separators (`;`, `；`, `-`, `/`, `|`, `,`, `_`, spaces, brackets, ...) split a value into
  parts; a run of Chinese without separators is split into listed phrases too (`失效未缴年费`). Each
  part must be a listed phrase, a qualifier (专利, patent, 质押, ...) or a number such as a date;
  the split with the fewest pieces is taken, so `部分无效` stays one phrase.
- When parts disagree the file's precedence decides (invalid over valid over pending: the latest
  step of a history wins, `公开;实质审查;授权` is valid).
- A value with any part outside the vocabulary, or with qualifiers only, is unmapped (`None`):
  never guessed. Blank values are unmapped too; the landscape counts them apart.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

VOCABULARY_FILE = Path(__file__).with_name("legal_status.toml")
STATUSES = ("valid", "pending", "invalid", "unknown")
QUALIFIER = ""  # a phrase that carries no status
MAX_PHRASE_PARTS = 6
MAX_VALUE_LENGTH = 200  # longer values are not a status (a misplaced column): unmapped at once
_NUMBER = re.compile(r"[\d.]+")

Lookup = Callable[[str], tuple[str, ...] | None]


def fold(text: str) -> str:
    """Width-folded (NFKC) and case-folded, trimmed."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


@dataclass(frozen=True)
class Vocabulary:
    """The phrases of every source by normalised spelling, and how disagreeing parts combine."""

    phrases: Mapping[str, str]  # normalised phrase -> status, or QUALIFIER
    precedence: tuple[str, ...]
    separators: re.Pattern[str]

    @property
    def longest_phrase(self) -> int:
        """Characters in the longest phrase (no piece of a run is longer)."""
        return max(map(len, self.phrases), default=1)

    @classmethod
    def from_toml(cls, data: Mapping[str, Any]) -> Vocabulary:
        """The vocabulary of a parsed TOML table; ValueError for a word under two statuses or an
        unknown status."""
        precedence = tuple(data["precedence"])
        if sorted(precedence) != sorted(STATUSES):
            raise ValueError(f"precedence must order exactly {STATUSES}")
        separators = re.compile("[" + re.escape(data["separators"]) + "]+")
        phrases: dict[str, str] = {}

        def add(word: str, status: str, where: str) -> None:
            key = " ".join(p for p in separators.split(fold(word)) if p)
            if phrases.get(key, status) != status:
                raise ValueError(f"{word!r} ({where}) is listed as {phrases[key] or 'a qualifier'} and {status}")
            phrases[key] = status

        for word in data["qualifiers"]:
            add(word, QUALIFIER, "qualifiers")
        for source, table in data["vocabulary"].items():
            for status, words in table.items():
                if status not in STATUSES:
                    raise ValueError(f"unknown status {status!r} in vocabulary.{source}")
                for word in words:
                    add(word, status, f"vocabulary.{source}")
        return cls(phrases=phrases, precedence=precedence, separators=separators)

    def lookup(self, phrase: str) -> tuple[str, ...] | None:
        """The statuses one phrase carries: (status,), () for a qualifier or number, None if unlisted."""
        found = self.phrases.get(phrase)
        if found is None:
            return () if _NUMBER.fullmatch(phrase) else None
        return (found,) if found else ()

    def statuses(self, raw: str) -> tuple[str, ...] | None:
        """The statuses a value's parts carry, or None when some part is not in the vocabulary."""
        parts = [p for p in self.separators.split(fold(raw)) if p]
        if not parts:
            return None

        def phrase_or_run(phrase: str) -> tuple[str, ...] | None:
            found = self.lookup(phrase)
            if found is None and " " not in phrase:  # a run without separators: split into phrases
                found = _cover(list(phrase), "", self.lookup, self.longest_phrase)
            return found

        return _cover(parts, " ", phrase_or_run, MAX_PHRASE_PARTS)

    def classify(self, raw: str | None) -> str | None:
        """valid | pending | invalid | unknown, or None when the value cannot be placed."""
        found = self.statuses(raw) if raw and len(raw) <= MAX_VALUE_LENGTH else None
        if not found:
            return None
        return min(found, key=self.precedence.index)


def _cover(units: Sequence[str], joiner: str, lookup: Lookup, longest: int) -> tuple[str, ...] | None:
    """The statuses of the split of `units` into listed phrases (each at most `longest` units)
    with the fewest pieces, or None when no split covers them all."""
    best: list[tuple[int, tuple[str, ...]] | None] = [None] * (len(units) + 1)
    best[0] = (0, ())
    for end in range(1, len(units) + 1):
        for start in range(max(0, end - longest), end):
            before = best[start]
            if before is None:
                continue
            found = lookup(joiner.join(units[start:end]))
            if found is None:
                continue
            candidate = (before[0] + 1, before[1] + found)
            current = best[end]
            if current is None or candidate[0] < current[0]:
                best[end] = candidate
    result = best[-1]
    return None if result is None else result[1]


def load(path: Path = VOCABULARY_FILE) -> Vocabulary:
    """The vocabulary in `path`."""
    return Vocabulary.from_toml(tomllib.loads(path.read_text(encoding="utf-8")))


VOCABULARY = load()


@lru_cache(maxsize=65_536)
def classify(raw: str | None) -> str | None:
    """The landscape status of an export's legal-status value, by the packaged vocabulary; None
    when it cannot be placed (the landscape shows it as `unknown` and lists it as unmapped)."""
    return VOCABULARY.classify(raw)
