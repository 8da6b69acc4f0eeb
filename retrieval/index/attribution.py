"""The speaker analysis as an index keeps it: made once per changed article by ``verbatim index``.

``attribute`` runs speakers.analyze_article on one article and returns what the store keeps: each
sentence's speaker and mentions (JSON) and the article's people (JSON). ``merge_people_json`` merges the
articles' people into the corpus's (the store's ``people`` table); the engine reads them back with
``people_from_json`` and ``mentions_from_json`` when a question asks for someone's words.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from retrieval.lang.en.people import Person, merge_people
from retrieval.lang.en.speakers.analyzer import analyze_article
from retrieval.records import Span

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attribution:
    """One article's analysis, serialised (index i is the article's sentence i)."""

    speakers: tuple[str | None, ...]
    mentions: tuple[str, ...]  # JSON list per sentence
    people: str  # JSON object: key -> person


def _fields(p: Person) -> list[Any]:  # the JSON form of a person; an organisation has a fifth field, true
    out: list[Any] = [p.name, sorted(p.variants), sorted(p.titles), sorted(p.affiliations)]
    return [*out, True] if p.organisation else out


def _person(fields: list[Any]) -> Person:
    name, variants, titles, affiliations, *kind = fields
    return Person(str(name), frozenset(variants), frozenset(titles), frozenset(affiliations), bool(kind and kind[0]))


def person_to_json(p: Person) -> str:
    return json.dumps(_fields(p), ensure_ascii=False)


def person_from_json(text: str) -> Person:
    return _person(json.loads(text))


def people_to_json(people: Mapping[str, Person]) -> str:
    return json.dumps({k: _fields(p) for k, p in people.items()}, ensure_ascii=False)


def people_from_json(text: str) -> dict[str, Person]:
    return {k: _person(v) for k, v in json.loads(text).items()}


def mentions_to_json(mentioned: Iterable[str]) -> str:
    return json.dumps(sorted(mentioned), ensure_ascii=False)


def mentions_from_json(text: str) -> frozenset[str]:
    return frozenset(json.loads(text)) if text and text != "[]" else frozenset()


def attribute(text: str, spans: Sequence[Span]) -> Attribution:
    """Speakers, mentions and people of one article's sentences ``spans`` (a module-level function, so that
    the builder can run it in worker processes)."""
    try:
        a = analyze_article(text, spans)
    except Exception as exc:  # a fault in the rules must not stop the index: the article goes in unattributed
        log.warning("speaker analysis failed on an article (%s: %s); its sentences are indexed without speakers",
                    type(exc).__name__, exc)  # fmt: skip
        return Attribution((None,) * len(spans), ("[]",) * len(spans), "{}")
    return Attribution(a.speakers, tuple(mentions_to_json(m) for m in a.mentions), people_to_json(a.people))


def merge_people_json(articles: Iterable[str]) -> list[tuple[str, str]]:
    """The corpus's people from its articles' ``people`` JSON: (key, person JSON) rows, sorted by key."""
    merged = merge_people(*(people_from_json(a) for a in articles if a and a != "{}"))
    return [(k, person_to_json(merged[k])) for k in sorted(merged)]
