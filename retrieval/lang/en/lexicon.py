"""English word lists and the normalisation they are matched with: one copy of each list.

Stop words, the gazetteer of capitalised non-persons, organisation words, titles, honorifics, reporting
verbs and speech nouns; given names (women's, men's and their short forms) are in given_names.py, which this
module's 620-line limit split off. Every module that needs one of these imports it from one of the two."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
    others witnesses residents later earlier afterwards elsewhere separately previously subsequently eventually
    initially"""
)

# Months, days and feasts: capitalised, never a person and never an organisation ("on Tuesday announced").
MONTHS = _words("january february march april may june july august september october november december")
CALENDAR_WORDS = MONTHS | _words(
    """monday tuesday wednesday thursday friday saturday sunday christmas easter ramadan thanksgiving"""
)
# Places, demonyms, organisations and other capitalised non-persons (single tokens, casefolded); the US
# states by their one-word names ("Carolina" for both Carolinas). The calendar's words are added below.
_GAZETTEER = CALENDAR_WORDS | _words(
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
    bundestag knesset kremlin vatican christian christians muslim muslims jewish jews catholic catholics orthodox
    islam islamic god allah internet reuters bloomberg tass interfax ria afp bbc cnn nbc cbs abc fox
    telegram twitter facebook youtube instagram tiktok google apple microsoft amazon meta openai north
    south east west republic kingdom states union alabama alaska arizona arkansas california colorado
    connecticut delaware florida hawaii idaho illinois indiana iowa kansas kentucky louisiana maine
    maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma
    oregon pennsylvania tennessee texas utah vermont virginia wisconsin wyoming carolina dakota"""
)
# Political parties by the short names news uses for them and their members ("Lib Dem home affairs spokesman
# Mark Oaten", "Tory leader Michael Howard", "Democratic Sen. Tim Kaine"): an affiliation, never a person's
# name. "Green" is left out: it is a common surname (Damian Green).
PARTIES = _words(
    """labour tory tories conservative conservatives lib dem dems libdem libdems liberal liberals democrat
    democrats democratic republican republicans gop snp ukip plaid dup sdlp unionist unionists likud cdu csu spd
    fdp afd"""
)
_GAZETTEER = _GAZETTEER | PARTIES

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
    affairs defense defence reserve foundation trust authority board bureau command doctrine accord accords
    agreement pact declaration constitution charter convention protocol index exchange market markets airlines motors
    systems technologies labs holdings partners capital energy oil gas project mission operation
    operations"""
)
# Organisations that speak (speakers/organisations.py): the head nouns of an institution's name. "the ministry
# said" points back at the organisation the article named with that word ("the Russian Foreign Ministry"); "the
# Russian foreign ministry" and "the Trump administration" are names made of a capitalised word and one of them.
ORGANISATION_HEADS = _words(
    """ministry department office agency council government commission committee administration authority board
    bureau service company corporation firm bank party union federation association organisation organization
    institute foundation court parliament senate assembly congress cabinet presidency embassy consulate police
    army military navy command alliance coalition league campaign secretariat regulator watchdog"""
)
# Words that end an institution's capitalised name: where "and" joins two parts of one name ("Food and Drug
# Administration", "Health and Safety Executive", "Department of Health and Social Care"), not two names.
INSTITUTION_WORDS = _ORG_WORDS | ORGANISATION_HEADS | _words("executive")
# Letters after a person's name ("Kama Melly QC", "Jane Doe MP"): capitals, but no organisation's name.
POST_NOMINALS = _words("qc kc mp mep msp mla obe mbe cbe kbe phd jr sr")
# Who or what voices an organisation's position: "a Kremlin spokesman said", "NATO officials said", "a
# statement from the ministry said". Only these make an organisation the speaker through another noun.
VOICE_NOUNS = _words(
    "spokesman spokeswoman spokesperson spokesmen spokeswomen spokespeople official officials statement statements"
) | _words("representative representatives")
# Teams, bands and companies named like people ("the Chicago Bulls") are found by rules, not listed here
# (speakers/groups.py); page labels ("Reply", "Related articles") likewise (furniture.py).
# Places of the gazetteer that are also given names ("Jordan Peters", "Sydney Clarke"): a place followed by
# a plural is a team (speakers/groups.py), but not when the place may be a first name.
PLACE_GIVEN_NAMES = _words("georgia jordan sydney paris chad israel india kenya")
# Determiners: a person's name takes none ("the Putin"), a group's may ("the Warriors", "his Collected Works").
DETERMINERS = _words("the his her their its our my your these those")
# Common irregular past tenses (the regular ones end in -ed): "the Warriors won", "the Seahawks beat ...".
IRREGULAR_PAST = _words(
    """became began beat bought brought built came caught chose drew drove fell felt fought found flew forgot
    gave got grew held hit hung kept knew led left lent let lost made meant met paid put ran rang rose sang
    sank sat saw sent set shook shot showed shut slid sold sought spent spoke split spread stood stole struck
    swept swam swung taught tore took threw told understood upset went woke won wore wrote"""
)
# Verbs that agree with a plural subject: "the Warriors are", "Kansas City Chiefs have" (speakers/groups.py).
PLURAL_AGREEMENT = _words("are were have do 're 've don't aren't weren't haven't")
# The articles: "said the judge, ...", "a spokesman for X" (speakers/subjects.py).
ARTICLES = _words("a an the")
# Forms of "be" that make a following past participle passive: "was told", "is said" (speakers/subjects.py).
PASSIVE_AUXILIARIES = _words("is was were are be been being")

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
commander in chief;army chief;spy chief;
candidate;presidential candidate;nominee;presidential nominee;hopeful;presidential hopeful;contender;
challenger;frontrunner;front runner;incumbent;running mate;campaign manager;campaign chairman;
majority leader;minority leader;whip;chief of staff;adviser;advisor;strategist;pollster;economist;
analyst;lawyer;attorney;activist;aide;ally;confidant;
superintendent;chief superintendent;senior superintendent;detective superintendent;inspector;chief inspector;
detective inspector;detective chief inspector;detective sergeant;constable;chief constable;sheriff"""
_TITLES = frozenset(t.strip() for t in _TITLE_LIST.replace("\n", "").split(";") if t.strip())
# British opposition posts: "Shadow chancellor Oliver Letwin" is not the chancellor. Each title has its shadow.
SHADOW = "shadow"
_ALL_TITLES = _TITLES | _ROLES | frozenset(_HONORIFICS) | frozenset(f"{SHADOW} {t}" for t in _TITLES)
# A title that starts with one of these is another office than the rest of it names: the vice president, the
# deputy prime minister and the shadow chancellor do not answer for "the president", "the prime minister",
# "the chancellor" (inventory._title_compatible).
OTHER_OFFICE_WORDS = _words(f"vice deputy assistant {SHADOW}")
_TITLE_TUPLES = frozenset(tuple(t.split()) for t in _ALL_TITLES)
_TITLE_FIRST = frozenset(t[0] for t in _TITLE_TUPLES)
# Prefixes joined to a title by a hyphen ("co-chairman", "ex-minister", "vice-chair"): the title after the hyphen
# is the one matched, as "former" is dropped before a title.
TITLE_PREFIXES = _words("co ex vice")
# Abbreviated titles stand for the full ones ("Sen. John McCain" ... "the senator said"): a person's titles are
# kept in full, so a later title-only reference finds them.
TITLE_ABBREVIATIONS = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "gen": "general",
    "adm": "admiral",
    "col": "colonel",
    "capt": "captain",
    "lt": "lieutenant",
    "sgt": "sergeant",
    "prof": "professor",
}
assert set(TITLE_ABBREVIATIONS) | set(TITLE_ABBREVIATIONS.values()) <= {t for t in _ALL_TITLES if " " not in t}
# Lowercased tokens that can start a title ("secretary", "secretary-general", "mr", "mr.", "co-chairman").
_TITLE_START = frozenset(
    {"-".join(t[:k]) for t in _TITLE_TUPLES for k in range(1, len(t) + 1)}
    | {t[0] + "." for t in _TITLE_TUPLES}
    | {f"{p}-{t[0]}" for p in TITLE_PREFIXES for t in _TITLE_TUPLES}
)
# Titles whose holder speaks for the body the title names ("Kremlin spokesman Dmitry Peskov", "NATO Secretary
# General Mark Rutte", "Russian President Vladimir Putin" for the Kremlin): a question about an organisation
# also finds their words. Legislators, judges, officers and clergy hold titles of a body without speaking for it.
_VOICE_TITLE_LIST = """
president;vice president;prime minister;premier;chancellor;minister;foreign minister;defence minister;defense minister;
finance minister;interior minister;deputy prime minister;secretary;secretary general;secretary of state;
defense secretary;defence secretary;foreign secretary;home secretary;press secretary;general secretary;director general;
spokesman;spokeswoman;spokesperson;ambassador;envoy;king;queen;emperor;empress;chairman;chairwoman;chair;ceo;
chief executive;director;commissioner;high representative;foreign policy chief;minister president;governor;mayor;
leader;chief;head"""
VOICE_TITLES = frozenset(t.strip() for t in _VOICE_TITLE_LIST.replace("\n", "").split(";") if t.strip())
assert VOICE_TITLES <= _ALL_TITLES
_MALE_TITLES = _words("king prince emperor spokesman chairman congressman sir lord")
_FEMALE_TITLES = _words("queen princess empress spokeswoman chairwoman congresswoman dame lady")
# Given names (women's, men's, short forms): retrieval/lang/en/given_names.py.
_ABBREV_DOT = _words("mr mrs ms dr st gen sen rep gov prof lt col capt sgt adm maj jr sr rev pres amb mt")
# Words that never end an English sentence: articles and conjunctions. A paragraph break right after one
# falls inside a sentence (retrieval/corpus/runon.py).
NEVER_LAST_WORDS = _words("a an the and or nor but of")
# Prepositions that make the name after them their object ("Andersen of Scripps Research said": Scripps
# Research does not speak; retrieval/lang/en/speakers/subjects.py).
OBJECT_PREPOSITIONS = _words("of at from for with in to by about on")
# Determiners that introduce someone not named before ("A Downing Street spokesman said"): a title-only reference
# after one never stands for a person the article has named.
INDEFINITE_DETERMINERS = _words("a an another one")
_TITLE_MODIFIERS = _words(
    "former new current then outgoing incoming acting interim late longtime veteran top"
)


def _regular_forms(base: str) -> set[str]:
    if base.endswith("e"):
        return {base, base + "s", base + "d", base[:-1] + "ing"}
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return {base, base + "es", base + "ed", base + "ing"}
    return {base, base + "s", base + "ed", base + "ing"}


# Verbs that report speech ("said", "warned", "characterized"): the one list. The speaker analysis takes a
# person before or after one of them as the speaker; a question built on one asks for someone's words.
REPORTING_VERBS = _words(
    """say tell urge warn characterize characterise insist accuse argue claim state add note emphasize
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
insist recount interject caution scoff sneer talk shout yell scream whisper mutter exclaim confess concur reckon
speculate"""
)
# Narration is not speech: a sentence is X's speech only when it carries X's words (speakers/content.py).
# These lists say which complements of a reporting verb carry words; a noun phrase alone ("responded to
# Rutte's statements", "criticised the plan", "issued a stark warning") does not.
# Verbs that take a clause of content, with or without "that" ("argued the plan would fail"), and may stand
# in a parenthetical or closing reporting clause ("This approach, he argued, would ...", "..., Putin said.").
CLAUSE_VERBS = _words(
    """say tell argue claim insist warn suggest add note state explain declare assert contend maintain stress
    emphasize emphasise predict reply respond answer concede admit acknowledge confirm announce reveal disclose
    write tweet post reiterate repeat remark observe recall hint indicate allege affirm agree promise pledge vow
    swear threaten caution remind assure reassure inform advise complain lament boast joke quip retort counter
    clarify conclude opine muse wonder signal forecast testify mention comment reaffirm restate reassert
    proclaim pronounce deny recount interject scoff sneer underline underscore highlight elaborate summarize
    summarise report ask express"""
)
# Verbs whose object is what was said: "said Hamza bin Laden, son of ..., has been killed" is content whatever
# its shape, except for the few things one says that are no content ("said nothing", "said goodbye").
SAY_OBJECT_VERBS = _words("say state")
NOT_SAID = _words("nothing little goodbye farewell hello grace mass prayer prayers")
# Verbs whose object is the addressee, then the content: "told reporters (that) ...", "assured him that".
ADDRESSEE_VERBS = _words("tell warn remind assure reassure inform advise caution promise ask brief telephone phone")
# Verbs whose content is a to-infinitive after the addressee: "urged Rutte to read", "called on members to".
DIRECTIVE_VERBS = _words(
    "urge ask tell warn call implore exhort advise remind appeal plead caution challenge demand recommend"
)
# Verbs whose content is a to-infinitive right after them: "vowed to retaliate", "claimed to have no memory".
TO_VERBS = _words("promise pledge vow threaten swear agree propose demand claim ask")
# Nouns whose to-infinitive is the content of what was declared: "stated its intention to leave".
INTENT_NOUNS = _words(
    "intent intention intentions willingness readiness desire determination wish plan plans preference"
)
# Verbs whose "X as Y" (or "X Y") carries the subject's description: "characterized Rutte as intelligent".
PREDICATIVE_VERBS = _words(
    """characterize characterise describe portray depict dismiss hail praise criticize criticise condemn
    denounce label brand term dub call paint frame reject welcome slam blast mock decry deplore cite liken
    applaud commend lambast"""
)
# Of those, the verbs of naming, whose second noun phrase is the description: "called the strike a provocation",
# "called it unlikely"; and the verbs of likening, whose "to" phrase is: "likened the solo to Mozart".
NAMING_VERBS = _words("call label brand dub term")
LIKENING_VERBS = _words("liken")
# Verbs whose charge follows the object: "accused Moscow of orchestrating ...", "blamed the West for provoking".
CHARGE_VERBS = _words(
    "accuse blame criticize criticise praise condemn slam blast thank applaud commend denounce rebuke scold chide "
    "lambast"
)
# Words that open a clause of content after a reporting verb: "said that", "explained how", "asked whether".
CONTENT_OPENERS = _words("that whether if how why what")
# Words that open a relative clause: the clause after them is not the verb's content ("the plan, which ...").
RELATIVE_WORDS = _words("which who whom whose")
# Conjunctions that open a clause of circumstance, not of content ("said in Kyiv, where ...", "..., but ...").
CIRCUMSTANCE_CONJUNCTIONS = _words(
    "where when while as after before because although though since but and or so unless until whereas once"
)
# Finite verbs that show a clause of content without "that": "said the plan would fail", "argued it was".
FINITE_MARKERS = (
    PLURAL_AGREEMENT
    | (PASSIVE_AUXILIARIES - _words("be been being"))
    | _words(
        """will would can could shall should may might must am has had does did 'll 'd won't wouldn't can't
        cannot couldn't doesn't didn't isn't wasn't hasn't hadn't shouldn't mustn't"""
    )
)
# Subjects after which a bare verb form shows a clause: "said he wanted", "argued they had".
CLAUSE_SUBJECT_PRONOUNS = _words("he she it they we i you there this")
# Pronouns that can only be a subject: after a reporting verb they open its content ("underlined they keep").
NOMINATIVE_PRONOUNS = _words("he she they we i")
# Object pronouns: "called it unlikely", "called him a liar" (the description follows).
OBJECT_PRONOUNS = _words("it him her them")
# Words ending in -ing that are not verbs: "said nothing" is no gerund of content.
NOT_GERUNDS = _words(
    "nothing something anything everything morning evening king spring string ring thing wedding building meeting"
)
# Nouns whose "that" clause is content, not a relative clause: "a warning that ...", "concern that ...".
ATTITUDE_NOUNS = _words(
    """concern concerns hope hopes fear fears belief beliefs doubt doubts confidence conviction optimism
    skepticism scepticism regret frustration surprise disappointment dismay anger satisfaction worry worries
    idea notion view opinion sense position"""
)
# Prepositions that open an adverbial or prepositional object after a verb ("responded to", "warned of").
PHRASE_PREPOSITIONS = OBJECT_PREPOSITIONS | _words(
    """during over against amid amidst after before since under into onto upon through within without across
    toward towards via following including regarding concerning despite among between behind beyond near like
    unlike throughout"""
)
# Words that cannot begin a verb after "to": "to the press", "to reporters" are prepositional, not infinitives.
NOT_INFINITIVE = (
    DETERMINERS
    | ARTICLES
    | OBJECT_PRONOUNS
    | _words("this that some any all each every no both many much more most few several one two three us me")
    | _words("whom which what")
)
assert (
    CLAUSE_VERBS | ADDRESSEE_VERBS | DIRECTIVE_VERBS | TO_VERBS | LIKENING_VERBS | PREDICATIVE_VERBS | CHARGE_VERBS
) <= REPORTING_VERBS
# Verbs of opinion: "what does Putin think of ...?" asks for his words, but narration ("Putin thinks ...")
# is not speech, so the speaker analysis does not use them.
OPINION_VERBS = _words("think believe feel mean")
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
    "think": {"thought", "thinks", "thinking"},
    "mean": {"meant", "means", "meaning"},
    "feel": {"felt", "feels", "feeling"},
}


def verb_forms(base: str) -> set[str]:
    """Every inflected form of a verb in the lists above (regular endings plus the irregular ones)."""
    return _regular_forms(base) | _IRREGULAR.get(base, set())


# Verbs by which the subject answers someone's words: "Bolsonaro opposed Macron's statement: '...'" quotes
# Bolsonaro's reply, not the statement (a colon after the object introduces the subject's own words).
REPLY_VERB_FORMS = frozenset(
    f
    for b in _words(
        """oppose reject dismiss criticize criticise condemn slam blast denounce decry deplore lambast mock
        question challenge dispute counter rebut attack ridicule deride welcome hail praise applaud answer"""
    )
    for f in verb_forms(b)
)


# Forms that in narration are mostly nouns or adjectives ("member states", "peace talks"); a question that
# uses them ("what did X state?") still asks for words.
NOUNISH_FORMS = _words(
    """state states post posts frame frames counter counters message messages brand brands term terms
    label labels phone phones question questions report reports welcome brief briefs blast blasts joke jokes talks"""
)
_SAY_FORMS: dict[str, str] = {
    f: b for b in sorted(REPORTING_VERBS) for f in sorted(verb_forms(b)) if f not in NOUNISH_FORMS
}
# Phrasal verbs of saying, read as the one-word verb they mean ("pointed out that" as "noted that"): the particle
# is read as an adverb ("noted also that"), so the complement after it is the verb's.
_PHRASAL_FORMS = {
    (verb, particle): says
    for forms, particle, sayings in (
        (("point", "points", "pointed", "pointing"), "out", ("note", "notes", "noted", "noting")),
        (("spell", "spells", "spelled", "spelling"), "out", ("state", "states", "stated", "stating")),
        (("weigh", "weighs", "weighed", "weighing"), "in", ("comment", "comments", "commented", "commenting")),
    )
    for verb, says in zip(forms, sayings, strict=True)
}


def phrasal_says(lows: list[str]) -> list[str]:
    """``lows`` with a phrasal verb of saying replaced by the one-word verb and an adverb ("pointed out" -> "noted
    also"), in place; the analyzer reads the words of a sentence in this form (its tokens stay as written)."""
    for k in range(len(lows) - 1):
        g = _PHRASAL_FORMS.get((lows[k], lows[k + 1]))
        if g is not None:
            lows[k], lows[k + 1] = g, "also"
    return lows


# Every form of a verb by which a question asks for someone's words.
ASKING_VERB_FORMS = frozenset(f for b in REPORTING_VERBS | OPINION_VERBS for f in verb_forms(b))
# The verbs that ask for a person's own words in ANY question ("Why does Putin say ...?", "How does Rutte
# describe ..."). The other reporting verbs have non-speech senses in factual questions ("What did the
# Romans call ...?", "Who did the report name ..."), so they make a speech question only in the speech
# patterns of question.py. On ReQA SQuAD, widening this to every reporting verb changed the ranking of 63
# questions and cost 0.001 P@1.
UNAMBIGUOUS_SPEECH_VERBS = _words("say tell argue claim warn describe insist think believe")
assert UNAMBIGUOUS_SPEECH_VERBS <= REPORTING_VERBS | OPINION_VERBS
UNAMBIGUOUS_SPEECH_FORMS = frozenset(f for b in UNAMBIGUOUS_SPEECH_VERBS for f in verb_forms(b))
# Only in inverted attribution right after a quotation: "..." continued Rutte / went on / concluded.
_INVERTED_ONLY = {"continued", "continues", "continuing", "concluded", "began", "begins"}
# Nouns of speech; "issued/delivered/gave/sent/offered a (stark) warning" counts as speaking.
SPEECH_NOUNS = _words(
    """warning warnings statement statements message messages remarks remark speech speeches address appeal
    ultimatum threat threats rebuttal response responses critique criticism plea call calls assessment
    reminder comment comments interview briefing perspective view views verdict prediction explanation
    pledge promise apology denial argument arguments announcement declaration proclamation testimony
    tweet tweets op-ed rebuke retort reply answer insistence suggestion suggestions claim claims
    assertion assertions words characterization characterisation description accusation accusations
    reaction reactions message alarm warnings condemnation praise admission caution quote quotes"""
)
_SPEECH_NOUNS = SPEECH_NOUNS
# Nouns of opinion: "what was Putin's view of / stance on ...?" asks for his words (questions only).
OPINION_NOUNS = _words(
    """view views opinion opinions position stance take attitude perspective thoughts feelings judgement
    judgment evaluation appraisal viewpoint verdict assessment reaction reactions response say"""
) | {"point of view"}
# Function words: left out of BM25 terms, question terms and topic words. "said" and friends are here:
# every quote has them; who said it is the speaker model's job. Negations ("not", "no", "never") stay stop
# words for BM25, but near-duplicate keys (dedupe.py) look at them.
STOPWORDS = frozenset(
    [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
        "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from",
        "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself",
        "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most",
        "my", "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
        "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that",
        "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
        "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
        "which", "while", "who", "whom", "whose", "why", "will", "with", "would", "you", "your", "yours",
        "yourself", "yourselves", "s", "t", "don", "said", "says", "say", "tell", "told", "according", "mr",
        "mrs", "ms", "one", "many", "much"
    ]
)
# The verbs of a bare attribution ("Smith said.", "he added.", "she told reporters."): saying itself, not verbs
# that carry content of their own ("Putin called Rutte intelligent." is a statement, not an attribution).
ATTRIBUTION_VERBS = _words(
    "say add tell write explain continue conclude reply respond note state insist tweet post remark comment recall"
)
# The generic audience of a speech act ("told reporters", "told the press"): whom someone spoke to, never what
# they spoke about, so "what did X tell the press?" asks for X's words with no topic.
# What a sentence may end with: a full stop or other end mark, a colon or semicolon before a list or quotation,
# or a closing quote or bracket after one. A line ending in none of these is a heading, a label or a sentence
# cut by a line break (retrieval/corpus/runon.py joins those; retrieval/index/tables.py marks headings).
CLOSING_PUNCTUATION = frozenset(".!?…:;\"'”’»)]")
# Generational suffixes after a name ("Martin Luther King Jr.", "John Smith III"): not part of how people are
# referred to later in an article ("King", "Smith").
NAME_SUFFIXES = _words("jr sr ii iii iv")
# Programmes, channels and outlets: where someone spoke ("said on BBC Radio 4's Today programme", "told CNN").
MEDIA_NOUNS = _words("bbc cnn reuters radio television tv programme program show podcast channel newspaper")
AUDIENCE_NOUNS = MEDIA_NOUNS | _words(
    """reporters reporter journalists journalist press media newsmen public audience audiences crowd crowds
    supporters viewers listeners readers followers fans mps lawmakers legislators senators congressmen
    delegates commons parliament congress senate conference convention committee interviewer interviewers
    world nation"""
)
# Words a bare attribution may hold besides names, titles, that verb and function words.
ATTRIBUTION_EXTRAS = AUDIENCE_NOUNS | _words(
    """statement interview conference briefing television radio podcast
    video email letter twitter facebook instagram social online website blog via
    later also then again earlier yesterday today tonight monday tuesday wednesday thursday
    friday saturday sunday week weekend morning afternoon evening night"""
)
# Words dropped from a question's topic before its words are looked for in a sentence (speaker relevance):
# deliberately fewer than STOPWORDS, since "not", "only", "more", "against" change what a topic is about.
TOPIC_FUNCTION_WORDS = _words(
    """the a an of on about to in at for and or with from by his her its their this that these those new
    what which who whom how why when where did does do say said says"""
)
# Words a question asks with rather than names its topic with ("what did Putin *really* say, *please*").
QUESTION_WORDS = _words(
    """actually anything comment commented comments concerning d done even ever every everything exactly
    it's ll may mention mentioned might must nothing onto opinion per please publicly re really regarding
    saying shall something specifically think thinks thought toward towards us ve via view views whats
    whos yes"""
)
_LIGHT_VERBS = _words(
    """issue issued issues issuing deliver delivered delivers delivering give gave given gives giving send
    sent sends sending make made makes making offer offered offers offering voice voiced voices voicing
    release released sound sounded raise raised raises struck strike"""
)
# Passive frames that report someone's words: "was *quoted* as saying", "is *reported* to have said", "is
# *understood* to have told": the subject before them speaks (speakers/subjects.py).
REPORT_FRAMES = _words("quoted reported understood known believed thought alleged recorded overheard")
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

_QUOTE_CHAR_RE = re.compile(r"[“”„«»\"‘’']")


@lru_cache(maxsize=65536)
def _norm(s: str) -> str:
    """Casefold, strip accents, unify apostrophes."""
    if s.isascii():
        return s.casefold()
    d = unicodedata.normalize("NFKD", s)
    return "".join(c for c in d if not unicodedata.combining(c)).casefold().replace("’", "'")


# An Arabic article joined to a name is written in small letters: "Bashar al-Assad", "Abdel Fattah el-Sisi".
_ARABIC_ARTICLES = "al|el|ad|ar|as|ash|at|az|ul|ud"
_ARTICLE_NAME = re.compile(rf"(?:{_ARABIC_ARTICLES})-[A-Z]")  # as written: "al-Assad"
_ARTICLE_PREFIX = re.compile(rf"^(?:{_ARABIC_ARTICLES})-(?=[a-z])")  # casefolded: "al-assad"


def name_norm(token: str) -> str:
    """A name's word as names are compared: ``_norm`` without an Arabic article, so that "Assad" and
    "al-Assad" are one surname."""
    return _ARTICLE_PREFIX.sub("", _norm(token))


def _is_cap(w: str) -> bool:
    c = w[0]
    if c.isupper():
        return c.isalpha()
    return c in "aeu" and "-" in w[2:4] and _ARTICLE_NAME.match(w) is not None


def _is_acronym(w: str) -> bool:
    # also the short ones in mixed case that UK bodies use ("TfL", "DfE", "PwC", "DoJ"): never a person's name
    return len(w) > 1 and (w.replace(".", "").replace("-", "").isupper() or (
        len(w) <= 4 and w.isalpha() and w[-1].isupper() and sum(c.isupper() for c in w) >= 2))
