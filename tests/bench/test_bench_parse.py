"""benchmarks/index_summary.py: the counts of a reindex, cut from `verbatim index`'s output."""

from __future__ import annotations

from benchmarks.index_summary import index_counts

SUMMARY = ("Indexed 2067 files, 10332 sentences in 20.5 s: 0 added, 1 changed, 0 removed, 0 skipped; "
           "embedded 2 sentences, reused 10330.")
COUNTS = "0 added, 1 changed, 0 removed, 0 skipped; embedded 2 sentences, reused 10330"


def test_the_counts_of_the_summary_line_whole_and_without_the_full_stop() -> None:
    assert index_counts(SUMMARY + "\n") == COUNTS
    assert f"1.97 s ({index_counts(SUMMARY)})" == f"1.97 s ({COUNTS})"


def test_other_lines_around_the_summary_are_ignored() -> None:
    out = f"Full rebuild: the model changed\n{SUMMARY}\n\n"
    assert index_counts(out) == COUNTS
    assert index_counts(f"{SUMMARY}\nsomething printed later\n") == COUNTS


def test_the_summary_line_of_a_small_or_quick_build() -> None:
    line = ("Indexed 3 files, 5 sentences in 0.0 s: 3 added, 0 changed, 0 removed, 1 skipped; "
            "embedded 5 sentences, reused 0.")
    assert index_counts(line) == "3 added, 0 changed, 0 removed, 1 skipped; embedded 5 sentences, reused 0"


def test_without_a_summary_line_the_last_line_is_kept() -> None:
    noop = ("Index is up to date: 2067 files, 10332 sentences; nothing changed, no embedding work done "
            "(0.41 s).")
    assert index_counts(noop + "\n") == noop.removesuffix(".")
    assert index_counts("") == ""
