"""How a sentence's speaker and mentions answer a question's speaker intent: ``speaker_relevance``, a score
in [-1, 1] for the ranker. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from retrieval.lang.en.lexicon import _GAZETTEER, _ORG_WORDS, _SPEECH_NOUNS, TOPIC_FUNCTION_WORDS, _norm
from retrieval.lang.en.names import _anyone_named, is_title_phrase, name_matches, speaking_for, split_title
from retrieval.lang.en.people import Person
from retrieval.lang.en.question import QuestionIntent
from retrieval.lang.en.speakers.groups import looks_like_group
from retrieval.lang.en.speakers.quotes import quoted_share
from retrieval.lang.en.tokens import LETTERS_RE

_TOPIC_STOP = TOPIC_FUNCTION_WORDS


def _lexical_overlap(topic: str, sentence_text: str) -> float:
    terms = [t for t in (_norm(w) for w in LETTERS_RE.findall(topic)) if t not in _TOPIC_STOP]
    if not terms:
        return 0.0
    words = {_norm(w) for w in LETTERS_RE.findall(sentence_text)}
    hit = 0
    for t in terms:
        if t in words or (len(t) >= 5 and any(w.startswith(t[:5]) for w in words)):
            hit += 1
    return hit / len(terms)


def speaker_relevance(
    intent: QuestionIntent,
    speaker: str | None,
    mentioned: frozenset[str],
    sentence_text: str,
    people: Mapping[str, Person] | None = None,
) -> float:
    """How well a sentence fits "what did <speaker> say about <topic>": a score in [-1, 1].

    * 0.0 when it cannot tell: the question is not a speech question or names no speaker, or the sentence's
      speaker is unknown (None).
    * The asked speaker speaks:
        1.0  and the topic person is mentioned/referred to (not only as the speaker), or a non-person topic's
             words all occur in the sentence (partial word overlap scales 0.55..1.0);
        0.8  and the question has no topic ("what did Putin say?");
        0.35 the topic is not visible in this sentence (it may be implicit, e.g. inside a longer quotation).
    * Roles reversed, i.e. the topic person speaks: -0.9 when the asked speaker is mentioned (Rutte talking
      about Putin for "what did Putin say about Rutte?"), -0.5 otherwise.
    * Someone else speaks: -0.3 (-0.15 if the topic is still mentioned).
    * Exception to the last two bullets and to "unknown": when the sentence *reports* the asked speaker's
      words ("recalling Reagan's warnings about ...", "according to Putin, ...") it scores 0.5 without a
      topic, 0.6 with the topic visible, 0.3 with the topic not visible.

    The asked speaker may be an organisation ("what did the Kremlin say about Rutte?"): its own statements
    ("the Kremlin said", a sentence the analysis labels with it) and the words of the people the articles give
    a title of it ("Kremlin spokesman Dmitry Peskov", "Russian President Vladimir Putin") count as its words
    (``names.speaking_for``). A person asked by name is never answered with an organisation's statements.

    Combine with the retrieval score additively, e.g. ``final = retrieval + w * speaker_relevance`` with w
    around 0.3 of the retrieval score range, so that it reorders close candidates without overriding topical
    relevance; it is computed from the sentence's speaker/mentions from :func:`analyze_article`.
    """
    asked = intent.speaker
    if intent.kind != "speech" or not asked:
        return 0.0
    topic = intent.topic
    if speaker is None:
        if _reports_words_of(asked, sentence_text, mentioned, people):
            return _reported_score(topic, _topic_visible(topic or "", mentioned, sentence_text, people, None))
        return 0.0

    def person_mentioned(query: str, exclude: str | None) -> bool:
        return any(m != exclude and name_matches(m, query, people) for m in mentioned)

    def topic_is_person() -> bool:  # only needed in one branch; the people lookup is cached per query
        return bool(topic) and (
            any(name_matches(m, topic or "", people) for m in mentioned)
            or _anyone_named(people, topic or "")
            or _looks_like_name(topic or "")
        )

    if name_matches(speaker, asked, people) or speaker in speaking_for(people, asked):
        if not topic:
            return 0.8
        if person_mentioned(topic, speaker):
            return 1.0
        if not topic_is_person():
            ov = _lexical_overlap(topic, sentence_text)
            if ov > 0:
                return 0.55 + 0.45 * ov
        return 0.35
    if topic and name_matches(speaker, topic, people):
        return -0.9 if person_mentioned(asked, speaker) else -0.5
    topic_seen = bool(topic) and _topic_visible(topic or "", mentioned, sentence_text, people, speaker)
    if _reports_words_of(asked, sentence_text, mentioned, people):
        return _reported_score(topic, topic_seen)
    return -0.15 if topic_seen else -0.3


def _reported_score(topic: str | None, topic_seen: bool) -> float:
    if not topic:
        return 0.5
    return 0.6 if topic_seen else 0.3


def _topic_visible(
    topic: str,
    mentioned: frozenset[str],
    sentence_text: str,
    people: Mapping[str, Person] | None,
    exclude: str | None,
) -> bool:
    if any(m != exclude and name_matches(m, topic, people) for m in mentioned):
        return True
    if _looks_like_name(topic) or _anyone_named(people, topic):
        return False
    return _lexical_overlap(topic, sentence_text) > 0


_SPEECH_NOUN_ALT = "|".join(sorted(_SPEECH_NOUNS, key=len, reverse=True))


@lru_cache(maxsize=1024)
def _reported_re(surface: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """"X's warnings (that ...)" and "according to X": the second reports X's words whatever follows."""
    name = re.escape(surface)
    return (
        re.compile(rf"\b{name}['’]s\s+(?:[\w-]+\s+){{0,2}}(?:{_SPEECH_NOUN_ALT})\b(?P<that>\s*(?:that\b|:))?",
                   re.IGNORECASE),
        re.compile(rf"\baccording\s+to\s+(?:[\w.’'-]+\s+){{0,4}}{name}\b", re.IGNORECASE),
    )  # fmt: skip


def _reports(surface: str, sentence_text: str) -> bool:
    possessive, according = _reported_re(surface)
    if according.search(sentence_text):
        return True
    m = possessive.search(sentence_text)
    # Narration is not speech: "responded to Rutte's statements" names his words without carrying them; "his
    # warning that ..." or "Reagan's warnings about the “evil empire”" carries them.
    return m is not None and (m.group("that") is not None or quoted_share(sentence_text) > 0)


def _reports_words_of(
    asked: str, sentence_text: str, mentioned: frozenset[str], people: Mapping[str, Person] | None
) -> bool:
    """Does the sentence report the asked person's words without them being its speaker?"""
    surfaces: set[str] = set()
    for m in mentioned:
        if name_matches(m, asked, people):
            surfaces.add(m.split()[-1])
    if not surfaces and not is_title_phrase(asked):
        _, name = split_title(asked)
        if name:
            surfaces.add(name.split()[-1])
    return any(_reports(x, sentence_text) for x in surfaces if x)


def _looks_like_name(s: str) -> bool:
    toks = [t for t in s.split() if t.lower() not in ("the", "mr", "mr.", "mrs", "ms", "dr")]
    if not toks or len(toks) > 4:
        return False
    if is_title_phrase(s):
        return True
    if looks_like_group(s):  # "the Chicago Bulls": a team, not a person (lang/en/speakers/groups.py)
        return False
    return all(t[:1].isupper() and not t.isupper() and _norm(t) not in _GAZETTEER for t in toks) and not any(
        _norm(t) in _ORG_WORDS for t in toks
    )
