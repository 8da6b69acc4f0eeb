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
    # An organisation that speaks in the article ("the Kremlin said"; speakers/organisations.py), not a person:
    # no titles or affiliations, and matched by organisation_matches (lang/en/organisations.py).
    organisation: bool = False


@dataclass(frozen=True)
class ArticleSpeakers:
    """Per-sentence results for one article (index i is spans[i])."""

    speakers: tuple[str | None, ...]
    mentions: tuple[frozenset[str], ...]
    cues: tuple[str | None, ...]  # which cue attributed the speaker (see module docstring)
    people: Mapping[str, Person]  # canonical name -> Person


def merge_people(*groups: Mapping[str, Person]) -> dict[str, Person]:
    """Merge the ``people`` maps of several articles (same canonical name: titles/variants united). A name that
    is a person in one article and an organisation in another is a person: name matching then treats it so."""
    out: dict[str, Person] = {}
    for g in groups:
        for key, p in g.items():
            old = out.get(key)
            if old is None:
                out[key] = p
            else:
                out[key] = Person(
                    key, old.variants | p.variants, old.titles | p.titles, old.affiliations | p.affiliations,
                    old.organisation and p.organisation,
                )
    return out
