"""Where everything lives in an index folder: every file and folder name, in one place.

```
INDEX_DIR/CURRENT                      name of the live generation (generations.py)
INDEX_DIR/gen-<stamp>/manifest.json    model, dimension, settings, format version (manifest.py)
                      store.sqlite     sources, sentences, passages, speakers, people (store.py)
                      vectors.npy      sentence vectors, float32, memory-mapped
                      sentences.faiss  passages.faiss   vector indexes (retrieval.vectors)
                      tables/          ranking tables as .npy, tables.json, documents.faiss (tables.py)
INDEX_DIR/embedding-cache/<model+backend>/   text hash -> vector (retrieval.embed.cache)
```
"""

from __future__ import annotations

import shlex
from pathlib import Path

from retrieval.embed.cache import CACHE_FOLDER
from retrieval.settings import Settings

CURRENT = "CURRENT"
MANIFEST_NAME = "manifest.json"
STORE_NAME = "store.sqlite"
VECTORS_NAME = "vectors.npy"
SENTENCE_FAISS = "sentences.faiss"
PASSAGE_FAISS = "passages.faiss"
TABLES_DIR = "tables"
TABLES_SHAPES = "tables.json"
DOCUMENT_FAISS = "documents.faiss"
# tables/ arrays that a reader of a Milvus index reads from Milvus instead (written for every index)
REMOTE_TABLES = ("paragraph_vectors", "document_vectors")



def index_command(index_dir: Path | str, *, rebuild: bool = False) -> str:
    """The `verbatim index` command (in backticks) that builds the index in ``index_dir``: a hint names the
    folder the user asked about (``--index`` unless it is the default), never the default one by mistake."""
    parts = ["verbatim", "index"]
    if Path(index_dir) != Settings.model_fields["index_dir"].default:
        parts += ["--index", shlex.quote(str(index_dir))]
    if rebuild:
        parts.append("--rebuild")
    return "`" + " ".join(parts) + "`"


def shown_dir(folder: Path | str) -> str:
    """A folder as a message names it: ``./index`` rather than a bare ``index`` that reads as a word."""
    text = str(folder)
    return text if Path(text).is_absolute() or text.startswith(".") else f"./{text}"


__all__ = [
    "CACHE_FOLDER",
    "CURRENT",
    "DOCUMENT_FAISS",
    "MANIFEST_NAME",
    "PASSAGE_FAISS",
    "REMOTE_TABLES",
    "SENTENCE_FAISS",
    "STORE_NAME",
    "TABLES_DIR",
    "TABLES_SHAPES",
    "VECTORS_NAME",
    "index_command",
    "shown_dir",
]
