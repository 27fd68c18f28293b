"""Fine-tune a BERT-style problem classifier offline and save it to a local directory.

Usage:
  python scripts/train_transformer.py OUT_DIR --base LOCAL_BERT_DIR [--epochs 3]
  python scripts/train_transformer.py OUT_DIR --tiny          # a tiny char-level BERT from scratch

The base model is read from a local directory only (an offline copy of e.g. a Chinese BERT);
nothing is downloaded. Training data: corpora/train/problems/train.jsonl (generated).
Then: ``jjnlp problems FILE --backend transformers --model-dir OUT_DIR``.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import random
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def char_vocabulary(texts: list[str]) -> dict[str, int]:
    """A character vocabulary for the tiny model (BertTokenizerFast(vocab=…), not vocab_file)."""
    chars = sorted({c for text in texts for c in text if not c.isspace()})
    # runs of digits and Latin letters are one word to BERT's pre-tokenizer: WordPiece then
    # needs the continuation pieces (2022 → 2 ##0 ##2 ##2); Chinese characters stand alone
    pieces = [f"##{c}" for c in chars if c.isascii() and c.isalnum()]
    return {token: i for i, token in enumerate(SPECIAL + chars + pieces)}


def tiny_model(texts: list[str], labels: list[str]) -> tuple[Any, Any]:
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    tokenizer = BertTokenizerFast(
        vocab=char_vocabulary(texts), do_lower_case=False, tokenize_chinese_chars=True
    )
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=128,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=256,
        max_position_embeddings=160,
        num_labels=len(labels),
        problem_type="multi_label_classification",
        id2label=dict(enumerate(labels)),
        label2id={name: i for i, name in enumerate(labels)},
    )
    return tokenizer, BertForSequenceClassification(config)


def base_model(directory: str, labels: list[str]) -> tuple[Any, Any]:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        directory,
        local_files_only=True,
        num_labels=len(labels),
        problem_type="multi_label_classification",
        id2label=dict(enumerate(labels)),
        label2id={name: i for i, name in enumerate(labels)},
        ignore_mismatched_sizes=True,
    )
    return tokenizer, model


def train(
    rows: list[dict[str, Any]],
    out: Path,
    *,
    base: str | None = None,
    vocab_texts: list[str] | None = None,
    steps: int | None = None,
    epochs: int = 3,
    batch_size: int = 16,
    seed: int = 7,
) -> list[float]:
    """Fine-tune, save model, tokenizer and metadata to ``out``; return the loss per step."""
    import torch

    torch.manual_seed(seed)
    random.Random(seed).shuffle(rows)
    labels = sorted({label for row in rows for label in row["labels"]})
    texts = [row["text"] for row in rows]
    if base:
        tokenizer, model = base_model(base, labels)
    else:
        tokenizer, model = tiny_model(texts + (vocab_texts or []), labels)
    targets = torch.tensor([[float(name in row["labels"]) for name in labels] for row in rows])
    optimiser = torch.optim.AdamW(model.parameters(), lr=5e-4 if not base else 3e-5)
    model.train()
    losses: list[float] = []
    total = steps or epochs * ((len(rows) + batch_size - 1) // batch_size)
    for step in range(total):
        start = (step * batch_size) % len(rows)
        batch = tokenizer(
            texts[start : start + batch_size],
            padding=True,
            truncation=True,
            max_length=128,
            return_tensors="pt",
        )
        output = model(**batch, labels=targets[start : start + batch_size])
        output.loss.backward()
        optimiser.step()
        optimiser.zero_grad()
        losses.append(float(output.loss.detach()))
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    (out / "jjnlp.json").write_text(
        json.dumps(
            {
                "labels": labels,
                "train_sentences": len(rows),
                "steps": total,
                "base": base or "tiny",
                "data_sha256": hashlib.sha256("\n".join(texts).encode()).hexdigest(),
                "trained": datetime.date.today().isoformat(),
                "final_loss": losses[-1],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return losses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--base", help="local directory of a pretrained BERT-style model")
    group.add_argument("--tiny", action="store_true", help="a tiny char-level BERT from scratch")
    parser.add_argument("--data", default="corpora/train/problems/train.jsonl")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    rows = [
        json.loads(line)
        for line in Path(args.data).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    losses = train(rows, Path(args.out), base=args.base, epochs=args.epochs)
    print(f"{len(rows)} sentences, {len(losses)} steps, loss {losses[0]:.3f} → {losses[-1]:.3f}")


if __name__ == "__main__":
    main()
