"""Person questions whose topic is worded as a reader would put it, not with the article's words.

    .venv/bin/python -m benchmarks.devset.paraphrase [--data DIR]

Corpus B of issue 11 lost most of its answerable questions to "not found" on "What did X say about <topic>?",
where the topic was a reader's word for what the person spoke of. The set's own topics are names taken from
the gold sentence (build.py), so they always occur in it. These 46 questions were written by hand (session 8)
for people of the **train** split, one each, from the gold sentence's meaning ("gun control" for "we're going
to take your AR-15"), avoiding its words where the sentence allowed. Gold, speaker and source are those of the
person's first "what did X say" question of the set. This writes ``questions-train-paraphrased.jsonl``; score
it with ``verbatim eval questions FILE --corpus DIR/articles/train``. Development data: it checks the
not-found decision on such wording (benchmarks/QUALITY.md, session 8), it is not a result.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.devset.build import DEFAULT_OUT

PARAPHRASED = (
    ('Alexis Boon', "What did Alexis Boon say about the attacker's motives?"),
    ('Alexis Tipton', 'What did Alexis Tipton say about how the convention has changed?'),
    ('Allan Casicas', "What did Allan Casicas say about the bishop's passing?"),
    ('Anderson Cooper', 'What did Anderson Cooper say about his mother?'),
    ('Andrzej Duda', 'What did Andrzej Duda say about the fire?'),
    ('Ane Alencar', 'What did Ane Alencar say about the weather conditions?'),
    ('Aparna Garg', 'What did Aparna Garg say about gender equality?'),
    ('Argentina Alberto Fernández', 'What did Alberto Fernández say about reproductive rights?'),
    ('Ashton Bumhira', "What did Ashton Bumhira say about Mugabe's legacy?"),
    ('B Shiva Parvathi', 'How did B Shiva Parvathi feel about driving the train?'),
    ('Benjamin Netanyahu', 'What did Netanyahu say about other countries joining?'),
    ('Bernard Schwartz', 'What did Bernard Schwartz say about the sentence?'),
    ('Bernie Sanders', 'What did Bernie Sanders say about supporting Biden?'),
    ("Beto O'Rourke", "What did Beto O'Rourke say about gun control?"),
    ('Boris Johnson', 'What did Boris Johnson say about the Amazon fires?'),
    ('Brigid Kosgei', 'What did Brigid Kosgei say about breaking the record?'),
    ('Bruno Parrilla', 'What did Bruno Parrilla say about the flight ban?'),
    ('Carl Lipo', 'What did Carl Lipo say about the purpose of the statues?'),
    ('Carlotta Weibl', 'What did Carlotta Weibl say about naming the ship?'),
    ('Charles Scicluna', "What did Charles Scicluna say about bishops' accountability?"),
    ('Chris Fallows', 'What did Chris Fallows say about the disappearance of white sharks?'),
    ('Chuck Schumer', 'What did Chuck Schumer say about the government shutdown?'),
    ('Daniel Paluh', 'What did Daniel Paluh say about frog anatomy?'),
    ('Darren Gough', "What did Darren Gough say about the engineer's death?"),
    ('David Clay', 'What did David Clay say about the hotel closing?'),
    ('Dick Durbin', "What did Dick Durbin say about Trump's legal troubles?"),
    ('Donald Trump', 'What did Trump say about working with Pelosi?'),
    ('Doug Hurley', 'How did Doug Hurley describe the launch?'),
    ('Eliud Kipchoge', 'What did Eliud Kipchoge say about the pacemakers?'),
    ('Emmanuel Macron', 'What did Emmanuel Macron say about the rainforest fires?'),
    ('Emmerson Mnangagwa', "What did Emmerson Mnangagwa say about Mugabe's death?"),
    ('Franky Zapata', 'What did Franky Zapata say about crossing the Channel?'),
    ('Jeremy Corbyn', 'What did Jeremy Corbyn say about suspending Parliament?'),
    ('Joanna Cherry', 'What did Joanna Cherry say about the court ruling?'),
    ('Kino Gabriel', 'How did Kino Gabriel react to the US troop withdrawal?'),
    ('Lindsey Graham', 'What did Lindsey Graham say about the Islamic State?'),
    ('Mike Pence', 'What did Mike Pence say about immigration?'),
    ('Mike Pompeo', 'What did Pompeo say about US foreign policy?'),
    ('Nancy Pelosi', 'What did Nancy Pelosi promise about the new Congress?'),
    ('Narendra Modi', 'How did Narendra Modi respond to the hotel fire?'),
    ('Nicola Sturgeon', 'What did Nicola Sturgeon say about the court decision?'),
    ('Nikki Haley', 'What did Nikki Haley say about abandoning the Kurds?'),
    ('Philip Hammond', 'What did Philip Hammond say about proroguing Parliament?'),
    ('Piers Morgan', 'What did Piers Morgan say about immigration?'),
    ('Recep Tayyip Erdoğan', 'What did Erdogan say about converting Hagia Sophia?'),
    ('Sadiq Khan', 'What did Sadiq Khan say about the investigation?'),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.devset.paraphrase", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT, help="the built development set")
    args = parser.parse_args(argv)
    source = args.data / "questions-train.jsonl"
    if not source.is_file():
        print(f"paraphrase: {source} is missing; build the set first (benchmarks.devset.build)", file=sys.stderr)
        return 2
    first: dict[str, dict[str, object]] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        q = json.loads(line) if line.strip() else None
        if q and q["kind"] == "speaker" and not q["unanswerable"]:
            first.setdefault(str(q["speaker"]), q)
    missing = [speaker for speaker, _ in PARAPHRASED if speaker not in first]
    if missing:
        print(f"paraphrase: no speaker question for {', '.join(missing)} in {source}", file=sys.stderr)
        return 2
    rows = [
        {**first[speaker], "id": f"para-{n:03d}", "question": question, "kind": "speaker_topic"}
        for n, (speaker, question) in enumerate(PARAPHRASED)
    ]
    target = args.data / "questions-train-paraphrased.jsonl"
    target.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in rows), encoding="utf-8")
    print(f"train: {len(rows)} questions with paraphrased topics -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
