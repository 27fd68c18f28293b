"""Problem statements: found in the problems part, classified by the shipped model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jjnlp.problems import extract_problems, load_model
from jjnlp.problems.model import ProblemModel, char_ngrams
from jjnlp.readers import read
from jjnlp.resources import load_toml
from jjnlp.structure import parse_outline


def _problems(path: Path):  # type: ignore[no-untyped-def]
    document = read(path)
    return extract_problems(document, parse_outline(document))


def test_seed_problems_get_sensible_categories(seed_path: Path) -> None:
    problems = _problems(seed_path)
    assert [p.headline for p in problems] == [
        "派驻机构探头监督作用发挥不明显",
        "乡镇纪委靠前监督作用发挥不到位",
        "“三不腐”建设的长效机制还不够健全",
    ]
    assert problems[0].labels[0] == "派驻监督效能"
    assert problems[1].labels[0] == "基层监督力量与能力"
    assert problems[2].labels[0] in ("制度机制建设", "以案促改与治本")


def test_numbered_problems_after_a_bare_heading_line(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(
        "县委：\n（一）工作情况。正文。\n存在的问题：\n1.廉政教育方式比较传统。正文。\n"
        "2.派驻纪检监察组发现问题的能力偏弱。正文。\n",
        encoding="utf-8",
    )
    problems = _problems(path)
    assert [p.headline for p in problems] == [
        "廉政教育方式比较传统",
        "派驻纪检监察组发现问题的能力偏弱",
    ]
    assert problems[0].labels[0] == "廉政教育实效" and problems[1].labels[0] == "派驻监督效能"


def test_inference_matches_scikit_learn(tmp_path: Path) -> None:
    sklearn = pytest.importorskip("sklearn")
    del sklearn
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [
        "派驻监督作用不明显",
        "乡镇纪委力量薄弱",
        "警示教育形式单一",
        "派驻机构独立性不强",
        "基层监督力量不足",
        "廉洁教育效果不好",
    ]
    labels = [0, 1, 2, 0, 1, 2]
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    x = vectorizer.fit_transform(texts)
    scores = []
    coefs, intercepts = [], []
    for k in range(3):
        clf = LogisticRegression().fit(x, [int(y == k) for y in labels])
        coefs.append(clf.coef_[0])
        intercepts.append(clf.intercept_[0])
        scores.append(
            clf.predict_proba(vectorizer.transform(["乡镇纪委监督力量不足，警示教育"]))[0, 1]
        )
    model = ProblemModel(
        ["a", "b", "c"],
        {g: int(i) for g, i in vectorizer.vocabulary_.items()},
        vectorizer.idf_,
        np.vstack(coefs),
        np.array(intercepts),
        (1, 3),
        0.5,
        {},
    )
    ours = model.scores("乡镇纪委监督力量不足，警示教育")
    assert [round(ours[k], 10) for k in "abc"] == [round(float(s), 10) for s in scores]
    assert char_ngrams("ab  c", 1, 2)[:4] == ["a", "b", " ", "c"]


def test_shipped_model_metadata() -> None:
    meta = load_model().metadata
    assert meta["train_sentences"] > 500 and len(meta["data_sha256"]) == 64
    taxonomy = load_toml("problem_taxonomy.toml")
    assert sorted(meta["labels"]) == sorted(next(iter(taxonomy.values())))  # 其他 included


def test_problems_cli_json(seed_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "jjnlp", "problems", str(seed_path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    payload = json.loads(result.stdout)
    assert payload["schema"] == "jjnlp.problems/2" and len(payload["files"][0]["problems"]) == 3
