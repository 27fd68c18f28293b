"""Generated training data never contains what the gold grades (the split is by document)."""

from __future__ import annotations

import json
from pathlib import Path

from jjnlp.readers import read

ROOT = Path(__file__).resolve().parent.parent
# the project's gold and the held-out set by another author (corpora/heldout)
GOLD = sorted((ROOT / "corpora").glob("*/gold/*.json")) + sorted(
    (ROOT / "corpora" / "gold").glob("*.json")
)


def _training_texts(name: str) -> str:
    lines = (ROOT / "corpora" / "train" / name / "train.jsonl").read_text("utf-8").splitlines()
    return "\n".join(json.loads(line)["text"] for line in lines if line.strip())


def test_no_gold_problem_statement_in_training_data() -> None:
    problems, ner = _training_texts("problems"), _training_texts("ner")
    statements = [
        entry["text"]
        for path in GOLD
        for entry in json.loads(path.read_text("utf-8")).get("problems", [])
    ]
    assert len(statements) >= 30
    assert [s for s in statements if s in problems or s in ner] == []


def test_no_gold_document_sentence_in_training_data() -> None:
    training = _training_texts("problems") + _training_texts("ner")
    leaked = []
    for path in GOLD:
        source = path.parent.parent / json.loads(path.read_text("utf-8"))["source"]
        for sentence in read(source).text.replace("\n", "。").split("。"):
            if len(sentence) >= 15 and sentence in training:
                leaked.append(sentence)
    assert leaked == []
