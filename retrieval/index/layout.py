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

from retrieval.embed.cache import CACHE_FOLDER

CURRENT = "CURRENT"
MANIFEST_NAME = "manifest.json"
STORE_NAME = "store.sqlite"
VECTORS_NAME = "vectors.npy"
SENTENCE_FAISS = "sentences.faiss"
PASSAGE_FAISS = "passages.faiss"
TABLES_DIR = "tables"
TABLES_SHAPES = "tables.json"
DOCUMENT_FAISS = "documents.faiss"

__all__ = [
    "CACHE_FOLDER",
    "CURRENT",
    "DOCUMENT_FAISS",
    "MANIFEST_NAME",
    "PASSAGE_FAISS",
    "SENTENCE_FAISS",
    "STORE_NAME",
    "TABLES_DIR",
    "TABLES_SHAPES",
    "VECTORS_NAME",
]
