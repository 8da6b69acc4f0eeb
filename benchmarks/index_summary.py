"""Reading the summary line that `verbatim index` prints (retrieval/cli/main.py), for benchmarks/run.py."""

from __future__ import annotations

import re

# "Indexed 2067 files, 10332 sentences in 20.5 s: 0 added, 1 changed, 0 removed, 0 skipped; embedded 2
# sentences, reused 10330."
_SUMMARY = re.compile(r"^Indexed \d+ files?, \d+ sentences? in [\d.]+ s: (?P<counts>.+?)\.?$")


def index_counts(stdout: str) -> str:
    """What a reindex did, from the output of `verbatim index`: "0 added, 1 changed, 0 removed, 0 skipped;
    embedded 2 sentences, reused 10330". Without a summary line (e.g. "Index is up to date: …"), the last
    non-empty line without its full stop ("" for no output)."""
    lines = [line.strip() for line in stdout.splitlines() if line.strip()]
    for line in reversed(lines):
        found = _SUMMARY.match(line)
        if found:
            return found["counts"]
    return lines[-1].removesuffix(".") if lines else ""
