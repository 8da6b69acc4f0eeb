"""The development set's person questions asked in other words: a stress test of question wording.

    .venv/bin/python -m benchmarks.devset.forms [--data DIR]

The set's questions use ten templates (build.py ``SPEAKER_FORMS``, ``TOPIC_FORMS``). People ask in many more
ways ("What was X's assessment of Y?", "Where does X stand on Y?", "Any quotes from X?"), and issue 11 lists
wrong "not found" answers to such wordings among the failures seen on news the project never saw. This writes,
for each split, ``questions-{split}-forms.jsonl``: every speaker, speaker_topic and unanswerable person
question re-asked with a form drawn (deterministically, by question id) from ``OTHER_SPEAKER_FORMS`` or
``OTHER_TOPIC_FORMS``, with the same gold, speaker and kind; factual questions are left out. The forms were
written from how journalists phrase such requests, before any split was scored with them; none of them is one
of build.py's templates. Score a file with ``verbatim eval questions FILE --corpus DIR/articles/<split>``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from benchmarks.devset.build import DEFAULT_OUT, SPEAKER_FORMS, SPLITS, TOPIC_FORMS, Question, _pick

OTHER_SPEAKER_FORMS = (
    "What did {x} tell reporters?",
    "Quote {x}.",
    "What quotes do you have from {x}?",
    "What did {x} claim?",
    "What statements did {x} make?",
    "Did {x} say anything?",
    "What remarks did {x} make?",
    "Show me what {x} said.",
    "Any quotes from {x}?",
    "What was said by {x}?",
    "What has {x} been saying?",
    "{x}'s remarks",
)
OTHER_TOPIC_FORMS = (
    "What was {x}'s assessment of {y}?",
    "What did {x} think of {y}?",
    "What is {x}'s position on {y}?",
    "Did {x} comment on {y}?",
    "What were {x}'s remarks about {y}?",
    "What did {x} have to say on {y}?",
    "{x} on {y}",
    "Quotes from {x} about {y}",
    "What was {x}'s reaction to {y}?",
    "What did {x} say regarding {y}?",
    "Has {x} spoken about {y}?",
    "What is {x}'s opinion of {y}?",
    "What was {x}'s response to {y}?",
    "Where does {x} stand on {y}?",
    "What were {x}'s thoughts on {y}?",
    "Tell me what {x} said about {y}.",
)


def _form_re(form: str) -> re.Pattern[str]:
    pattern = re.escape(form).replace(re.escape("{x}"), "(?P<x>.+?)").replace(re.escape("{y}"), "(?P<y>.+)")
    return re.compile(f"^{pattern}$")


# the longest template first: "What did {x} have to say about {y}?" before "What did {x} say about {y}?"
_SPEAKER_RES = tuple(_form_re(f) for f in sorted(SPEAKER_FORMS, key=len, reverse=True))
_TOPIC_RES = tuple(_form_re(f) for f in sorted(TOPIC_FORMS, key=len, reverse=True))


def reword(q: Question) -> Question | None:
    """The question in another form, or None (a factual question, or one no template of the set matches)."""
    if q["kind"] == "factual":
        return None
    text, key = str(q["question"]), str(q.get("id", q["question"]))
    for pattern in _TOPIC_RES:
        m = pattern.match(text)
        if m:
            form = _pick("forms:" + key, OTHER_TOPIC_FORMS)
            return {**q, "question": form.format(x=m.group("x"), y=m.group("y"))}
    for pattern in _SPEAKER_RES:
        m = pattern.match(text)
        if m:
            form = _pick("forms:" + key, OTHER_SPEAKER_FORMS)
            return {**q, "question": form.format(x=m.group("x"))}
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.devset.forms", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT, help="the built development set")
    args = parser.parse_args(argv)
    for split in SPLITS:
        source = args.data / f"questions-{split}.jsonl"
        if not source.is_file():
            print(f"forms: {source} is missing; build the set first (benchmarks.devset.build)", file=sys.stderr)
            return 2
        rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
        out = [r for r in (reword(q) for q in rows) if r is not None]
        target = args.data / f"questions-{split}-forms.jsonl"
        target.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in out), encoding="utf-8")
        print(f"{split}: {len(out)} of {len(rows)} questions re-asked -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
