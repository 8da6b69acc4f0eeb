"""Build the development set: Wikinews articles split by article, and questions with gold sentences.

    .venv/bin/python -m benchmarks.devset.build [--source DIR] [--out DIR]

``--source`` holds ``wikinews_2019.csv`` and ``wikinews_2020.csv`` from github.com/vanatteveldt/wikinews
(commit 347254178bf343f3801aac1d03c41cc09c35decb; checked by SHA-256 below); default ../shared/data/wikinews.
``--out`` (default benchmarks/data/devset) receives ``articles/{train,dev,test}/<id>.txt``, ``articles.tsv``
(id, split, date, url, title: the attribution the licence asks for) and ``questions-{split}.jsonl``.
The build is deterministic: the same source gives byte-identical output.

Question format, one JSON object per line (what ``retrieval.eval.questionset`` and ``verbatim eval questions``
read)::

    {"id": "test-0007", "question": "What did Boris Johnson say about Brexit?",
     "kind": "speaker" | "speaker_topic" | "factual" | "unanswerable_person" | "unanswerable_topic",
     "unanswerable": false,
     "gold": [{"source": "<file name relative to the split's article folder>", "text": "<exact sentence>"}],
     "speaker": "Boris Johnson"}

``gold`` is empty for unanswerable questions; ``speaker`` is the asked person (the gold speaker for answerable
ones) or null for factual questions. Every gold text occurs in its file; the build checks it.

Kinds: ``speaker`` ("What did X say?"; gold: every sentence holding X's attributed quotations in the split),
``speaker_topic`` ("What did X say about Y?", "How did X react to Y?", …; Y is an entity or a repeated phrase of
the quotation, or a name from the article's title; gold: X's sentences on Y), ``factual`` (templated from a
clear sentence: who was appointed/named/elected, at what age someone died, what sentence someone received;
gold: that sentence), ``unanswerable_person`` (a person quoted in another split whose name appears nowhere in
this split, asked with this split's topics) and ``unanswerable_topic`` (a person quoted in this split, asked
about a topic of another article of the split that never comes up in theirs).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import itertools
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote

from bm25s.stopwords import STOPWORDS_EN_PLUS

from retrieval.eval.gold_attribution import (
    ROLE_WORDS,
    STOP_WORDS,
    AttributedQuote,
    Mention,
    attributed_quotes,
    capitalised_runs,
    fold,
    person_names,
    person_of,
    word_set,
)
from retrieval.eval.gold_text import Span, all_sentence_spans, normalise_article

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = ROOT.parent / "shared/data/wikinews"
DEFAULT_OUT = ROOT / "benchmarks/data/devset"
SOURCE_FILES = {
    "wikinews_2019.csv": "d65f87b01244679d01c89ec15616fbd8413e7852732432d5895fa4db9b21ac9e",
    "wikinews_2020.csv": "42f833b55a848b6a9070c3be7e7ab5e55d3150a3e128419130df5b8283a62f4a",
}
SPLITS = ("train", "dev", "test")
MAX_CHARS = 20_000  # longer pages are Q&A interviews and transcripts, not news stories
UNANSWERABLE_SHARE = 0.18  # of all questions in a split
MAX_TOPICS_PER_SPEAKER = 3

Question = dict[str, object]
T = TypeVar("T")


@dataclass(frozen=True)
class Article:
    id: str
    split: str
    date: str
    url: str
    title: str
    text: str

    @property
    def file(self) -> str:
        return f"{self.id}.txt"


@dataclass
class SpeakerQuotes:
    """One person's attributed quotations in one split, by article."""

    name: str
    role: str = ""
    by_article: dict[str, list[AttributedQuote]] = field(default_factory=dict)


# --- articles ---------------------------------------------------------------------------------------------


def read_source(source: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name, digest in SOURCE_FILES.items():
        path = source / name
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise ValueError(f"{path} is not the expected file (SHA-256 differs)")
        rows += list(csv.DictReader(data.decode("utf-8").splitlines(keepends=True)))
    return rows


def read_source_or_say(source: Path, prog: str) -> list[dict[str, str]] | None:
    """:func:`read_source`, or None after one line on stderr when the files are missing or not the expected ones
    (they are not in git: the line says where they were looked for)."""
    try:
        return read_source(source)
    except (OSError, ValueError) as e:
        print(f"{prog}: {e} (pass --source DIR with the Wikinews CSV files)", file=sys.stderr)
        return None


def article_id(url: str, date: str) -> str:
    slug = unquote(url.rstrip("/").rsplit("/", 1)[-1])
    slug = unicodedata.normalize("NFKD", slug).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return f"{date}-{slug}"


def split_of(aid: str) -> str:
    """Train, dev or test by a hash of the article id (about 50/25/25), so an article never changes split."""
    bucket = int(hashlib.sha256(aid.encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < 50 else "dev" if bucket < 75 else "test"


def select_articles(rows: Iterable[dict[str, str]]) -> list[Article]:
    """News stories only: no test pages, no "Wikinews interviews …" Q&A pages, nothing over ``MAX_CHARS``."""
    out: dict[str, Article] = {}
    for row in rows:
        title, body = row["title"], row["text"]
        if title.startswith("TEST PAGE") or "Wikinews" in title or not 300 <= len(body) <= MAX_CHARS:
            continue
        aid = article_id(row["url"], row["date"])
        out.setdefault(aid, Article(aid, split_of(aid), row["date"], row["url"], title, normalise_article(title, body)))
    return [out[k] for k in sorted(out)]


def common_words(articles: Iterable[Article]) -> frozenset[str]:
    """Words written in lower case somewhere in the corpus (so "Immunologist" before a name is a word, not a name)."""
    return frozenset(w for a in articles for w in re.findall(r"\b[a-z][a-z'\-]+\b", a.text))


# --- helpers ----------------------------------------------------------------------------------------------


def _pick(key: str, options: Sequence[T]) -> T:
    """A deterministic, well-spread choice among ``options`` for ``key``."""
    return options[int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % len(options)]


def _sentence_texts(article: Article, spans: Iterable[Span]) -> list[str]:
    return [article.text[s.start : s.end] for s in spans]


def _gold(article: Article, spans: Iterable[Span]) -> list[dict[str, str]]:
    return [{"source": article.file, "text": t} for t in dict.fromkeys(_sentence_texts(article, spans))]


def _words(text: str) -> set[str]:
    return {fold(w) for w in re.findall(r"[^\W\d_][\w'’\-]*", text)}


EXTRA_STOPWORDS = word_set(
    """said says say told also would could one two three year years people going think know get got like make
    made well many much new first last time way thing things lot really today week weeks told according including
    want wanted need needs going come came back still even every never always may might must shall us per cent
    percent mr ms mrs dr yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday day days
    january february march april june july august september october november december whether another"""
)
_STOP = frozenset(STOPWORDS_EN_PLUS) | EXTRA_STOPWORDS


def _content(word: str) -> bool:
    return word.isalpha() and len(word) >= 4 and word.lower() not in _STOP


# --- topics -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    phrase: str  # as it goes into the question ("the measles outbreak", "Hong Kong")
    words: frozenset[str]  # folded content words, to find the speaker's sentences on it
    whole_article: bool  # a title topic: every quotation of the speaker in that article is on it


def entity_topics(text: str, exclude: set[str], common: frozenset[str]) -> list[str]:
    """Whole capitalised names in ``text``: not a sentence's first word, not the speaker, no contractions, no
    leading role or common word ("Former U.S." is "U.S."), no single word that is also a common word ("Power")."""
    out: list[str] = []
    for run in capitalised_runs(text):
        before = text[: run.span.start].rstrip()
        if not before or before.endswith((".", "!", "?", ":", '"', "“", "”", "[", "(")):
            continue  # a sentence's first word is capitalised anyway
        parts = text[run.span.start : run.span.end].split()
        while parts and (parts[0] in ROLE_WORDS or parts[0].lower() in common):
            parts = parts[1:]
        if not parts or (len(parts) == 1 and parts[0].lower() in common):
            continue
        phrase = " ".join(parts)
        if any(fold(p) in exclude for p in parts) or any(p.lower() in _STOP or p in STOP_WORDS for p in parts):
            continue
        if phrase.endswith(("'s", "’s")) or "'" in phrase or "’" in phrase or len(phrase) < 4:
            continue
        if len(parts) == 1 and phrase.lower() in _COMMON_CAPS:
            continue
        if phrase not in out:
            out.append(phrase)
    return out


_COMMON_CAPS = word_set("god internet twitter facebook instagram youtube rest peace")


def phrase_topics(quote: str, article_text: str) -> list[str]:
    """Pairs of content words in the quotation that the article repeats, at least once after a determiner or a
    preposition (a key noun phrase such as "the warm water", not a verb phrase such as "reduce wildfire")."""
    tokens = re.findall(r"[A-Za-z][a-z\-]+", quote)
    low = article_text.lower()
    out: list[str] = []
    for a, b in itertools.pairwise(tokens):
        if not (a.islower() and b.islower() and _content(a) and _content(b)):
            continue
        phrase = f"{a} {b}"
        if low.count(phrase) < 2 or phrase in out:
            continue
        if re.search(
            r"\b(?:the|a|an|this|that|its|their|our|his|her|of|on|about|in|for|against|with)\s+" + phrase, low
        ):
            out.append(phrase)
    return out


def topics_for(article: Article, quote: AttributedQuote, speaker: str, common: frozenset[str]) -> list[Topic]:
    exclude = {fold(p) for p in speaker.split()}
    quote_text = article.text[quote.quote.start : quote.quote.end]
    out: list[Topic] = []
    for phrase in phrase_topics(quote_text, article.text):
        out.append(Topic(f"the {phrase}", frozenset(_words(phrase)), False))
    for phrase in entity_topics(quote_text, exclude, common):
        out.append(Topic(phrase, frozenset(w for w in _words(phrase) if len(w) > 2), False))
    for phrase in entity_topics(article.title, exclude, common):
        out.append(Topic(phrase, frozenset(w for w in _words(phrase) if len(w) > 2), True))
    return [t for t in out if t.words]


# --- question texts ---------------------------------------------------------------------------------------

SPEAKER_FORMS = ("What did {x} say?", "What has {x} said?", "What were {x}'s words?", "What did {x} tell the press?")
TOPIC_FORMS = (
    "What did {x} say about {y}?",
    "How did {x} react to {y}?",
    "What was {x}'s view on {y}?",
    "What did {x} tell reporters about {y}?",
    "What did {x} have to say about {y}?",
    "What were {x}'s comments on {y}?",
)
SHORT_ROLES = frozenset(
    ("President", "Prime", "Minister", "Senator", "Governor", "Mayor", "Dr.", "Dr", "Professor", "Chancellor", "Judge")
)


def name_variants(speaker: str, role: str, unique_surname: bool) -> list[str]:
    """Other names for the speaker: the surname alone (only when no one else in the split has it), and title and
    surname when the article gave a short title ("Sheriff Brown", "Dr. Livermore")."""
    surname = speaker.split()[-1]
    out = [surname] if unique_surname else []
    if role and role.split()[-1] in SHORT_ROLES and len(role.split()) <= 2:
        out.append(f"{role} {surname}")
    return out


def name_form(key: str, speaker: str, role: str, unique_surname: bool) -> str:
    """Full name mostly; now and then one of ``name_variants``."""
    return _pick("name:" + key, [speaker, speaker, speaker, *name_variants(speaker, role, unique_surname)])


# --- speaker questions ------------------------------------------------------------------------------------


def speakers_of(articles: Sequence[Article], common: frozenset[str]) -> dict[str, SpeakerQuotes]:
    """Speakers of one split, merged across articles by first and last name."""
    out: dict[str, SpeakerQuotes] = {}
    for article in articles:
        for q in attributed_quotes(article.text, common):
            parts = q.speaker.split()
            key = fold(parts[0]) + " " + fold(parts[-1])
            entry = out.setdefault(key, SpeakerQuotes(q.speaker, q.role))
            entry.role = entry.role or q.role
            entry.by_article.setdefault(article.id, []).append(q)
    return out


def speaker_questions(
    split: str,
    articles: Sequence[Article],
    speakers: dict[str, SpeakerQuotes],
    surname_count: dict[str, int],
    common: frozenset[str],
) -> tuple[list[Question], list[tuple[str, Topic, str]]]:
    """ "What did X say?" once per speaker and "What did X say about Y?" once or twice, with the topics used."""
    by_id = {a.id: a for a in articles}
    questions: list[Question] = []
    used_topics: list[tuple[str, Topic, str]] = []  # (speaker key, topic, article id)
    for key in sorted(speakers):
        sq = speakers[key]
        if not any(q.explicit for qs in sq.by_article.values() for q in qs):
            continue
        unique = surname_count[fold(sq.name.split()[-1])] == 1
        gold: list[dict[str, str]] = []
        for aid in sorted(sq.by_article):
            gold += _gold(by_id[aid], [s for q in sq.by_article[aid] for s in q.sentences])
        x = name_form(f"{split}:{key}:s", sq.name, sq.role, unique)
        questions.append(_q("speaker", _pick(f"{split}:{key}:sf", SPEAKER_FORMS).format(x=x), gold, sq.name))
        # the same person by another name when the text allows one: surname alone or title and surname
        variants = [v for v in name_variants(sq.name, sq.role, unique) if v != x]
        if variants:
            v = _pick(f"{split}:{key}:v", variants)
            questions.append(_q("speaker", _pick(f"{split}:{key}:vf", SPEAKER_FORMS).format(x=v), gold, sq.name))
        asked: set[str] = set()
        for aid, n, q in [(a, n, q) for a in sorted(sq.by_article) for n, q in enumerate(sq.by_article[a])]:
            if not q.explicit or len(asked) >= MAX_TOPICS_PER_SPEAKER:
                continue
            article, quotes = by_id[aid], sq.by_article[aid]
            topics = [t for t in topics_for(article, q, sq.name, common) if t.phrase not in asked]
            if not topics:
                continue
            # up to two topics per quotation: one of its own (a phrase or a name in it), one of the title's
            own = [t for t in topics if not t.whole_article]
            title = [t for t in topics if t.whole_article]
            chosen = [_pick(f"{split}:{key}:{aid}:{n}:{i}", group) for i, group in enumerate((own, title)) if group]
            for i, topic in enumerate(chosen):
                if len(asked) >= MAX_TOPICS_PER_SPEAKER:
                    break
                on_topic = quotes if topic.whole_article else [o for o in quotes if _mentions(article, o, topic)]
                if not on_topic:
                    continue
                x = name_form(f"{split}:{key}:{aid}:{n}:{i}", sq.name, sq.role, unique)
                form = _pick(f"{split}:{key}:{aid}:{n}:{i}:f", TOPIC_FORMS)
                if form.startswith("How did") and not topic.whole_article:
                    form = TOPIC_FORMS[0]  # "react to" fits an event (the article's subject), not any phrase
                gold = _gold(article, [s for o in on_topic for s in o.sentences])
                questions.append(_q("speaker_topic", form.format(x=x, y=topic.phrase), gold, sq.name))
                used_topics.append((key, topic, aid))
                asked.add(topic.phrase)
    return questions, used_topics


def _mentions(article: Article, q: AttributedQuote, topic: Topic) -> bool:
    held = " ".join(_sentence_texts(article, q.sentences))
    return topic.words <= _words(held)


def _q(kind: str, question: str, gold: list[dict[str, str]], speaker: str | None) -> Question:
    return {"question": question, "kind": kind, "unanswerable": not gold, "gold": gold, "speaker": speaker}


# --- factual questions ------------------------------------------------------------------------------------

_NAME = r"(?P<who>(?:[A-Z][\w'’\-]+ ){1,3}[A-Z][\w'’\-]+)"
FACT_PATTERNS = (
    (
        re.compile(
            _NAME + r",?(?: [^,.;\"]{0,60},)? (?:was|has been|had been|is) (?P<verb>appointed|named|elected|chosen|"
            r"selected|sworn in as) (?:as )?(?P<what>(?:the |a |an )?[^,.;\"()\d]{6,70}?)"
            r"(?=[,.;]| on | at | by | after | in "
            r"(?:January|February|March|April|May|June|July|August|September|October|November|December|\d))"
        ),
        "Who was {verb} {what}?",
    ),
    (
        re.compile(_NAME + r"[^.;\"]{0,80}? died[^.;\"]{0,60}? (?:aged|at the age of|at age) (?P<age>\d{1,3})\b"),
        "At what age did {who} die?",
    ),
    (
        re.compile(_NAME + r",?(?: [^,.;\"]{0,60},)? (?:was|has been|were) sentenced to (?P<what>[^.;,\"]{4,60})"),
        "What sentence did {who} receive?",
    ),
    (  # "Anne Hidalgo, the mayor of Paris, said …"
        re.compile(
            _NAME + r", (?:the |a )?(?P<role>(?:(?!the |formerly |then )[a-z][a-z\-]+ ){0,3}"
            r"(?:mayor|president|prime minister|"
            r"minister|governor|director|head|leader|chief|chairman|chair|founder|ceo|spokesperson|"
            r"secretary|ambassador|speaker|captain|coach|judge) of (?:the )?[A-Z][^,.;\"()]{2,50}?),"
        ),
        "Who is the {role}?",
    ),
    (  # "John Smith, 45, was arrested"
        re.compile(_NAME + r", (?:aged )?(?P<age>\d{2}),"),
        "How old is {who}?",
    ),
    (
        re.compile(
            _NAME + r" (?:won|has won|had won) the (?P<what>(?:\d{4} )?[A-Z][\w\-]*(?: (?:of |for |the )?"
            r"[A-Z0-9][\w\-]*){1,6})"
        ),
        "Who won the {what}?",
    ),
)


def factual_questions(articles: Sequence[Article], common: frozenset[str]) -> list[Question]:
    """Questions templated from sentences of a clear form; kept only when the question is unique in the split
    (no second sentence of the split answers a question worded the same way)."""
    found: dict[str, list[tuple[Article, Span]]] = defaultdict(list)
    for article in articles:
        names = person_names(article.text, common)
        for span in all_sentence_spans(article.text):
            sentence = article.text[span.start : span.end]
            for pattern, form in FACT_PATTERNS:
                m = pattern.search(sentence)
                if m is None:
                    continue
                who = _person(m.group("who"), names, common)
                if who is None:
                    continue
                values = {k: v.strip() for k, v in m.groupdict().items() if v}
                values["who"] = who
                question = form.format(**values)
                if len(question) > 120 or '"' in question:
                    continue
                found[question].append((article, span))
    out: list[Question] = []
    for question in sorted(found):
        hits = found[question]
        if len({a.id for a, _ in hits}) != 1:
            continue
        article = hits[0][0]
        out.append(_q("factual", question, _gold(article, [s for _, s in hits]), None))
    return out


def _person(words: str, names: Sequence[str], common: frozenset[str]) -> str | None:
    tokens = tuple(words.split())
    while tokens and tokens[0] in STOP_WORDS:
        tokens = tokens[1:]
    if not tokens:
        return None
    person = person_of(Mention(tokens, Span(0, len(words)), False), names, common)
    return person.name if person is not None else None


# --- unanswerable questions -------------------------------------------------------------------------------


def absent(name: str, split_words: set[str]) -> bool:
    """Neither the first name nor the surname, nor anything spelt close to them, occurs in the split."""
    for part in (name.split()[0], name.split()[-1]):
        p = fold(part)
        if p in split_words or difflib.get_close_matches(p, split_words, n=1, cutoff=0.85):
            return False
    return True


def unanswerable_person_questions(
    split: str, others: Sequence[str], split_words: set[str], topics: Sequence[tuple[str, Topic, str]], n: int
) -> list[Question]:
    pool = [name for name in others if absent(name, split_words)]
    out: list[Question] = []
    for i, name in enumerate(sorted(pool, key=lambda s: hashlib.sha256(f"{split}:{s}".encode()).hexdigest())[:n]):
        if i % 2 == 0 and topics:
            topic = _pick(f"{split}:{name}:ut", [t for _, t, _ in topics])
            form = _pick(f"{split}:{name}:uf", TOPIC_FORMS[:1] + TOPIC_FORMS[2:])
            question = form.format(x=name, y=topic.phrase)
        else:
            question = _pick(f"{split}:{name}:uf", SPEAKER_FORMS).format(x=name)
        out.append(_q("unanswerable_person", question, [], name))
    return out


def unanswerable_topic_questions(
    split: str,
    articles: Sequence[Article],
    speakers: dict[str, SpeakerQuotes],
    topics: Sequence[tuple[str, Topic, str]],
    n: int,
) -> list[Question]:
    """A person quoted in one article of the split, asked about another article's topic that their article
    never mentions (and whose article never names them)."""
    by_id = {a.id: a for a in articles}
    out: list[Question] = []
    keys = sorted(speakers, key=lambda k: hashlib.sha256(f"{split}:{k}:ut".encode()).hexdigest())
    for key in keys:
        if len(out) >= n:
            break
        sq = speakers[key]
        if len(sq.by_article) != 1:
            continue
        own = by_id[next(iter(sq.by_article))]
        own_words = _words(own.text)
        surname = fold(sq.name.split()[-1])
        candidates = [
            t
            for k, t, aid in topics
            if k != key and aid != own.id and not (t.words & own_words) and surname not in _words(by_id[aid].text)
        ]
        if not candidates:
            continue
        topic = _pick(f"{split}:{key}:utt", candidates)
        form = _pick(f"{split}:{key}:utf", TOPIC_FORMS[:1] + TOPIC_FORMS[2:])
        out.append(_q("unanswerable_topic", form.format(x=sq.name, y=topic.phrase), [], sq.name))
    return out


# --- the build --------------------------------------------------------------------------------------------


def build(rows: Iterable[dict[str, str]]) -> tuple[list[Article], dict[str, list[Question]]]:
    articles = select_articles(rows)
    common = common_words(articles)
    by_split = {s: [a for a in articles if a.split == s] for s in SPLITS}
    speakers = {s: speakers_of(by_split[s], common) for s in SPLITS}
    out: dict[str, list[Question]] = {}
    for split in SPLITS:
        arts = by_split[split]
        split_words = set().union(*(_words(a.text) for a in arts))
        surname_count: dict[str, int] = defaultdict(int)
        for name in {n for a in arts for n in person_names(a.text, common)}:
            surname_count[fold(name.split()[-1])] += 1
        qs, topics = speaker_questions(split, arts, speakers[split], surname_count, common)
        qs += factual_questions(arts, common)
        n_unanswerable = round(len(qs) * UNANSWERABLE_SHARE / (1 - UNANSWERABLE_SHARE))
        others = sorted({sq.name for s in SPLITS if s != split for sq in speakers[s].values()})
        qs += unanswerable_person_questions(split, others, split_words, topics, (n_unanswerable + 1) // 2)
        qs += unanswerable_topic_questions(split, arts, speakers[split], topics, n_unanswerable // 2)
        seen: set[str] = set()
        unique = [q for q in qs if not (q["question"] in seen or seen.add(str(q["question"])))]  # type: ignore[func-returns-value]
        out[split] = [{"id": f"{split}-{i:04d}", **q} for i, q in enumerate(unique)]
    return articles, out


def verify(articles: Sequence[Article], questions: dict[str, list[Question]]) -> list[str]:
    """Problems with the set: gold texts not in their files, absent people present, articles in two splits."""
    problems: list[str] = []
    files = {(a.split, a.file): a.text for a in articles}
    if len({a.id for a in articles}) != len(articles):
        problems.append("an article id is used twice")
    for split, qs in questions.items():
        split_words = set().union(*(_words(a.text) for a in articles if a.split == split))
        for q in qs:
            for g in q["gold"]:  # type: ignore[attr-defined]
                text = files.get((split, g["source"]))
                if text is None or g["text"] not in text:
                    problems.append(f"{q['id']}: gold text not in {g['source']}")
            if q["kind"] == "unanswerable_person" and not absent(str(q["speaker"]), split_words):
                problems.append(f"{q['id']}: {q['speaker']} occurs in the {split} split")
            if bool(q["unanswerable"]) == bool(q["gold"]):
                problems.append(f"{q['id']}: unanswerable flag and gold disagree")
    return problems


def write(out: Path, articles: Sequence[Article], questions: dict[str, list[Question]]) -> None:
    for split in SPLITS:
        folder = out / "articles" / split
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.txt"):
            old.unlink()
    for a in articles:
        (out / "articles" / a.split / a.file).write_text(a.text, encoding="utf-8")
    with (out / "articles.tsv").open("w", encoding="utf-8") as f:
        f.write("id\tsplit\tdate\turl\ttitle\n")
        for a in articles:
            f.write(f"{a.id}\t{a.split}\t{a.date}\t{a.url}\t{a.title}\n")
    for split, qs in questions.items():
        lines = [json.dumps(q, ensure_ascii=False) for q in qs]
        (out / f"questions-{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def counts(articles: Sequence[Article], questions: dict[str, list[Question]]) -> str:
    kinds = ("speaker", "speaker_topic", "factual", "unanswerable_person", "unanswerable_topic")
    rows = ["| split | articles | questions | " + " | ".join(kinds) + " | distinct speakers |", "|---" * 9 + "|"]
    for split in SPLITS:
        qs = questions[split]
        per = [sum(q["kind"] == k for q in qs) for k in kinds]
        speakers = len({q["speaker"] for q in qs if q["kind"] in ("speaker", "speaker_topic")})
        n_art = sum(a.split == split for a in articles)
        rows.append(f"| {split} | {n_art} | {len(qs)} | " + " | ".join(map(str, per)) + f" | {speakers} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.devset.build", description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder with the Wikinews CSV files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    rows = read_source_or_say(args.source, "devset")
    if rows is None:
        return 2
    articles, questions = build(rows)
    problems = verify(articles, questions)
    if problems:
        for p in problems:
            print(f"devset: {p}", file=sys.stderr)
        return 1
    write(args.out, articles, questions)
    print(counts(articles, questions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
