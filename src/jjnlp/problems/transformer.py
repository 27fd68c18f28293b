"""The problem classifier backed by a BERT-style model from a local directory (optional extra).

Install with ``pip install 'jjnlp[transformers]'``. Nothing is fetched from a model hub: the
directory must hold a model saved by ``scripts/train_transformer.py`` (or any
``AutoModelForSequenceClassification`` fine-tuned for these labels, with its tokenizer).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jjnlp.errors import ModelMissing


class TransformerProblemModel:
    """Same interface as :class:`jjnlp.problems.model.ProblemModel`: ``scores``, ``predict``."""

    def __init__(self, directory: str, threshold: float = 0.5) -> None:
        root = Path(directory)
        if not (root / "config.json").is_file():
            raise ModelMissing(
                directory,
                "模型目录不存在或缺少 config.json；请先用 scripts/train_transformer.py 训练",
            )
        # local_files_only keeps it offline without touching the process environment
        try:
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:
            raise ModelMissing(
                directory, "未安装 transformers 后端：pip install 'jjnlp[transformers]'"
            ) from exc
        self.tokenizer = AutoTokenizer.from_pretrained(str(root), local_files_only=True)
        self.model = AutoModelForSequenceClassification.from_pretrained(
            str(root), local_files_only=True
        )
        self.model.eval()
        config = self.model.config
        self.labels = [config.id2label[i] for i in range(config.num_labels)]
        self.threshold = threshold
        meta_path = root / "jjnlp.json"
        self.metadata: dict[str, Any] = (
            json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        )

    def scores(self, text: str) -> dict[str, float]:
        import torch

        batch = self.tokenizer(text, truncation=True, max_length=128, return_tensors="pt")
        with torch.no_grad():
            logits = self.model(**batch).logits[0]
        return {
            label: float(p) for label, p in zip(self.labels, torch.sigmoid(logits), strict=True)
        }

    def predict(self, text: str) -> tuple[tuple[str, ...], dict[str, float]]:
        scores = self.scores(text)
        ranked = sorted(scores, key=scores.__getitem__, reverse=True)
        chosen = [label for label in ranked[:2] if scores[label] >= self.threshold] or ranked[:1]
        return tuple(chosen), scores
