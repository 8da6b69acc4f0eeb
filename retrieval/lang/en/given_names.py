"""Given names: which are women's and men's (for "he"/"she"), and their short forms ("Bill" for William).

Part of the English word lists, split off lexicon.py for its size: one copy of each list, imported from here."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from retrieval.lang.en.lexicon import _words

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
    beatriz leila fatima aisha amina lauren megan nicole heather amanda melissa brenda diane
    sylvie nathalie isabelle sophie priya sunita anjali deepika olga natasha tatyana ludmila"""
)
# Short forms of English given names (hypocorisms): "Bill Clinton" asks about "William Clinton". One line per
# full name, the short forms after it; a short form may belong to several names ("Chris": Christopher,
# Christine), so a name matches when the two share any full name.
_SHORT_FORMS = """
abraham abe; albert al bert; alexander alex sandy; alexandra alex sandra sasha; alfred al alf fred; andrew andy drew;
anthony tony; barbara barb babs; benjamin ben benny; bernard bernie; catherine cathy kate katie kathy;
charles charlie chuck chas; christopher chris kit; christine chris chrissy; daniel dan danny; david dave davy;
deborah debbie deb; donald don donnie; dorothy dot dottie; douglas doug; edward ed eddie ted ned;
elizabeth liz beth betty lisa libby eliza; eugene gene; frances fran frankie; francis frank; frederick fred freddie;
gerald gerry jerry; gregory greg; harold hal harry; henry hank harry; jacob jake; james jim jimmy jamie;
jeffrey jeff; jennifer jen jenny; jonathan jon; john jack johnny; joseph joe joey; joshua josh;
katherine kate kathy katie kay; kenneth ken kenny; lawrence larry; leonard len lenny; margaret maggie meg peggy marge;
matthew matt; michael mike mickey; nathaniel nat nate; nicholas nick nicky; patricia pat patty trish; patrick pat paddy;
peter pete; philip phil; raymond ray; rebecca becky; richard rick dick rich richie; robert bob bobby rob robbie bert;
ronald ron ronnie; samuel sam sammy; stephen steve; steven steve; susan sue susie; theodore ted teddy theo;
thomas tom tommy; timothy tim; victoria vicky tori; walter walt wally; william bill billy will willy liam;
zachary zach
"""
SHORT_FORMS: dict[str, frozenset[str]] = {}
for _line in _SHORT_FORMS.split(";"):
    _full, *_short = _line.split()
    for _name in (_full, *_short):
        SHORT_FORMS[_name] = SHORT_FORMS.get(_name, frozenset()) | {_full}

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
    pete jd jared elon antoine francois thierry olivier philippe hassan hussein mahmoud mustafa abdullah
    ibrahim yusuf khalid tariq rajesh rahul amit sanjay vijay hiroshi takeshi kenji"""
)


@lru_cache(maxsize=1)
def _census_given_names() -> frozenset[str]:
    """The 1990 US Census's given names (census_given_names.txt)."""
    text = resources.files("retrieval.lang.en").joinpath("census_given_names.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.split("\n") if line and not line.startswith("#"))


def is_given_name(low: str) -> bool:
    """Whether a lowercased word is a common given name: the lists above or the 1990 US Census's 5,163."""
    return low in _MALE_NAMES or low in _FEMALE_NAMES or low in SHORT_FORMS or low in _census_given_names()


def given_name_gender(low: str) -> str | None:
    """"m" or "f" for a lowercased given name of the lists above, else None. The Census's shares are not used:
    they are American ("Robin", "Andrea", "Simone" are mostly women's there, men's in Britain and Italy), and
    over the development set the one label they changed was wrong (census_given_names.txt)."""
    if low in _FEMALE_NAMES:
        return "f"
    if low in _MALE_NAMES:
        return "m"
    return None
