"""Questions about organisations from the development set's articles: "What did the Coast Guard say?".

    .venv/bin/python -m benchmarks.devset.organisations [--data DIR] [--splits train dev test]

Reads the built set (``DIR/articles/<split>/``, made by ``benchmarks.devset.build``; default
benchmarks/data/devset) and writes ``DIR/questions-organisations-<split>.jsonl`` in the question-set format of
``retrieval/eval/questionset.py`` (git-ignored, like the other question files), then prints the counts. Score a
split with ``verbatim eval questions DIR/questions-organisations-<split>.jsonl --corpus DIR/articles/<split>``.

The gold rules are written here, apart from Verbatim's speaker analysis, and narrow on purpose (precision over
recall), as the person gold of ``retrieval/eval/gold_attribution.py`` is, whose word lists and name runs they use:

- **An organisation** is a capitalised run (``capitalised_runs``) holding an organisation word of the gold lists
  (``ORG_WORDS``: Ministry, Department, Police, Times, Kremlin, Google, …) or an acronym (two capitals or more),
  that names no person (``person_of``). "The" before it is not part of the name.
- **Its statement** is a sentence where it is the subject of a reporting verb (``REPORTING_VERBS``), at the start
  of the sentence or of a clause after a comma, with at most a voice noun ("spokesman", "statement",
  "officials") and adverbs between ("The Coast Guard said …", "In a statement, the ministry later said …"); a
  sentence holding a quotation attributed to it (``mentions_after`` / ``mentions_before``: "“…,” said the
  Pentagon"); or one that starts "According to (the) ORG" or has ", according to (the) ORG" in it.
- **Its people**: the sentences of an attributed quotation (``attributed_quotes``) whose speaker's role, as
  written before the name, holds the organisation's name ("NATO Secretary General Mark Rutte").

Questions, per split: ``organisation`` ("What did the Coast Guard say?", gold: every statement of it and of its
people in the split); ``organisation_topic`` ("What did the Coast Guard say about Manila?", the topic a name
in one of its statements; gold: its statements holding the topic's words); ``organisation_absent``
(unanswerable: an organisation of another split whose distinctive words never occur in this split).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.devset.build import (
    DEFAULT_OUT,
    SPEAKER_FORMS,
    SPLITS,
    Article,
    Question,
    _pick,
    _q,
    _words,
    common_words,
    entity_topics,
)
from retrieval.eval.gold_attribution import (
    ORG_WORDS,
    REPORTING_VERBS,
    ROLE_WORDS,
    STOP_WORDS,
    attributed_quotes,
    fold,
    quotation_spans,
    word_set,
)
from retrieval.eval.gold_text import Span, all_sentence_spans, paragraph_spans

# The gold's verbs of saying, and the ways news writes what an organisation said that a person's quotation
# rarely uses: "reported", "indicated", "issued a (hurricane) warning", "released a statement".
_ORG_VERBS = ("reported", "reports", "indicated", "estimated", "declared", "alleged", "accused", "denied")
_VERB = "(?:" + "|".join(sorted(set(REPORTING_VERBS) | set(_ORG_VERBS), key=len, reverse=True)) + ")"
_ISSUED = r"(?:issued|released|published)\s+(?:a|an|its)\s+(?:[\w-]+\s+)?(?:statement|warning|report|advisory)"
# a subject's verb: finite ("said", "announced"), not a participle after a comma ("…, D.C. saying") or "continued"
_FINITE_VERBS = {v for v in {*REPORTING_VERBS, *_ORG_VERBS} if not v.endswith("ing")} - {"continued"}
_FINITE = "(?:" + "|".join(sorted(_FINITE_VERBS, key=len, reverse=True)) + "|" + _ISSUED + ")"
_VOICE = r"(?:spokes(?:man|woman|person)|statement|officials?|representatives?)"
_ADVERB = r"(?:also|later|reportedly|further|previously|recently|then|again|has|have|had|officially|publicly)"
TOPIC_FORMS = ("What did {x} say about {y}?", "What did {x} have to say about {y}?", "What were {x}'s comments on {y}?")
MAX_TOPICS = 2  # topic questions per organisation and split
ABSENT_SHARE = 0.2  # of a split's questions


@dataclass
class Organisation:
    """One organisation's statements in one split: its name as the question writes it, and its gold sentences."""

    name: str  # "the Coast Guard", "NBC News"
    words: frozenset[str]  # its folded words
    gold: dict[str, list[Span]] = field(default_factory=dict)  # article file -> sentences


def _acronym(word: str) -> bool:
    bare = word.replace(".", "").replace("&", "")
    return len(bare) > 1 and bare.isupper() and bare.isalpha()


_NAME = r"[A-Z][\w&'’.\-]*+"  # possessive: "U.S." is never cut to "U.S"
_RUN = rf"{_NAME}(?:\s+(?:(?:of|for|and|the|de)\s+)*{_NAME})*"  # "Ministry of the Interior", "PG&E"
_CONNECTORS = frozenset({"of", "for", "and", "the", "de"})
_SUBJECT = re.compile(
    rf"(?:^|[,;]\s+|—\s*)(?:[Tt]he\s+)?(?P<org>{_RUN})(?:['’]s)?\s+(?:{_VOICE}\s+)?(?:{_ADVERB}\s+){{0,2}}{_FINITE}\b"
)
_AFTER_QUOTE = re.compile(
    rf"^,?\s*(?:(?:[Tt]he\s+)?(?P<org>{_RUN})\s+{_FINITE}\b|{_VERB}\s+(?:the\s+)?(?P<org2>{_RUN})(?=\s*[,;]|\.?$|\.\s))"
)
_ACCORDING_TO = re.compile(rf"(?:^|,\s+)[Aa]ccording to (?:the )?(?P<org>{_RUN})(?=\s*[,;]|\.?$|\.\s)")


def organisation_name(run: str, common: frozenset[str]) -> str | None:
    """The organisation a capitalised run names, or None: the words before its first "of"/"for" end in an
    organisation word of the gold lists or an acronym ("Coast Guard", "Ministry of Foreign Affairs", "NBC",
    "Taiwan's Constitutional Court"); one word must not be a common word written capitalised ("Prosecutors")."""
    words = run.split()
    while words and words[0] in _LEADING:  # "The", "A", "On Friday"; not "National", "Russian"
        words = words[1:]
    if words and "." not in words[-1][:-1]:
        words[-1] = words[-1].rstrip(".")  # "according to CNN." ends a sentence; "U.S." keeps its dots
    if not words or not words[-1]:
        return None
    cut = next((k for k, w in enumerate(words) if w in _CONNECTORS), len(words))
    if cut == 0 or words[cut : cut + 1] == ["and"]:
        return None  # two names ("the AP and NBC News")
    head = words[:cut]
    last = head[-1].removesuffix("'s").removesuffix("’s")
    if not (last in ORG_WORDS or _acronym(last)) or last in ROLE_WORDS or last in _POST_NOMINALS:
        return None  # "MP", "QC" are titles
    if len(words) == 1 and not _acronym(last) and (last.lower() in common or last in STOP_WORDS):
        return None
    # a title and a name inside ("House of Commons Speaker John Bercow", "Prosecutor Kama Melly QC")
    if any(w in ROLE_WORDS and nxt not in ORG_WORDS and nxt not in _CONNECTORS for w, nxt in itertools.pairwise(words)):
        return None
    return " ".join(words)


_LEADING = word_set(
    """The A An On In At By For From With As After Before During Since Until But And Or So Yet Also However
    Meanwhile Later Earlier Then Still When While If Although Though Because Today Yesterday Tomorrow Last Next
    One Some Many Several Both Each Other This That These Those Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday January February March April May June July August September October November December"""
)
_POST_NOMINALS = frozenset({"QC", "KC", "MP", "MEP", "OBE", "MBE", "CBE", "PhD", "Jr", "Sr", "II", "III"})


def _quoted(sentence: str, pos: int) -> bool:
    """Is ``pos`` inside a quotation of the sentence (an odd number of straight quotes before it, or a “ not
    closed yet)?"""
    before = sentence[:pos]
    return before.count('"') % 2 == 1 or before.rfind("“") > before.rfind("”")


def _written(text: str, start: int, name: str) -> str:
    """The name as a question writes it: with "the" when the article put one before it ("according to The
    Guardian" too)."""
    the = re.search(r"\b[Tt]he\s+$", text[max(0, start - 4) : start]) or text[start:].startswith("The ")
    return f"the {name}" if the else name


def statements(text: str, common: frozenset[str]) -> list[tuple[str, str, Span]]:
    """(name, written form, sentence) for every sentence of an article where an organisation speaks."""
    sentences = all_sentence_spans(text)
    out: list[tuple[str, str, Span]] = []
    for s in sentences:
        sentence = text[s.start : s.end]
        for m in (*_SUBJECT.finditer(sentence), *_ACCORDING_TO.finditer(sentence)):
            name = organisation_name(m.group("org"), common)
            if name is not None and not _quoted(sentence, m.start("org")):
                out.append((name, _written(sentence, m.start("org"), name), s))
                break
    for para in paragraph_spans(text):
        ptext = text[para.start : para.end]
        for q in quotation_spans(ptext):
            after = _AFTER_QUOTE.match(ptext[q.end :])
            if after is None:
                continue
            group = "org" if after.group("org") else "org2"
            name = organisation_name(after.group(group), common)
            if name is not None:
                quote = Span(para.start + q.start, para.start + q.end)
                written = _written(ptext, q.end + after.start(group), name)
                out += [(name, written, s) for s in sentences if s.overlaps(quote)]
    return out


def organisations_of(articles: Sequence[Article], common: frozenset[str]) -> dict[str, Organisation]:
    """The organisations that speak in a split, by folded name, with their statements and their people's."""
    out: dict[str, Organisation] = {}
    for article in articles:
        for name, written, span in statements(article.text, common):
            key = fold(name)
            org = out.setdefault(key, Organisation(written, frozenset(_words(name))))
            org.gold.setdefault(article.file, []).append(span)
    for article in articles:
        for q in attributed_quotes(article.text, common):
            role = _words(q.role)
            for org in out.values():
                if q.explicit and role and org.words <= role:
                    org.gold.setdefault(article.file, []).extend(q.sentences)
    return out


def _gold(texts: dict[str, str], org: Organisation, only: frozenset[str] = frozenset()) -> list[dict[str, str]]:
    gold: list[dict[str, str]] = []
    for file in sorted(org.gold):
        sentences = dict.fromkeys(texts[file][s.start : s.end] for s in sorted(org.gold[file], key=lambda s: s.start))
        gold += [{"source": file, "text": t} for t in sentences if only <= _words(t)]
    return gold


def questions_for(
    split: str, articles: Sequence[Article], orgs: dict[str, dict[str, Organisation]], common: frozenset[str]
) -> list[Question]:
    texts = {a.file: a.text for a in articles}
    out: list[Question] = []
    for key in sorted(orgs[split]):
        org = orgs[split][key]
        question = _pick(f"{split}:{key}:o", SPEAKER_FORMS).format(x=org.name)
        out.append(_q("organisation", question, _gold(texts, org), None))
        topics: list[str] = []
        for file in sorted(org.gold):
            for s in org.gold[file]:
                found = entity_topics(texts[file][s.start : s.end], set(org.words), common)
                topics += [t for t in found if t not in topics]
        for n, topic in enumerate(sorted(topics, key=lambda t: _digest(f"{split}:{key}:{t}"))[:MAX_TOPICS]):
            gold = _gold(texts, org, frozenset(w for w in _words(topic) if len(w) > 2))
            if gold:
                form = _pick(f"{split}:{key}:{n}:f", TOPIC_FORMS)
                out.append(_q("organisation_topic", form.format(x=org.name, y=topic), gold, None))
    split_words = set().union(*(_words(a.text) for a in articles))
    others = {k: o for s in SPLITS if s != split for k, o in orgs[s].items() if k not in orgs[split]}
    absent = [k for k, o in others.items() if not ((o.words - _GENERIC) & split_words) and o.words - _GENERIC]
    n = round(len(out) * ABSENT_SHARE / (1 - ABSENT_SHARE))
    for key in sorted(absent, key=lambda k: _digest(f"{split}:{k}:a"))[:n]:
        question = _pick(f"{split}:{key}:af", SPEAKER_FORMS).format(x=others[key].name)
        out.append(_q("organisation_absent", question, [], None))
    return [{"id": f"{split}-org-{i:03d}", **q} for i, q in enumerate(out)]


_GENERIC = frozenset(fold(w) for w in ORG_WORDS) | {"the", "of", "for", "and"}


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def read_split(data: Path, split: str) -> list[Article]:
    out: list[Article] = []
    for path in sorted((data / "articles" / split).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append(Article(path.stem, split, "", "", text.split("\n", 1)[0], text))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.devset.organisations", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT, help="the built development set")
    parser.add_argument("--splits", nargs="*", default=list(SPLITS))
    args = parser.parse_args(argv)
    articles = {s: read_split(args.data, s) for s in SPLITS}
    if not any(articles.values()):
        print(f"organisations: no articles under {args.data / 'articles'} (build the set first)", file=sys.stderr)
        return 2
    common = common_words(a for s in SPLITS for a in articles[s])
    orgs = {s: organisations_of(articles[s], common) for s in SPLITS}
    print("| split | questions | organisation | organisation_topic | organisation_absent | gold sentences |")
    print("|---|---|---|---|---|---|")
    for split in args.splits:
        qs = questions_for(split, articles[split], orgs, common)
        path = args.data / f"questions-organisations-{split}.jsonl"
        path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in qs), encoding="utf-8")
        kinds: dict[str, int] = defaultdict(int)
        gold = 0
        for q in qs:
            kinds[str(q["kind"])] += 1
            gold += len(q["gold"]) if q["kind"] == "organisation" else 0  # type: ignore[arg-type]
        print(f"| {split} | {len(qs)} | {kinds['organisation']} | {kinds['organisation_topic']} | "
              f"{kinds['organisation_absent']} | {gold} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
