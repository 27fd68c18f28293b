"""The optional transformers backend: a tiny BERT trained, saved, reloaded offline, used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip(
    "torch", reason="the transformers extra is not installed: pip install '.[transformers]'"
)
pytest.importorskip("transformers", reason="the transformers extra is not installed")

ROOT = Path(__file__).resolve().parent.parent
# a corpus report with three problem statements (the test must run where ../shared is absent)
REPORT = ROOT / "corpora" / "docs" / "wr_01_qingshan_2024h1.txt"


def test_tiny_bert_trains_saves_and_reloads_offline(
    tmp_path: Path, train_transformer: ModuleType
) -> None:
    from jjnlp.problems import extract_problems
    from jjnlp.problems.transformer import TransformerProblemModel
    from jjnlp.readers import read
    from jjnlp.structure import parse_outline

    rows = [
        json.loads(line)
        for line in (ROOT / "corpora" / "train" / "problems" / "train.jsonl")
        .read_text("utf-8")
        .splitlines()
    ]
    report = read(REPORT)
    corpus_texts = [read(p).text for p in sorted((ROOT / "corpora" / "docs").glob("*.txt"))]
    out = tmp_path / "tiny"
    losses = train_transformer.train(
        rows[:400], out, vocab_texts=corpus_texts, steps=40, batch_size=16
    )
    assert losses[-1] < losses[0]
    model = TransformerProblemModel(str(out))
    assert len(model.tokenizer) > 500  # the char vocabulary, not a 5-token one
    ids = model.tokenizer(report.text[:500])["input_ids"]
    assert model.tokenizer.unk_token_id not in ids
    problems = extract_problems(report, parse_outline(report), model)
    assert len(problems) == 3
    assert all(p.labels and set(p.labels) <= set(model.labels) for p in problems)
    assert abs(sum(problems[0].scores.values())) > 0
    again = TransformerProblemModel(str(out)).scores(problems[0].text)
    assert again == pytest.approx(problems[0].scores, abs=1e-4)  # problems keep 4 decimals
    command = [sys.executable, "-m", "jjnlp", "eval", str(ROOT / "corpora" / "gold")]
    harness = subprocess.run(
        [*command, "--tasks", "problems", "--transformer-dir", str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    blocks = harness.split("== ")
    assert [b.split("\n")[0] for b in blocks[1:]] == ["problems", "problems[transformers]"]
    assert "classification macro-F1" in blocks[2] and "gold statements: 31" in blocks[2]


def test_cli_refuses_a_missing_model_dir(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "jjnlp",
            "problems",
            str(REPORT),
            "--backend",
            "transformers",
            "--model-dir",
            str(tmp_path / "none"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "config.json" in result.stderr
    assert "Traceback" not in result.stderr
