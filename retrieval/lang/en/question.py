"""What a question asks: whose words (speaker), about whom/what (topic), and what kind of answer.

``parse_question("What did Putin say about Rutte?")`` ->
``QuestionIntent(kind="speech", speaker="Putin", topic="Rutte", content_terms=("putin", "rutte"), ...)``.

Kinds: "speech" (what did X say/tell/think about Y, X's view on Y, how did X respond to Y, did X say anything
about Y, what has X said on Y, X's comments on Y, according to X ...), "who", "when", "where", "how_many",
"why", "other". Questions with a wh-word other than what/which ("When did Putin say ...?") keep that kind
but still report the speaker and topic.

Names are returned as written, without determiners, possessives or titles when a name follows ("Russian
President Vladimir Putin" -> "Vladimir Putin"); a title alone stays a title ("the NATO chief" -> "NATO
chief"), for :func:`retrieval.lang.en.speakers.analyzer.name_matches` with a ``people`` map. All-lowercase names are
capitalised ("putin" -> "Putin"). Pure regular expressions: never raises, whatever the string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from retrieval.lang.en.cues import NO_KIND, QuestionKind, answer_kind, question_kind
from retrieval.lang.en.given_names import is_given_name
from retrieval.lang.en.lexicon import (
    ASKING_VERB_FORMS,
    AUDIENCE_NOUNS,
    CALENDAR_WORDS,
    MEDIA_NOUNS,
    MONTHS,
    NAME_SUFFIXES,
    OPINION_NOUNS,
    QUESTION_WORDS,
    SPEECH_NOUNS,
    STOPWORDS,
    UNAMBIGUOUS_SPEECH_FORMS,
)
from retrieval.lang.en.names import is_title_phrase, split_title
from retrieval.lang.en.tokens import HYPHENATED_WORD_RE

__all__ = ["KINDS", "QuestionIntent", "parse_question"]

KINDS = ("speech", "who", "when", "where", "how_many", "why", "other")

_MAX_PATTERN_CHARS = 300  # questions longer than this are only classified by their opening words
_MAX_TERMS_CHARS = 2000
_MAX_TERMS = 64


@dataclass(frozen=True)
class QuestionIntent:
    """The parsed question."""

    kind: str  # one of KINDS
    speaker: str | None = None  # whose words are asked for: "Putin", "Vladimir Putin", "NATO chief"
    topic: str | None = None  # about whom/what: "Rutte", "the US National Security Strategy"
    content_terms: tuple[str, ...] = ()  # lower-cased content words, in order, for lexical cues
    addressee: str | None = None  # "what did Putin tell reporters about Rutte" -> "reporters"
    question: str = ""  # the cleaned question text
    # what kind of thing the answer holds (date, number, person, place): the ranker's answer-type features
    wants: QuestionKind = NO_KIND


# --------------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------------

def _alternation(words: frozenset[str]) -> str:
    """A regex alternation of ``words``, longest first (so that "said" is tried before "sa...")."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=lambda w: (-len(w), w)))


_SAY_VERBS = _alternation(ASKING_VERB_FORMS)
_SPEECH_NOUNS = _alternation(SPEECH_NOUNS | OPINION_NOUNS)
# "Why does Putin say ...?", "How does Rutte describe ...": the question names a verb of speech somewhere.
SPEECH_VERB_RE = re.compile(rf"\b(?:{_alternation(UNAMBIGUOUS_SPEECH_FORMS)})\b", re.IGNORECASE)
_TOPIC_PREP = (
    r"about|of|on|regarding|concerning|re|towards?|to|in response to|in reply to|with respect to|"
    r"in relation to|as to|when asked about|when asked|when questioned about|after|over"
)
_AUX = r"did|does|do|has|have|had|was|is|were|are|will|would|could|can|should|might|may"
_ADVS = (
    r"(?:(?:actually|really|publicly|specifically|exactly|just|previously|recently|ever|also|already|"
    r"first|then|last|even|once|himself|herself|privately|reportedly)\s+)"
)

_F = re.IGNORECASE
_PREFIX_RE = re.compile(
    r"^(?:(?:please|pls|hey|hi|ok|okay|so|and|but|now|then|also|quick question|question)[\s,:;-]+)*"
    r"(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell|show|give|find|list|quote)\s+(?:me|us)?\s*|"
    r"(?:please\s+)?(?:tell|show|give)\s+(?:me|us)\s+|i\s+(?:want|would\s+like|need)\s+to\s+know\s+|"
    r"i\s+(?:want|would\s+like|need)\s+(?!to\b)|"
    r"do\s+you\s+know\s+|i\s+wonder\s+|find\s+(?:me\s+)?|list\s+|search\s+(?:for\s+)?)?",
    _F,
)
# (?<!\sof): "What did Secretary of State John Kerry say" is not the verb "state" after "Secretary of"
_WH_SAY_RE = re.compile(
    rf"^(?P<wh>what|which|when|where|why|who|whom)(?:\s+(?:exactly|else|things?|words?|precisely))?\s+"
    rf"(?:{_AUX})\s+(?P<x>.+?)(?<!\sof)\s+(?:been\s+)?{_ADVS}*(?:have\s+to\s+)?(?P<v>{_SAY_VERBS})\b(?P<rest>.*)$",
    _F,
)
# "What did the United States say?": a verb form written with a capital is a word of the name ("States"), and
# the speaker runs up to the last verb form instead
_WH_SAY_LAST_RE = re.compile(_WH_SAY_RE.pattern.replace("(?P<x>.+?)", "(?P<x>.+)", 1), _F)
_WHAT_X_SAID_RE = re.compile(
    rf"^(?:what|everything|anything|whatever)\s+(?P<x>.+?)(?<!\sof)\s+{_ADVS}*(?:has\s+|had\s+|have\s+)?"
    rf"(?P<v>said|says|thinks|thought|told|tells|wrote|claimed|argued|stated|warned|believes|meant|"
    rf"feels|felt|called|urged|declared|described)\b(?P<rest>.*)$",
    _F,
)
_HOW_RE = re.compile(
    rf"^how\s+(?:{_AUX})\s+(?P<x>.+?)(?<!\sof)\s+{_ADVS}*(?P<v>respond|responded|react|reacted|reply|replied|answer|"
    rf"answered|describe|described|characteri[sz]e|characteri[sz]ed|view|see|feel|portray|portrayed|depict|"
    rf"refer|referred|assess|assessed|judge|rate|call|regard|speak|spoke|talk|talked|comment|commented|label|"
    rf"dub|criticiz?se|criticized|praise|praised|think|warn|warned|address|addressed|sum\s+up|summari[sz]e)"
    rf"\b(?P<rest>.*)$",
    _F,
)
_POSS_RE = re.compile(
    rf"^(?:(?:what|which|how)\s+(?:is|was|are|were|has\s+been|have\s+been)\s+)?(?:the\s+)?(?P<x>.+?)(?:'s|s')\s+"
    rf"(?:\w+\s+)?(?P<n>{_SPEECH_NOUNS})\b(?P<rest>.*)$",
    _F,
)
_YESNO_RE = re.compile(
    rf"^(?:{_AUX})\s+(?P<x>.+?)(?<!\sof)\s+{_ADVS}*(?P<v>{_SAY_VERBS})\b(?P<rest>.*)$",
    _F,
)
_SAID_BY_RE = re.compile(
    rf"^(?:what|which\s+\w+)\s+(?:was|were|has\s+been|have\s+been)\s+(?:said|stated|written|claimed)\s+by\s+"
    rf"(?P<x>.+?)(?:\s+(?:{_TOPIC_PREP})\s+(?P<y>.+))?$",
    _F,
)
_ACCORDING_RE = re.compile(
    r"^(?:according\s+to|in\s+the\s+(?:words|view)\s+of)\s+(?P<x>[^,]+?),\s*(?P<rest>.+)$", _F
)
_ACCORDING_TAIL_RE = re.compile(r"^(?P<rest>.+?),?\s+according\s+to\s+(?P<x>[^,]+)$", _F)
_QUOTE_RE = re.compile(
    r"^(?:(?:give|show|find|list)\s+(?:me\s+)?)?(?:(?:any|what|which|the)\s+)?"
    r"(?:quotes?|quotations?|statements?|comments?|remarks?)\s+"
    r"(?:(?:do|did|can)\s+you\s+(?:have|find)\s+|(?:are|were)\s+there\s+)?"
    rf"(?:from|by|of)\s+(?P<x>.+?)(?:\s+(?:{_TOPIC_PREP})\s+(?P<y>.+))?$",
    _F,
)
# "What statements did X make?", "What criticism did X make of Y?", "Which warnings has X issued about Y?"
_MADE_RE = re.compile(
    rf"^(?:what|which)\s+(?:\w+\s+)?(?:{_SPEECH_NOUNS})\s+(?:{_AUX})\s+(?P<x>.+?)\s+"
    r"(?:make|made|give|given|gave|offer|offered|issue|issued|deliver|delivered|voice|voiced|express|expressed|"
    r"level|levelled|leveled|raise|raised)\b(?P<rest>.*)$",
    _F,
)
# "Where does X stand on Y?": X's position, a speech question
_STAND_RE = re.compile(r"^where\s+(?:does|did|do)\s+(?P<x>.+?)\s+stand\b(?P<rest>.*)$", _F)
_QUOTE_X_ON_RE = re.compile(rf"^quote\s+(?P<x>.+?)(?:\s+(?:{_TOPIC_PREP})\s+(?P<y>.+))?$", _F)
_X_ON_Y_RE = re.compile(r"^(?P<x>[\w.'’-]+(?:\s+[\w.'’-]+){0,3})\s+(?:on|about)\s+(?P<y>.+)$", _F)
_WHO_SAID_RE = re.compile(
    rf"^who\s+(?:{_SAY_VERBS}|has\s+(?:{_SAY_VERBS})|had\s+(?:{_SAY_VERBS}))\b(?P<rest>.*)$", _F
)

def _wordset(s: str) -> frozenset[str]:
    return frozenset(s.split())


_STOP = STOPWORDS | QUESTION_WORDS
_PRONOUN_TOPICS = _wordset(
    "him her it them this that these those he she they anything something everything nothing"
)
_TRAILING_NOISE_RE = re.compile(
    r"(?:\s+(?:in|from)\s+(?:the\s+)?(?:articles?|corpus|news|texts?|stories|story|documents?|sources?)|"
    r"\s+(?:recently|lately|so\s+far|at\s+all|exactly|precisely|specifically|please|again|publicly|"
    r"then|now|today|yesterday|in\s+public|on\s+(?:record|tv|television)))+$",
    _F,
)
_PERSON_SPEECH_NOUN_RE = re.compile(
    rf"^(?P<p>.+?)(?:'s|s')\s+(?:[\w-]+\s+){{0,2}}(?P<n>{_SPEECH_NOUNS}|plan|plans|proposal|proposals|"
    r"strategy|speech|address|visit|policy|policies|plea|call|demands?|threats?|ultimatum|accusations?)\b.*$",
    _F,
)
_CIRCUMSTANCE_RE = re.compile(
    r"^(?:in|at|during|while|when|after|before|last|this|yesterday|today|recently|on\s+(?:monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|tv|television|december|january|february|march|april|may|june|"
    r"july|august|september|october|november|\d))\b",
    _F,
)
_CONTRACTION_RE = re.compile(r"\b(what|who|where|when|how|why|which|whose)'s\b", _F)
_NOT_NAME_WORDS = _wordset(
    """what which who whom whose when where why how did does do has have had was is were are will would could
    can should might may be been being about on to for from with by at in into that this these those it they
    he she him her his their them we you i me my our your say says said saying tell told think thinks
    thought anything something everything nothing"""
) | ASKING_VERB_FORMS
_WS_RE = re.compile(r"\s+")
_BRACKETS_RE = re.compile(r"\s*\([^()]{0,40}\)")
_SUFFIX_RE = re.compile(rf",?\s+(?:{_alternation(NAME_SUFFIXES)})\.?\s*$", _F)


# --------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------


def _clean(question: str) -> str:
    out: list[str] = []
    for ch in question[: _MAX_TERMS_CHARS * 2]:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(" ")
        elif ch in "’‘`´":
            out.append("'")
        elif ch in "“”„«»":
            out.append('"')
        else:
            out.append(ch)
    text = _WS_RE.sub(" ", "".join(out)).strip()
    return _CONTRACTION_RE.sub(lambda m: m.group(1) + " is", text)


def _strip_ends(s: str) -> str:
    return s.strip(" \t?!.,;:\"'()[]{}<>…")


def _capitalise(name: str) -> str:
    if name and name == name.lower():
        return " ".join(
            w[:1].upper() + w[1:] if w not in ("of", "the", "de", "van", "von") else w for w in name.split()
        )
    return name


def _clean_person(x: str | None) -> str | None:
    """A speaker/addressee phrase -> name (or title phrase), or None when it is not a plausible person."""
    if not x:
        return None
    # "Sen. Bernie Sanders (I-Vt.)": a party and state in brackets; "Martin Luther King Jr.": a generational suffix
    x = _strip_ends(_SUFFIX_RE.sub("", _BRACKETS_RE.sub(" ", x)))
    if not x or len(x) > 80 or len(x.split()) > 7:
        return None
    if x.lower() in _PRONOUN_TOPICS or x.lower() in ("you", "i", "we", "people", "someone", "anyone"):
        return None
    if re.search(r"\s(?:and|&)\s", x) or "," in x:
        return None  # several people: no single speaker
    title, name = split_title(x)
    # "of" and "for" join an institution's name ("Center for Biological Diversity"), an acronym in capitals is a
    # name ("the US", "the WHO"), and so is a capitalised verb form ("the United States"): not a clause
    written = (name or title or "").split()
    # In a capitalised name of two or more words, a month or given name is a word of the name, not a modal or
    # an auxiliary: "Theresa May", "Will Smith".
    named = len(written) > 1 and all(w[:1].isupper() for w in written)
    words = [
        w.lower()
        for w in written
        if not (len(w) > 1 and w.isupper())
        and not (w[:1].isupper() and w.lower() in ASKING_VERB_FORMS)
        and not (named and (w.lower() in MONTHS or is_given_name(w.lower())))
    ]
    if any(w in _NOT_NAME_WORDS for w in words if w not in ("of", "for")):
        return None  # a clause, not a name ("Rutte deliver his", "What Putin")
    if name:
        if title is None and x.split()[0].lower() in ("the", "a", "an") and name == name.lower():
            return None  # "the report", "the article": not a person
        return _capitalise(name)
    if title:
        return title
    return None


def _clean_topic(y: str | None) -> str | None:
    if not y:
        return None
    y = _strip_ends(y)
    prev = None
    while prev != y:
        prev = y
        y = _strip_ends(_TRAILING_NOISE_RE.sub("", y))
    y = re.sub(r"^(?:the\s+(?:subject|topic|issue|question)\s+of\s+)", "", y, flags=_F)
    y = re.sub(r"\s+(?:to\s+(?:do|read|consult|be)\b.*)$", "", y, flags=_F) if len(y.split()) > 1 else y
    if not y or y.lower() in _PRONOUN_TOPICS or len(y) > 200:
        return None
    m = _PERSON_SPEECH_NOUN_RE.match(y)
    if m:
        p = _strip_ends(m.group("p"))
        if p and len(p.split()) <= 5 and (p[:1].isupper() or p == p.lower()):
            title, name = split_title(p)
            if name or title:
                return _capitalise(name) if name else title
    title, name = split_title(y)
    if title and name is None:
        return title
    if name and title and len(name.split()) <= 4:
        return _capitalise(name) if name[:1].isupper() or name == name.lower() else name
    return y


def _is_audience(phrase: str) -> bool:
    """"the press", "reporters", "the assembled journalists", "MPs": a generic audience (lexicon AUDIENCE_NOUNS)."""
    words = [w.lower() for w in HYPHENATED_WORD_RE.findall(phrase)]
    return 0 < len(words) <= 3 and words[-1] in AUDIENCE_NOUNS and all(
        w in AUDIENCE_NOUNS or w in ("the", "a", "an", "his", "her", "their", "assembled", "local", "foreign")
        for w in words
    )


def _names_media(phrase: str) -> bool:
    """"BBC Radio 4's Today programme", "CNN", "national television": a programme, channel or outlet."""
    words = [w.lower().removesuffix("'s").removesuffix("’s") for w in HYPHENATED_WORD_RE.findall(phrase)]
    return 0 < len(words) <= 6 and words[-1] in MEDIA_NOUNS


def _topic_from_rest(rest: str, verb: str) -> tuple[str | None, str | None]:
    """The text after the speech verb -> (topic, addressee)."""
    rest = _strip_ends(rest)
    if not rest or re.fullmatch(rf"(?:{_TOPIC_PREP})", rest, _F):
        return None, None
    # "what did Prescott say when asked about / in response to the referendum" -> the referendum
    asked = re.match(
        r"^(?:when\s+(?:asked|questioned|pressed)\s+(?:about|on|over)|in\s+(?:response|reply|relation)\s+to)\s+"
        r"(?P<y>.+)$",
        rest,
        _F,
    )
    if asked:
        return _clean_topic(asked.group("y")), None
    # "what did Rutte say at the Munich Security Conference / during his visit to Warsaw": a named place or
    # event is a condition the answer must meet, like a topic (a person who never spoke there has no answer);
    # "in an interview", "on Tuesday", "during his visit" name none and leave no topic (the content terms
    # still rank by their words)
    if _CIRCUMSTANCE_RE.match(rest):
        words = HYPHENATED_WORD_RE.findall(rest)
        named = [w for w in words if w[:1].isupper() and w.lower() not in CALENDAR_WORDS]
        if named and len(rest.split()) <= 8:
            return _clean_topic(rest.split(None, 1)[1] if " " in rest else rest), None
        return None, None
    # "what did Pence tell the press / MPs", "what did Blair say on BBC Radio 4's Today programme": whom they
    # spoke to or where, not what about
    if _is_audience(rest) or (rest.lower().startswith("on ") and _names_media(rest[3:])):
        return None, None
    # "what did Rutte warn that ..." -> the reported clause
    if re.match(r"^that\s", rest, _F):
        return _clean_topic(rest[5:]), None
    # "what did Straw say to the Iranian foreign minister (about ...)": whom they spoke to, as after "tell"
    spoken_to = re.match(rf"^to\s+(?P<z>.+?)(?:\s+(?:{_TOPIC_PREP})\s+(?P<y>.+))?$", rest, _F)
    if spoken_to and verb.lower() in ("say", "said", "says", "saying") and not re.search(r"['’]s?\b", spoken_to["z"]):
        if _is_audience(spoken_to["z"]):  # "say to reporters (about ...)": as "tell reporters"
            return _clean_topic(spoken_to["y"]), None
        whom = _clean_person(spoken_to["z"])
        if whom is not None and (whom[:1].isupper() or is_title_phrase(whom)):
            return _clean_topic(spoken_to["y"]), whom
    prep = re.match(rf"^(?:{_TOPIC_PREP})\s+(?P<y>.+)$", rest, _F)
    if prep:
        return _clean_topic(prep.group("y")), None
    # "tell reporters about Rutte", "warn Russia about ...", "urge Rutte to read ...", "call Rutte"
    m = re.match(rf"^(?P<z>.+?)\s+(?P<p>{_TOPIC_PREP})\s+(?P<y>.+)$", rest, _F)
    if m and verb.lower() not in ("say", "said", "says", "saying"):
        z = _strip_ends(m.group("z"))
        y = m.group("y")
        if len(z.split()) <= 5:
            if (
                m.group("p").lower() == "to"
                and y[:1].islower()
                and y.split()[0].lower() not in ("the", "a", "an")
            ):
                return _clean_topic(z), _clean_person(z)  # "urge Rutte to read ..." -> Rutte
            return _clean_topic(y), _clean_person(z)
    # "what did Rutte warn Russia about" (trailing preposition)
    m = re.match(rf"^(?P<z>.+?)\s+(?:{_TOPIC_PREP})$", rest, _F)
    if m:
        return _clean_topic(m.group("z")), None
    m = re.match(r"^(?P<z>.+?)\s+(?:to|as|that|of|for|in|at|during|while|when|after|before)\s+.+$", rest, _F)
    if m and verb.lower() not in ("say", "said", "says", "saying", "think", "thinks", "thought"):
        z = _strip_ends(m.group("z"))
        if z and len(z.split()) <= 5:
            return _clean_topic(z), _clean_person(z)
    if verb.lower() in (
        "say",
        "said",
        "says",
        "saying",
        "think",
        "thinks",
        "thought",
        "mean",
        "meant",
        "feel",
    ):
        if re.match(r"^(?:that|was|is|were|would|will|had|has)\b", rest, _F):
            return _clean_topic(re.sub(r"^that\s+", "", rest, flags=_F)), None
        return None, None
    if len(rest.split()) <= 6:
        return _clean_topic(rest), _clean_person(rest)
    return _clean_topic(rest), None


def _content_terms(q: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for w in HYPHENATED_WORD_RE.findall(q[:_MAX_TERMS_CHARS]):
        low = w.lower().replace("’", "'")
        if low.endswith("'s"):
            low = low[:-2]
        if not low or low in _STOP or (len(low) == 1 and not low.isdigit()):
            continue
        if low not in seen:
            seen[low] = None
            if len(seen) >= _MAX_TERMS:
                break
    return tuple(seen)


def _wh_kind(wh: str) -> str:
    wh = wh.lower()
    return {"when": "when", "where": "where", "why": "why", "who": "who", "whom": "who"}.get(wh, "speech")


# --------------------------------------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------------------------------------


def _speech_about(m: re.Match[str]) -> tuple[str, str | None, str | None, str | None] | None:
    """("speech", X, topic, None) for a match with groups x (the speaker) and rest (the topic), if X is a person."""
    speaker = _clean_person(m.group("x"))
    if not speaker:
        return None
    rest = re.sub(rf"^(?:{_TOPIC_PREP})\s+", "", _strip_ends(m.group("rest")), flags=_F)
    return "speech", speaker, _clean_topic(rest), None


def _parse(q: str) -> tuple[str, str | None, str | None, str | None]:
    """(kind, speaker, topic, addressee) of a cleaned, prefix-stripped question without end punctuation."""
    m = _ACCORDING_RE.match(q) or _ACCORDING_TAIL_RE.match(q)
    if m:
        speaker = _clean_person(m.group("x"))
        rest = m.group("rest")
        kind, _, topic, addressee = _parse(rest)
        if speaker:
            return ("speech" if kind in ("other", "speech") else kind), speaker, topic, addressee
    m = _SAID_BY_RE.match(q)
    if m:
        return "speech", _clean_person(m.group("x")), _clean_topic(m.group("y")), None
    m = _WHO_SAID_RE.match(q)
    if m:
        rest = _strip_ends(m.group("rest"))
        prep = re.match(rf"^(?:{_TOPIC_PREP})\s+(?P<y>.+)$", rest, _F)
        return (
            "who",
            None,
            _clean_topic(prep.group("y") if prep else re.sub(r"^that\s+", "", rest, flags=_F)),
            None,
        )
    m = _HOW_RE.match(q)
    if m and (found := _speech_about(m)):
        return found
    m = _WH_SAY_RE.match(q)
    if m and m.group("v")[:1].isupper() and not q.isupper():
        m = _WH_SAY_LAST_RE.match(q) or m
    if m:
        speaker = _clean_person(m.group("x"))
        if speaker is None and re.search(r"\s(?:and|&)\s", m.group("x")) and len(m.group("x").split()) <= 7:
            topic, addressee = _topic_from_rest(m.group("rest"), m.group("v"))
            return _wh_kind(m.group("wh")), None, topic, addressee  # several speakers
        if speaker:
            topic, addressee = _topic_from_rest(m.group("rest"), m.group("v"))
            kind = _wh_kind(m.group("wh"))
            if kind == "who" and addressee and not topic:
                topic = addressee
            return kind, speaker, topic, addressee
    m = _POSS_RE.match(q)
    if m and (found := _speech_about(m)):
        return found
    m = _YESNO_RE.match(q)
    if m:
        speaker = _clean_person(m.group("x"))
        if speaker:
            rest = re.sub(
                r"^\s*(?:anything|something|much|a\s+word|at\s+all|publicly|ever)\b",
                "",
                m.group("rest"),
                flags=_F,
            )
            topic, addressee = _topic_from_rest(rest, m.group("v"))
            return "speech", speaker, topic, addressee
    m = _WHAT_X_SAID_RE.match(q)
    if m:
        speaker = _clean_person(m.group("x"))
        if speaker:
            topic, addressee = _topic_from_rest(m.group("rest"), m.group("v"))
            return "speech", speaker, topic, addressee
    m = _MADE_RE.match(q) or _STAND_RE.match(q)
    if m and (found := _speech_about(m)):
        return found
    m = _QUOTE_RE.match(q) or _QUOTE_X_ON_RE.match(q)
    if m:
        speaker = _clean_person(m.group("x"))
        if speaker:
            return "speech", speaker, _clean_topic(m.group("y")), None
    kind = answer_kind(q)
    if kind == "other":
        m = _X_ON_Y_RE.match(q)
        if m and not re.match(r"^(?:what|which|who|how|when|where|why|is|are|was|were|do|does|did)\b", q, _F):
            x = m.group("x")
            title, name = split_title(x)
            if (name and all(w[:1].isupper() for w in name.split())) or (title and not name):
                return "speech", _clean_person(x), _clean_topic(m.group("y")), None
    return kind, None, None, None


def parse_question(question: str) -> QuestionIntent:
    """Parse a question into speaker, topic, kind and content terms. Never raises."""
    try:
        text = question if isinstance(question, str) else str(question)
        wants = question_kind(text)  # on the question as asked, as the ranker was trained
        cleaned = _clean(text)
        terms = _content_terms(cleaned)
        q = _strip_ends(_PREFIX_RE.sub("", cleaned[:_MAX_PATTERN_CHARS], count=1))
        if len(cleaned) > _MAX_PATTERN_CHARS:
            return QuestionIntent(kind=answer_kind(q), content_terms=terms, question=cleaned, wants=wants)
        kind, speaker, topic, addressee = _parse(q)
        if speaker and topic and speaker.lower() == topic.lower():
            topic = None
        return QuestionIntent(
            kind=kind if kind in KINDS else "other",
            speaker=speaker,
            topic=topic,
            content_terms=terms,
            addressee=addressee,
            question=cleaned,
            wants=wants,
        )
    except Exception:  # pragma: no cover - defensive: a question must never crash the bot
        return QuestionIntent(kind="other", content_terms=(), question="")
