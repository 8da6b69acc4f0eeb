"""Speaker analysis, step 1: each sentence's tokens scanned for name references, titles and speech cues."""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.lang.en.given_names import is_given_name
from retrieval.lang.en.lexicon import (
    _ABBREV_DOT,
    _AUX_ADV,
    _GAZETTEER,
    _HONORIFICS,
    _INVERTED_ONLY,
    _LIGHT_VERBS,
    _ORG_WORDS,
    _PARTICLES,
    _SAY_FORMS,
    _SPEECH_NOUNS,
    _STOP_CAP,
    _TITLE_FOLLOW_OK,
    _TITLE_MODIFIERS,
    _TITLE_START,
    INDEFINITE_DETERMINERS,
    MONTHS,
    POST_NOMINALS,
    _is_acronym,
    _is_cap,
    _norm,
)
from retrieval.lang.en.speakers.shapes import (
    _TITLE_LAST,
    OFFICE_BRIEF_TITLES,
    _affiliation_only,
    _ampersand_name_end,
    _brief_run,
    _continues_institution,
    _described_after,
    _given_first,
    _name_token_at,
    _occupation_before_name,
    _portfolio_end,
    _title_at,
    _valid_name_token,
    _who_after,
)

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
    # "A Downing Street spokesman said": an indefinite title-only reference introduces someone new, never a
    # person named before (who may hold the same title: "Lib Dem spokesman Mark Oaten" two lines up).
    indefinite: bool = False


def index_occs(s: _Sent) -> None:
    """Put a sentence's references in token order and index them by their first and last tokens."""
    s.occs.sort(key=lambda o: o.i)
    s.occ_end.clear()
    s.occ_start.clear()
    for x, o in enumerate(s.occs):
        s.occ_end[o.j - 1] = x
        s.occ_start[o.ni if o.name else o.i] = x
        s.occ_start.setdefault(o.i, x)


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


def _scan_refs(words: list[str], lows: list[str], headline: bool) -> list[_Occ]:
    n = len(words)
    occs: list[_Occ] = []
    first_alpha = next((k for k in range(n) if words[k][0].isalpha()), 0)
    has_ampersand = "&" in words
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
        institution_end = _continues_institution(words, lows, i)
        if institution_end:  # no one's name: the rest of an institution's
            i = institution_end
            continue
        ampersand = _ampersand_name_end(words, i) if has_ampersand else 0
        if ampersand:  # a firm's name, never a person's: "Marks & Spencer", "Procter & Gamble", "PG&E", "AT&T"
            i = ampersand
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
            brief = 0
            if lows[j] == "for" and items[-1][0] == "title":
                name, end = _brief_run(words, lows, j + 1)
                brief = name or (end if end > j + 1 and items[-1][3] in OFFICE_BRIEF_TITLES else 0)
            if brief:  # "MP for Witney David Cameron": the constituency stands between the title and the name
                items.extend(("port", x, x + 1, "") for x in range(j, brief))
                j = brief
                continue
            portfolio = _portfolio_end(words, lows, items, j, n)
            if portfolio:
                items.extend(("port", x, x + 1, "") for x in range(j, portfolio))
                j = portfolio
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
            possessive = wj in ("’s", "'s") or (wj in ("'", "’") and lows[j - 1].endswith("s"))  # "Democrats'"
            if (
                possessive
                and items
                and items[-1][0] == "cap"
                and j + 1 < n
                and (
                    _title_at(lows, j + 1, n)
                    or (j + 2 < n and _is_cap(words[j + 1]) and _title_at(lows, j + 2, n))
                    or (
                        _affiliation_only(words, items)
                        and (_is_cap(words[j + 1]) or _portfolio_end(words, lows, items, j + 1, n))
                    )
                )
            ):
                items.append(("poss", j, j + 1, ""))
                j += 1
                continue
            break
        # letters after a name ("John Smith MP said", "Menzies Campbell QC"): the name's, not a title whose
        # affiliations the name's words would be
        post = len(items) > 1 and items[-1][0] == "title" and items[-1][3] in POST_NOMINALS and items[-2][0] == "cap"
        consumed = _process_group(words, lows, items[:-1] if post else items, occs, i, first_alpha, headline)
        i = max(consumed, i + 1, items[-1][2] if post else 0)
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
    the_before = gstart > 0 and lows[gstart - 1] == "the"
    the = the_before  # "the" before the name, outside the group or as its leading "The"
    indefinite = gstart > 0 and lows[gstart - 1] in INDEFINITE_DETERMINERS
    k = 0
    # Leading capitalised stop words ("The", "During", "As") are not part of a name.
    while k < len(items) and items[k][0] == "cap" and lows[items[k][1]] in _STOP_CAP:
        if lows[items[k][1]] == "the":
            det = the = True
        indefinite = lows[items[k][1]] in INDEFINITE_DETERMINERS
        k += 1
    if k >= len(items):
        return items[-1][2] if items else gstart + 1
    # "Mayor of Koszalin Piotr Jedlinski": the group names the title's place (or brief) before the person
    # ("US Ambassador to the United Nations Nikki Haley", "Senator from Vermont Bernie Sanders" too)
    prep = gstart - 2 if the_before else gstart - 1
    of_title = prep > 0 and lows[prep] in ("of", "for", "to", "from") and lows[prep - 1] in _TITLE_LAST
    if _occupation_before_name(words, lows, items, k):  # "Hydrologist Marta Keller": the occupation is a title
        items[k] = ("title", items[k][1], items[k][2], lows[items[k][1]])
    # Prefix: affiliations (acronyms, places, demonyms, capitalised modifiers) before a title.
    title_idx = [x for x in range(k, len(items)) if items[x][0] == "title"]
    affils: list[str] = []
    title: str | None = None
    honorific: str | None = None
    name_from = k
    possessor = False  # the affiliations are a possessor's ("Labour's"): kept without a title
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
        while name_from < len(items) and items[name_from][0] == "port":  # a constituency after the title
            name_from += 1
        ref_start = items[k][1] if affils else items[t0][1]
    else:
        # "Labour's Alan Milburn", "the Conservatives' Michael Ancram": the party is the person's affiliation
        poss_at = next((x for x in range(k, len(items)) if items[x][0] == "poss"), k)
        if poss_at > k and _affiliation_only(words, items[k:poss_at]):
            affils = [words[items[x][1]] for x in range(k, poss_at)]
            name_from = poss_at + 1
            possessor = True
        run = 0
        while _name_token_at(words, lows, items, name_from + run):
            run += 1
        if of_title and run >= 3 and _norm(words[items[name_from][1]]) not in _GAZETTEER:
            # a place the gazetteer lacks: the person is the last two words, the commonest length of a name
            affils.extend(words[items[x][1]] for x in range(name_from, name_from + run - 2))
            name_from += run - 2
        while (
            name_from < len(items)
            and items[name_from][0] == "cap"
            and (
                _is_acronym(words[items[name_from][1]])
                or lows[items[name_from][1]] in _ORG_WORDS
                or (
                    _norm(words[items[name_from][1]]) in _GAZETTEER
                    and (
                        not _name_token_at(words, lows, items, name_from + 1)
                        # the place of a title before it, not a given name: "Prime Minister of India Narendra Modi"
                        or (of_title and _name_token_at(words, lows, items, name_from + 2))
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
        # A month after a given name is a surname ("Theresa May", "Brian May"), though "may" is a stop word.
        surname_word = len(name_tokens) == 1 and lows[s] in MONTHS and _given_first([name_tokens[0], words[s]])
        # So is an institution's word after a titled given name, where the capitals end: "Dr Helen Park said"
        # (not "Dr Helen Park Trust", nor "Park Lane" after a name without a title)
        surname_word = surname_word or (
            len(name_tokens) == 1 and bool(title or honorific) and lows[s] in _ORG_WORDS
            and is_given_name(_norm(name_tokens[0])) and not (x + 1 < len(items) and items[x + 1][0] == "cap")
        )
        if kind == "cap" and (_valid_name_token(words[s], lows[s]) or surname_word):
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
        # A single gazetteer word is never a name; a multi-token name must not end in one ("South Carolina",
        # "West Virginia"), unless it is a given name that is not a place and a surname ("Theresa May", "Liam
        # Fox", "Whitney Houston"), or ends in a short gazetteer acronym written in small letters: "Un" in "Kim
        # Jong Un" is not the UN.
        last = name_tokens[-1]
        acronym_word = len(last) <= 3 and not last.isupper() and len(name_tokens) > 1
        # ", who" after the name makes a person of a place word after a given name the lists lack ("Denzel
        # Washington, who paid for ..."): a place takes "which" or "where"
        who_follows = len(name_tokens) == 2 and _who_after(words, lows, end_tok)
        who_follows = who_follows and _norm(name_tokens[0]) not in _GAZETTEER and _norm(name_tokens[0]) not in _STOP_CAP
        if _norm(last) in _GAZETTEER and not (
            title or honorific or _given_first(name_tokens) or acronym_word or who_follows
        ):
            return end_tok
        # A name right after "the" and no title is a newspaper's or a band's, not a person's: "the Valley Herald",
        # "the Guardian", "The Daily Telegraph" ("the late John Smith", "the Rev. Smith" have a word or a title)
        if the and not (title or honorific or possessor or of_title):
            return end_tok
        # Gazetteer words alone are no one's name, even short ones: "Lib Dem" is a party.
        if all(_norm(t) in _GAZETTEER for t in name_tokens) and not (title or honorific):
            return end_tok
        # An organisation word right after the name makes the whole sequence an organisation's name
        # ("Strategic Petroleum Reserve", "John W. Weeks Bridge"), not a person's.
        if x < len(items) and items[x][0] == "cap" and lows[items[x][1]] in _ORG_WORDS and not (title or honorific):
            return end_tok
        occ = _Occ(
            i=ref_start,
            j=end_tok,
            ni=ni,
            name=tuple(name_tokens),
            title=title,
            affils=tuple(affils) if title or possessor else (),
            honorific=honorific,
            initial=ni == first_alpha,
        )
        occs.append(occ)
        return end_tok
    if title is not None:
        t_end = items[name_from - 1][2]
        if name_from > t1 + 1 and lows[items[t1 + 1][1]] == "for":
            # an office and its brief, no name ("the Secretary of State for Health said"): whoever holds that
            # office, which the titles the article gives do not tell ("the transport minister" is not them)
            return t_end
        # Title-only reference: needs a determiner/possessor or capitals, and must not be an adjective.
        capital = _is_cap(words[items[title_idx[0]][1]])
        nxt = lows[t_end] if t_end < n else "."
        plural_of = nxt == "of" and t_end + 1 < n and words[t_end + 1][0].islower() and lows[t_end + 1] != "the"
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
                    indefinite=indefinite,
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
        described = _described_after(words, lows, p) if len(occ.name) == 1 else -1
        if described > 0:  # "said his daughter Nettie"
            p = described - 1
        if p >= 0 and (lows[p] in _SAY_FORMS or lows[p] in _INVERTED_ONLY):
            occ.evidence = True
            continue
        if p >= 1 and lows[p] == "to" and lows[p - 1] == "according":
            occ.evidence = True
