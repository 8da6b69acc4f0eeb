"""Speakers named after a description, a possessor or a constituency, and institutions whose names hold "and"
(retrieval/lang/en/speakers/scan.py, subjects.py, organisations.py). Synthetic news paragraphs with invented
people and bodies, one per class of construction, each with a near miss where the rule must not fire."""

from __future__ import annotations

import pytest

from retrieval.corpus.segment import segment
from retrieval.lang.en.speakers.analyzer import analyze_article
from tests.lang.test_speaker_subjects import LEAD, assert_speaker


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        # a possessor's spokesman, lawyer or relative speaks, not the possessor
        ('"The claim is absurd," said Varga\'s spokesman Imre Toth.', "Imre Toth"),
        ('"We will appeal," said Anna Varga\'s lawyer Pavel Marek.', "Pavel Marek"),
        ("According to Varga's spokesman Imre Toth, the talks had stalled.", "Imre Toth"),
        ('"Nobody listened to us," added the family\'s spokeswoman Kim Sorel.', "Kim Sorel"),
        # a described speaker with a single given name, or after "according to"
        ('"He was a gifted engineer," said his daughter Odile.', "Odile"),
        ("According to his sister Mirela Dragan, the family had warned the council twice.", "Mirela Dragan"),
        ("According to her lawyer, Pavel Marek, the council ignored three letters.", "Pavel Marek"),
        ("According to ecologist Bruno Salt, the flood plain had been built over.", "Bruno Salt"),
        # near misses: a document, a plural or a phrase before the comma names no one after it
        ("According to official statements, Varga, now in Vienna, will keep his post.", None),
        ("According to the filing, Varga disclosed the payments in March.", None),
        ("According to reports, Varga was not invited.", None),
        # a constituency or brief between the title and the name
        ('"This must never happen again," said Labour MP for Dunmore Central Hilda Brant.', "Hilda Brant"),
        ("Tory MP for Westholme Peter Lund said the council had failed.", "Peter Lund"),
        ("Secretary of State for Transport Alan Reece said the road would reopen.", "Alan Reece"),
        ("Conservative MP for Elmley and Brayford Peter Lund later added that the plans were unworkable.",
         "Peter Lund"),
        # an office's brief with no name after it is no one's name ("Health", "Europe"), and the office is not
        # the article's transport minister: the office speaks
        ("The Secretary of State for Health said the waiting lists would fall.", "Secretary of State for Health"),
        ('"The talks have stalled," the Minister for Europe said.', "Minister for Europe"),
        # a firm's name joined by "&" is the firm's, never a person "Spencer" or "E"
        ("Marks & Spencer said sales had fallen for a third quarter.", "Marks & Spencer"),
        ('"The outage will last two days," PG&E said.', "PG&E"),
        ("Procter & Gamble chief executive Alan Lafley said prices would rise.", "Alan Lafley"),
        # letters after a name are the name's ("QC", "MP", "OBE", "Jr.")
        ("Prosecutor Kama Brint QC said the victims had been manipulated.", "Kama Brint"),
        ("Hal Dorney MP said the plan would cost jobs.", "Hal Dorney"),
        ("Hal Dorney MP, chairman of the committee, said the plan would cost jobs.", "Hal Dorney"),
        ("Professor Jane Orrin OBE said the data were clear.", "Jane Orrin"),
        ("Hal Dorney Jr. said the plan would cost jobs.", "Hal Dorney"),
        # a colon after someone's statement that the subject answers brings the subject's reply
        ('Mayor Ines Duval opposed Varga\'s statement: "The tunnel was never safe."', "Ines Duval"),
        ('Ines Duval read out Varga\'s statement: "The tunnel was always safe."', "Anna Varga"),
        # near miss: a title inside the run names someone else, whose spokeswoman speaks
        ("A spokeswoman for Prime Minister Rafael Ortiz said the talks would go on.", None),
        # a surname that is an institution's word, after a titled given name
        ("The coroner, Dr Helen Park, said the council had failed in its duty of care.", "Helen Park"),
        ("Professor Anne Hall said the flood plain had been built over.", "Anne Hall"),
    ],
)
def test_a_described_or_possessed_speaker(paragraph: str, expected: str | None) -> None:
    text = "Anna Varga, the transport minister, faced questions on Monday.\n\n" + LEAD + paragraph + "\n"
    assert_speaker(text, paragraph[:25], expected)


@pytest.mark.parametrize(
    ("sentence", "institution"),
    [
        ("The Food and Drug Administration said the drug was safe.", "Food and Drug Administration"),
        ("The Securities and Exchange Commission said it would investigate.", "Securities and Exchange Commission"),
        ("The Health and Safety Executive said it would review the findings.", "Health and Safety Executive"),
        ("The Department of Health and Social Care said it would act.", "Department of Health and Social Care"),
        ('"We have 4,000 firefighters out," the Northland Department of Forestry and Fire Protection said.',
         "Northland Department of Forestry and Fire Protection"),
    ],
)
def test_an_institution_whose_name_holds_and_speaks_as_one(sentence: str, institution: str) -> None:
    spans = segment(sentence)
    result = analyze_article(sentence, spans)
    assert result.speakers[0] == institution
    assert result.people[institution].organisation
    # no person is made from the words after "and" ("Fire Protection", "Safety Executive")
    assert not [p for p in result.people.values() if not p.organisation]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Bill and Melinda Gates said they would fund the study.", "Melinda Gates"),
        ("Britain and France said they would act together.", None),
    ],
)
def test_and_between_names_that_are_no_institution(sentence: str, speaker: str | None) -> None:
    spans = segment(sentence)
    result = analyze_article(sentence, spans)
    assert result.speakers[0] == speaker
    assert not any(p.organisation and " and " in p.name for p in result.people.values())


def speakers_of(text: str) -> list[str | None]:
    return list(analyze_article(text, segment(text)).speakers)


@pytest.mark.parametrize(
    ("intro", "reference", "expected"),
    [
        # where a senator is from, written after the name, is an affiliation: another state's senator is not them
        ("Senator Ted Marsh of Texas spoke on Tuesday.", "the Vermont senator", None),
        ("Senator Ted Marsh of Texas spoke on Tuesday.", "the Texas senator", "Ted Marsh"),
        ("Sen. Ted Marsh, R-Texas, spoke on Tuesday.", "the Ohio senator", None),
        ("Sen. Ted Marsh, R-Texas, spoke on Tuesday.", "the Republican senator", "Ted Marsh"),
        ("Sen. Ted Marsh, R-Texas, spoke on Tuesday.", "the Democratic senator", None),
        # a party the article never gives for him does not exclude the senator from Texas
        ("Senator Ted Marsh of Texas spoke on Tuesday.", "the Republican senator", "Ted Marsh"),
    ],
)
def test_a_place_or_party_after_the_name_decides_a_title_reference(
    intro: str, reference: str, expected: str | None
) -> None:
    text = f'{intro}\n\n"We need to go further," {reference} said.\n'
    assert speakers_of(text)[1] == expected


def test_a_quotation_attributed_to_someone_new_is_not_the_previous_speakers() -> None:
    text = (
        "Clara Voss wrote in an op-ed that the plan would cost too much.\n\n"
        '"We are ahead in every poll," a Voss aide said.\n\n'
        '"It is a great plan," said one official.\n\n'
        '"It is a great plan," another supporter told reporters.\n\n'
        '"We will win this," Voss said.\n\n'
        '"And we will win the next one."\n'
    )
    assert speakers_of(text) == ["Clara Voss", None, None, None, "Clara Voss", "Clara Voss"]


def test_letters_after_names_in_the_plural_are_a_group_not_a_person() -> None:
    text = "The prime minister, Tom Abel, told MPs the scheme would work.\n\nMEPs said they would vote against it.\n"
    result = analyze_article(text, segment(text))
    assert set(result.people) == {"Tom Abel"}
    assert result.speakers[1] is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ('Mr Abel was quoted as saying the system was "broken".', "Tom Abel"),
        ("Mr Abel is reported to have said that he would cap numbers.", "Tom Abel"),
        ("Mr Abel is understood to have told colleagues that he would stand down.", "Tom Abel"),
        # near misses: reported to the police, and a document quoted
        ("Mr Abel was reported to the police for saying it.", None),
        ("The report was quoted as saying the system was broken.", None),
    ],
)
def test_a_passive_frame_reports_its_subjects_words(sentence: str, expected: str | None) -> None:
    text = f"Tom Abel spoke in Leeds on Monday.\n\n{sentence}\n"
    assert speakers_of(text)[1] == expected


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ('Co-founder Lena Park said, "We will double the staff next year."', "Lena Park"),
        ('Co-author Jing-Shan Zhao said, "The wings moved on their own."', "Jing-Shan Zhao"),
        ('Fifteen-year-old Robert said, "I thought we had hit the tunnel."', "Robert"),
        # an occupation before a given name and a surname is not part of the name
        ('Immunologist Kristine Holm said, "The virus spreads like flu."', "Kristine Holm"),
        ('Actor Brendan Pike said, "I still have dust in my shoes."', "Brendan Pike"),
        ('Taylor Brant said, "The tour goes on."', "Taylor Brant"),  # a given name first: all of it
        ('Businessman Peter London said, "The plan is good."', "Peter London"),
        ('Norman Smith said, "The plan is good."', "Norman Smith"),
        # a given name the lists lack, a place's name as surname: ", who" makes a person of it
        ('Actor Denzel Washington, who paid for his school, stated "He was a gentle soul."', "Denzel Washington"),
        ('Kanye West, who was in Paris, said, "The show goes on."', "Kanye West"),
        # "<title> of <place> <name>": the place is the title's, not the person's first name
        ('Prime Minister of India Narendra Modi wrote, "India grieves."', "Narendra Modi"),
        ('Chief Executive of Hong Kong Carrie Lam said, "Violence will not be tolerated."', "Carrie Lam"),
        ('Mayor of Koszalin Piotr Jedlinski said, "The city is in mourning."', "Piotr Jedlinski"),
        ('President of Mexico Andres Manuel Lopez Obrador said, "We will help."', "Andres Manuel Lopez Obrador"),
        ('Former US Ambassador to the United Nations Nikki Haley wrote, "We must back our allies."', "Nikki Haley"),
        ('United States Senator from Vermont Bernie Sanders said, "We go on."', "Bernie Sanders"),
        # a plural possessor's description with the name as its apposition
        ("According to Windsor Locks' first selectman, Chris Kervick, ten people were aboard.", "Chris Kervick"),
        # a name read as a person's that only describes the one named after it
        ("According to Valley Herald editor Keni Lesa, the movement tapped into mistrust.", "Keni Lesa"),
        ('"You have to work for a weekend," quipped Dunmore Entertainment editor Heather Antos.', "Heather Antos"),
        # a word of an institution's name after "and" is no one: its head speaks
        ("Nils-Erik Haagenrud of Rogaland Fire and Rescue said no personnel would be sent.", "Nils-Erik Haagenrud"),
        # a name after "the" without a title is a newspaper's or a band's, never the speaker
        ('Helen Marsh of the Valley Herald also said on radio, "Nobody was warned."', "Helen Marsh"),
        # police ranks are titles
        ("Police Senior Superintendent Mirela Tan Hoi-yan said the officers were threatened.", "Mirela Tan Hoi-yan"),
        ("Detective Inspector Darren Holt said the man had died.", "Darren Holt"),
        # a short mixed-case abbreviation is a body's, not a person's: the previous speaker does not go on
        ('Inspector Dara Holt said, "This is tragic." An official from TfL stated: "We are working with police."',
         "TfL"),
        # a day before a name is not part of it
        ('Later on Tuesday Mitsotakis said, "The channels to Turkey stay open."', "Mitsotakis"),
        # a given name with a small letter after its hyphen is still a name
        ('South Korean President Moon Jae-in said, "The talks will go on."', "Moon Jae-in"),
    ],
)
def test_a_role_or_an_age_before_a_name_is_not_part_of_it(sentence: str, name: str) -> None:
    result = analyze_article(sentence, segment(sentence))
    assert result.speakers[-1] == name, result.speakers  # the last sentence's


def test_a_name_with_an_arabic_article_in_small_letters() -> None:
    from retrieval.lang.en.names import name_matches

    text = (
        "Talks in Geneva\n\n"
        'Syrian President Bashar al-Assad said, "The war is over."\n\n'
        'Abdel Fattah el-Sisi of Egypt said the talks would resume. "We will be there," Assad said.\n'
    )
    result = analyze_article(text, segment(text))
    assert list(result.speakers[1:]) == ["Bashar al-Assad", "Abdel Fattah el-Sisi", "Bashar al-Assad"], result.speakers
    assert name_matches("Bashar al-Assad", "Assad") and name_matches("Bashar al-Assad", "al-Assad")
    assert name_matches("Abdel Fattah el-Sisi", "Sisi") and not name_matches("Bashar al-Assad", "Sisi")
