"""Small typed records that flow from the corpus through retrieval to the bot.

Every record is a frozen dataclass. Offsets are character offsets into a source's decoded text, so that
``source_text[start:end] == text`` holds for every quote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One article file as read from the corpus folder."""

    source: str  # path relative to the corpus folder, with "/" separators
    text: str  # the text its loader gave (corpus/loaders): a .txt file's decoded text, exactly as stored
    sha256: str  # hash of the raw bytes
    encoding: str  # the text encoding ("utf-8", "utf-16-le", "cp1252", ...); "" for PDF and DOCX
    title: str | None = None  # what the file says about itself, when it does (HTML, Markdown, PDF, DOCX)
    url: str | None = None
    date: str | None = None
    author: str | None = None
    size: int = -1  # bytes and modification time (ns) of the file when it was read; -1: unknown
    mtime_ns: int = -1


@dataclass(frozen=True)
class Span:
    """A sentence found by the segmenter: text[start:end], on a 1-based line, in a paragraph."""

    start: int
    end: int
    line: int
    paragraph: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of the index. ``id`` is its row in the vector index."""

    id: int
    source: str
    start: int
    end: int
    line: int
    paragraph: int
    text: str


@dataclass(frozen=True)
class Citation:
    """Where a quote stands: source[start:end] of the decoded text, starting on ``line`` (1-based)."""

    source: str
    start: int
    end: int
    line: int
    # The article's title and address, when its file carries them (HTML, Markdown front matter, PDF, DOCX).
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Quote:
    """One answer quote: one sentence, or a few consecutive ones, verbatim.

    ``source``/``start``/``end``/``line`` is the first (best) citation; ``sources`` lists every place the
    same (or nearly the same) sentence stands, the first one included.
    """

    text: str
    source: str
    start: int
    end: int
    line: int
    score: float
    sentence_ids: tuple[int, ...]
    speaker: str | None = None
    sources: tuple[Citation, ...] = field(default_factory=tuple)
    more_sources: int = 0  # further places of the same sentence that ``sources`` does not list

    @property
    def citation(self) -> Citation:
        """The first citation (with the article's title and URL when ``sources`` has them)."""
        own = Citation(self.source, self.start, self.end, self.line)
        first = self.sources[0] if self.sources else None
        if first is not None and (first.source, first.start, first.end, first.line) == (
            own.source, own.start, own.end, own.line
        ):
            return first
        return own

    @property
    def citations(self) -> tuple[Citation, ...]:
        return self.sources or (self.citation,)


@dataclass(frozen=True)
class Answer:
    """What a question gets: quotes best first, or ``answered=False`` with a reason."""

    question: str
    answered: bool
    quotes: tuple[Quote, ...]
    reason: str | None = None  # why nothing was answered, in plain words
    note: str | None = None  # said with the quotes: "Did you mean Vladimir Putin? ..."


# --- What building an index reports (to the CLI and the bot) --------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """A file or folder of the corpus that was not indexed. ``reason`` is one of a small vocabulary
    (corpus/loaders/base.py Reason: "unsupported format", "too large", ...), for grouping; ``detail`` says
    more about this one. A folder's ``source`` ends with "/"."""

    source: str
    reason: str
    detail: str = ""

    @property
    def why(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason


@dataclass(frozen=True)
class BuildProgress:
    phase: str  # "reading", "segmenting", "embedding", "tables", "writing"
    done: int
    total: int


@dataclass(frozen=True)
class BuildReport:
    noop: bool
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    warnings: tuple[str, ...]
    sources: int
    sentences: int
    embedded: int  # sentence texts sent to the model
    reused: int  # sentence vectors taken from the previous generation
    seconds: float
    generation: str | None  # folder name of the live generation after the build
    full_rebuild_reason: str | None = None


ProgressFn = Callable[[BuildProgress], None]


# --- A source as the index stores it ----------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    id: int
    source: str
    sha256: str
    encoding: str
    text: str
    n_sentences: int
    people: str = "{}"  # JSON: the people this article names (attribution.people_to_json)
    title: str | None = None  # the article's title and address when its file carries them (Document)
    url: str | None = None
