"""Affiliations: the key a party, place, capital or demonym is compared by ("Kremlin", "Moscow" and "Russian"
name one government; "Lib Dem" and "Liberal Democrat" one party). Split off lexicon.py for its size."""

from __future__ import annotations

from retrieval.lang.en.lexicon import PARTIES, _norm

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
    # parties: "Lib Dem spokesman" and "Liberal Democrat leader" belong to one party, as "the Tories" and
    # "Conservative leader" do
    "lib": "liberal",
    "liberals": "liberal",
    "dem": "democrat",
    "dems": "democrat",
    "democrats": "democrat",
    "democratic": "democrat",
    "tory": "conservative",
    "tories": "conservative",
    "conservatives": "conservative",
    "republicans": "republican",
    "gop": "republican",
    "unionists": "unionist",
}


def _affil_key(s: str) -> str:
    low = _norm(s)
    if low.endswith("'s"):
        low = low[:-2]
    return _AFFIL_MAP.get(low, low.replace(".", "") if len(low) <= 5 else low)


# The keys that name a party: a party and a place are two kinds of affiliation, and a person whose party the
# article gives is not excluded by a place it never gives ("the Republican senator" after "Ted Cruz of Texas").
PARTY_KEYS = frozenset(_affil_key(p) for p in PARTIES)
