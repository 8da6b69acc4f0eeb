"""Speaker analysis, step 3: the person a reporting verb or a quotation's attribution points at.

``_References`` is the part of the analyzer that reads one sentence's tokens around a verb of saying:

- the subject left of the verb: ``Putin said``, ``Putin, however, has argued``, ``Putin, who has maintained``;
  through an apposition of any reasonable length (``Daniel Paluh, a Ph.D. candidate at the University of
  Florida, said``); a name that *is* the apposition (``The judge presiding over the case, Bernard Schwartz,
  said``); a name that opens the sentence before several commas (``Anderson Cooper, of CNN, one of
  Vanderbilt's four sons, stated``);
- never the object of a preposition: in ``Kristian Andersen of Scripps Research said`` the speaker is the head
  of the phrase, Andersen; in ``supporters of Trump said`` it is nobody the article names;
- the speaker after an inverted verb, past the words that describe them: ``said study co-author Professor
  Carl Lipo``, ``tweeted former thinktank executive Ken Gude`` (lower-case description words, never a
  preposition: ``said a spokesman for Trump`` is not Trump).
"""

from __future__ import annotations

from retrieval.lang.en.affiliations import _affil_key
from retrieval.lang.en.lexicon import (
    _AUX_ADV,
    _HONORIFICS,
    _SAY_FORMS,
    _SUBJECT_PRONOUNS,
    ATTRIBUTION_VERBS,
    INDEFINITE_DETERMINERS,
    OBJECT_PREPOSITIONS,
    PASSIVE_AUXILIARIES,
    POST_NOMINALS,
    REPORT_FRAMES,
    SPEECH_NOUNS,
    STOPWORDS,
    UNAMBIGUOUS_SPEECH_VERBS,
    verb_forms,
)
from retrieval.lang.en.speakers.content import replied
from retrieval.lang.en.speakers.inventory import _P, _Inventory, _title_compatible, _title_refers
from retrieval.lang.en.speakers.organisations import _Organisations
from retrieval.lang.en.speakers.scan import _Occ, _Sent
from retrieval.lang.en.speakers.shapes import _TITLE_LAST, MAX_DESCRIPTION, POSSESSIVES, _title_at, describing_word

# Participles that report speech whoever stands before them ("..., saying", "..., adding"); "citing",
# "observing", "dubbing" also describe acts that are not speech, so they do not reach back to the clause.
_SPEECH_PARTICIPLES = frozenset(
    f for b in UNAMBIGUOUS_SPEECH_VERBS | ATTRIBUTION_VERBS for f in verb_forms(b) if f.endswith("ing")
)
MAX_APPOSITION = 25  # tokens between two commas that can still describe the subject before them
MAX_OPENING_COMMAS = 3  # commas back to a name that opens the sentence
# The past participles of verbs of saying that do not end in "-ed": "X was said to be", "X was told".
_IRREGULAR_PARTICIPLES = frozenset(("said", "told", "written", "spoken", "sworn", "thought", "understood", "forecast"))
# The verbs by which a source passes on someone's words "as saying" ("Politico quoted X as saying").
_QUOTING_VERBS = frozenset(("quoted", "quotes", "quoting", "cited", "cites", "citing"))
_OWN_NARRATION_WORDS = 3  # words before a quotation that introduce it ("Facebook further claimed, “…”")
# The prepositions that tie a person to where they come from, as in "Ann Lee of the local council said".
_HEAD_PREPOSITIONS = frozenset(("of", "from", "at"))


def unnamed_speaker_title(s: _Sent, verb: int) -> str | None:
    """The title of someone new who opens the sentence as the subject of its verb of saying ("A spokeswoman for
    X said", "A Downing Street spokesman told ..."), or None. ``verb``: the cue verb, -1 if none was found."""
    n = len(s.lows)
    k = 1 if n and s.lows[0] in INDEFINITE_DETERMINERS else 0
    while 0 < k < min(4, n) and s.words[k][:1].isupper():  # "A Downing Street spokeswoman"
        k += 1
    found = _title_at(s.lows, k, n) if 0 < k < n else None
    if found is None and n > 3 and s.lows[0] == "the":
        # "The head of the police's internal investigators told the court": a title of something the article
        # gives nobody it names (the caller asks only when no one was resolved as the subject)
        found = _title_at(s.lows, 1, n)
        found = found if found is not None and found[0] < n and s.lows[found[0]] == "of" else None
        if found is not None and any(o.name and not s.quoted[o.i] for o in s.occs):
            return None  # "The head of the counter terror police, Neil Basu, on Sunday said": named after all
    if found is None:
        return None
    if verb < 0:  # no named subject was found, so no cue verb came back: the first verb of saying
        verb = next((t for t in range(found[0], n) if s.lows[t] in _SAY_FORMS and not s.quoted[t]), -1)
    return found[1] if verb >= 0 else None


def someone_new_attributes(s: _Sent) -> bool:
    """Does the sentence's quotation close on an attribution to someone new, unnamed: "“…,” a Clinton aide said",
    "“…,” said one official", "“…,” another resident told the BBC"? Then it is not the previous speaker's."""
    n = len(s.lows)
    k = max((x for x in range(n) if s.quoted[x]), default=n) + 1
    while k < n and not s.words[k][:1].isalnum():
        k += 1
    if k < n and s.lows[k] in _SAY_FORMS:  # inverted: "said a senior official"
        k += 1
    if k < n and s.lows[k] == "the":
        # "“…,” the Ohio senator said": an office the analyzer gave no one (a holder would have been the speaker)
        end = next((x for x in range(k + 1, min(n, k + 4)) if _title_at(s.lows, x, n)), -1)
        return end > 0 and all(s.words[x][:1].isupper() for x in range(k + 1, end))
    if k >= n or s.lows[k] not in INDEFINITE_DETERMINERS:
        return False
    # the indefinite phrase runs up to its verb of saying ("a Clinton aide said"), or stands after the verb
    rest = range(k + 1, min(n, k + MAX_DESCRIPTION + 2))
    return s.lows[k - 1] in _SAY_FORMS or any(s.lows[x] in _SAY_FORMS for x in rest)


def _new_someones_title(s: _Sent, h: int) -> bool:
    """Does the title ending at token ``h`` follow "a"/"an" ("A spokeswoman for ..."): someone new's, never the
    title of the name after the preposition that follows it?"""
    n = len(s.lows)
    starts = [t for t in range(max(0, h - 3), h + 1) if (found := _title_at(s.lows, t, n)) and found[0] == h + 1]
    return bool(starts) and starts[0] > 0 and s.lows[starts[0] - 1] in INDEFINITE_DETERMINERS


def _is_opening(s: _Sent, first: int) -> bool:
    """Does the reference from token ``first`` open the sentence (after "The" at most)?"""
    return first == 0 or (first == 1 and s.lows[0] == "the")


class _References(_Organisations):
    inv: _Inventory
    sal: list[str]
    sents: list[_Sent]
    by_key: dict[str, _P]

    def _resolve(self, si: int, kind: str, idx: int, exclude: str | None = None) -> str | None:
        """The person a reference of sentence ``si`` denotes (the analyzer's, which knows the salience)."""
        raise NotImplementedError

    def _introduced_by_other(self, si: int, who: str) -> bool:
        """Does narration of its own introduce the sentence's quotation without naming ``who`` (the previous
        speaker) or using he/she ("Facebook further claimed, “…”", "An official from TfL stated: “…”", "In a
        statement, the Department of Defense justified the strike, approved by President Trump, as: “…”")? Then
        the quotation is someone else's, not a continuation of the previous speaker's."""
        s = self.sents[si]
        words = 0
        for k, low in enumerate(s.lows):
            if s.quoted[k]:
                break
            if low in _SUBJECT_PRONOUNS:
                return False
            x = s.occ_end.get(k)
            if x is not None and self._occ_is_person(s.occs[x], s) and self._resolve(si, "occ", x) == who:
                return False
            words += low[:1].isalpha()
        return words >= _OWN_NARRATION_WORDS

    def _ref_starting(self, s: _Sent, k: int) -> tuple[str, int] | None:
        n = len(s.words)
        if k >= n:
            return None
        if s.lows[k] in _SUBJECT_PRONOUNS:
            return ("pron", k)
        x = s.occ_start.get(k + 1 if s.lows[k] == "the" else k)
        if x is not None and self._occ_is_person(s.occs[x], s):
            return self._possessed(s, s.occs[x].j) or self._named_after(s, s.occs[x]) or ("occ", x)
        return self._org_starting(s, k) if self.org_subjects else None

    def _possessed(self, s: _Sent, j: int) -> tuple[str, int] | None:
        """The person a possessor ending before token ``j`` describes: "said Putin's spokesman Dmitry Peskov" is
        Peskov's, not Putin's; None when no "’s" follows or no name comes after its description."""
        n = len(s.words)
        # "Windsor Locks' first selectman": the apostrophe alone after a plural or a name ending in "s"
        plural = j < n and s.words[j] in ("'", "’") and s.words[j - 1][-1:] in ("s", "S")
        if j >= n or not (s.words[j] in POSSESSIVES or plural):
            return None
        for y in range(j + 1, min(n, j + 2 + MAX_DESCRIPTION)):
            z = s.occ_start.get(y)
            if z is not None and s.occs[z].name and self._occ_is_person(s.occs[z], s):
                return ("occ", z)
            if s.words[y] == "," and y > j + 1:
                # the name as the description's apposition: "according to Windsor Locks' first selectman, Chris
                # Kervick, there were ..." (closed by a comma or the sentence's end)
                z = s.occ_start.get(y + 1)
                if z is not None and s.occs[z].name and self._occ_is_person(s.occs[z], s):
                    end = s.occs[z].j
                    if end >= n or s.words[end] in (",", ".", ";"):
                        return ("occ", z)
                break
            if not describing_word(s.words, s.lows, y):
                break
        return None

    def _named_after(self, s: _Sent, o: _Occ) -> tuple[str, int] | None:
        """The person a name without a title only describes, named right after a description: "according to
        Samoa Observer editor Keni Lesa" is Lesa's (the paper's name read as a person's); None otherwise."""
        if o.title or o.honorific:
            return None
        y = o.j
        while y < len(s.words) and y < o.j + 3 and s.words[y][:1].islower() and describing_word(s.words, s.lows, y):
            y += 1
        z = s.occ_start.get(y) if y > o.j else None
        if z is not None and s.occs[z].name and self._occ_is_person(s.occs[z], s):
            return ("occ", z)
        return None

    def _described_ref(self, s: _Sent, k: int, closed: bool = False) -> tuple[str, int] | None:
        """The name after an inverted verb, past lower-case words that describe its bearer ("said study
        co-author Professor Carl Lipo"); never past a preposition or other function word. ``closed``: a comma
        after the description must be an apposition's, closed after the name ("according to his lawyer, Mark
        Stone, the family ..."), not the end of a phrase ("according to the filing, Ford disclosed ...")."""
        y = k
        capitals = False  # an institution's name in the description: "according to Rutgers University political
        # scholar Kelly Dittmar", "said Harvard economist Jason Furman" (not a person's name: "said Trump aide X")
        while y < len(s.words) and y < k + MAX_DESCRIPTION and (
            describing_word(s.words, s.lows, y)
            or (s.words[y][:1].isupper() and not s.quoted[y] and y + 1 < len(s.words)
                and (y not in s.occ_start or not self._occ_is_person(s.occs[s.occ_start[y]], s)))
        ):
            capitals = capitals or s.words[y][:1].isupper()
            y += 1
        comma = y > k and y + 1 < len(s.words) and s.words[y] == "," and not capitals
        y += comma  # "said his father, Abdullah Kurdi"
        if y == k or y >= len(s.words) or s.lows[y] in _SUBJECT_PRONOUNS:
            return None
        x = s.occ_start.get(y)
        if x is None or not s.occs[x].name or not self._occ_is_person(s.occs[x], s):
            return None
        if closed and comma:
            # "according to official statements, Trump, now ...": a document or a plural names no one after it
            head = s.lows[y - 2]
            if head in SPEECH_NOUNS or (head.endswith("s") and not head.endswith("ss")):
                return None
            if not (s.occs[x].j < len(s.words) and s.words[s.occs[x].j] == ","):
                return None
        return ("occ", x)

    def _ref_ending(self, s: _Sent, k: int, relative: bool = False) -> tuple[str, int] | None:
        """The person whose reference ends at token ``k``, as the subject of what follows. ``relative``: the
        reference stands before ", who": it is the subject of that clause whatever stands before it. While
        ``org_subjects`` is on, an organisation where no person is found (organisations.py)."""
        ref = self._person_ending(s, k, relative)
        if ref is None and self.org_subjects and k >= 0:
            return self._org_ending(s, k)
        return ref

    def _person_ending(self, s: _Sent, k: int, relative: bool) -> tuple[str, int] | None:
        # letters after a name are the name's: "Menzies Campbell QC said", "John Smith MP said", "Smith Jr. said"
        if k > 0 and s.words[k] == "." and s.lows[k - 1] in POST_NOMINALS:
            k -= 1
        if k > 0 and s.lows[k] in POST_NOMINALS and k - 1 in s.occ_end:
            k -= 1
        if k < 0:
            return None
        if s.lows[k] in _SUBJECT_PRONOUNS:
            return ("pron", k)
        x = s.occ_end.get(k)
        if x is None:
            # "Sheldon Yett of UNICEF observed", "Doug Collins of Georgia said": a place or an organisation that
            # is no one's name, the object of a preposition: the head before it speaks; "Regina Ip from the
            # pro-Beijing camp said" too, where the object is a description.
            return self._head_of_name(s, k) if s.words[k][:1].isupper() else self._head_of_description(s, k)
        o = s.occs[x]
        if len(o.name) == 1 and not (o.title or o.honorific) and o.i > 1 and s.lows[o.i - 1] in ("and", "&"):
            # "Nils-Erik Haagenrud of Rogaland Fire and Rescue said": a word of an institution's name after "and",
            # the object of the preposition, not a person
            head = self._head_of_name(s, k)
            if head is not None:
                return head
        before = o.i - 1
        if before >= 0 and s.lows[before] == "the":
            before -= 1
        # a name right after a preposition is its object, a titled one too except after "of" ("A spokeswoman for
        # Prime Minister Boris Johnson said" is the spokeswoman); the title before the preposition may be the
        # name's own ("Mayor of Koszalin Piotr Jedlinski", "US Ambassador to Germany Richard Grenell")
        prep = s.lows[before] if before >= 0 else ""
        if not relative and prep in OBJECT_PREPOSITIONS and (o.ni == o.i or prep != "of"):
            return self._head_before(s, before, x)
        return ("occ", x) if self._occ_is_person(o, s) else None

    def _head_before(self, s: _Sent, prep: int, x: int | None) -> tuple[str, int] | None:
        """The head of "<head> <prep> <name x>": who speaks when the name is a preposition's object."""
        h = prep - 1
        if h < 0:
            return None
        if x is not None and s.lows[h] in _TITLE_LAST and not _new_someones_title(s, h):
            return ("occ", x) if self._occ_is_person(s.occs[x], s) else None  # "Mayor of Koszalin Piotr Jedlinski"
        ref = self._ref_ending(s, h)
        if ref is None and s.words[h][:1].isupper():
            # An organisation's capitalised name ("... of the University of Guelph in Ontario"): its own head.
            return self._head_of_name(s, h)
        return ref

    def _head_of_name(self, s: _Sent, k: int) -> tuple[str, int] | None:
        """The head of a preposition whose object is the capitalised run of words ending at ``k`` (a name that
        is not a person's), or None when no preposition stands before the run."""
        j = k
        while j >= 0 and s.words[j][:1].isupper():
            j -= 1
            # "... of the Bill and Melinda Gates Foundation": an "and" between capitalised words is inside the name
            if j > 0 and s.lows[j] in ("and", "&") and s.words[j - 1][:1].isupper():
                j -= 1
        if j >= 0 and s.lows[j] == "the":
            j -= 1
        if 1 <= j < k and s.lows[j] in OBJECT_PREPOSITIONS:
            ref = self._head_before(s, j, None)
            # only a full name or a titled one heads such a phrase ("Sheldon Yett of UNICEF"); a single word
            # is more often part of a title ("the Journal of Threatened Taxa from March")
            if ref is not None and ref[0] == "occ" and self._full_or_titled(s.occs[ref[1]]):
                return ref
        return None

    def _head_of_description(self, s: _Sent, k: int) -> tuple[str, int] | None:
        """The named person heading "<name> of|from|at <description>" whose description ends at ``k`` ("Regina Ip
        from the pro-Beijing camp said", "Ann Lee of the local council said"): only a full or titled name that
        opens the clause (the sentence, or after a comma or "and"/"but"), as the object of nothing; the
        description is at most 2 * MAX_DESCRIPTION + 1 words that describe (no verb of saying, no function word
        but an "and" between two descriptions)."""
        j = k
        while j >= 0 and k - j <= 2 * MAX_DESCRIPTION and s.lows[j] not in _HEAD_PREPOSITIONS and (
            describing_word(s.words, s.lows, j)
            or s.words[j][:1].isupper()
            # "Jennifer Daskal of American University and contributor to Slate wrote": two descriptions
            or (s.lows[j] == "and" and j > 0 and s.words[j - 1][:1].isalpha())
        ):
            j -= 1
        if j < 1 or j == k or s.lows[j] not in _HEAD_PREPOSITIONS or s.quoted[j - 1]:
            return None
        x = s.occ_end.get(j - 1)
        if x is None:
            return None
        o = s.occs[x]
        opens = o.i == 0 or s.words[o.i - 1] in (",", ";", "—", "–") or s.lows[o.i - 1] in ("and", "but")
        if not opens or not o.name or not self._full_or_titled(o) or not self._occ_is_person(o, s):
            return None
        return ("occ", x)

    @staticmethod
    def _full_or_titled(o: _Occ) -> bool:
        return len(o.name) >= 2 or bool(o.title) or bool(o.honorific)

    def _occ_is_person(self, o: _Occ, s: _Sent) -> bool:
        if o.name:
            return self.inv.lookup(o.name, self.sal) is not None
        return bool(o.title) and (bool(_title_refers(self.inv, o)) or self._untitled_antecedent(s, o) is not None)

    def _untitled_antecedent(self, s: _Sent, o: _Occ) -> str | None:
        """A title no one in the article holds, opening a sentence ("Tony Blair said he accepted the resignation.
        The prime minister said ..."): the person last spoken of, when the article gives them no office of
        their own and no other affiliation. Not when a holder the article never names came before ("A Downing
        Street spokesman said ... The spokesman added": someone else's words)."""
        opens = _is_opening(s, o.i)
        v = o.j + 1 if o.j < len(s.lows) and s.lows[o.j] in _AUX_ADV else o.j
        says = v < len(s.lows) and s.lows[v] in _SAY_FORMS  # "The head of ..., Neil Basu, said" names its own
        if o.indefinite or not o.title or not opens or not says or not self.sal:
            return None
        p = self.by_key.get(self.sal[0])
        if p is None or any(t not in _HONORIFICS for t in p.titles):
            return None
        keys = {_affil_key(a) for a in o.affils}
        if keys and p.affils and not keys & p.affils:
            return None
        title = o.title
        if any(
            not e.name and e.title and _title_compatible(title, (e.title,))
            for t in self.sents[: self._sentence_index(s)]
            for e in t.occs
        ):
            return None
        return p.key

    def _sentence_index(self, s: _Sent) -> int:
        return next(i for i, t in enumerate(self.sents) if t is s)

    def _opens_sentence(self, s: _Sent, ref: tuple[str, int]) -> bool:
        kind, idx = ref
        return _is_opening(s, s.occs[idx].i if kind == "occ" else idx)

    def _apposed_subject(self, s: _Sent, k: int) -> tuple[str, int] | None:
        """The subject of a verb right after the comma at ``k``: "X, <apposition>, said", ", X, said"."""
        commas = 0
        right = k
        p = k - 1
        while p >= 0 and k - p <= MAX_APPOSITION * MAX_OPENING_COMMAS:
            if s.quoted[p] or s.words[p] in (":", ";"):
                return None
            if s.words[p] != ",":
                p -= 1
                continue
            commas += 1
            if commas == 1 and right - p > MAX_APPOSITION:
                return None
            if commas == 1 and not s.lows[k + 1].endswith("ing"):
                # ", Bernard Schwartz, said": the name between the commas is the apposition of a description
                # (not before a participle: "paraphrased the astronaut, Alan Shepard, commenting" is Hurley's).
                x = s.occ_start.get(p + 1)
                if x is not None and s.occs[x].j == k and s.occs[x].name and self._occ_is_person(s.occs[x], s):
                    return ("occ", x)
            ref = self._ref_ending(s, p - 1)
            if ref is not None and (commas == 1 or self._opens_sentence(s, ref)):
                return ref
            if commas >= MAX_OPENING_COMMAS:
                return None
            right = p
            p -= 1
        return None

    def _clause_subject(self, s: _Sent, v: int) -> tuple[str, int] | None:
        """The subject of the clause a participle after a comma hangs on: the first person (or he/she) that
        opens the sentence or follows a comma and is followed by a word, not a comma ("A month later,
        O'Rourke defended his proposal, saying ...")."""
        for k in range(v - 1):
            if s.quoted[k]:
                return None
            if k > 0 and s.words[k - 1] != "," and not (k == 1 and s.lows[0] == "the"):
                continue
            if s.lows[k] in _SUBJECT_PRONOUNS:
                return ("pron", k) if s.words[k + 1] != "," else None
            x = s.occ_start.get(k)
            if x is not None and s.occs[x].j < v and s.words[s.occs[x].j] != ",":
                return ("occ", x) if self._occ_is_person(s.occs[x], s) else None
        return None

    def _ref_end(self, s: _Sent, ref: tuple[str, int]) -> int:
        kind, idx = ref
        return s.occs[idx].j if kind == "occ" else self._org_end(s, idx) if kind == "org" else idx + 1

    def _colon_subject(self, si: int, s: _Sent, k: int) -> tuple[int, str, int] | None:
        """A colon or a comma introduces the words of the clause's subject, whatever its verb: "Brazilian President
        Jair Bolsonaro opposed Macron's statement: “…”", "Mick Jagger of The Rolling Stones also reacted on Twitter,
        “…”". Only a person who opens the sentence, right before a lower-case content word (the verb), with no
        quotation before the colon or comma at ``k + 1``."""
        if any(s.quoted[: k + 1]):
            return None
        # the subject opens the sentence or the clause after an opening phrase ("In a statement released after the
        # attack, the Department of Defense justified the strike ...: “…”"); an organisation only while they speak
        for start in (0, *(x + 1 for x in range(k) if s.words[x] == ",")):
            ref = self._ref_starting(s, start)
            if ref is None:
                continue
            # the verb: the first lower-case content word after the subject, whose subject it is ("Mick Jagger of The
            # Rolling Stones also reacted": past the phrase that describes the subject and an adverb)
            v = next((x for x in range(self._ref_end(s, ref), k + 1) if s.words[x][:1].islower()
                      and s.lows[x] not in STOPWORDS), -1)
            if v >= 0 and s.lows[v].isalpha() and self._subject_left(s, v) == ref:
                break
        else:
            return None
        # "Duval read out Varga's statement: “…”" is Varga's; "Duval opposed Varga's statement: “…”" Duval's
        for x in range(v + 1, k + 1):
            owner = s.words[x] in POSSESSIVES or s.lows[x] in ("his", "her", "their")
            if owner and any(s.lows[y] in SPEECH_NOUNS for y in range(x + 1, min(k + 1, x + 4))) and not replied(s, x):
                return None
        return (si, *ref)

    def _quoted_as(self, s: _Sent, k: int) -> tuple[str, int] | None:
        """The person a source quotes "as saying" (the "as" at ``k``): "Politico quoted Tim Manning, formerly a
        deputy administrator at FEMA, as saying “…”" is Manning's, not Politico's."""
        for q in range(k - 1, max(-1, k - MAX_APPOSITION), -1):
            if s.quoted[q] or s.words[q] in (";", ":"):
                return None
            if s.lows[q] in _QUOTING_VERBS:
                return self._ref_starting(s, q + 1) or self._described_ref(s, q + 1)
        return None

    def _subject_left(self, s: _Sent, v: int) -> tuple[str, int] | None:
        k = v - 1
        steps = 0
        while k >= 0 and steps < 14:
            steps += 1
            low = s.lows[k]
            if s.quoted[k]:
                return None
            if low in PASSIVE_AUXILIARIES and (s.lows[v].endswith("ed") or s.lows[v] in _IRREGULAR_PARTICIPLES):
                return None  # "X was reported by the media to ...": X is what is spoken about, not the speaker
            if low == "as" and k == v - 1 and s.lows[v].endswith("ing"):
                quoted = self._quoted_as(s, k)
                if quoted is not None:
                    return quoted
            framed = k >= 2 and s.lows[k - 1] in REPORT_FRAMES and s.lows[k - 2] in PASSIVE_AUXILIARIES
            if low in ("as", "to") and framed:
                k -= 3  # "Mr Blair was quoted as saying", "Mr Howard is reported to have said": the subject speaks
                continue
            # A capital inside the sentence makes "May" (or "Will") a name, not an auxiliary: "Theresa May said".
            name_word = k > 0 and s.words[k][:1].isupper()
            if (low in _AUX_ADV or (low.endswith("ly") and len(low) > 3 and low.isalpha())) and not name_word:
                k -= 1
                continue
            if s.words[k] == ")":
                # "Rep. Paul Ryan (R-Wis.) said", "Smith (pictured) said": a short bracket after the name
                opening = next((x for x in range(k - 1, max(-1, k - 9), -1) if s.words[x] == "("), -1)
                if opening > 0:
                    k = opening - 1
                    continue
                return None
            if low == "who" and s.words[k] != "WHO":  # the World Health Organization is no relative pronoun
                k -= 1
                if k >= 0 and s.words[k] == ",":
                    k -= 1
                return self._ref_ending(s, k, relative=True) if k >= 0 else None
            if s.words[k] == "," and s.lows[v] in _SPEECH_PARTICIPLES and k == v - 1:
                # "Trump congratulated Pelosi, saying ...": the participle's subject is the clause's.
                return self._clause_subject(s, v) or self._apposed_subject(s, k)
            if s.words[k] == ",":
                # "Putin, however, has ..." / "Paluh, a candidate at ..., said": the apposition's subject.
                return self._apposed_subject(s, k)
            return self._ref_ending(s, k)
        return None
