"""The ONNX backend as a new user meets it: the one-time export says one line and no warnings, and encoding
reports progress as each batch finishes (the /reindex status and the progress bar follow it)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from retrieval.embed import onnx_export
from retrieval.embed.onnx_backend import OnnxEmbedder
from retrieval.embed.onnx_export import ensure_export, model_folder
from retrieval.settings import DEFAULT_MODEL

pytestmark = pytest.mark.model


def test_the_one_time_export_says_one_line_and_warns_about_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recwarn: pytest.WarningsRecorder,
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(onnx_export, "export_folder", lambda model_dir: tmp_path)  # a fresh export, here
    with caplog.at_level(logging.DEBUG):
        path = ensure_export(model_folder(DEFAULT_MODEL), "avx2")
    assert path.is_file() and path.parent == tmp_path
    assert [w.message for w in recwarn.list] == []  # no TracerWarning, no UserWarning
    mine = [r for r in caplog.records if r.name.startswith("retrieval")]
    assert [r.levelno for r in mine] == [logging.INFO]
    assert "once" in mine[0].getMessage()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_encoding_reports_progress_per_batch() -> None:
    embedder = OnnxEmbedder(DEFAULT_MODEL, batch_size=32)
    texts = [f"Report {i}: the council met on day {i} about the harbour." for i in range(2501)]
    ticks: list[int] = []
    vectors = embedder.encode(texts, progress=ticks.append)
    assert vectors.shape[0] == 2501 and sum(ticks) == 2501
    assert len(ticks) >= 2501 // 32 and max(ticks) <= 32
