"""The public development set (issue 11): English Wikinews articles split by article into train, dev and test,
with questions and gold sentences (build.py), a scorer for ``verbatim ask --json`` answers (score.py) and BM25
baselines (baseline.py). benchmarks/data/devset/SOURCE.md describes the data and the question format."""
