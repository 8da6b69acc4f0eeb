"""The README's sample outputs, made by the real `verbatim` on corpus/ (tests/cli/test_readme_samples.py keeps
them true).

In README.md a sample is a marker line naming the command, then a fenced block with its output:

    <!-- sample: verbatim ask -k 2 "what did Putin say about Rutte?" -->
    ```
    Q: what did Putin say about Rutte?
    ...
    ```

JSON output is shown indented (the command prints one line per answer). To regenerate every sample after a
change to the output or the ranking:

    .venv/bin/python -m tests.support.readme_samples --write
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
MARKER = re.compile(r"^<!-- sample: (?P<command>verbatim .+?) -->\n```(?P<lang>\w*)\n(?P<body>.*?)^```$",
                    re.MULTILINE | re.DOTALL)
# The samples are made with the defaults, whatever a developer's .env says.
ENV = {"HF_HUB_OFFLINE": "1", "EMBEDDING_MODEL": "sentence-transformers/all-MiniLM-L6-v2",
       "EMBEDDING_BACKEND": "onnx-int8", "VECTOR_BACKEND": "faiss", "QUESTION_LANGUAGES": "en",
       "MAX_QUESTION_CHARS": "1000", "TOP_K": "5", "ANN_EXACT_MAX": "50000"}


@dataclass(frozen=True)
class Sample:
    command: str  # as the README shows it, "verbatim ask ..."
    lang: str  # the fence's language ("json": indented JSON)
    body: str  # the block as the README has it
    span: tuple[int, int]  # where the body stands in the README


def samples(readme: str) -> list[Sample]:
    return [Sample(m["command"], m["lang"], m["body"], m.span("body")) for m in MARKER.finditer(readme)]


def verbatim(args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "retrieval.cli.main", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **ENV}, timeout=600, check=False)


def build_index(index: Path) -> None:
    done = verbatim(["index", "--corpus", "corpus", "--index", str(index)])
    if done.returncode != 0:
        raise RuntimeError(done.stderr)


def run(sample: Sample, index: Path) -> str:
    """The sample's output now, as the README shows it."""
    args = shlex.split(sample.command)[1:]
    done = verbatim([*args, "--corpus", "corpus", "--index", str(index)])
    if done.returncode != 0:
        raise RuntimeError(f"{sample.command}: {done.stderr}")
    if sample.lang == "json":
        lines = done.stdout.splitlines()
        return "\n".join(json.dumps(json.loads(line), ensure_ascii=False, indent=2) for line in lines)
    return done.stdout.rstrip("\n")


def write(readme: Path = README) -> int:
    """Regenerate every sample in the README; how many there are."""
    text = readme.read_text(encoding="utf-8")
    found = samples(text)
    with tempfile.TemporaryDirectory(prefix="verbatim-readme-") as tmp:
        build_index(Path(tmp) / "index")
        for sample in reversed(found):  # from the end, so that earlier spans stay valid
            start, end = sample.span
            text = text[:start] + run(sample, Path(tmp) / "index") + "\n" + text[end:]
    readme.write_text(text, encoding="utf-8")
    return len(found)


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.support.readme_samples --write")
    print(f"{write()} README samples regenerated")
