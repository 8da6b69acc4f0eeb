"""People as the speaker analysis finds them: the records kept per article and in the index, and how
the people maps of several articles merge. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# --------------------------------------------------------------------------------------------------------
# Public records
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A person an article names: the fullest name used, other forms, titles and affiliations learned."""

    name: str  # fullest form, e.g. "Vladimir Vladimirovich Putin"
    variants: frozenset[str]  # every form seen, e.g. {"Putin", "Vladimir Putin", ...}
    titles: frozenset[str]  # normalised, e.g. {"president"}, {"secretary general"}
    affiliations: frozenset[str]  # normalised, e.g. {"russia"}, {"nato"}


@dataclass(frozen=True)
class ArticleSpeakers:
    """Per-sentence results for one article (index i is spans[i])."""

    speakers: tuple[str | None, ...]
    mentions: tuple[frozenset[str], ...]
    cues: tuple[str | None, ...]  # which cue attributed the speaker (see module docstring)
    people: Mapping[str, Person]  # canonical name -> Person




def merge_people(*groups: Mapping[str, Person]) -> dict[str, Person]:
    """Merge the ``people`` maps of several articles (same canonical name: titles/variants united)."""
    out: dict[str, Person] = {}
    for g in groups:
        for key, p in g.items():
            old = out.get(key)
            if old is None:
                out[key] = p
            else:
                out[key] = Person(
                    key, old.variants | p.variants, old.titles | p.titles, old.affiliations | p.affiliations
                )
    return out
