"""The ONNX export of a sentence-transformers model, made once beside the model (fp32, and int8 where the
CPU has the instructions for it), under a file lock so that concurrent first runs export once."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from retrieval.embed.base import FP32_FILE, resolve_model
from retrieval.errors import VerbatimError

log = logging.getLogger(__name__)


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
    """Where the ONNX export of a model lives: a per-user cache (``$XDG_CACHE_HOME/verbatim/onnx``), keyed by
    the model's folder. Not beside the model: for the packaged model that is inside the virtual environment,
    which the exports (113 MB) would have grown past 2 GB."""
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
    from transformers.utils import logging as hf_logging

    hf: Any = hf_logging  # untyped
    bars = hf.is_progress_bar_enabled()
    hf.disable_progress_bar()  # "Loading weights" is not news to the user of a one-time step
    try:
        model = AutoModel.from_pretrained(str(model_dir)).eval()
    finally:
        if bars:
            hf.enable_progress_bar()
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
    # The tracer warns about every Python branch it freezes (TracerWarning, pages of them); the exported
    # graph is checked against the model by the tests, so they say nothing a user could act on.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
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


def ensure_export(model_dir: Path, kernel: str | None, label: str = "") -> Path:
    """The ONNX file to run (fp32, or int8 for ``kernel``), exported once and cached (process-safe). Says
    one line (INFO) when it has work to do; ``label`` names the model in it."""
    folder = export_folder(model_dir)
    fp32 = folder / FP32_FILE
    target = fp32 if kernel is None else folder / int8_file(kernel)
    if target.is_file():
        return target
    with _export_lock(folder):
        if target.is_file():
            return target
        had_fp32 = fp32.is_file()
        steps = [s for s, todo in (("ONNX export", not had_fp32), (f"int8 quantization, {kernel}", kernel)) if todo]
        log.info("Preparing the model %s for fast CPU inference, once (%s; up to a minute) in %s",
                 label or model_dir.name, " and ".join(steps), folder)
        if not had_fp32:
            export_fp32(model_dir, fp32)
        if kernel is not None:
            export_int8(fp32, target, kernel)
            if not had_fp32:  # only a step on the way: keep what runs (it is remade if ever needed)
                fp32.unlink(missing_ok=True)
    return target
