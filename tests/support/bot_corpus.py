"""A tiny corpus for the bot's tests, with text that needs HTML escaping and a sentence in two files."""

from __future__ import annotations

from pathlib import Path

BRIDGE = (
    "Harbour bridge to reopen\n"
    "\n"
    "The mayor said the harbour bridge will reopen in May after repairs. "
    "Engineers found rust <and> cracks & loose bolts in the harbour bridge deck.\n"
    "\n"
    "Council voted 5 > 3 to fund the harbour bridge repairs.\n"
)
ECHO = "Reprint\n\nThe mayor said the harbour bridge will reopen in May after repairs.\n"
# Shares no word with the bridge questions (the fake model rates shared words, even "the").
MUSIC = "Festival\n\nOrchestra players performed Mozart, Haydn during summer.\n"
MUSIC_QUESTION = "Orchestra players performed Mozart?"
MAYOR_SENTENCE = "The mayor said the harbour bridge will reopen in May after repairs."
ESCAPED_SENTENCE = "Engineers found rust <and> cracks & loose bolts in the harbour bridge deck."
QUESTION = "What did the mayor say about the harbour bridge?"


def write_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    (corpus / "echo.txt").write_text(ECHO, encoding="utf-8")
    (corpus / "music.txt").write_text(MUSIC, encoding="utf-8")
    return corpus


def write_long_corpus(root: Path, n: int = 12) -> Path:
    """Articles of long sentences that all share the question's words: answers that need splitting."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for i in range(n):
        filler = " ".join(f"clause{i}x{j} & <detail{j}>" for j in range(60))
        (corpus / f"long{i:02d}.txt").write_text(
            f"Long read {i}\n\nThe harbour bridge report {i} says {filler}.\n", encoding="utf-8"
        )
    return corpus
