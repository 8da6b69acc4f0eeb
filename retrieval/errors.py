"""Domain errors. Each carries a message meant for people, with the fix where there is one.

The CLI prints ``str(error)`` and exits non-zero; the bot translates them at its edge.
"""

from __future__ import annotations


class VerbatimError(Exception):
    """Base class: anything Verbatim expects and can explain."""


class CorpusMissingError(VerbatimError):
    """The corpus folder does not exist."""


class IndexMissingError(VerbatimError):
    """No index has been built in the index folder yet."""


class IndexMismatchError(VerbatimError):
    """The index was built with another model, format or segmentation than the settings ask for."""


class IndexCorruptError(VerbatimError):
    """A file of the index is damaged or missing."""


class IndexBusyError(VerbatimError):
    """Another reindex holds the index lock."""


class QuestionError(VerbatimError):
    """The question cannot be answered as asked (empty, too long)."""
