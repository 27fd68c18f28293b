"""Entities: the segmenter, the spaCy pipeline from jjnlp.load(), the CLI and the gold score."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jjnlp.entities.nlp import SPANS_KEY

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    import jjnlp

    return jjnlp.load()


def _spans(doc) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(s.label_, s.text) for s in doc.spans[SPANS_KEY]}


def test_masked_names_and_marks_are_single_tokens(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp.make_doc("张某某、王某与李某某在**市和*市任职，营造**氛围。")
    words = [t.text for t in doc]
    for token in ("张某某", "王某", "李某某", "**市", "*市", "**"):
        assert token in words
    assert "某某" not in words and "*" not in words


def test_domain_words_survive_save_and_load(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import jjnlp

    nlp.to_disk(tmp_path / "copy")
    again = jjnlp.load(tmp_path / "copy")
    text = "驻市卫健委纪检监察组对两函一书开展督查"
    assert [t.text for t in again.make_doc(text)] == [t.text for t in nlp.make_doc(text)]
    assert "纪检监察组" in [t.text for t in again.make_doc(text)]


def test_nested_title_unit_place(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("在2022年疫情防控工作中，河西镇纪委副书记参与卡口值守工作。")
    assert {("LOC", "河西镇"), ("ORG", "河西镇纪委"), ("TITLE", "河西镇纪委副书记")} <= _spans(doc)
    assert [(e.label_, e.text) for e in doc.ents if e.label_ == "TITLE"] == [
        ("TITLE", "河西镇纪委副书记")
    ]


def test_notice_headlines_units_titles_places(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("松原县柳林镇党委委员、副镇长郑某某违规使用公务用车问题")
    assert _spans(doc) == {
        ("LOC", "松原县"),
        ("LOC", "柳林镇"),
        ("ORG", "松原县柳林镇党委"),
        ("TITLE", "松原县柳林镇党委委员"),
        ("TITLE", "副镇长"),
        ("PER", "郑某某"),
    }
    doc = nlp("金川市城市管理局市容环卫科科长韩某违规收受礼品问题")
    assert {("ORG", "金川市城市管理局市容环卫科"), ("TITLE", "金川市城市管理局市容环卫科科长")} <= (
        _spans(doc)
    )
    doc = nlp("东坪县第二中学原副校长罗某某违规操办婚宴问题")
    assert {("ORG", "东坪县第二中学"), ("TITLE", "副校长"), ("LOC", "东坪县")} <= _spans(doc)
    assert ("TITLE", "东坪县第二中学原副校长") not in _spans(doc)


def test_titles_carry_their_person_and_unit(nlp) -> None:  # type: ignore[no-untyped-def]
    def links(text: str) -> list[tuple[str, str | None, str | None]]:
        doc = nlp(text)
        return [(s.text, s._.person, s._.unit) for s in doc.spans[SPANS_KEY] if s.label_ == "TITLE"]

    assert links("松原县水利局原党组成员、副局长冯某某违规问题") == [
        ("党组成员", "冯某某", "松原县水利局"),
        ("副局长", "冯某某", "松原县水利局"),
    ]
    assert links("刘某某，河西镇纪委副书记。") == [("河西镇纪委副书记", "刘某某", "河西镇纪委")]
    assert links("河西镇纪委副书记参与卡口值守。") == [("河西镇纪委副书记", None, "河西镇纪委")]


# texts and exactly the entities they hold
EXACT = {
    "patterns": (
        "2024年6月12日，制发《关于加强“四风”整治的通知》，追缴违纪款3.6万元，落实“第一议题”制度。",
        {
            ("DATE", "2024年6月12日"),
            ("DOC", "关于加强“四风”整治的通知"),
            ("TERM", "四风"),
            ("MONEY", "3.6万元"),
            ("TERM", "第一议题"),
        },
    ),
    "open-periods-and-pretexts": (
        "今年3月以来，2024年以来，多次以“再等等”“等上面通知”为由推脱，落实“三资”管理。",
        {("DATE", "今年3月以来"), ("DATE", "2024年以来"), ("TERM", "三资")},
    ),
    "label-after-yi-and-speech": (
        "以“节日慰问金”名义发放，对外声称“正在研究”。",
        {("TERM", "节日慰问金")},
    ),
    "places-before-yuan": (
        "1.石川县岭口镇芦花村原党支部书记许某某套取补贴问题",
        {
            ("LOC", "石川县"),
            ("LOC", "岭口镇"),
            ("LOC", "芦花村"),
            ("TITLE", "党支部书记"),
            ("PER", "许某某"),
        },
    ),
}


@pytest.mark.parametrize(("text", "expected"), EXACT.values(), ids=EXACT.keys())
def test_exact_entities(nlp, text: str, expected: set[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert _spans(nlp(text)) == expected


def test_generic_bodies_are_not_entities(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("督促各乡镇纪委和相关职能部门落实整改，上级纪委监委派员指导。")
    assert not {label for label, _ in _spans(doc)} & {"ORG", "TITLE", "LOC"}


def test_seed_report_entities(nlp, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    found = _spans(nlp(seed_path.read_text(encoding="utf-8")))
    expected = {
        ("ORG", "市纪委监委"),
        ("ORG", "市委政策法规研究室"),
        ("LOC", "河西镇"),
        ("ORG", "河西镇纪委"),
        ("TITLE", "河西镇纪委副书记"),
        ("DOC", "**市党员领导干部述责述廉工作制度"),
        ("DOC", "**市纪委监委法律专家咨询委员会工作方案"),
        ("TERM", "第一议题"),
        ("TERM", "两函一书"),
        ("TERM", "三不腐"),
    }
    assert expected <= found


def _tag_scores(*tags: str) -> object:
    """Scores of tokens (labels LOC and ORG): each prefers its tags, the first most
    (``B-LOC|U-LOC``: B-LOC, then U-LOC)."""
    import numpy

    from jjnlp.entities.tagger import tags_of

    columns = tags_of(["LOC", "ORG"])
    scores = numpy.zeros((len(tags), len(columns)), dtype="f")
    for i, preferred in enumerate(tags):
        for rank, tag in enumerate(preferred.split("|")):
            scores[i, columns.index(tag)] = 5.0 - rank
    return scores


def test_tag_decoding_repairs_an_entity_that_opens_inside() -> None:
    import numpy

    from jjnlp.entities.tagger import decode

    # I-ORG L-ORG after an O is read as B-ORG L-ORG; a B-LOC that nothing closes is its
    # next best valid tag, U-LOC
    scores = _tag_scores("O", "I-ORG", "L-ORG", "O", "B-LOC|U-LOC", "O")
    assert decode(scores, numpy.zeros(6, dtype=bool), 2) == [(1, 3, 1), (4, 5, 0)]


def test_tag_decoding_keeps_fixed_tokens_outside() -> None:
    import numpy

    from jjnlp.entities.tagger import decode

    # the middle token is a set entity (or whitespace): the tags around it make two entities
    scores = _tag_scores("B-ORG", "I-ORG|L-ORG", "I-ORG", "L-ORG|U-ORG", "O")
    fixed = numpy.array([False, False, True, False, False])
    assert decode(scores, fixed, 2) == [(0, 2, 1), (3, 4, 1)]


def test_ner_keeps_the_pattern_entities(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("河西镇纪委副书记张某某违规收受礼金3.2万元。")
    assert {(e.label_, e.text) for e in doc.ents} >= {("PER", "张某某"), ("MONEY", "3.2万元")}


def test_cli_entities_json(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("青山县河西镇黄河村党支部书记张某某违规收受礼金问题。\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "jjnlp", "entities", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    payload = json.loads(out)
    assert payload["schema"] == "jjnlp.entities/2"
    got = {(e["label"], e["text"]) for e in payload["files"][0]["entities"]}
    assert {("PER", "张某某"), ("TITLE", "青山县河西镇黄河村党支部书记")} <= got


def test_cli_entities_bad_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "无此文件.txt"
    run = subprocess.run(
        [sys.executable, "-m", "jjnlp", "entities", str(missing)], capture_output=True, text=True
    )
    assert run.returncode == 2
    assert str(missing) in run.stderr and "Traceback" not in run.stderr


def test_gold_micro_f1_and_models_size() -> None:
    from jjnlp.evaluate import run_tasks

    (result,) = run_tasks(str(ROOT / "corpora" / "gold"), ["entities"])
    assert result.headline["micro-F1"] >= 0.90, result.errors[:20]
    assert set(result.per_label) == {"DATE", "DOC", "LOC", "MONEY", "ORG", "PER", "TERM", "TITLE"}
    size = sum(p.stat().st_size for p in (ROOT / "models").rglob("*") if p.is_file())
    assert size < 50_000_000
