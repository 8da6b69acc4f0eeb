"""Direct quotations with an explicit speaker, found by a few plain patterns (the development set's gold rules).

Only explicit attributions count: a name next to a reporting verb on either side of the quotation
(``"…," Smith said``, ``"…," said Prime Minister Boris Johnson``, ``Smith said on Tuesday, "…"``,
``Smith, the mayor, said: "…"``) or ``according to Smith``. A speaker written by surname or title alone is
resolved to the one full name in the same article that ends with that surname, and dropped when there is none
or more than one. Pronoun attributions (``he said``) never create a speaker; they only extend the quotes of the
person explicitly quoted just before (continuation, see ``attributed_quotes``).

These rules are independent of Verbatim's own speaker analysis on purpose: the gold must not inherit the
product's errors. They are deliberately narrow (precision over recall); ``NOT_PEOPLE`` lists the capitalised
subjects that a review of the Wikinews source showed are not people.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retrieval.eval.gold_text import Span, paragraph_spans, sentence_spans


def word_set(words: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string (easier to read and review than a literal)."""
    return frozenset(words.split())


REPORTING_VERBS = (
    "said", "says", "told", "tells", "added", "adds", "wrote", "writes", "tweeted", "stated", "states",
    "explained", "explains", "noted", "notes", "continued", "remarked", "commented", "announced", "declared",
    "insisted", "warned", "warns", "argued", "argues", "claimed", "claims", "replied", "responded", "asked",
    "urged", "acknowledged", "admitted", "recalled", "concluded", "posted", "observed", "confirmed",
    "emphasised", "emphasized", "stressed", "described", "called", "predicted", "suggested", "vowed",
    "promised", "cautioned", "lamented", "praised", "criticised", "criticized", "wondered", "joked",
    "exclaimed", "elaborated", "reiterated", "opined", "answered", "recounted", "characterised",
    "characterized", "informed", "recalls", "adding", "saying", "writing", "telling",
)  # fmt: skip
_VERB = "(?:" + "|".join(sorted(set(REPORTING_VERBS), key=len, reverse=True)) + ")"

# Words that stand before a name as a title or role; stripped from the mention, kept as the person's role.
ROLE_WORDS = word_set(
    """President Vice Prime Minister Ministers Secretary Senator Sen Governor Gov Mayor Dr Mr Mrs Ms Miss Mx
    Professor Prof Chancellor General Gen Judge Justice Chief Executive Chairman Chairwoman Chair Spokesperson
    Spokesman Spokeswoman Officer Captain Capt Coach Director Commissioner Leader Rep Representative King Queen
    Prince Princess Pope Sheikh Sir Dame Lord Lady Deputy Foreign Health Interior Defence Defense Finance Former
    Acting Attorney Speaker Ambassador Archbishop Bishop Cardinal Detective Inspector Superintendent Sergeant Sgt
    Lieutenant Lt Colonel Col Major Admiral Commander Premier Father Reverend Rev Rabbi Imam Councillor Councilor
    Assemblyman Assemblywoman Congressman Congresswoman MP MEP Senior Lead Head Founder CEO Chairperson Agent
    Trooper Constable Sheriff Marshal Lawyer Attorney-General Solicitor Counsel Economy Environment Education
    Transport Justice Labour Labor Trade Home State Cabinet Opposition Party Emir Crown Grand Supreme Dean Coroner
    Physician Surgeon Nurse Minister-President Taoiseach Tánaiste Mufti Ayatollah Patriarch Rector Sister Brother
    Doctor Fire Whip Minority Majority Broadcaster Co-author Co-developer Voter Immunologist Fellow Represenative
    Resident Actor Actress Singer Artist Author Writer Colleague Activist Protester Witness Survivor Student
    Teacher Scientist Researcher Astronomer Economist Analyst Journalist Reporter Photographer Filmmaker
    Producer Rapper Musician Comedian Athlete Player Goalkeeper Striker Runner Swimmer Cyclist Driver Pilot
    Farmer Owner Manager Employee Worker Soldier Veteran Victim Suspect Advocate Epidemiologist Virologist
    Biologist Geologist Physicist Chemist Historian Archaeologist Palaeontologist Paleontologist Ecologist
    Lecturer Neuroscientist Psychologist Sociologist Astronaut Cosmonaut Engineer Designer Editor Columnist
    Commentator Presenter Host Anchor Pastor Priest Monk Nun Mother Son Daughter Wife Husband Aunt Uncle"""
)
# Capitalised words that make a run an organisation, a place or a thing rather than a person.
ORG_WORDS = word_set(
    """Department Ministry Government Party University College School Council Office Agency Service Services
    Association Committee Commission Court Company Corporation Corp Inc Ltd Group News Times Post Journal Press
    Reuters Twitter Facebook Instagram YouTube House Kremlin Pentagon Organization Organisation Institute
    Foundation Union Club Team Airlines Airways Authority Board Bureau Centre Center Federation Network Navy Army
    Force Forces Guard Administration Embassy Parliament Senate Congress Secretariat League Police Department
    Hospital Church Bank Fund Society Museum Observatory Laboratory Lab Agency Republic Kingdom States Nations
    Council Assembly Cabinet Tribunal Prosecutor's Prosecutors Station Coast Campaign Movement Alliance Coalition
    Front Brigade Industries Motors Airport Railway Railways Media Channel Radio Television TV Magazine Herald
    Telegraph Guardian Gazette Tribune Daily Weekly Review Statement Report Study Survey Ministry's Google Apple
    Amazon Microsoft Boeing Airbus Tesla SpaceX NASA Wikinews Wikipedia Street Avenue Road Square Park River
    Island Islands Mountain County Province District City Town Village Region Valley Bay Sea Ocean Lake Port
    Storm Hurricane Typhoon Cyclone Virus Coronavirus COVID-19 God Allah Jesus Hall Safety Research Observer
    See Abuse Hospital Saint Code Act Law Show Forum Command Cross"""
)
# Capitalised words that start a sentence or name a day or month: they end a name run.
STOP_WORDS = word_set(
    """The A An This That These Those It Its His Her Their Our We They He She I You But And Or So Yet Also However
    Meanwhile Later Earlier Then Still Moreover Furthermore When While After Before Although Though Because If As
    In On At Of For From By With Without Into About Over Under Since Until During Speaking Asked According
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Today Yesterday Tomorrow Last Next Mr. Dr. Both Each Some Many Several
    Other Others There Here What Who Why How Where Which Whose One Two Three Four Five Six Seven Eight Nine Ten
    Officials Authorities Police Experts Researchers Scientists Witnesses Residents Reports Sources Critics
    Local Federal National International Global European American British Chinese Russian French German Indian
    Australian Canadian Japanese Iranian Israeli Palestinian Turkish Syrian Egyptian Brazilian Mexican Spanish
    Italian Irish Scottish Welsh English Korean Pakistani Afghan Iraqi Saudi Ukrainian Polish Dutch Swedish
    Norwegian Danish Finnish Greek Portuguese Swiss Austrian Belgian Nigerian Kenyan Ethiopian Venezuelan
    Colombian Argentine Argentinian Chilean Peruvian Cuban Filipino Indonesian Malaysian Thai Vietnamese
    Taiwanese Samoan Zimbabwean Sudanese Libyan Lebanese Jordanian Emirati Qatari Democratic Republican
    Democrat Republicans Democrats Conservative Liberal Labour"""
)
PARTICLES = word_set("de da di du van von der den del la le bin bint al el dos das ibn")
_POST_NOMINALS = word_set("QC KC MP MEP MLA MSP Jr Sr PhD OBE MBE CBE")
_ABBREVIATED = word_set("Jr Sr St Dr Mr Mrs Ms Prof Gen Gov Sen Rep Capt Lt Col Sgt Rev")


@dataclass(frozen=True)
class Mention:
    """A capitalised run next to a reporting verb, as written, with its place in the passage."""

    words: tuple[str, ...]
    span: Span
    after_preposition: bool  # "of the Holy See", "to BBC": the object of a preposition, not a subject


@dataclass(frozen=True)
class Person:
    name: str  # the full name ("Boris Johnson")
    role: str  # title or role words written before it in this mention ("Prime Minister"), or ""


@dataclass(frozen=True)
class AttributedQuote:
    speaker: str  # the full name the mention resolves to
    role: str  # title or role written before the name ("Prime Minister"), or ""
    quote: Span  # the quotation, marks included, in file coordinates
    sentences: tuple[Span, ...]  # the sentences that hold the quotation
    explicit: bool  # False: a continuation ("he said", or an unattributed quote) of an explicit one
    paragraph: int  # index of the paragraph in paragraph_spans(text)


_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*|\d[\w\-]*|[^\w\s]")
_PREPOSITIONS = word_set("of at from for with to by the in on")
_HYPHEN_PARTICLE = re.compile(r"^(?:al|el|ad|as|an|ar|at|az|bin|ibn|ben)-[^\W\d_]")


def capitalised_runs(passage: str) -> list[Mention]:
    """Runs of capitalised words (with name particles and initials) in ``passage``, in order."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(passage)]
    runs: list[Mention] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i][0]
        if not tok[:1].isupper() or tok in STOP_WORDS:
            i += 1
            continue
        j = i
        words: list[str] = []
        while j < len(tokens):
            t = tokens[j][0]
            if t[:1].isupper() and (t not in STOP_WORDS or t in ROLE_WORDS):
                words.append(t)
            elif t == "." and words and (len(words[-1]) == 1 or words[-1] in _ABBREVIATED):
                words[-1] += "."
            elif (t in PARTICLES and words and j + 1 < len(tokens) and tokens[j + 1][0][:1].isupper()) or (
                words and _HYPHEN_PARTICLE.match(t)  # el-Sisi, al-Assad
            ):
                words.append(t)
            else:
                break
            j += 1
        prev = tokens[i - 1][0].lower() if i > 0 else ""
        runs.append(Mention(tuple(words), Span(tokens[i][1], tokens[j - 1][2]), prev in _PREPOSITIONS))
        i = j
    return runs


def fold(word: str) -> str:
    """A word without case and accents, for comparing names (Erdoğan, Erdogan)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def _is_role(word: str) -> bool:
    bare = word.rstrip(".")
    return word in ROLE_WORDS or bare in ROLE_WORDS or bare in _ABBREVIATED or bare.lower().endswith(("-old", "-based"))


def person_of(mention: Mention, full_names: Iterable[str], common: frozenset[str]) -> Person | None:
    """The person a mention names, or None.

    Role words are cut off the front (up to the last one: "House Speaker Nancy Pelosi"); so is a leading
    common word when three or more words would remain ("Immunologist Kristian Andersen"), and the place after a
    preposition ("of Argentina Alberto Fernández"). A single word is resolved to the article's one full name with
    that surname. Organisations, acronyms, possessives and ``NOT_PEOPLE`` are refused.
    """
    words = list(mention.words)
    last_role = max((k for k, w in enumerate(words) if _is_role(w)), default=-1)
    role = " ".join(words[: last_role + 1])
    words = words[last_role + 1 :]
    while words and words[-1].rstrip(".") in _POST_NOMINALS:
        words = words[:-1]
    if mention.after_preposition and last_role < 0:
        if len(words) < 3:
            return None
        words = words[1:]
    while len(words) >= 3 and words[0].lower() in common:
        words = words[1:]
    if not words or len(words) > 4:
        return None
    if any(w in ORG_WORDS or w.endswith(("'s", "’s")) or (len(w) > 1 and w.isupper()) for w in words):
        return None
    if sum(len(w.rstrip(".")) > 1 for w in words) < min(2, len(words)):  # initials only: "D. C."
        return None
    name = " ".join(words)
    if name in NOT_PEOPLE or any(w in NOT_PEOPLE for w in words):
        return None
    if len(words) >= 2:
        return Person(name, role)
    matches = {n for n in full_names if fold(n.split()[-1]) == fold(words[0])}
    # "Hong Kong Carrie Lam" and "Carrie Lam" are one person: keep the name the others end with.
    shortest = [m for m in matches if all(n == m or n.endswith(" " + m) for n in matches)]
    return Person(shortest[0], role) if len(shortest) == 1 else None


_CLAUSE_END = re.compile(r"[.!?;]\s+(?=[A-Z\"“])|[\"“”]")
_PRE_VERB = re.compile(r"\b(?P<verb>" + _VERB + r")\b(?P<gap>[^\"“”.!?;]{0,60}?)[,:]?\s*$")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_POST_VERB_FIRST = re.compile(r"^\s*[,.!?]?\s*(?P<verb>" + _VERB + r")\s+(?P<gap>(?:[a-z][\w'’\-]*,?\s+){0,5})")
_POST_NAME_TAIL = re.compile(r"^(?:\s*,[^\"“”.;]{1,120}?,)?\s*(?P<verb>" + _VERB + r")\b")
_OF_CHAIN = re.compile(r"^\s+(?:of|at|from)\s[^,;:]*$")
_LEAD = re.compile(r"^\s*[,.!?]?\s*")
# A full stop after an initial or an abbreviation ("John G. Roberts", "Dr. Wolf") does not end the sentence.
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bJr)(?<!\bSr)(?<!\bSt)(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)[.!?;](?:\s|$)"
)


def quotation_spans(paragraph: str) -> list[Span]:
    """Quotations in one paragraph, marks included; an unclosed one (continued in the next paragraph) is left out."""
    spans: list[Span] = []
    open_at: int | None = None
    for i, ch in enumerate(paragraph):
        if ch == "“" and open_at is None:
            open_at = i
        elif ch == "”" and open_at is not None:
            spans.append(Span(open_at, i + 1))
            open_at = None
        elif ch == '"':
            if open_at is None:
                open_at = i
            else:
                spans.append(Span(open_at, i + 1))
                open_at = None
    return [s for s in spans if s.end - s.start > 3]


def _shift(mentions: Iterable[Mention], by: int) -> list[Mention]:
    return [Mention(m.words, Span(m.span.start + by, m.span.end + by), m.after_preposition) for m in mentions]


def mentions_before(paragraph: str, quote: Span, floor: int) -> list[Mention]:
    """Candidate speakers of ``Smith, the mayor, said on Tuesday: "…"`` and ``according to Smith, "…"``, best
    first: the subject of the reporting verb is the first capitalised run of its clause."""
    before = paragraph[floor : quote.start]
    out: list[Mention] = []
    m = _PRE_VERB.search(before)
    if m is not None:
        clause_start = 0
        for c in _CLAUSE_END.finditer(before, 0, m.start()):
            clause_start = c.end()
        clause = before[clause_start : m.start()]
        runs = capitalised_runs(clause)
        if runs and clause[runs[-1].span.end :].strip() == "":
            out += _shift(runs[-1:], floor + clause_start)  # "Smith said"
            if runs[-1].after_preposition:  # "Smith of the Center for Food Safety said": the subject before "of"
                subject = [r for r in runs if not r.after_preposition and _OF_CHAIN.match(clause[r.span.end :])]
                out += _shift(subject[-1:], floor + clause_start)
        elif clause.rstrip().endswith(","):  # "Smith, the head of the agency, said": the clause's subject
            if m.group("verb").endswith("ing"):  # "Trump congratulated Pelosi, saying": the main clause's subject
                subject = [r for r in runs if not r.after_preposition]
            else:
                subject = [r for r in runs if not r.after_preposition and clause[r.span.end :].lstrip().startswith(",")]
            out += _shift(subject[:1], floor + clause_start)
    for a in _ACCORDING.finditer(before):
        out += _shift(_leading_run(before[a.end() :]), floor + a.end())
    return out


def _leading_run(passage: str) -> list[Mention]:
    """The capitalised run that ``passage`` starts with ("according to Smith", not "according to police … Smith")."""
    runs = capitalised_runs(passage)
    return runs[:1] if runs and runs[0].span.start == 0 else []


def mentions_after(paragraph: str, quote: Span, ceiling: int) -> list[Mention]:
    """Candidate speakers of ``"…," Smith said``, ``"…," said his father, Abdullah Kurdi``,
    ``"…," Smith, the mayor, said`` and ``"…", according to Smith``."""
    after = paragraph[quote.end : ceiling]
    end = _SENTENCE_END.search(after)
    closed = paragraph[quote.end - 2 : quote.end - 1] in (".", "") and not after.lstrip().startswith(",")
    if closed and end is None and ceiling < len(paragraph):
        # '"…prayers." President Duda remarked, "…"': the quotation ended its sentence, and the words after it
        # run into the next quotation: they introduce that one
        return []
    after = after[: end.start()] if end else after
    out: list[Mention] = []
    m = _POST_VERB_FIRST.match(after)
    if m is not None:
        runs = capitalised_runs(after[m.end() :])
        if runs and runs[0].span.start == 0:
            out += _shift(runs[:1], quote.end + m.end())
        return out
    lead = _LEAD.match(after)
    offset = lead.end() if lead else 0
    runs = capitalised_runs(after[offset:])
    if runs and runs[0].span.start == 0 and _POST_NAME_TAIL.match(after[offset + runs[0].span.end :]):
        out += _shift(runs[:1], quote.end + offset)
    a = re.match(r"^\s*[,.!?]?\s*according to\s+", after)
    if a is not None:
        out += _shift(_leading_run(after[a.end() :]), quote.end + a.end())
    return out


def person_names(text: str, common: frozenset[str] = frozenset()) -> list[str]:
    """Full names (two to four capitalised words once roles are cut off) written in ``text``."""
    out: list[str] = []
    for run in capitalised_runs(text):
        if len(run.words) >= 2:  # a name after "by" or "with" is still a name (only the speaker test cares)
            person = person_of(Mention(run.words, run.span, False), (), common)
            if person is not None:
                out.append(person.name)
    return out


def _speaker(candidates: Sequence[Mention], full_names: Sequence[str], common: frozenset[str]) -> Person | None:
    for mention in candidates:
        person = person_of(mention, full_names, common)
        if person is not None:
            return person
    return None


def _surname(name: str) -> str:
    return name.split()[-1]


def attributed_quotes(text: str, common: frozenset[str] = frozenset()) -> list[AttributedQuote]:
    """Every explicitly attributed quotation in an article file, and the quotations that continue it.

    ``common``: lower-cased words that occur in lower case in the corpus (to cut "Immunologist" off a name).
    A continuation is an unattributed or he/she-attributed quotation that starts a sentence after an explicit
    one of a single speaker in the same paragraph, or stands in the next paragraph when that paragraph names
    no other person.
    """
    full_names = person_names(text, common)
    paragraphs = paragraph_spans(text)
    out: list[AttributedQuote] = []
    last: tuple[Person, int] | None = None  # the one speaker of the previous paragraph, and its index
    for p_index, para in enumerate(paragraphs):
        ptext = text[para.start : para.end]
        sentences = sentence_spans(text, para)
        quotes = quotation_spans(ptext)
        explicit: list[tuple[Span, Person]] = []
        unattributed: list[Span] = []  # no name next to a reporting verb at all (a pronoun at most)
        floor = 0
        for i, q in enumerate(quotes):
            ceiling = quotes[i + 1].start if i + 1 < len(quotes) else len(ptext)
            candidates = mentions_after(ptext, q, ceiling) + mentions_before(ptext, q, floor)
            person = _speaker(candidates, full_names, common)
            floor = q.end
            if person is not None:
                explicit.append((q, person))
            elif not candidates:
                unattributed.append(q)
        for q, person in explicit:
            out.append(_make(para, sentences, q, person, True, p_index))
        speakers = {p.name for _, p in explicit}
        current: Person | None = None
        if len(speakers) == 1:
            current = explicit[0][1]
            first = explicit[0][0].start
            for q in unattributed:
                if q.start > first and _starts_sentence(ptext, q, sentences, para):
                    out.append(_make(para, sentences, q, current, False, p_index))
        elif not speakers and last is not None and last[1] == p_index - 1 and _only_person(ptext, last[0], full_names):
            current = last[0]
            for q in unattributed:  # the paragraph goes on quoting: it opens with a quotation
                if ptext.startswith(('"', "“")) and (
                    _starts_sentence(ptext, q, sentences, para) or _pronoun_attributed(ptext, q)
                ):
                    out.append(_make(para, sentences, q, current, False, p_index))
        last = (current, p_index) if current is not None else None
    return out


_PRONOUN_AFTER = re.compile(r"^\s*[,.!?]?\s*(?:(?:he|she)\s+" + _VERB + r"|" + _VERB + r"\s+(?:he|she))\b")
_PRONOUN_BEFORE = re.compile(r"\b(?:He|She|he|she)\s+" + _VERB + r"\b[^\"“”.!?;]{0,40}?[,:]?\s*$")


def _pronoun_attributed(ptext: str, q: Span) -> bool:
    return bool(_PRONOUN_AFTER.match(ptext[q.end : q.end + 40]) or _PRONOUN_BEFORE.search(ptext[: q.start]))


def _starts_sentence(ptext: str, q: Span, sentences: Sequence[Span], para: Span) -> bool:
    return any(s.start - para.start == q.start for s in sentences)


def _only_person(ptext: str, person: Person, full_names: Sequence[str]) -> bool:
    """No other person of the article is named in the paragraph, by full name or surname (so "he said" and bare
    quotes still belong to ``person``)."""
    words = {fold(w) for w in re.findall(r"[^\W\d_][\w'’\-]*", ptext)}
    return all(fold(_surname(n)) not in words for n in full_names if _surname(n) != _surname(person.name))


def _make(para: Span, sentences: Sequence[Span], q: Span, person: Person, explicit: bool, p: int) -> AttributedQuote:
    quote = Span(para.start + q.start, para.start + q.end)
    held = tuple(s for s in sentences if s.overlaps(quote))
    return AttributedQuote(person.name, person.role, quote, held, explicit, p)


def attribution_names(passage: str) -> list[str]:
    """The names (roles cut off, unresolved) that ``passage`` explicitly attributes a quotation to.

    The scorer's test for another speaker's words: compare these with the asked person by surname.
    """
    names: list[str] = []
    quotes = quotation_spans(passage)
    floor = 0
    for i, q in enumerate(quotes):
        ceiling = quotes[i + 1].start if i + 1 < len(quotes) else len(passage)
        for mention in mentions_after(passage, q, ceiling) + mentions_before(passage, q, floor):
            words = [w for w in mention.words if w not in ROLE_WORDS and w not in _ABBREVIATED]
            if words and not mention.after_preposition and not any(w in ORG_WORDS for w in words):
                names.append(" ".join(words))
                break
        floor = q.end
    return names


# Capitalised subjects of reporting verbs in the Wikinews source that are not people (found by review).
NOT_PEOPLE: frozenset[str] = frozenset(
    (
        "Hong Kong",
        "New Zealand",
        "United States",
        "United Kingdom",
        "Saudi Arabia",
        "South Africa",
        "North Korea",
        "South Korea",
        "Puerto Rico",
        "Sri Lanka",
        "Los Angeles",
        "New York",
        "Buckingham Palace",
        "Downing Street",
        "Scotland Yard",
        "Black Lives Matter",
        "Extinction Rebellion",
        "Amnesty International",
        "Human Rights Watch",
        "Associated Press",
        "Al Jazeera",
        "Sky News",
        "Fox News",
        "New Jersey",
        "Northern Ireland",
        "Once Upon",
    )
)
