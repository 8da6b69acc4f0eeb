"""Who speaks in each sentence of an article, and whom each sentence is about.

Pure, rule-based and fast: a regex tokenizer, capitalised-name detection with a small gazetteer, a lexicon of
reporting verbs, quotation-mark tracking across sentences and a salience list for ``he``/``she``, ``Mr X`` and
titles ("the NATO chief", "the Russian president"). No model is loaded, at import time or later.

Public API
----------
``analyze_article(text, spans) -> ArticleSpeakers``
    everything at once: per-sentence speakers, mentions and the cue that fired, plus the people the article
    names with the titles it gives them.
``attribute_speakers(text, spans) -> list[str | None]``
    the person who speaks in each sentence (the fullest name the article uses), or None.
``mentions(text, spans) -> list[frozenset[str]]``
    the people each sentence names or refers to (names, ``Mr X``, titles and pronouns resolved).
``name_matches(full_name, query_name, people=None) -> bool``
    does a question's name ("Putin", "the NATO chief") denote this person ("Vladimir Putin")?
``PeopleIndex(people)``
    a read-only ``people`` map with indexes: ``.matching(query)`` is the keys ``name_matches`` accepts for
    ``query``, found without scanning every person (cached per query). Pass it as ``people`` below.
``people_named(people, query) -> tuple[str, ...]``
    those keys for any ``people`` map (indexed for a PeopleIndex, a scan otherwise).
``speaker_relevance(intent, speaker, mentioned, sentence_text, people=None) -> float``
    a score in [-1, 1] for the ranker: does this sentence have the asked speaker talking about the topic?

Cues, strongest first (per sentence):
  1. ``quote``: the sentence lies (mostly) inside a quotation attributed before or after it
     (``“…,” Rutte said``, ``said Rutte``, ``“…,” continued Rutte``, ``Rutte said: “…”``, ``he declared``);
     every sentence of a multi-sentence quotation gets its attribution;
  2. ``verb``: a reporting verb outside quotation marks with a person as subject (``Putin characterized
     Rutte as``, ``He urged Rutte``, ``Putin, however, has argued``, ``Putin, who has maintained``,
     ``The Secretary General warned``, ``Rutte issued a stark warning``);
  3. ``quote-continued``: an unattributed quotation continuing the previous speaker's quote;
  4. ``possessive``/``according``/``from``/``by``: "His remarks ... emphasized", "his suggestion that",
     "a rebuttal from Putin", "according to Rutte", "urged by Trump".
Words inside quotation marks never count as narration, so a person merely quoted *about*
(``"...to Vladimir Vladimirovich Putin...," continued Rutte``) is a mention, not the speaker.

Known limits: only people speak (``NATO has urged`` / ``the Kremlin said`` -> None); a surname-only person
is recognised from a speech cue, a title/``Mr`` or a fuller form elsewhere in the article, so a bare
sentence-initial "Harris said" is missed; gender comes from titles, honorifics, a list of common given
names and earlier resolved pronouns, otherwise ``he``/``she`` takes the most salient person; a sentence
continuing another ("National Security Strategy, which he argued ...") gets its speaker but not the topic
of the previous sentence; scare quotes right after a reporting verb count as that subject's words.

Speed (``python -m retrieval.lang.en.speakers.analyzer``: whole-article analysis incl. tokenizing, one core, Python 3.11,
on a shared 2-core machine under load): SQuAD v1.1 dev contexts (2,067 paragraphs, 10,586 regex-split
sentences) ~11,000-13,000 sentences/s; the five corpus articles ~14,000-22,000 sentences/s. Budget: 5,000
sentences/s (tests/test_speakers.py enforces it). Linear in article length. No spaCy: rules only.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar, overload

from retrieval.records import Span

if TYPE_CHECKING:
    from retrieval.lang.en.question import QuestionIntent

__all__ = [
    "ArticleSpeakers",
    "PeopleIndex",
    "Person",
    "analyze_article",
    "attribute_speakers",
    "is_title_phrase",
    "mentions",
    "merge_people",
    "name_matches",
    "people_named",
    "speaker_relevance",
    "split_title",
]


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


# --------------------------------------------------------------------------------------------------------
# Lexicons
# --------------------------------------------------------------------------------------------------------


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


_STOP_CAP = _words(
    """a an the as at in on for from with by of to and but or nor so yet if when while where why how what
    who whom whose which that this these those there here it its he she they we i you his her their our
    my your him them us me after before during since until amid amidst among despite although though
    because however meanwhile also still now then today yesterday tomorrow tonight last next some many
    most more all any each every no not both either neither such other another one two three four five
    first second third new under over above below into onto upon about against between through
    throughout without within across along around behind beyond near per via let like unlike according
    following similarly additionally furthermore moreover indeed instead thus therefore hence overall
    finally nonetheless nevertheless otherwise perhaps yes please thanks dear oh well just only even
    much very speaking asked asking said says recent recently analysts experts officials critics reports
    sources observers several few everyone everybody nobody someone somebody anyone anybody people
    others witnesses residents"""
)

# Places, demonyms, organisations and other capitalised non-persons (single tokens, casefolded).
_GAZETTEER = _words(
    """afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas
    bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil
    brunei bulgaria burkina burundi cambodia cameroon canada chad chile china colombia comoros congo
    croatia cuba cyprus czechia czech denmark djibouti dominica ecuador egypt eritrea estonia eswatini
    ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada guatemala guinea
    guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan
    jordan kazakhstan kenya kiribati korea kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia
    libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania
    mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique myanmar namibia
    nauru nepal netherlands nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay
    peru philippines poland portugal qatar romania russia rwanda samoa serbia seychelles singapore
    slovakia slovenia somalia spain sudan suriname sweden switzerland syria taiwan tajikistan tanzania
    thailand togo tonga tunisia turkey turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu
    venezuela vietnam yemen zambia zimbabwe britain england scotland wales america afghan albanian
    algerian american argentine argentinian armenian australian austrian azerbaijani belarusian belgian
    bolivian bosnian brazilian british bulgarian canadian chilean chinese colombian croatian cuban
    cypriot czech danish dutch egyptian english estonian ethiopian european finnish french georgian
    german greek hungarian icelandic indian indonesian iranian iraqi irish israeli italian japanese
    jordanian kazakh kenyan korean kosovar kuwaiti latvian lebanese libyan lithuanian luxembourgish
    macedonian malaysian maltese mexican moldovan mongolian montenegrin moroccan nigerian norwegian
    pakistani palestinian peruvian philippine polish portuguese qatari romanian russian saudi scottish
    serbian slovak slovenian somali spanish sudanese swedish swiss syrian taiwanese thai tunisian
    turkish ukrainian uzbek venezuelan vietnamese welsh yemeni soviet western eastern northern southern
    central atlantic baltic nordic arab african asian latin transatlantic europe asia africa antarctica
    oceania arctic balkans caucasus scandinavia eurasia moscow kremlin brussels warsaw munich berlin
    paris london washington kyiv kiev beijing tokyo rome madrid vienna prague budapest bucharest sofia
    athens ankara istanbul tehran baghdad damascus jerusalem cairo riyadh doha dubai delhi mumbai
    islamabad kabul seoul pyongyang taipei hanoi bangkok jakarta manila sydney canberra ottawa toronto
    montreal vancouver chicago boston houston dallas miami atlanta seattle denver geneva zurich hague
    amsterdam rotterdam copenhagen stockholm oslo helsinki tallinn riga vilnius minsk tbilisi yerevan
    baku lisbon dublin edinburgh milan naples hamburg frankfurt cologne lyon marseille barcelona krakow
    gdansk lublin odesa odessa kharkiv donetsk luhansk crimea donbas donbass mariupol bakhmut kherson
    zaporizhzhia sevastopol kursk belgorod petersburg siberia chechnya maidan pentagon whitehall nato eu
    un uk us usa ussr otan osce g7 g20 brics imf who wto opec iaea congress parliament senate duma
    bundestag knesset kremlin vatican january february march april may june july august september
    october november december monday tuesday wednesday thursday friday saturday sunday christmas easter
    ramadan thanksgiving christian christians muslim muslims jewish jews catholic catholics orthodox
    islam islamic god allah internet reuters bloomberg tass interfax ria afp bbc cnn nbc cbs abc fox
    telegram twitter facebook youtube instagram tiktok google apple microsoft amazon meta openai north
    south east west republic kingdom states union"""
)

# Words that make a capitalised sequence an organisation, event, place or document rather than a person.
_ORG_WORDS = _words(
    """conference security strategy war wars wall union department ministry office house street bank fund
    party army navy forces force agency committee commission parliament court university institute
    center centre airport station river sea ocean mountain mountains square bridge palace cathedral
    church company corporation inc ltd llc group news times post journal association federation league
    club cup games olympics award awards prize act law plan program programme initiative initiatives
    summit forum alliance front coalition region province state states county city district island
    islands valley park hall tower museum library school college academy hospital day week year age era
    revolution empire dynasty festival championship series bowl stadium arena road avenue highway
    boulevard lake bay gulf canal desert peninsula basin channel coast council organization organisation
    treaty national international federal general assembly government administration service services
    guard police network media press television radio magazine review report reports studies relations
    affairs defense defence takeaways initiative strategic scrutiny under breaking bio articles reply
    reserve foundation trust authority board bureau command doctrine accord accords agreement pact
    declaration constitution charter convention protocol index exchange market markets airlines motors
    systems technologies labs holdings partners capital energy oil gas project mission operation
    operations broncos panthers"""
)

_PARTICLES = _words("de del della di da das dos du van von der den ter la le bin ibn al el st")

# Titles (normalised: lowercase, hyphens as spaces). Generic roles match anyone with a title.
_ROLES = _words("leader chief head boss ruler strongman dictator autocrat monarch")
_HONORIFICS = {
    "mr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "mx": "",
    "dr": "",
    "sir": "m",
    "dame": "f",
    "lord": "m",
    "lady": "f",
    "rev": "",
    "reverend": "",
}
_TITLE_LIST = """
president;vice president;president elect;prime minister;premier;chancellor;vice chancellor;
minister;foreign minister;defence minister;defense minister;finance minister;interior minister;
deputy prime minister;secretary;secretary general;secretary of state;defense secretary;
defence secretary;foreign secretary;home secretary;press secretary;general secretary;
director general;spokesman;spokeswoman;spokesperson;ambassador;envoy;senator;sen;congressman;
congresswoman;representative;rep;governor;gov;mayor;king;queen;prince;princess;crown prince;
pope;emperor;empress;general;gen;admiral;adm;commander;colonel;col;captain;capt;lieutenant;lt;
sergeant;sgt;marshal;field marshal;chairman;chairwoman;chair;ceo;chief executive;director;
judge;justice;chief justice;attorney general;prosecutor;commissioner;professor;prof;coach;
manager;founder;ayatollah;sheikh;emir;sultan;patriarch;archbishop;bishop;cardinal;rabbi;imam;
lawmaker;mp;deputy;speaker;minister president;foreign policy chief;high representative;
commander in chief;army chief;spy chief"""
_TITLES = frozenset(t.strip() for t in _TITLE_LIST.replace("\n", "").split(";") if t.strip())
_ALL_TITLES = _TITLES | _ROLES | frozenset(_HONORIFICS)
_TITLE_TUPLES = frozenset(tuple(t.split()) for t in _ALL_TITLES)
_TITLE_FIRST = frozenset(t[0] for t in _TITLE_TUPLES)
# Lowercased tokens that can start a title ("secretary", "secretary-general", "mr", "mr.").
_TITLE_START = frozenset(
    {"-".join(t[:k]) for t in _TITLE_TUPLES for k in range(1, len(t) + 1)}
    | {t[0] + "." for t in _TITLE_TUPLES}
)
_MALE_TITLES = _words("king prince emperor spokesman chairman congressman sir lord")
_FEMALE_TITLES = _words("queen princess empress spokeswoman chairwoman congresswoman dame lady")
# Common given names, only to keep "she" from resolving to a man and "he" to a woman.
_FEMALE_NAMES = _words(
    """angela ursula kaja giorgia kamala hillary theresa liz annalena sanna mette jacinda nancy marine
    christine roberta maria anna elizabeth mary sarah jennifer emma olivia sophia sofia isabella mia
    charlotte amelia emily ella grace chloe victoria julia laura lisa linda susan karen margaret
    patricia barbara jessica helen catherine kate katherine alice claire marie sandra nicola yulia julia
    oksana olena iryna natalia natalya svetlana tatiana elena irina ekaterina valentina maia ingrid
    frederiksen kristalina kristen kirsten michelle melania jill ivanka nikki tulsi elise alexandria
    ilhan rachel rebecca ruth samantha stephanie valerie yvonne zoe hannah lena petra ursula beata
    agnieszka magdalena kasia joanna malgorzata ewa giulia francesca chiara marta carmen lucia ana paula
    beatriz leila fatima aisha amina"""
)
_MALE_NAMES = _words(
    """vladimir mark donald joe joseph emmanuel olaf boris volodymyr dmitry sergei sergey alexei alexander
    aleksandr xi recep viktor keir rishi justin narendra benjamin antony anthony jens john james robert
    michael william david richard thomas charles christopher daniel matthew paul andrew george steven
    kenneth kevin brian edward ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan
    stephen larry frank scott brandon raymond gregory samuel patrick jack dennis jerry peter henry carl
    arthur lloyd friedrich karl hans wolfgang andrzej radoslaw mateusz lech jaroslaw pedro pablo carlos
    luis jose juan giuseppe matteo mario marco luigi pierre jean francois nicolas jacques mohammed
    muhammad ali ahmed omar ivan igor yuri oleg nikolai pavel mikhail maxim andriy oleksandr petro
    rustem denys kyrylo valerii ilham ramzan yevgeny evgeny hakan mevlut lloyd barack bill mike marco
    pete jd jared elon"""
)
_ABBREV_DOT = _words("mr mrs ms dr st gen sen rep gov prof lt col capt sgt adm maj jr sr rev pres amb mt")
_TITLE_MODIFIERS = _words(
    "former new current then outgoing incoming acting interim late longtime veteran top"
)

# Affiliation synonyms: "the Kremlin leader" is the Russian president, "the alliance chief" leads NATO.
_AFFIL_MAP = {
    "russian": "russia",
    "moscow": "russia",
    "kremlin": "russia",
    "soviet": "russia",
    "u.s.": "us",
    "usa": "us",
    "american": "us",
    "washington": "us",
    "america": "us",
    "united states": "us",
    "white house": "us",
    "alliance": "nato",
    "otan": "nato",
    "polish": "poland",
    "warsaw": "poland",
    "german": "germany",
    "berlin": "germany",
    "ukrainian": "ukraine",
    "kyiv": "ukraine",
    "kiev": "ukraine",
    "french": "france",
    "paris": "france",
    "elysee": "france",
    "british": "uk",
    "britain": "uk",
    "u.k.": "uk",
    "london": "uk",
    "english": "uk",
    "chinese": "china",
    "beijing": "china",
    "european": "eu",
    "e.u.": "eu",
    "brussels": "eu",
    "u.n.": "un",
    "israeli": "israel",
    "iranian": "iran",
    "tehran": "iran",
    "turkish": "turkey",
    "ankara": "turkey",
    "italian": "italy",
    "rome": "italy",
    "spanish": "spain",
    "madrid": "spain",
    "japanese": "japan",
    "tokyo": "japan",
    "indian": "india",
    "canadian": "canada",
    "ottawa": "canada",
    "dutch": "netherlands",
    "hague": "netherlands",
    "belarusian": "belarus",
    "minsk": "belarus",
    "hungarian": "hungary",
    "budapest": "hungary",
}


def _verb_forms(base: str) -> set[str]:
    if base.endswith("e"):
        return {base, base + "s", base + "d", base[:-1] + "ing"}
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return {base, base + "es", base + "ed", base + "ing"}
    return {base, base + "s", base + "ed", base + "ing"}


_SAY_BASES = """
say tell urge warn characterize characterise insist accuse argue claim state add note emphasize
emphasise dismiss describe call suggest assert declare stress express paint respond reply answer ask
explain announce admit acknowledge confirm deny reject predict promise pledge vow threaten caution
remind recall repeat reiterate tweet write post comment remark observe concede contend maintain
propose recommend demand plead praise criticize criticise condemn slam blast hail welcome question
challenge mock joke quip boast complain lament signal outline frame echo invoke highlight underscore
underline speak testify inform assure reassure advise counter retort rebut dispute label brand term
dub hint indicate mention forecast cite allege affirm agree disagree appeal implore exhort reassert
restate proclaim pronounce opine muse wonder recount portray depict liken clarify elaborate
summarize summarise conclude blame thank applaud commend scold rebuke chide lambast denounce decry
deplore lash report reveal disclose stress acknowledge telephone phone message brief swear reaffirm
insist recount interject caution scoff sneer"""
_IRREGULAR = {
    "say": {"said", "says", "saying"},
    "tell": {"told", "tells", "telling"},
    "write": {"wrote", "written", "writes", "writing"},
    "speak": {"spoke", "spoken", "speaks", "speaking"},
    "admit": {"admitted", "admitting"},
    "quip": {"quipped", "quipping"},
    "rebut": {"rebutted", "rebutting"},
    "slam": {"slammed", "slamming"},
    "swear": {"swore", "sworn"},
    "dub": {"dubbed", "dubbing"},
    "lash": {"lashed"},
}
_SAY_FORMS: dict[str, str] = {}
for _b in _SAY_BASES.split():
    for _f in _verb_forms(_b) | _IRREGULAR.get(_b, set()):
        _SAY_FORMS[_f] = _b
# Forms that are mostly nouns/adjectives ("member states", "a clarion call" stays: it is speechy enough).
for _bad in (
    "state",
    "states",
    "post",
    "posts",
    "frame",
    "frames",
    "counter",
    "counters",
    "message",
    "messages",
    "brand",
    "brands",
    "term",
    "terms",
    "label",
    "labels",
    "phone",
    "phones",
    "question",
    "questions",
    "report",
    "reports",
    "welcome",
    "brief",
    "briefs",
    "blast",
    "blasts",
    "joke",
    "jokes",
):
    _SAY_FORMS.pop(_bad, None)
# Only in inverted attribution right after a quotation: "..." continued Rutte / went on / concluded.
_INVERTED_ONLY = {"continued", "continues", "continuing", "concluded", "began", "begins"}
# Nouns of speech; "issued/delivered/gave/sent/offered a (stark) warning" counts as speaking.
_SPEECH_NOUNS = _words(
    """warning warnings statement statements message messages remarks remark speech speeches address appeal
    ultimatum threat threats rebuttal response responses critique criticism plea call calls assessment
    reminder comment comments interview briefing perspective view views verdict prediction explanation
    pledge promise apology denial argument arguments announcement declaration proclamation testimony
    tweet tweets op-ed rebuke retort reply answer insistence suggestion suggestions claim claims
    assertion assertions words characterization characterisation description accusation accusations
    reaction reactions message alarm warnings condemnation praise admission caution"""
)
_LIGHT_VERBS = _words(
    """issue issued issues issuing deliver delivered delivers delivering give gave given gives giving send
    sent sends sending make made makes making offer offered offers offering voice voiced voices voicing
    release released sound sounded raise raised raises struck strike"""
)
_AUX_ADV = _words(
    """has have had also then again reportedly publicly repeatedly later once long previously recently
    already further subsequently quickly immediately simply just even both never not would will could
    may might did does do is was were are be been being first earlier privately openly bluntly sharply
    flatly angrily calmly emphatically firmly strongly loudly quietly briefly famously reportedly
    allegedly today yesterday however herself himself themselves personally separately likewise too
    since now often frequently"""
)
_PRONOUNS = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
_SUBJECT_PRONOUNS = frozenset({"he", "she"})
_TITLE_FOLLOW_OK = _words(
    """has have had is was were will would could may might did does do said says who whose of and or but
    also himself herself then again later recently reportedly publicly has argued to in at on during for
    with"""
)
_QUOTE_OPEN_DOUBLE = "“„«"
_QUOTE_CLOSE_DOUBLE = "”»"

_TOKEN_RE = re.compile(
    r"(?:[^\W\d_]\.){2,}(?![^\W\d_])"  # U.S., U.K.
    r"|['’][sS](?![^\W\d_])"  # possessive 's
    r"|[^\W\d_]+(?:-[^\W\d_]+|['’](?![sS](?![^\W\d_]))[^\W\d_]+)*"  # words, hyphenated words, O'Brien
    r"|\d+(?:[.,:]\d+)*%?"
    r"|\S"
)
_QUOTE_CHAR_RE = re.compile(r"[“”„«»\"‘’']")


@lru_cache(maxsize=65536)
def _norm(s: str) -> str:
    """Casefold, strip accents, unify apostrophes."""
    if s.isascii():
        return s.casefold()
    d = unicodedata.normalize("NFKD", s)
    return "".join(c for c in d if not unicodedata.combining(c)).casefold().replace("’", "'")


def _affil_key(s: str) -> str:
    low = _norm(s)
    if low.endswith("'s"):
        low = low[:-2]
    return _AFFIL_MAP.get(low, low.replace(".", "") if len(low) <= 5 else low)


def _is_cap(w: str) -> bool:
    c = w[0]
    return c.isalpha() and c.isupper()


def _is_acronym(w: str) -> bool:
    return len(w) > 1 and w.replace(".", "").replace("-", "").isupper()


# --------------------------------------------------------------------------------------------------------
# Per-sentence scan
# --------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Occ:
    """A reference to a person: a name (maybe with title) or a title alone ("the NATO chief")."""

    i: int  # first token of the whole reference (prefix/title included)
    j: int  # one past the last token
    ni: int  # first token of the name part (== j for a title-only reference)
    name: tuple[str, ...]  # name tokens as written (empty for title-only)
    title: str | None
    affils: tuple[str, ...]
    honorific: str | None
    evidence: bool = False  # a speech cue right next to it (for single-token names)
    initial: bool = False  # first word of the sentence
    person: str | None = None  # filled after the inventory is known (names only)


@dataclass(slots=True)
class _Sent:
    start: int
    end: int
    para: int
    words: list[str]
    lows: list[str]
    starts: list[int]
    occs: list[_Occ]
    occ_end: dict[int, int]  # last token index -> occ index
    occ_start: dict[int, int]  # first token (title or name) -> occ index
    prons: dict[int, str]  # token index -> pronoun
    headline: bool
    quoted: list[bool]
    qfrac: float = 0.0


def _title_at(lows: list[str], i: int, n: int) -> tuple[int, str] | None:
    """Longest title phrase starting at token i: (end token, normalised phrase)."""
    first = lows[i].split("-", 1)[0].rstrip(".")
    if first not in _TITLE_FIRST:
        return None
    best: tuple[int, str] | None = None
    words: list[str] = []
    for k in range(i, min(n, i + 4)):
        part = lows[k]
        if part == ".":
            if k == i + 1 and lows[i] in _ABBREV_DOT:
                continue
            break
        if not part[0].isalpha():
            break
        words.extend(part.split("-"))
        tup = tuple(words)
        if tup in _TITLE_TUPLES:
            best = (k + 1, " ".join(tup))
        if len(words) >= 4:
            break
    if best and best[0] < n and lows[best[0]] == "." and best[1] in _ABBREV_DOT:
        best = (best[0] + 1, best[1])
    return best


def _valid_name_token(w: str, low: str) -> bool:
    if not _is_cap(w) or _is_acronym(w):
        return len(w) == 1 and w.isupper()  # an initial, as in "George W. Bush"
    return not (low in _STOP_CAP or low in _ORG_WORDS or low in _SAY_FORMS or low in _INVERTED_ONLY)


def _scan_refs(words: list[str], lows: list[str], headline: bool) -> list[_Occ]:
    n = len(words)
    occs: list[_Occ] = []
    first_alpha = next((k for k in range(n) if words[k][0].isalpha()), 0)
    i = 0
    while i < n:
        w = words[i]
        if not w[0].isupper() and lows[i] not in _TITLE_START:
            i += 1
            continue
        tt = _title_at(lows, i, n) if w[0].isalpha() else None
        if not (tt or _is_cap(w)):
            i += 1
            continue
        # Collect the capitalised/title group.
        items: list[tuple[str, int, int, str]] = []  # (kind, start, end, phrase)
        j = i
        while j < n:
            t = _title_at(lows, j, n) if lows[j] in _TITLE_START or words[j][0].isupper() else None
            if t:
                items.append(("title", j, t[0], t[1]))
                j = t[0]
                continue
            wj = words[j]
            if _is_cap(wj):
                items.append(("cap", j, j + 1, ""))
                j += 1
                continue
            if (
                wj == "."
                and items
                and items[-1][0] == "cap"
                and (lows[j - 1] in _ABBREV_DOT or len(words[j - 1]) == 1)
                and j + 1 < n
                and _is_cap(words[j + 1])
            ):
                j += 1
                continue
            if lows[j] in _PARTICLES and items and items[-1][0] == "cap":
                e = j
                while e < n and lows[e] in _PARTICLES and e - j < 3:
                    e += 1
                if e < n and _is_cap(words[e]) and e > j:
                    for x in range(j, e):
                        items.append(("part", x, x + 1, ""))
                    j = e
                    continue
            if (
                wj in ("’s", "'s")
                and items
                and items[-1][0] == "cap"
                and j + 1 < n
                and (
                    _title_at(lows, j + 1, n)
                    or (j + 2 < n and _is_cap(words[j + 1]) and _title_at(lows, j + 2, n))
                )
            ):
                items.append(("poss", j, j + 1, ""))
                j += 1
                continue
            break
        consumed = _process_group(words, lows, items, occs, i, first_alpha, headline)
        i = max(consumed, i + 1)
    return occs


def _process_group(
    words: list[str],
    lows: list[str],
    items: list[tuple[str, int, int, str]],
    occs: list[_Occ],
    gstart: int,
    first_alpha: int,
    headline: bool,
) -> int:
    n = len(words)
    det = gstart > 0 and lows[gstart - 1] in ("the", "former", "new", "current")
    k = 0
    # Leading capitalised stop words ("The", "During", "As") are not part of a name.
    while k < len(items) and items[k][0] == "cap" and lows[items[k][1]] in _STOP_CAP:
        if lows[items[k][1]] == "the":
            det = True
        k += 1
    if k >= len(items):
        return items[-1][2] if items else gstart + 1
    # Prefix: affiliations (acronyms, places, demonyms, capitalised modifiers) before a title.
    title_idx = [x for x in range(k, len(items)) if items[x][0] == "title"]
    affils: list[str] = []
    title: str | None = None
    honorific: str | None = None
    name_from = k
    if title_idx:
        # The title run: consecutive titles starting at the first title.
        t0 = title_idx[0]
        t1 = t0
        while t1 + 1 < len(items) and items[t1 + 1][0] == "title":
            t1 += 1
        for x in range(k, t0):
            if items[x][0] == "cap" and lows[items[x][1]] not in _TITLE_MODIFIERS:
                affils.append(words[items[x][1]])
            elif items[x][0] == "poss":
                det = True
                # "Putin's spokesman Dmitry Peskov": the possessor may be a person (a mention of its own)
                owner = [words[items[y][1]] for y in range(k, x) if items[y][0] in ("cap", "part")]
                if (
                    owner
                    and len(owner) <= 4
                    and all(_valid_name_token(w, w.lower()) or w.lower() in _PARTICLES for w in owner)
                    and _norm(owner[-1]) not in _GAZETTEER
                ):
                    occs.append(
                        _Occ(
                            i=items[k][1],
                            j=items[x][1],
                            ni=items[k][1],
                            name=tuple(owner),
                            title=None,
                            affils=(),
                            honorific=None,
                            initial=items[k][1] == first_alpha,
                        )
                    )
        phrases = [items[x][3] for x in range(t0, t1 + 1)]
        hons = [p for p in phrases if p in _HONORIFICS]
        honorific = hons[-1] if hons else None
        real = [p for p in phrases if p not in _HONORIFICS]
        title = " ".join(real) if real else None
        name_from = t1 + 1
        ref_start = items[k][1] if affils else items[t0][1]
    else:
        while (
            name_from < len(items)
            and items[name_from][0] == "cap"
            and (
                _is_acronym(words[items[name_from][1]])
                or lows[items[name_from][1]] in _ORG_WORDS
                or (
                    _norm(words[items[name_from][1]]) in _GAZETTEER
                    and not (
                        name_from + 1 < len(items)
                        and items[name_from + 1][0] == "cap"
                        and _valid_name_token(words[items[name_from + 1][1]], lows[items[name_from + 1][1]])
                    )
                )
            )
        ):
            affils.append(words[items[name_from][1]])
            name_from += 1
        ref_start = items[name_from][1] if name_from < len(items) else gstart
    # Name part: a run of valid name tokens (particles allowed inside).
    name_tokens: list[str] = []
    end_tok = items[name_from - 1][2] if name_from > k else items[k][1]
    x = name_from
    while x < len(items):
        kind, s, e, _ = items[x]
        if kind == "cap" and _valid_name_token(words[s], lows[s]):
            if (
                not name_tokens
                and s == first_alpha
                and len(lows[s]) > 5
                and lows[s].endswith(("ing", "ly"))
                and not (title or honorific)
            ):
                x += 1
                name_from = x
                continue
            name_tokens.append(words[s])
            end_tok = e
            x += 1
            continue
        if kind == "part" and name_tokens:
            name_tokens.append(words[s])
            x += 1
            continue
        break
    while name_tokens and name_tokens[-1].lower() in _PARTICLES:
        name_tokens.pop()
    if name_tokens:
        if len(name_tokens) > 4:
            return end_tok
        ni = items[name_from][1]
        # A single gazetteer word is never a name; a multi-token name must not end in one.
        if _norm(name_tokens[-1]) in _GAZETTEER and not (title or honorific):
            return end_tok
        occ = _Occ(
            i=ref_start,
            j=end_tok,
            ni=ni,
            name=tuple(name_tokens),
            title=title,
            affils=tuple(affils) if title else (),
            honorific=honorific,
            initial=ni == first_alpha,
        )
        occs.append(occ)
        return end_tok
    if title is not None:
        t_end = items[name_from - 1][2]
        # Title-only reference: needs a determiner/possessor or capitals, and must not be an adjective.
        capital = _is_cap(words[items[title_idx[0]][1]])
        nxt = lows[t_end] if t_end < n else "."
        plural_of = (
            nxt == "of" and t_end + 1 < n and words[t_end + 1][0].islower() and lows[t_end + 1] != "the"
        )
        ok_follow = (
            (not nxt[0].isalpha())
            or nxt in _TITLE_FOLLOW_OK
            or nxt in _SAY_FORMS
            or _is_cap(words[t_end])
            or nxt in ("’s", "'s")
        )
        if (det or capital or affils) and ok_follow and not plural_of:
            of_affils: list[str] = []
            if nxt == "of":
                y = t_end + 1
                if y < n and lows[y] == "the":
                    y += 1
                while y < n and _is_cap(words[y]):
                    of_affils.append(words[y])
                    y += 1
            occs.append(
                _Occ(
                    i=ref_start,
                    j=t_end,
                    ni=t_end,
                    name=(),
                    title=title,
                    affils=tuple(affils + of_affils),
                    honorific=None,
                    initial=ref_start == first_alpha,
                )
            )
        return t_end
    return end_tok if end_tok > gstart else gstart + 1


def _is_headline(text: str, words: list[str]) -> bool:
    t = text.rstrip()
    if not t or t[-1] in '.!?…"”’):;':
        return False
    alpha = [w for w in words if w[0].isalpha()]
    if not alpha:
        return True
    if len(alpha) <= 4:
        return True
    long_words = [w for w in alpha if len(w) > 3]
    if not long_words:
        return True
    caps = sum(1 for w in long_words if w[0].isupper())
    return caps / len(long_words) >= 0.5


def _mark_evidence(s: _Sent) -> None:
    """Speech cues next to a name (used to accept single capitalised words as person names)."""
    words, lows = s.words, s.lows
    n = len(words)
    for occ in s.occs:
        if not occ.name:
            continue
        k = occ.j
        if k < n and words[k] in ("’s", "'s"):
            k2 = k + 1
            while k2 < n and k2 <= k + 3 and lows[k2] not in _SPEECH_NOUNS and words[k2][0].isalpha():
                k2 += 1
            if k2 < n and lows[k2] in _SPEECH_NOUNS:
                occ.evidence = True
                continue
        if k < n and words[k] == "," and not (k + 1 < n and lows[k + 1] == "who"):
            # "Putin, 72, said" / "Zelensky, speaking in Kyiv, said": skip a short parenthetical
            close = next((x for x in range(k + 1, min(n, k + 9)) if words[x] == ","), -1)
            if close > 0:
                k = close + 1
        while k < n and (lows[k] in _AUX_ADV or (lows[k].endswith("ly") and len(lows[k]) > 3)):
            k += 1
        if k < n and (lows[k] in _SAY_FORMS or lows[k] in _LIGHT_VERBS):
            occ.evidence = True
            continue
        if k + 1 < n and words[k] == "," and lows[k + 1] == "who":
            occ.evidence = True
            continue
        p = occ.i - 1
        if p >= 0 and (lows[p] in _SAY_FORMS or lows[p] in _INVERTED_ONLY):
            occ.evidence = True
            continue
        if p >= 1 and lows[p] == "to" and lows[p - 1] == "according":
            occ.evidence = True


# --------------------------------------------------------------------------------------------------------
# Quotations
# --------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Quote:
    start: int  # offset of the opening mark (or paragraph start if none)
    end: int  # one past the closing mark (or paragraph end if unclosed)
    open_pos: int | None
    close_pos: int | None
    group: int  # continued quotations across paragraphs share a group
    para: int


def _find_quotes(text: str, paras: list[tuple[int, int, int]]) -> list[_Quote]:
    quotes: list[_Quote] = []
    group = 0
    carry: _Quote | None = None
    for lo, hi, pid in paras:
        od: int | None = None  # open double
        osg: int | None = None  # open single
        para_start_open = False
        first_char = lo
        while first_char < hi and text[first_char].isspace():
            first_char += 1
        if carry is not None:
            if first_char < hi and text[first_char] in '“"«„':
                para_start_open = True
            else:
                carry = None
        for m in _QUOTE_CHAR_RE.finditer(text, lo, hi):
            c = m.group()
            p = m.start()
            prev = text[p - 1] if p > lo else " "
            nxt = text[p + 1] if p + 1 < hi else " "
            if c in _QUOTE_OPEN_DOUBLE or (c == '"' and od is None and not prev.isalnum()):
                if od is None:
                    od = p
                    osg = None
                continue
            if c in _QUOTE_CLOSE_DOUBLE or c == '"':
                g = group
                if od is None:
                    # A closing mark without an opening one: the quotation began at the paragraph start.
                    start = lo
                    if carry is not None and not para_start_open:
                        g = carry.group
                else:
                    start = od
                    if para_start_open and carry is not None and od == first_char:
                        g = carry.group
                        para_start_open = False
                quotes.append(_Quote(start, p + 1, od, p, g, pid))
                if g == group:
                    group += 1
                od = None
                carry = None
                continue
            if od is not None:
                continue  # nested single quotes are part of the double quotation
            if c == "‘" or (c == "'" and not prev.isalnum() and nxt.isalpha()):
                if osg is None:
                    osg = p
                continue
            if prev.isalpha() and nxt.isalpha():
                continue  # apostrophe
            if osg is not None and not nxt.isalpha():
                quotes.append(_Quote(osg, p + 1, osg, p, group, pid))
                group += 1
                osg = None
        if od is not None:
            g = group
            if para_start_open and carry is not None and od == first_char:
                g = carry.group
            q = _Quote(od, hi, od, None, g, pid)
            quotes.append(q)
            if g == group:
                group += 1
            carry = q
        else:
            carry = None
    return quotes


# --------------------------------------------------------------------------------------------------------
# People inventory
# --------------------------------------------------------------------------------------------------------


@dataclass
class _P:
    key: str
    variants: list[tuple[str, ...]]
    norms: set[tuple[str, ...]]
    titles: set[str]
    affils: set[str]
    gender: str | None
    order: int


def _subseq(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Is a an ordered subsequence of b?"""
    it = iter(b)
    return all(x in it for x in a)


class _Inventory:
    def __init__(self) -> None:
        self.people: list[_P] = []
        self.by_surname: dict[str, list[_P]] = {}
        self.by_first: dict[str, list[_P]] = {}
        self.by_norm: dict[tuple[str, ...], _P] = {}

    def add(self, display: tuple[str, ...], title: str | None, affils: Iterable[str], hon: str | None) -> _P:
        norm = tuple(_norm(t) for t in display)
        p = self.by_norm.get(norm)
        if p is None:
            cands = self.by_surname.get(norm[-1], [])
            for c in cands:
                if all(_subseq(norm, v) or _subseq(v, norm) for v in c.norms):
                    p = c
                    break
            if p is None and len(norm) == 1 and cands:
                p = cands[0]
        if p is None:
            p = _P(" ".join(display), [], set(), set(), set(), None, len(self.people))
            self.people.append(p)
            self.by_surname.setdefault(norm[-1], []).append(p)
        if norm not in p.norms:
            p.norms.add(norm)
            p.variants.append(display)
            self.by_norm[norm] = p
            if len(norm) > 1 and p not in self.by_first.get(norm[0], []):
                self.by_first.setdefault(norm[0], []).append(p)
            best = max(p.variants, key=lambda v: (len(v), len(" ".join(v))))
            p.key = " ".join(best)
        self.learn(p, title, affils, hon)
        if p.gender is None and len(norm) > 1:
            if norm[0] in _FEMALE_NAMES:
                p.gender = "f"
            elif norm[0] in _MALE_NAMES:
                p.gender = "m"
        return p

    def learn(self, p: _P, title: str | None, affils: Iterable[str], hon: str | None) -> None:
        if title:
            p.titles.add(title)
            for w in title.split():
                if w in _MALE_TITLES:
                    p.gender = "m"
                elif w in _FEMALE_TITLES:
                    p.gender = "f"
        for a in affils:
            p.affils.add(_affil_key(a))
        if hon and _HONORIFICS.get(hon):
            p.gender = _HONORIFICS[hon]

    def lookup(self, name: tuple[str, ...], sal: list[str]) -> _P | None:
        norm = tuple(_norm(t) for t in name)
        p = self.by_norm.get(norm)
        if p is not None:
            return p
        cands = self.by_surname.get(norm[-1]) or (self.by_first.get(norm[0]) if len(norm) == 1 else None)
        if not cands:
            return None
        if len(norm) > 1:
            cands = [c for c in cands if any(_subseq(norm, v) or _subseq(v, norm) for v in c.norms)]
            if not cands:
                return None
        return _most_salient(cands, sal)


def _most_salient(cands: Sequence[_P], sal: list[str]) -> _P:
    if len(cands) == 1:
        return cands[0]
    rank = {k: r for r, k in enumerate(sal)}
    return min(cands, key=lambda c: (rank.get(c.key, 10_000), c.order))


def _title_compatible(query: str, person_titles: Iterable[str]) -> bool:
    for pt in person_titles:
        if pt in _HONORIFICS:
            continue
        if query in _ROLES or query == pt:
            return True
        if pt.endswith(" " + query) and query != "general":
            return True
        if query == "secretary" and pt.startswith("secretary"):
            return True
        if query in ("chief", "head", "leader") and pt.endswith(query):
            return True
    return False


def _title_candidates(inv: _Inventory, title: str, affils: Iterable[str]) -> list[_P]:
    keys = {_affil_key(a) for a in affils}
    keys.discard("the")
    out: list[_P] = []
    for p in inv.people:
        if not _title_compatible(title, p.titles):
            continue
        if keys and p.affils and not (keys & p.affils):
            continue
        if keys and not p.affils and title in _ROLES:
            continue
        out.append(p)
    return out


# --------------------------------------------------------------------------------------------------------
# Article analysis
# --------------------------------------------------------------------------------------------------------


def _prepare(text: str, spans: Sequence[Span]) -> list[_Sent]:
    sents: list[_Sent] = []
    tl = len(text)
    finditer = _TOKEN_RE.finditer
    for sp in spans:
        a = min(max(int(sp.start), 0), tl)
        b = min(max(int(sp.end), a), tl)
        ms = list(finditer(text, a, b))
        words = [m.group() for m in ms]
        starts = [m.start() for m in ms]
        lows = [w.lower() for w in words]
        headline = _is_headline(text[a:b], words)
        occs = _scan_refs(words, lows, headline) if words else []
        s = _Sent(
            a, b, int(sp.paragraph), words, lows, starts, occs, {}, {}, {}, headline, [False] * len(words)
        )
        for x, o in enumerate(occs):
            s.occ_end[o.j - 1] = x
            s.occ_start[o.ni if o.name else o.i] = x
            s.occ_start.setdefault(o.i, x)
        for k, low in enumerate(lows):
            if low in _PRONOUNS:
                s.prons[k] = low
        _mark_evidence(s)
        sents.append(s)
    return sents


def _is_plural_common(nm: str) -> bool:
    """'officials', 'critics', 'analysts': sentence-initial capitalised plurals are not names."""
    return nm.endswith(("ists", "ers", "ors", "ians", "ents", "ials", "ics", "ies", "nts", "ees"))


def _build_inventory(sents: list[_Sent]) -> _Inventory:
    inv = _Inventory()
    # 1. Titled names and multi-word names (not from title-case headlines).
    for s in sents:
        if s.headline:
            continue
        for o in s.occs:
            if o.name and (o.title or o.honorific or len(o.name) > 1):
                inv.add(o.name, o.title, o.affils, o.honorific)
    # Headlines: a titled name counts only if the body knows the surname ("NATO's New Leader Stirs Tensions"
    # is a title followed by words, not a person called Stirs Tensions).
    for s in sents:
        if not s.headline:
            continue
        for o in s.occs:
            if o.name and (o.title or o.honorific):
                if _norm(o.name[-1]) in inv.by_surname:
                    inv.add(o.name, o.title, o.affils, o.honorific)
                elif o.title:
                    o.name = ()
                    o.ni = o.j
    # 2. Appositions: "Mark Rutte, NATO's secretary general," / "the Russian president, Vladimir Putin,".
    for s in sents:
        for x in range(len(s.occs) - 1):
            a, b = s.occs[x], s.occs[x + 1]
            if b.i == a.j + 1 and a.j < len(s.words) and s.words[a.j] == "," and bool(a.name) != bool(b.name):
                named, titled = (a, b) if a.name else (b, a)
                p = inv.lookup(named.name, [])
                if p is not None and titled.title:
                    inv.learn(p, titled.title, titled.affils, None)
    # 3. Single capitalised words: aliases of known people, or new people when a speech cue vouches for them.
    mid_caps: set[str] = set()
    for s in sents:
        for o in s.occs:
            if len(o.name) == 1 and not o.initial and not s.headline:
                mid_caps.add(_norm(o.name[0]))
    for s in sents:
        for o in s.occs:
            if len(o.name) != 1 or o.title or o.honorific:
                continue
            nm = _norm(o.name[0])
            if nm in inv.by_surname or nm in inv.by_first or nm in _GAZETTEER:
                continue
            if (
                o.evidence
                and not s.headline
                and (not o.initial or nm in mid_caps or not nm.endswith("s"))
                and not _is_plural_common(nm)
            ):
                inv.add(o.name, None, (), None)
    return inv


class _Analyzer:
    def __init__(self, text: str, spans: Sequence[Span]) -> None:
        self.text = text
        self.sents = _prepare(text, spans)
        self.inv = _build_inventory(self.sents)
        self.sal: list[str] = []
        self.quotes: list[_Quote] = []
        self.sent_quotes: list[list[int]] = [[] for _ in self.sents]
        self.group_attr: dict[int, tuple[int, str, int] | None] = {}  # group -> (sent, kind, index)
        self.group_speaker: dict[int, str | None] = {}
        self.gender: dict[str, str | None] = {p.key: p.gender for p in self.inv.people}
        self.by_key: dict[str, _P] = {p.key: p for p in self.inv.people}
        self.speakers: list[str | None] = []
        self._sent_starts: list[tuple[int, int]] = []
        self.group_first: dict[int, int] = {}
        self._quotes()

    # ---- quotations ------------------------------------------------------------------------------------

    def _quotes(self) -> None:
        paras: list[tuple[int, int, int]] = []
        for s in self.sents:
            if paras and paras[-1][2] == s.para and s.start >= paras[-1][0]:
                paras[-1] = (paras[-1][0], max(paras[-1][1], s.end), s.para)
            else:
                paras.append((s.start, s.end, s.para))
        self.quotes = _find_quotes(self.text, paras)
        if not self.quotes:
            return
        self.quotes.sort(key=lambda q: (q.start, q.end))
        self._sent_starts = sorted((s.start, si) for si, s in enumerate(self.sents))
        q_starts = [q.start for q in self.quotes]
        max_len = max(q.end - q.start for q in self.quotes)
        text = self.text
        for si, s in enumerate(self.sents):
            span_len = len("".join(text[s.start : s.end].split())) or 1
            inside = 0
            lo_q = bisect.bisect_left(q_starts, s.start - max_len)
            hi_q = bisect.bisect_left(q_starts, s.end)
            for qi in range(lo_q, hi_q):
                q = self.quotes[qi]
                if q.end <= s.start or q.start >= s.end:
                    continue
                self.sent_quotes[si].append(qi)
                lo, hi = max(q.start, s.start), min(q.end, s.end)
                inside += len("".join(text[lo:hi].split()))
                for k, st in enumerate(s.starts):
                    if q.start < st < q.end - 1 or (q.close_pos is None and st > q.start):
                        s.quoted[k] = True
            s.qfrac = inside / span_len
        self.group_first = {}
        for qi, q in enumerate(self.quotes):
            self.group_first.setdefault(q.group, qi)
            if q.group in self.group_attr and self.group_attr[q.group] is not None:
                continue
            self.group_attr[q.group] = self._attribution(qi)

    def _sent_of(self, pos: int) -> int | None:
        k = bisect.bisect_right(self._sent_starts, (pos, len(self.sents))) - 1
        if k >= 0:
            si = self._sent_starts[k][1]
            if self.sents[si].start <= pos < self.sents[si].end:
                return si
        return None

    def _attribution(self, qi: int) -> tuple[int, str, int] | None:
        q = self.quotes[qi]
        if q.close_pos is not None:
            si = self._sent_of(q.close_pos)
            if si is not None:
                got = self._post_attribution(si, q.close_pos)
                if got is not None:
                    return got
                # "...now.” Rutte said." split into two sentences by the segmenter.
                s = self.sents[si]
                if all(st <= q.close_pos for st in s.starts) and si + 1 < len(self.sents):
                    nxt = self.sents[si + 1]
                    if nxt.para == s.para and len(nxt.words) <= 8:
                        got = self._post_attribution(si + 1, nxt.start - 1)
                        if got is not None:
                            return got
        if q.open_pos is not None:
            si = self._sent_of(q.open_pos)
            if si is not None:
                return self._pre_attribution(si, q.open_pos)
        return None

    def _post_attribution(self, si: int, close_pos: int) -> tuple[int, str, int] | None:
        s = self.sents[si]
        n = len(s.words)
        k = next((x for x, st in enumerate(s.starts) if st > close_pos), n)
        while k < n and s.words[k] in (",", "—", "–", "-", ":"):
            k += 1
        if k >= n:
            return None
        low = s.lows[k]
        if low in _SAY_FORMS or low in _INVERTED_ONLY:
            ref = self._ref_starting(s, k + 1)
            if ref is not None:
                return (si, *ref)
        ref = self._ref_starting(s, k)
        if ref is not None:
            kind, idx = ref
            end = s.occs[idx].j if kind == "occ" else idx + 1
            v = end
            while v < n and (s.lows[v] in _AUX_ADV or (s.lows[v].endswith("ly") and len(s.lows[v]) > 3)):
                v += 1
            if v < n and (s.lows[v] in _SAY_FORMS or s.lows[v] in _INVERTED_ONLY):
                return (si, kind, idx)
        return None

    def _pre_attribution(self, si: int, open_pos: int) -> tuple[int, str, int] | None:
        s = self.sents[si]
        k = -1
        for x, st in enumerate(s.starts):
            if st < open_pos:
                k = x
        while k >= 0 and (s.words[k] in (":", ",", "—", "–") or s.lows[k] == "that"):
            k -= 1
        for v in range(k, max(-1, k - 4), -1):
            if s.quoted[v]:
                break
            if s.lows[v] in _SAY_FORMS:
                ref = self._subject_left(s, v)
                if ref is not None:
                    return (si, *ref)
                break
        return None

    # ---- references ------------------------------------------------------------------------------------

    def _ref_starting(self, s: _Sent, k: int) -> tuple[str, int] | None:
        n = len(s.words)
        if k >= n:
            return None
        if s.lows[k] in _SUBJECT_PRONOUNS:
            return ("pron", k)
        if s.lows[k] == "the":
            k += 1
        x = s.occ_start.get(k)
        if x is not None and self._occ_is_person(s.occs[x]):
            return ("occ", x)
        return None

    def _ref_ending(self, s: _Sent, k: int) -> tuple[str, int] | None:
        if s.lows[k] in _SUBJECT_PRONOUNS:
            return ("pron", k)
        x = s.occ_end.get(k)
        if x is not None and self._occ_is_person(s.occs[x]):
            return ("occ", x)
        return None

    def _occ_is_person(self, o: _Occ) -> bool:
        if o.name:
            return self.inv.lookup(o.name, self.sal) is not None
        return bool(o.title) and bool(_title_candidates(self.inv, o.title or "", o.affils))

    def _subject_left(self, s: _Sent, v: int) -> tuple[str, int] | None:
        k = v - 1
        steps = 0
        while k >= 0 and steps < 14:
            steps += 1
            low = s.lows[k]
            if s.quoted[k]:
                return None
            if low in _AUX_ADV or (low.endswith("ly") and len(low) > 3 and low.isalpha()):
                k -= 1
                continue
            if low == "who":
                k -= 1
                if k >= 0 and s.words[k] == ",":
                    k -= 1
                ref = self._ref_ending(s, k) if k >= 0 else None
                return ref
            if s.words[k] == ",":
                p = k - 1
                while p >= max(0, k - 10) and s.words[p] != ",":
                    p -= 1
                if p >= 1 and s.words[p] == ",":
                    ref = self._ref_ending(s, p - 1)
                    if ref is not None:
                        return ref
                    # "Putin, however, has ..." -> the parenthetical may itself be the subject's apposition.
                return None
            return self._ref_ending(s, k)
        return None

    def _resolve(self, si: int, kind: str, idx: int, exclude: str | None = None) -> str | None:
        s = self.sents[si]
        if kind == "pron":
            who = self._resolve_pron(s.lows[idx], exclude, [])
            if who is not None and self.gender.get(who) is None and self.sal and self.sal[0] == who:
                self.gender[who] = _PRONOUNS[s.lows[idx]]  # "he argued" right after Rutte: Rutte is a he
            return who
        o = s.occs[idx]
        if o.name:
            p = self.inv.lookup(o.name, self.sal)
            return p.key if p else None
        cands = _title_candidates(self.inv, o.title or "", o.affils)
        if not cands:
            return None
        return _most_salient(cands, self.sal).key

    def _resolve_pron(self, pron: str, exclude: str | None, local: list[str]) -> str | None:
        g = _PRONOUNS.get(pron)
        for key in (*local, *self.sal):
            if key == exclude:
                continue
            pg = self.gender.get(key)
            if pg and g and pg != g:
                continue
            return key
        return None

    # ---- speaker cues ----------------------------------------------------------------------------------

    def _group_speaker(self, group: int) -> str | None:
        if group in self.group_speaker:
            return self.group_speaker[group]
        attr = self.group_attr.get(group)
        who = self._resolve(attr[0], attr[1], attr[2]) if attr else None
        self.group_speaker[group] = who
        return who

    def _verb_cue(self, si: int) -> tuple[str | None, int]:
        s = self.sents[si]
        n = len(s.words)
        for v in range(n):
            if s.quoted[v]:
                continue
            low = s.lows[v]
            is_say = low in _SAY_FORMS
            if not is_say and low in _LIGHT_VERBS:
                is_say = any(s.lows[x] in _SPEECH_NOUNS for x in range(v + 1, min(n, v + 5)))
            if not is_say:
                continue
            ref = self._subject_left(s, v)
            if ref is None:
                continue
            who = self._resolve(si, *ref)
            if who is not None:
                return who, v
        return None, -1

    def _weak_cues(self, si: int) -> tuple[str | None, str | None]:
        s = self.sents[si]
        n = len(s.words)
        local: list[str] = []
        for k in range(n):
            if s.quoted[k]:
                continue
            low = s.lows[k]
            x = s.occ_end.get(k)
            if x is not None:
                who = self._resolve(si, "occ", x)
                if who:
                    local.append(who)
            # possessive + speech noun: "Putin's remarks ... suggesting", "his insistence that"
            poss: str | None = None
            after = -1
            if low in ("his", "her") and k + 1 < n:
                poss = local[0] if local else self._resolve_pron(low, None, [])
                after = k + 1
            elif s.words[k] in ("’s", "'s") and k > 0 and (k - 1) in s.occ_end:
                poss = self._resolve(si, "occ", s.occ_end[k - 1])
                after = k + 1
            if poss and after >= 0:
                y = after
                while y < n and y <= after + 2 and s.lows[y] not in _SPEECH_NOUNS and s.words[y][0].isalpha():
                    y += 1
                if y < n and s.lows[y] in _SPEECH_NOUNS:
                    z = y + 1
                    if z < n and s.lows[z] in ("that", "about", "regarding", "on"):
                        return poss, "possessive"
                    for w in range(z, min(n, z + 13)):
                        if s.words[w] in (";", ":") or s.quoted[w]:
                            break
                        if s.lows[w] in _SAY_FORMS or s.lows[w] in ("underscore", "underscores", "echoes"):
                            return poss, "possessive"
            # "a rebuttal from Putin", "according to Rutte", "urged by Trump"
            if low in ("from", "to", "by") and k + 1 < n:
                prev = s.lows[k - 1] if k > 0 else ""
                if (
                    (low == "from" and prev in _SPEECH_NOUNS)
                    or (low == "to" and prev == "according")
                    or (low == "by" and prev in _SAY_FORMS and prev.endswith("ed"))
                ):
                    ref = self._ref_starting(s, k + 1)
                    if ref is not None:
                        who = self._resolve(si, *ref)
                        if who:
                            return who, {"from": "from", "to": "according", "by": "by"}[low]
        return None, None

    def _speaker(self, si: int) -> tuple[str | None, str | None, int]:
        s = self.sents[si]
        groups = [self.quotes[qi].group for qi in self.sent_quotes[si]]
        if s.qfrac >= 0.5:
            for g in groups:
                who = self._group_speaker(g)
                if who:
                    return who, "quote", -1
        for qi in self.sent_quotes[si]:
            q = self.quotes[qi]
            if q.close_pos is not None and s.start <= q.close_pos < s.end:
                attr = self.group_attr.get(q.group)
                if attr and attr[0] == si:
                    who = self._group_speaker(q.group)
                    if who:
                        return who, "quote", -1
        who, v = self._verb_cue(si)
        if who:
            return who, "verb", v
        if s.qfrac >= 0.5 and groups:
            who = self._inherit(si, groups[0])
            if who:
                for g in groups:
                    self.group_speaker.setdefault(g, who)
                return who, "quote-continued", -1
        who, cue = self._weak_cues(si)
        if who:
            return who, cue, -1
        return None, None, -1

    def _inherit(self, si: int, group: int) -> str | None:
        s = self.sents[si]
        # An earlier attributed quotation in the same paragraph...
        first_q = self.group_first.get(group, 0)
        for qi in range(first_q - 1, -1, -1):
            q = self.quotes[qi]
            if q.para != s.para:
                break
            who = self._group_speaker(q.group)
            if who:
                return who
        # ...or the speaker of the sentence just before the quotation.
        start = self.quotes[first_q].start
        prev = si - 1
        while prev >= 0 and self.sents[prev].end > start:
            prev -= 1
        if (
            prev >= 0
            and prev < len(self.speakers)
            and self.speakers[prev]
            and self.sents[prev].para >= s.para - 1
        ):
            return self.speakers[prev]
        return None

    # ---- mentions --------------------------------------------------------------------------------------

    def _mentions(self, si: int, speaker: str | None, cue_verb: int) -> list[str]:
        s = self.sents[si]
        out: list[str] = []
        events: list[tuple[int, str, int]] = [(o.i, "occ", x) for x, o in enumerate(s.occs)]
        events.extend((k, "pron", k) for k in s.prons)
        events.sort()
        for pos, kind, idx in events:
            if kind == "occ":
                who = self._resolve(si, "occ", idx)
            else:
                pron = s.lows[idx]
                if s.quoted[idx]:
                    who = self._resolve_pron(pron, speaker, [o for o in out if o != speaker])
                elif pron == "him":
                    first = out[0] if out else speaker
                    who = self._resolve_pron(pron, first, [o for o in out if o != first])
                elif speaker is not None and (cue_verb < 0 or pos > cue_verb or pos == cue_verb - 1):
                    who = speaker if self.gender.get(speaker) in (None, _PRONOUNS[pron]) else None
                    if who is None:
                        who = self._resolve_pron(pron, None, out)
                elif pron in ("his", "her", "he", "she") and out and pos > 0 and s.lows[0] not in _PRONOUNS:
                    who = self._resolve_pron(pron, None, out[:1])
                else:
                    who = self._resolve_pron(pron, None, [])
            if who and who not in out:
                out.append(who)
        return out

    # ---- main ------------------------------------------------------------------------------------------

    def run(self) -> ArticleSpeakers:
        self.speakers = []
        cues: list[str | None] = []
        ments: list[frozenset[str]] = []
        for si in range(len(self.sents)):
            who, cue, v = self._speaker(si)
            self.speakers.append(who)
            cues.append(cue)
            m = self._mentions(si, who, v)
            ments.append(frozenset(m))
            order = ([who] if who else []) + m
            if order:
                seen = set(order)
                self.sal = order + [k for k in self.sal if k not in seen]
        people = {
            p.key: Person(
                p.key,
                frozenset(" ".join(v) for v in p.variants),
                frozenset(t for t in p.titles if t not in _HONORIFICS),
                frozenset(p.affils),
            )
            for p in self.inv.people
        }
        return ArticleSpeakers(tuple(self.speakers), tuple(ments), tuple(cues), people)


def analyze_article(text: str, spans: Sequence[Span]) -> ArticleSpeakers:
    """Speakers, mentions, cues and people for the sentences ``spans`` (in order) of one article."""
    if not spans:
        return ArticleSpeakers((), (), (), {})
    return _Analyzer(text, spans).run()


def attribute_speakers(text: str, spans: Sequence[Span]) -> list[str | None]:
    """For each sentence of ONE article, the person speaking (fullest name the article uses) or None."""
    return list(analyze_article(text, spans).speakers)


def mentions(text: str, spans: Sequence[Span]) -> list[frozenset[str]]:
    """For each sentence, the people it names or refers to (Mr X, titles and pronouns resolved)."""
    return list(analyze_article(text, spans).mentions)


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


_T = TypeVar("_T")


class PeopleIndex(Mapping[str, Person]):
    """A read-only ``people`` map (canonical name -> Person) with indexes for :meth:`matching`.

    Behaves like the mapping it is built from (a snapshot: same keys, values and iteration order), so it
    can be passed wherever a ``people`` map is expected (:func:`name_matches`, :func:`speaker_relevance`).
    ``matching(query)`` returns the keys that :func:`name_matches` accepts for ``query`` without scanning
    every person: a name query looks up the people whose name holds its (last) token, a title query
    ("the NATO chief") the people holding a compatible title; each candidate is then confirmed with
    :func:`name_matches`, so the result is exactly that of the scan. Built in one pass; results are
    cached per query (bounded LRU, thread-safe).

    Equality and hashing are by identity (unlike ``dict``), so an index can key a cache.
    """

    _CACHE_SIZE = 16384

    def __init__(self, people: Mapping[str, Person]) -> None:
        self._people: dict[str, Person] = dict(people)
        self._order: dict[str, int] = {}
        by_token: dict[str, list[str]] = {}
        by_last: dict[str, list[str]] = {}
        by_title: dict[str, list[str]] = {}
        for pos, (key, p) in enumerate(self._people.items()):
            self._order[key] = pos
            full = _name_tokens(key) if key else ()
            if not full:
                continue  # name_matches never accepts such a key
            for tok in dict.fromkeys(full):
                by_token.setdefault(tok, []).append(key)
            by_last.setdefault(full[-1], []).append(key)
            for title in p.titles:
                by_title.setdefault(title, []).append(key)
        # lists were filled in key order, so every candidate tuple is in the mapping's iteration order
        self._by_token = {t: tuple(ks) for t, ks in by_token.items()}
        self._by_last = {t: tuple(ks) for t, ks in by_last.items()}
        self._by_title = {t: tuple(ks) for t, ks in by_title.items()}
        self._matching = lru_cache(maxsize=self._CACHE_SIZE)(self._match)

    # Mapping protocol (delegated to the snapshot dict for speed)
    def __getitem__(self, key: str) -> Person:
        return self._people[key]

    @overload
    def get(self, key: str, /) -> Person | None: ...

    @overload
    def get(self, key: str, default: Person | _T, /) -> Person | _T: ...

    def get(self, key: str, default: object = None, /) -> object:
        return self._people.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._people)

    def __len__(self) -> int:
        return len(self._people)

    def __contains__(self, key: object) -> bool:
        return key in self._people

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return object.__hash__(self)

    def __repr__(self) -> str:
        return f"PeopleIndex({len(self._people)} people)"

    def __reduce__(self) -> tuple[type[PeopleIndex], tuple[dict[str, Person]]]:
        return (PeopleIndex, (self._people,))

    def matching(self, query: str) -> tuple[str, ...]:
        """The keys ``k`` (in iteration order) with ``name_matches(k, query, self)``; cached per query."""
        return self._matching(query)

    def _match(self, query: str) -> tuple[str, ...]:
        if not query or not self._people:
            return ()
        parsed = _parse_title_phrase(query)
        cands: Iterable[str]
        if parsed is not None and not parsed[2]:
            # a title alone: only people holding a compatible title can match (affiliations: name_matches)
            title = parsed[0]
            found: set[str] = set()
            for held, keys in self._by_title.items():
                if _title_compatible(title, (held,)):
                    found.update(keys)
            cands = sorted(found, key=self._order.__getitem__)
        else:
            q = parsed[2] if parsed is not None else _name_tokens(query)
            q = tuple(t for t in q if t not in _DROP_NAME_WORDS)
            if not q:
                return ()
            # one token: it must be one of the name's tokens; several: the last tokens must be equal
            cands = self._by_token.get(q[0], ()) if len(q) == 1 else self._by_last.get(q[-1], ())
        return tuple(k for k in cands if name_matches(k, query, self))


def people_named(people: Mapping[str, Person] | None, query: str) -> tuple[str, ...]:
    """The keys of ``people`` (in order) that ``query`` denotes (:func:`name_matches`).

    Uses the indexes of a :class:`PeopleIndex`; scans any other mapping.
    """
    if not people:
        return ()
    if isinstance(people, PeopleIndex):
        return people.matching(query)
    return tuple(k for k in people if name_matches(k, query, people))


def _anyone_named(people: Mapping[str, Person] | None, query: str) -> bool:
    """``bool(people_named(people, query))``, stopping at the first match when it has to scan."""
    if not people:
        return False
    if isinstance(people, PeopleIndex):
        return bool(people.matching(query))
    return any(name_matches(k, query, people) for k in people)


# --------------------------------------------------------------------------------------------------------
# Matching and scoring
# --------------------------------------------------------------------------------------------------------

_NAME_SPLIT_RE = re.compile(r"[^\w.'’-]+|(?<=\w)[.](?=\s|$)")
_DROP_NAME_WORDS = frozenset(_HONORIFICS) | {"the", "a", "an"}


@lru_cache(maxsize=65536)
def _name_tokens(s: str) -> tuple[str, ...]:
    toks: list[str] = []
    for raw in _NAME_SPLIT_RE.split(s):
        t = _norm(raw.strip(".'’-"))
        if t.endswith("'s"):
            t = t[:-2]
        if t:
            toks.append(t)
    return tuple(toks)


@lru_cache(maxsize=65536)
def _parse_title_phrase(s: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """'the NATO chief' -> ('chief', ('nato',), name tokens after the title); None if no title word.

    Memoised: pure, and the result is immutable (tuples of str).
    """
    toks = [t for t in _name_tokens(s) if t not in ("the", "a", "an")]
    n = len(toks)
    for i in range(n):
        if toks[i] in _TITLE_FIRST:
            t = _title_at(toks, i, n)
            if t and t[1] not in _HONORIFICS:
                # the last title in the phrase
                end, phrase = t
                while end < n:
                    t2 = _title_at(toks, end, n)
                    if not t2:
                        break
                    end, phrase = t2
                affils = tuple(x for x in toks[:i] if x not in _TITLE_MODIFIERS)
                rest = tuple(toks[end:])
                if rest and rest[0] == "of":  # "the head of NATO"
                    return phrase, affils + rest[1:], ()
                return phrase, affils, rest
    return None


_SPLIT_STRIP = ",;:!?\"“”‘’'()[]{}"


@lru_cache(maxsize=65536)
def split_title(phrase: str) -> tuple[str | None, str | None]:
    """Split a person phrase into (title, name), keeping the original spelling (memoised: pure).

    "Russian President Vladimir Putin" -> ("Russian President", "Vladimir Putin"); "the NATO chief" ->
    ("NATO chief", None); "Mr. Putin" -> (None, "Putin"); "Putin's" -> (None, "Putin").
    """
    toks: list[str] = []
    for raw in phrase.split():
        t = raw.strip(_SPLIT_STRIP)
        if t.endswith(("'s", "’s")):
            t = t[:-2]
        elif t.endswith(("s'", "s’")):
            t = t[:-1]
        if t:
            toks.append(t)
    while toks and toks[0].lower() in ("the", "a", "an"):
        toks = toks[1:]
    if not toks:
        return None, None
    lows = [t.lower().rstrip(".") if t.lower().rstrip(".") in _ABBREV_DOT else t.lower() for t in toks]
    n = len(lows)
    last_end = -1
    real_title = False
    i = 0
    while i < n:
        hit = _title_at(lows, i, n) if lows[i] in _TITLE_START else None
        if hit:
            last_end = hit[0]
            real_title = real_title or hit[1] not in _HONORIFICS
            i = hit[0]
            continue
        i += 1
    if last_end < 0:
        return None, " ".join(toks)
    title_toks = [t for t in toks[:last_end] if t.lower().rstrip(".") not in _HONORIFICS]
    name = " ".join(toks[last_end:]) or None
    title = " ".join(title_toks) if real_title and title_toks else None
    if title and name and lows[last_end] == "of":  # "head of NATO"
        return f"{title} {name}", None
    return title, name


def is_title_phrase(s: str) -> bool:
    """True for 'the NATO chief', 'Russian president'; False for names ('Putin', 'President Putin')."""
    parsed = _parse_title_phrase(s)
    return parsed is not None and not parsed[2]


def name_matches(full_name: str | None, query_name: str, people: Mapping[str, Person] | None = None) -> bool:
    """Does ``query_name`` (from a question) denote the person ``full_name``?

    Case- and accent-insensitive, whole words only: "Putin" matches "Vladimir Putin" and "Vladimir
    Vladimirovich Putin"; "Vladimir Putin" matches "Vladimir Vladimirovich Putin" (ordered subsequence
    with the same last word); "Put" and "Putina" do not. Titles and honorifics in the query are ignored
    when a name follows ("President Putin", "Mr. Putin"). A title alone ("the NATO chief", "Russian
    president") matches only through ``people`` (from :func:`analyze_article` or :func:`merge_people`):
    the person must hold a compatible title and, if the query names an affiliation, share it.
    """
    if not full_name or not query_name:
        return False
    full = _name_tokens(full_name)
    if not full:
        return False
    parsed = _parse_title_phrase(query_name)
    if parsed is not None and not parsed[2]:
        if not people:
            return False
        p = people.get(full_name)
        if p is None:
            return False
        title, affils, _ = parsed
        if not _title_compatible(title, p.titles):
            return False
        keys = {_affil_key(a) for a in affils}
        return not keys or not p.affiliations or bool(keys & set(p.affiliations))
    q = parsed[2] if parsed is not None else _name_tokens(query_name)
    q = tuple(t for t in q if t not in _DROP_NAME_WORDS)
    if not q:
        return False
    if len(q) == 1:
        return q[0] in full
    if q[-1] != full[-1]:
        return False
    return _subseq(q, full) or _subseq(full, q)


_TOPIC_STOP = _words(
    """the a an of on about to in at for and or with from by his her its their this that these those new
    what which who whom how why when where did does do say said says"""
)
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def _lexical_overlap(topic: str, sentence_text: str) -> float:
    terms = [t for t in (_norm(w) for w in _WORD_RE.findall(topic)) if t not in _TOPIC_STOP]
    if not terms:
        return 0.0
    words = {_norm(w) for w in _WORD_RE.findall(sentence_text)}
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

    Combine with the retrieval score additively, e.g. ``final = retrieval + w * speaker_relevance`` with w
    around 0.3 of the retrieval score range, so that it reorders close candidates without overriding topical
    relevance; it is computed from the sentence's speaker/mentions from :func:`analyze_article`.
    """
    asked = getattr(intent, "speaker", None)
    if getattr(intent, "kind", None) != "speech" or not asked:
        return 0.0
    topic: str | None = getattr(intent, "topic", None)
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

    if name_matches(speaker, asked, people):
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
def _reported_re(surface: str) -> re.Pattern[str]:
    name = re.escape(surface)
    return re.compile(
        rf"\b{name}['’]s\s+(?:[\w-]+\s+){{0,2}}(?:{_SPEECH_NOUN_ALT})\b"
        rf"|\baccording\s+to\s+(?:[\w.’'-]+\s+){{0,4}}{name}\b",
        re.IGNORECASE,
    )


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
    return any(_reported_re(x).search(sentence_text) for x in surfaces if x)


def _looks_like_name(s: str) -> bool:
    toks = [t for t in s.split() if t.lower() not in ("the", "mr", "mr.", "mrs", "ms", "dr")]
    if not toks or len(toks) > 4:
        return False
    if is_title_phrase(s):
        return True
    return all(t[:1].isupper() and not t.isupper() and _norm(t) not in _GAZETTEER for t in toks) and not any(
        _norm(t) in _ORG_WORDS for t in toks
    )


# --------------------------------------------------------------------------------------------------------
# Benchmark: python -m retrieval.lang.en.speakers.analyzer [squad.json] [corpus_dir]
# --------------------------------------------------------------------------------------------------------

_BENCH_SENT_RE = re.compile(r"\S.*?(?:[.!?][\"”’']?(?=\s+[\"“‘A-Z0-9])|$)", re.S)


def _bench_spans(text: str) -> list[Span]:
    """A crude splitter for timing only (the real segmenter lives elsewhere)."""
    out: list[Span] = []
    pos = 0
    for para, block in enumerate(text.split("\n")):
        for m in _BENCH_SENT_RE.finditer(block):
            out.append(Span(pos + m.start(), pos + m.end(), 1, para))
        pos += len(block) + 1
    return out


def _bench(argv: Sequence[str]) -> None:  # pragma: no cover - manual tool
    import glob
    import json
    import os
    import time

    squad = argv[0] if argv else "/work/shared/data/squad/dev-v1.1.json"
    corpus = argv[1] if len(argv) > 1 else "corpus"
    docs: list[tuple[str, str]] = []
    if os.path.exists(squad):
        with open(squad, encoding="utf-8") as fh:
            data = json.load(fh)
        docs += [("squad", p["context"]) for a in data["data"] for p in a["paragraphs"]]
    for f in sorted(glob.glob(os.path.join(corpus, "*.txt"))):
        with open(f, encoding="utf-8") as fh:
            docs.append(("corpus", fh.read()))
    for label in ("squad", "corpus"):
        items = [(t, _bench_spans(t)) for lab, t in docs if lab == label]
        n = sum(len(sp) for _, sp in items)
        if not n:
            continue
        reps = max(1, 20_000 // n)
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            for _ in range(reps):
                for t, sp in items:
                    analyze_article(t, sp)
            best = min(best, time.perf_counter() - t0)
        print(f"{label}: {len(items)} docs, {n} sentences x{reps}: {n * reps / best:,.0f} sentences/s")


if __name__ == "__main__":  # pragma: no cover
    import sys

    _bench(sys.argv[1:])
