"""Who speaks in each sentence of an article, and whom each sentence is about.

Pure, rule-based and fast: a regex tokenizer, capitalised-name detection with a small gazetteer, a lexicon of
reporting verbs, quotation-mark tracking across sentences and a salience list for ``he``/``she``, ``Mr X`` and
titles ("the NATO chief", "the Russian president"). No model is loaded, at import time or later.

Public API (this module)
------------------------
``analyze_article(text, spans) -> ArticleSpeakers``
    everything at once: per-sentence speakers, mentions and the cue that fired, plus the people the article
    names with the titles it gives them.
``attribute_speakers(text, spans) -> list[str | None]``
    the person who speaks in each sentence (the fullest name the article uses), or None.
``mentions(text, spans) -> list[frozenset[str]]``
    the people each sentence names or refers to (names, ``Mr X``, titles and pronouns resolved).

The steps live beside it: ``scan`` (per-sentence references and cues; its word tests in ``shapes``), ``quotes``
(quotations), ``inventory`` (the article's people), ``subjects`` (the person a verb of saying points at: through
appositions and prepositional phrases, after an inverted verb, for a participle "…, saying"), ``content`` (whether a
verb of saying carries its subject's words: narration is not speech), ``organisations`` (the organisations an article
names, and when one is the speaker); ``version`` numbers the results. Name matching (``name_matches``,
``PeopleIndex``) is in ``retrieval.lang.en.names``; ``speaker_relevance``, which scores a sentence for a question, is
in ``search``.

Cues, strongest first (per sentence):
  1. ``quote``: the sentence lies (mostly) inside a quotation attributed before or after it (``“…,” Rutte
     said``, ``said Rutte``, ``Rutte said: “…”``, ``he declared``, a colon or comma after a clause that opens
     with the speaker: ``Jagger reacted on Twitter, “…”``); every sentence of a multi-sentence quotation gets
     its attribution; ``attribution``: an attribution that stands alone after its quotation ("“…” / Macron told
     the world on Thursday via Twitter.") has the quotation's speaker, as it is quoted with it;
  2. ``verb``: a reporting verb outside quotation marks with a person as subject *and a complement that
     carries their words* (content.py): a clause (``Putin has argued that``, ``said the plan would``,
     ``told reporters (that)``), a to-infinitive (``He urged Rutte to``, ``vowed to``), a description
     (``Putin characterized Rutte as``, ``called the move a``), a colon or quotation, or content around the
     clause (``This approach, he argued, would``, ``As Rutte emphasized, …``);
  3. ``possessive``/``according``/``from``/``by``, again only with content: "his suggestion that", "a warning
     from Putin that", "described by Trump as", "according to Rutte";
  4. ``quote-continued``: an unattributed quotation continuing the previous speaker's quote (not one that
     narration of its own introduces without naming them: "Facebook further claimed, “…”"), or the quotation
     after a sentence that narrates someone speaking ("Putin responded to the claims. “…”").
Narration is not speech: a reporting verb whose only complement is a noun phrase or a prepositional object ("Putin
responded to Rutte's statements", "expressed bewilderment at", "Rutte issued a stark warning", "criticised the plan",
"warned of a long war") reports that someone spoke without their words; the person stays a mention (and the subject
the sentence's pronouns and salience follow), not the speaker. Words inside quotation marks never count as narration,
so a person merely quoted *about* (``"...to Vladimir Vladimirovich Putin...," continued Rutte``) is a mention, not
the speaker.

Organisations speak too, but only where no person does (``organisations.py``): every cue above is tried for a person
first, then the ``quote``, ``verb`` and ``according``/``from``/``by`` cues again with an organisation as the subject
(``NATO has urged members to …`` -> NATO, ``“…,” the ministry said`` -> the ministry the article named, ``a Kremlin
statement said that …`` -> Kremlin); its verb needs content as a person's does (``the Kremlin said nothing`` is
narration); ``Rutte of NATO said`` stays Rutte's. The organisations that speak are in ``people`` with
``Person.organisation`` set; they are never mentions nor antecedents of he/she.

Known limits: an organisation named by a single capitalised word that is neither an acronym, nor a place or
institution of the gazetteer, nor after "the" ("Tesco said") is taken for a person, as before; "the company" points
back only at an organisation named with the word "company"; an organisation's "it"/"they" is not resolved; a
surname-only person is recognised from a speech cue, a title/``Mr`` or a fuller form elsewhere in the article, so a
bare sentence-initial "Harris said" is missed; gender comes from titles, honorifics, a list of common given names and
earlier resolved pronouns, otherwise ``he``/``she`` takes the most salient person; a sentence continuing another
("National Security Strategy, which he argued ...") gets its speaker but not the topic of the previous sentence;
scare quotes right after a reporting verb count as that subject's words. Content is read from word shapes and lists,
without a parser: a clause with a plain present verb and no auxiliary ("stated police believe …"), a bare infinitive
("recommended the troops withdraw") and a "that"-less clause after a list of commas are missed; a reduced relative
clause ("announced the measures he had taken") and a gerund noun ("announced funding for …") read as content; a bare
attribution ("Pelosi said.") carries no words of its own; it has its quotation's speaker only when it stands right
after that quotation.

Speed: measured by ``make bench`` (``benchmarks/lang_speed.py``: whole-article analysis incl. tokenizing, one
thread), budget 5,000 sentences/s; figures in benchmarks/RESULTS.md. Linear in article length. No spaCy: rules only.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from retrieval.lang.en.furniture import is_page_furniture
from retrieval.lang.en.lexicon import (
    _AUX_ADV,
    _HONORIFICS,
    _INVERTED_ONLY,
    _LIGHT_VERBS,
    _PRONOUNS,
    _SAY_FORMS,
    _SPEECH_NOUNS,
    phrasal_says,
)
from retrieval.lang.en.people import ArticleSpeakers, Person
from retrieval.lang.en.speakers.content import complement_content, replied, verb_carries_words
from retrieval.lang.en.speakers.groups import group_heads, is_group
from retrieval.lang.en.speakers.inventory import _P, _build_inventory, _most_salient, _title_refers, title_gender
from retrieval.lang.en.speakers.quotes import _find_quotes, _Quote, is_attribution_only
from retrieval.lang.en.speakers.scan import _is_headline, _mark_evidence, _scan_refs, _Sent, index_occs
from retrieval.lang.en.speakers.subjects import _References, someone_new_attributes, unnamed_speaker_title
from retrieval.lang.en.tokens import SCAN_TOKEN_RE
from retrieval.records import Span

# --------------------------------------------------------------------------------------------------------
# Article analysis
# --------------------------------------------------------------------------------------------------------


def _prepare(text: str, spans: Sequence[Span]) -> list[_Sent]:
    sents: list[_Sent] = []
    furniture: list[bool] = []
    tl = len(text)
    finditer = SCAN_TOKEN_RE.finditer
    for sp in spans:
        a = min(max(int(sp.start), 0), tl)
        b = min(max(int(sp.end), a), tl)
        ms = list(finditer(text, a, b))
        words = [m.group() for m in ms]
        starts = [m.start() for m in ms]
        lows = phrasal_says([w.lower() for w in words])
        # Page furniture ("Reply", "Related articles") names nobody: no references, no pronouns.
        furniture.append(is_page_furniture(text[a:b]))
        headline = furniture[-1] or _is_headline(text[a:b], words)
        occs = _scan_refs(words, lows, headline) if words and not furniture[-1] else []
        s = _Sent(a, b, int(sp.paragraph), words, lows, starts, occs, {}, {}, {}, headline, [False] * len(words))
        _mark_evidence(s)
        sents.append(s)
    # Teams, bands and companies named like people are not people (groups.py).
    heads = group_heads([(s.words, s.lows, s.occs) for s in sents])
    for s, label in zip(sents, furniture, strict=True):
        s.occs = [o for o in s.occs if not is_group(o, heads)]
        index_occs(s)
        if not label:
            for k, low in enumerate(s.lows):
                if low in _PRONOUNS:
                    s.prons[k] = low
    return sents


# How far before a quotation its verb of saying may stand: 'Yu said at a press conference: “…”'.
_PRE_VERB_WINDOW = 8


class _Analyzer(_References):
    def __init__(self, text: str, spans: Sequence[Span]) -> None:
        self.text = text
        self.sents = _prepare(text, spans)
        self.inv = _build_inventory(self.sents)
        self._find_organisations(text, self.sents, self.inv)  # organisations.py
        self.sal: list[str] = []
        self.quotes: list[_Quote] = []
        self.sent_quotes: list[list[int]] = [[] for _ in self.sents]
        self.group_attr: dict[int, tuple[int, str, int] | None] = {}  # group -> (sent, kind, index)
        self.group_speaker: dict[int, str | None] = {}
        self.gender: dict[str, str | None] = {p.key: p.gender for p in self.inv.people}
        self.by_key: dict[str, _P] = {p.key: p for p in self.inv.people}
        self.speakers: list[str | None] = []
        self.spoken: set[str] = set()  # the people who were a sentence's speaker or narrated subject so far
        # Per sentence, the person a reporting verb narrates as speaking when the sentence carries none of
        # their words ("Putin responded to Rutte's statements"): not its speaker, but the one its pronouns
        # and the quotation after it most likely belong to.
        self.narrators: list[str | None] = []
        self._sent_starts: list[tuple[int, int]] = []
        self.group_first: dict[int, int] = {}
        self.attribution_of: dict[int, int] = {}  # sentence -> the quotation group it alone attributes
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
        with self.organisations_speak():  # "“…,” the ministry said": only where no person is attributed
            for qi, q in enumerate(self.quotes):
                if self.group_attr.get(q.group) is None:
                    self.group_attr[q.group] = self._attribution(qi)
        # A stand-alone attribution ("“…” / Macron told the world on Thursday via Twitter.") carries no words of
        # its own but is quoted together with its quotation (search/quotes.py): it has the quotation's speaker.
        self.attribution_of = {}
        for g, attr in self.group_attr.items():
            if attr is not None and all(self.quotes[qi].group != g for qi in self.sent_quotes[attr[0]]):
                self.attribution_of[attr[0]] = g

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
                if got is not None and got[1] == "pron" and q.open_pos is not None and self._sent_of(q.open_pos) == si:
                    # "X, a spokesperson, indicated ...: “…,” he said": the person the sentence opened with, not the
                    # last one of the sentences before (the salience is a sentence behind)
                    pre = self._pre_attribution(si, q.open_pos)
                    who = self._resolve(si, "occ", pre[2]) if pre is not None and pre[1] == "occ" else None
                    if who is not None and self.gender.get(who) in (None, _PRONOUNS.get(self.sents[si].lows[got[2]])):
                        return pre
                if got is not None:
                    return got
                # "...now.” Rutte said." split into two sentences by the segmenter.
                s = self.sents[si]
                if all(st <= q.close_pos for st in s.starts) and si + 1 < len(self.sents):
                    nxt = self.sents[si + 1]
                    short = len(nxt.words) <= 8 or is_attribution_only(self.text[nxt.start : nxt.end])
                    if nxt.para == s.para and short:
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
            ref = self._ref_starting(s, k + 1) or self._described_ref(s, k + 1)
            if ref is not None:
                return (si, *ref)
        ref = self._ref_starting(s, k)
        if ref is not None:
            kind, idx = ref
            v = self._ref_end(s, ref)
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
        for v in range(k, max(-1, k - _PRE_VERB_WINDOW), -1):
            if s.quoted[v]:
                break
            if s.lows[v] in _SAY_FORMS:
                ref = self._subject_left(s, v)
                if ref is not None:
                    return (si, *ref)
                break
        return self._colon_subject(si, s, k) if k + 1 < len(s.words) and s.words[k + 1] in (":", ",") else None

    def _resolve(self, si: int, kind: str, idx: int, exclude: str | None = None) -> str | None:
        s = self.sents[si]
        if kind == "org":
            return self._org_key(s, idx)
        if kind == "pron":
            who = self._resolve_pron(s.lows[idx], exclude, [])
            if who is not None and self.gender.get(who) is None and self.sal and self.sal[0] == who:
                self.gender[who] = _PRONOUNS[s.lows[idx]]  # "he argued" right after Rutte: Rutte is a he
            return who
        o = s.occs[idx]
        if o.name:
            # a surname two people share is the one who has spoken or acted in the article, before one only named
            # in passing: "Trump took to social media" after "... as did Jared Kushner and Ivanka Trump" is the
            # president, who "reported he ... tested positive"; among those, the most salient ("Mr Miliband added")
            sal = [k for k in self.sal if k in self.spoken] + [k for k in self.sal if k not in self.spoken]
            p = self.inv.lookup(o.name, sal, o.honorific)
            return p.key if p else None
        cands = _title_refers(self.inv, o)
        if not cands:
            return self._untitled_antecedent(s, o)
        # one named earlier in the same sentence comes first ("Italian economic development minister Stefano
        # Patuanelli sent a letter of support, but the minister said ..."): the salience list is a sentence behind
        keys = {c.key for c in cands}
        for prev in reversed(s.occs[:idx]):
            p = self.inv.lookup(prev.name, self.sal, prev.honorific) if prev.name else None
            if p is not None and p.key in keys:
                return p.key
        return _most_salient(cands, self.sal).key

    def _resolve_pron(self, pron: str, exclude: str | None, local: list[str]) -> str | None:
        g = _PRONOUNS.get(pron)
        for key in (*local, *self.sal):
            if key == exclude:
                continue
            pg = self.gender.get(key)
            if pg and g and pg != g:
                continue
            return None if key == UNNAMED else key
        return None

    # ---- speaker cues ----------------------------------------------------------------------------------

    def _group_speaker(self, group: int) -> str | None:
        if group in self.group_speaker:
            return self.group_speaker[group]
        attr = self.group_attr.get(group)
        who = self._resolve(attr[0], attr[1], attr[2]) if attr else None
        self.group_speaker[group] = who
        return who

    def _verb_cue(self, si: int) -> tuple[str | None, int, bool]:
        """The person a reporting verb outside quotation marks has as subject, the verb, and whether the verb
        carries their words (content.py). The first verb that carries words wins; failing one, the first
        that only narrates."""
        s = self.sents[si]
        n = len(s.words)
        narrated: tuple[str | None, int] = (None, -1)
        for v in range(n):
            if s.quoted[v]:
                continue
            low = s.lows[v]
            is_say = low in _SAY_FORMS
            if not is_say and low in _LIGHT_VERBS:
                is_say = any(s.lows[x] in _SPEECH_NOUNS for x in range(v + 1, min(n, v + 5)))
            if not is_say:
                continue
            who, first = self._verb_subject(si, v, narrated[0])
            if who is None:
                continue
            if verb_carries_words(s, v, _SAY_FORMS.get(low), first):
                return who, v, True
            if narrated[0] is None:
                narrated = (who, v)
        return narrated[0], narrated[1], False

    def _verb_subject(self, si: int, v: int, narrated: str | None) -> tuple[str | None, int]:
        """The person a verb of saying has as subject and the subject's first token; a participle or a second
        verb with no subject of its own has the subject of the clause's narrating verb (``narrated``):
        "Rutte painted a grim picture ..., declaring that ...", "Johnson stressed his support ... and
        reiterated that ..."."""
        s = self.sents[si]
        ref = self._subject_left(s, v)
        if ref is not None:
            return self._resolve(si, *ref), (s.occs[ref[1]].i if ref[0] == "occ" else ref[1])
        before = v - 1
        while before > 0 and s.lows[before].endswith("ly") and s.lows[before] not in _SAY_FORMS:
            before -= 1  # "..., specially asking voters to vote"
        if narrated is not None and (
            (s.lows[v].endswith("ing") and s.words[before] == ",") or s.lows[before] in ("and", "but")
        ):
            return narrated, 0
        return None, 0

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
                    # his words only with their content: "his insistence that ...", "His remarks ... suggested
                    # that ..."; not "His remarks ... emphasized the need for ..."
                    z = y + 1
                    if z < n and s.words[z] == ":" and local and local[0] != poss and replied(s, k):
                        return local[0], "possessive"  # "Bolsonaro opposed Macron's statement: '...'"
                    if z < n and (s.lows[z] == "that" or s.words[z] == ":"):
                        return poss, "possessive"
                    for w in range(z, min(n, z + 13)):
                        if s.words[w] in (";", ":") or s.quoted[w]:
                            break
                        if s.lows[w] in _SAY_FORMS and s.lows[w - 1] != "as":  # not "..., as reported by"
                            if complement_content(s, w + 1, _SAY_FORMS[s.lows[w]]):
                                return poss, "possessive"
                            break
            # "a rebuttal from Putin", "according to Rutte", "urged by Trump"
            if low in ("from", "to", "by") and k + 1 < n:
                prev = s.lows[k - 1] if k > 0 else ""
                if (
                    (low == "from" and prev in _SPEECH_NOUNS)
                    or (low == "to" and prev == "according")
                    or (low == "by" and prev in _SAY_FORMS and prev.endswith("ed"))
                ):
                    ref = self._ref_starting(s, k + 1) or self._described_ref(s, k + 1, closed=True)
                    if ref is not None and (
                        low == "to"  # "according to X": the sentence is X's account
                        or complement_content(  # "a warning from X that ...", "described by X as ..."
                            s, self._ref_end(s, ref), _SAY_FORMS.get(prev), after="object",
                            head=prev if low == "from" else "",
                        )
                    ):
                        who = self._resolve(si, *ref)
                        if who:
                            return who, {"from": "from", "to": "according", "by": "by"}[low]
        return None, None

    def _speaker(self, si: int) -> tuple[str | None, str | None, int, str | None]:
        """The sentence's speaker, the cue, the cue's verb (or -1), and the person a reporting verb narrates
        as speaking when the sentence carries none of their words."""
        s = self.sents[si]
        groups = [self.quotes[qi].group for qi in self.sent_quotes[si]]
        if s.qfrac >= 0.5:
            for g in groups:
                who = self._group_speaker(g)
                if who:
                    return who, "quote", -1, None
        for qi in self.sent_quotes[si]:
            q = self.quotes[qi]
            if q.close_pos is not None and s.start <= q.close_pos < s.end:
                attr = self.group_attr.get(q.group)
                if attr and attr[0] == si:
                    who = self._group_speaker(q.group)
                    if who:
                        return who, "quote", -1, None
        if si in self.attribution_of:
            who = self._group_speaker(self.attribution_of[si])
            if who:
                return who, "attribution", -1, None
        narrator, v, words = self._verb_cue(si)
        if narrator and words:
            return narrator, "verb", v, None
        # its own cue before a continuation ('According to scholar Kelly Dittmar, "…"', 'described by the CBCP as "…"')
        who, cue = self._weak_cues(si)
        if not who and self.organisations_in(s):
            with self.organisations_speak():
                who, cue = self._weak_cues(si)
        if who:
            return who, cue, v, narrator
        if s.qfrac >= 0.5 and groups and not someone_new_attributes(s):
            who = self._inherit(si, groups[0])
            opened = self._sent_of(self.quotes[self.group_first.get(groups[0], 0)].start)  # where the quote began
            if who and not any(self._introduced_by_other(x, who) for x in {si, opened} if x is not None):
                for g in groups:
                    self.group_speaker.setdefault(g, who)
                return who, "quote-continued", v, narrator
        if not self.organisations_in(s):
            return None, None, v, narrator
        with self.organisations_speak():  # no person speaks: an organisation may (organisations.py)
            org, org_verb, words = self._verb_cue(si)
            if org and words and self.is_organisation(org):
                return org, "verb", org_verb, narrator
        return None, None, v, narrator

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
        if prev >= 0 and prev < len(self.speakers) and self.sents[prev].para >= s.para - 1:
            # "Putin responded to Rutte's statements. “...”": the narrated speaker's quotation
            return self.speakers[prev] or self.narrators[prev]
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
        self.narrators = []
        cues: list[str | None] = []
        ments: list[frozenset[str]] = []
        for si in range(len(self.sents)):
            who, cue, v, narrator = self._speaker(si)
            self.speakers.append(who)
            self.narrators.append(narrator)
            cues.append(cue)
            # A narrated speaker is the subject its pronouns and the salience follow, as a speaker's are; an
            # organisation is no pronoun's antecedent.
            subject = narrator or (None if self.is_organisation(who) else who)
            if subject:
                self.spoken.add(subject)
            m = self._mentions(si, subject, v)
            ments.append(frozenset(m))
            # "A (Downing Street) spokeswoman said": her "“…,” she said" is hers, not the last named person's
            unnamed = unnamed_speaker_title(self.sents[si], v) if subject is None else None
            if unnamed is not None:
                self.gender[UNNAMED] = title_gender(unnamed)
            order = ([subject] if subject else [UNNAMED] if unnamed else []) + m
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
        people.update(self.organisation_people(self.speakers))
        return ArticleSpeakers(tuple(self.speakers), tuple(ments), tuple(cues), people)


# The salience's stand-in for someone the sentence introduces without a name ("A spokeswoman for X said").
UNNAMED = "\x00unnamed"


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
