"""The one jieba dictionary (jjnlp.zh.segment), the spaCy tokenizer built on it, the segmenter."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jjnlp.zh import segment

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "ner"
SENTENCE = "河西镇纪委副书记张某某违规收受礼金3.2万元。"
PIPE_NAMES = ["jjnlp_entity_rules", "ner", "jjnlp_entity_compose"]

# The entry points proposed for pyproject.toml ([project.entry-points.spacy_tokenizers] and
# [project.entry-points.spacy_factories]): how spacy.load finds the names in models/ner.
ENTRY_POINTS = {
    "spacy_tokenizers": {"jjnlp.ChineseTokenizer.v1": "jjnlp.entities.segmenter:create_tokenizer"},
    "spacy_factories": {
        "jjnlp_entity_rules": "jjnlp.entities.components:entity_rules",
        "jjnlp_entity_compose": "jjnlp.entities.components:entity_compose",
    },
}


def _python(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    import jjnlp

    return jjnlp.load()


def test_one_jieba_tokenizer_for_every_cut() -> None:
    """boundaries, POS, the entity cut and the spaCy pipeline share one jieba.Tokenizer;
    jieba's global one stays empty and jieba.posseg (its global tag table) is never imported."""
    out = _python(
        f"""
import sys
import jieba
built = []
init = jieba.Tokenizer.__init__
def counting(self, *args, **kwargs):
    built.append(self)
    init(self, *args, **kwargs)
jieba.Tokenizer.__init__ = counting
from jjnlp.zh import segment
text = {SENTENCE!r}
for _ in range(3):
    segment.boundaries(text)
    list(segment.tagger().cut(text))
    segment.tagger().word_tag_tab.get("礼金")
    list(segment.entity_cut(text))
import jjnlp
from jjnlp.entities.nlp import blank
jjnlp.load()(text)
blank()(text)
print(len(built), jieba.dt.initialized, "jieba.posseg" in sys.modules)
"""
    )
    assert out.split() == ["1", "False", "False"]


def test_audit_path_imports_no_spacy_and_no_entities() -> None:
    out = _python(
        """
import sys
from jjnlp.pipeline import run
from jjnlp.readers import read
run(read("corpora/docs/ae_01_rate_repeat.txt"), ("structure", "metrics", "audit"))
print(" ".join(sorted(sys.modules)))
"""
    )
    loaded = set(out.split())
    assert "jjnlp.zh.segment" in loaded
    heavy = {"spacy", "thinc", "torch", "jieba.posseg", "jjnlp.entities"}
    assert not {m for m in loaded if m in heavy or m.split(".")[0] in heavy}
    assert not {m for m in loaded if m.startswith("jjnlp.entities")}


def test_spacy_load_gives_the_jjnlp_pipeline(nlp) -> None:  # type: ignore[no-untyped-def]
    import spacy

    import jjnlp  # noqa: F401

    loaded = spacy.load(MODEL)
    expected = ["河西镇", "纪委", "副书记", "张某某", "违规", "收受", "礼金", "3.2", "万元", "。"]
    assert [t.text for t in loaded(SENTENCE)] == expected
    assert [t.text for t in nlp(SENTENCE)] == expected
    assert loaded.pipe_names == nlp.pipe_names == PIPE_NAMES

    def spans(doc) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
        return sorted((s.label_, s.start_char, s.end_char) for s in doc.spans["entities"])

    assert spans(loaded(SENTENCE)) == spans(nlp(SENTENCE))


def test_spacy_finds_the_names_through_entry_points(tmp_path: Path) -> None:
    """In a fresh process with only ``import jjnlp``, spacy.load resolves the tokenizer and the
    components through entry points: here a distribution on the path that declares them as
    pyproject.toml would (its ``entry_points.txt``), until jjnlp's own metadata does."""
    info = tmp_path / "jjnlp_spacy_names-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: jjnlp-spacy-names\nVersion: 0\n")
    (info / "entry_points.txt").write_text(
        "".join(
            f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in names.items())
            for group, names in ENTRY_POINTS.items()
        )
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    code = f"""
import spacy
import jjnlp
nlp = spacy.load({str(MODEL)!r})
print(type(nlp.tokenizer).__name__, " ".join(nlp.pipe_names))
print("|".join(t.text for t in nlp({SENTENCE!r})))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    pipeline, tokens = out.splitlines()
    assert pipeline.split() == ["DomainTokenizer", *PIPE_NAMES]
    assert tokens.split("|")[:4] == ["河西镇", "纪委", "副书记", "张某某"]


def test_installed_entry_points_match_the_proposal() -> None:
    import importlib.metadata as md

    try:
        dist = md.distribution("jjnlp")
    except md.PackageNotFoundError:
        pytest.skip("jjnlp is not installed")
    declared = {
        group: {ep.name: ep.value for ep in dist.entry_points if ep.group == group}
        for group in ENTRY_POINTS
    }
    if not any(declared.values()):
        pytest.skip("the installed jjnlp declares no spaCy entry points yet (pyproject.toml)")
    assert declared == ENTRY_POINTS


def test_tokenizer_survives_to_disk_and_bytes(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import spacy

    from jjnlp.entities.segmenter import DomainSegmenter, DomainTokenizer

    nlp.to_disk(tmp_path / "copy")
    assert (tmp_path / "copy" / "tokenizer" / "cfg").read_text().strip() in (
        '{\n  "segmenter":"jieba"\n}',
        '{"segmenter":"jieba"}',
    )
    again = spacy.load(tmp_path / "copy")
    assert isinstance(again.tokenizer, DomainTokenizer)
    assert isinstance(again.tokenizer.jieba_seg, DomainSegmenter)
    assert [t.text for t in again(SENTENCE)] == [t.text for t in nlp(SENTENCE)]
    restored = DomainTokenizer(nlp.vocab).from_bytes(nlp.tokenizer.to_bytes())
    assert restored.segmenter == "jieba"
    assert [t.text for t in restored(SENTENCE)] == [t.text for t in nlp(SENTENCE)]
    unpickled = pickle.loads(pickle.dumps(nlp.tokenizer))
    assert [t.text for t in unpickled(SENTENCE)] == [t.text for t in nlp(SENTENCE)]
    whole = spacy.load(tmp_path / "copy").from_bytes(nlp.to_bytes())
    assert [(e.label_, e.text) for e in whole(SENTENCE).ents] == [
        (e.label_, e.text) for e in nlp(SENTENCE).ents
    ]


def test_masked_names_and_places_stay_one_token(nlp) -> None:  # type: ignore[no-untyped-def]
    words = [t.text for t in nlp.make_doc("张某某在**市和*市任职，王某参加" + SENTENCE)]
    assert words[:5] == ["张某某", "在", "**市", "和", "*市"]
    assert "王某" in words and words.count("张某某") == 2
    assert "某某" not in words and "**" not in words


def test_views_reproduce_the_two_jieba_dictionaries() -> None:
    """The entity view cuts as a jieba.Tokenizer with the entity words (and deletions) did,
    the metrics view as a jieba.posseg.POSTokenizer with the metrics words did."""
    import jieba
    import jieba.posseg
    from jieba import finalseg

    entity = jieba.Tokenizer()
    for word in segment.entity_words():
        entity.add_word(word, freq=segment.ENTITY_FREQ)
    forced = set(finalseg.Force_Split_Words)
    for word in segment.entity_removed():
        entity.del_word(word)  # also puts it in finalseg's global force-split set
    metrics = jieba.Tokenizer()
    for word, tag in segment.metric_words():
        metrics.add_word(word, freq=segment.METRIC_FREQ, tag=tag)
    pos = jieba.posseg.POSTokenizer(metrics)
    texts = [
        SENTENCE,
        "莲塘社区党委书记、村委会主任和县纪委监委处置问题线索128件，同比增长12.5%。",
        "驻市卫健委纪检监察组对“两函一书”开展督查 ABC-12 abc_d 3.5 万元\r\n白沙湾区石埠街道",
        "席间饮用高档白酒，核查公车使用信息2024年7月，王某某等 3人。",
    ]
    try:
        for text in texts:
            assert list(segment.entity_cut(text)) == entity.lcut(text)
            assert [(t.word, t.flag) for t in segment.tagger().cut(text)] == [
                (p.word, p.flag) for p in pos.cut(text)
            ]
    finally:
        finalseg.Force_Split_Words.clear()
        finalseg.Force_Split_Words.update(forced)
    assert segment.tagger().word_tag_tab == pos.word_tag_tab


# entity spans of two corpus documents, captured from the code before the single dictionary
# and the bisected edges (commit ad0851d): the segmenter's words feed ``ner`` unchanged
BEFORE = {
    "corpora/docs/cn_06_qingshan_jiaoyu.txt": [
        ("ORG", 47, 52, "县纪委监委"),
        ("ORG", 104, 111, "青山县第一中学"),
        ("LOC", 104, 107, "青山县"),
        ("TITLE", 112, 115, "副校长"),
        ("PER", 115, 118, "方某某"),
        ("DATE", 137, 148, "2019年至2023年"),
        ("PER", 149, 152, "方某某"),
        ("MONEY", 196, 202, "18.6万元"),
        ("PER", 203, 206, "方某某"),
        ("TITLE", 245, 257, "青山县河西镇中心小学校长"),
        ("ORG", 245, 255, "青山县河西镇中心小学"),
        ("LOC", 245, 248, "青山县"),
        ("LOC", 248, 251, "河西镇"),
        ("PER", 257, 259, "石某"),
        ("DATE", 270, 275, "2023年"),
        ("PER", 281, 283, "石某"),
        ("MONEY", 301, 306, "1500元"),
        ("MONEY", 310, 314, "800元"),
        ("PER", 318, 320, "石某"),
        ("TITLE", 340, 353, "青山县教育局基础教育股股长"),
        ("ORG", 340, 351, "青山县教育局基础教育股"),
        ("LOC", 340, 343, "青山县"),
        ("PER", 353, 356, "彭某某"),
        ("DATE", 371, 386, "2022年9月至2023年7月"),
        ("PER", 387, 390, "彭某某"),
        ("TERM", 414, 417, "好处费"),
        ("MONEY", 420, 425, "2.3万元"),
        ("PER", 426, 429, "彭某某"),
        ("ORG", 487, 494, "青山县纪委监委"),
        ("LOC", 487, 490, "青山县"),
        ("DATE", 495, 504, "2024年9月9日"),
    ],
    "corpora/docs/wr_01_qingshan_2024h1.txt": [
        ("ORG", 0, 12, "中共青山县纪律检查委员会"),
        ("LOC", 2, 5, "青山县"),
        ("DATE", 14, 22, "2024年上半年"),
        ("ORG", 30, 32, "县委"),
        ("DATE", 34, 42, "2024年上半年"),
        ("ORG", 43, 48, "县纪委监委"),
        ("ORG", 49, 51, "县委"),
        ("ORG", 52, 57, "市纪委监委"),
        ("TERM", 206, 210, "第一议题"),
        ("DATE", 247, 250, "上半年"),
        ("TERM", 347, 351, "四种形态"),
        ("TERM", 362, 367, "第一种形态"),
        ("TERM", 380, 385, "第二种形态"),
        ("TERM", 397, 402, "第三种形态"),
        ("TERM", 412, 417, "第四种形态"),
        ("MONEY", 442, 449, "236.5万元"),
        ("TERM", 490, 498, "中央八项规定精神"),
        ("TERM", 551, 554, "一卡通"),
        ("ORG", 732, 734, "县委"),
        ("TERM", 791, 794, "三不腐"),
        ("ORG", 797, 809, "中共青山县纪律检查委员会"),
        ("LOC", 799, 802, "青山县"),
        ("DATE", 810, 819, "2024年7月5日"),
    ],
}


@pytest.mark.parametrize("path", BEFORE, ids=[Path(p).stem for p in BEFORE])
def test_entity_spans_are_unchanged(nlp, path: str) -> None:  # type: ignore[no-untyped-def]
    from jjnlp.entities import find_entities, find_entities_many
    from jjnlp.readers import read

    document = read(ROOT / path)
    found = [(e.label, e.start, e.end, e.text) for e in find_entities(document, nlp)]
    assert found == BEFORE[path]
    (many,) = find_entities_many([document], nlp)
    assert [(e.label, e.start, e.end, e.text) for e in many] == BEFORE[path]


def test_find_entities_many_equals_one_by_one(nlp) -> None:  # type: ignore[no-untyped-def]
    from jjnlp.entities import find_entities, find_entities_many
    from jjnlp.readers import read

    documents = [read(p) for p in sorted((ROOT / "corpora" / "docs").glob("cn_*.txt"))]
    assert find_entities_many(documents, nlp, batch_size=4) == [
        find_entities(d, nlp) for d in documents
    ]


def _long_text() -> str:
    from jjnlp.readers import read

    paths = sorted((ROOT / "corpora" / "docs").glob("*.txt"))
    paths += sorted((ROOT / "corpora" / "heldout" / "docs").glob("*.txt"))
    texts = [read(p).text for p in paths]
    text = "\n".join(texts)
    while len(text) < 40_000:
        text += "\n" + "\n".join(texts)
    return text


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """Fail instead of hanging (the edge loop was quadratic: seconds on a long report)."""

    def fail(signum: int, frame: object) -> None:
        raise TimeoutError("the segmenter took more than 30 s on the long text")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(30)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.usefixtures("hang_guard")
def test_segmenter_concatenates_to_a_long_text() -> None:
    from jjnlp.entities.segmenter import DomainSegmenter

    text = _long_text()
    assert len(text) >= 40_000
    words = list(DomainSegmenter().cut(text))
    assert "".join(words) == text
    assert all(words)


def test_words_and_spaces_align_as_spacy_does() -> None:
    """The tokenizer's linear alignment gives spaCy's tokens and spaces: a whitespace word
    dropped, whitespace between words one token, one space after a word its trailing space."""
    from spacy.util import get_words_and_spaces

    from jjnlp.entities.segmenter import words_and_spaces

    for words in (
        ["县纪委", " ", "监委"],
        ["县纪委", "  ", "监委", "\n", "\n"],
        [" ", "A", " ", "\n", " ", "B", " "],
        ["一", "", "二", "\r\n", " \n", "三"],
    ):
        text = "".join(words)
        # ChineseTokenizer drops empty words before it aligns
        assert words_and_spaces(words, text) == get_words_and_spaces([w for w in words if w], text)
    assert words_and_spaces(["县纪委", " ", "监委"], "县纪委 监委") == (
        ["县纪委", "监委"],
        [True, False],
    )


def test_route_is_jiebas_on_the_corpus() -> None:
    """The one-pass route gives jieba's own cut where both dictionaries agree (no user word):
    the same floating-point sums and tie-breaks as ``get_DAG`` and ``calc``."""
    from math import log

    import jieba

    jieba.setLogLevel(60)
    text = (ROOT / "corpora" / "docs" / "wr_01_qingshan_2024h1.txt").read_text(encoding="utf-8")
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for block in jieba.re_han_default.findall(text):
        dag = tokenizer.get_DAG(block)
        route: dict[int, tuple[float, int]] = {}
        tokenizer.calc(block, dag, route)
        own = segment._View(
            freq=tokenizer.FREQ,
            logtotal=log(tokenizer.total),
            special={},
            foreign=frozenset(),
            force_split=frozenset(),
        )
        assert own.route(block) == [route[k][1] + 1 for k in range(len(block))]


def test_boundaries_are_word_edges() -> None:
    assert segment.boundaries("明察暗访明察暗访") == {0, 4, 8}
    assert segment.boundaries("大队大队长") == {0, 2, 5}  # the second 大队 is in 大队长


def test_ported_viterbi_finds_the_paths_of_posseg() -> None:
    """segment._viterbi walks only the transitions into each state; its path is posseg's,
    ties included, on known characters, characters the HMM has never seen and mixes."""
    import random

    viterbi = segment._posseg_part("viterbi").viterbi
    hmm = segment._pos_hmm()
    known = sorted(hmm.states)
    emitted_only = sorted({c for e in hmm.emit.values() for c in e} - set(hmm.states))
    unseen = [chr(c) for c in range(0x4E00, 0x4F00) if chr(c) not in known + emitted_only]
    rng = random.Random(12)
    runs = ["分之", "分之零", "有的借公", "陈某", "龘䶮鱻靐", "王喆"]
    for pool in (known, emitted_only, unseen, known + emitted_only + unseen):
        runs += ["".join(rng.choices(pool, k=rng.randint(1, 5))) for _ in range(20)]
    for run in runs:
        expected = viterbi(run, hmm.states, hmm.start, hmm.trans, hmm.emit)[1]
        assert segment._viterbi(hmm, run) == expected, run


def test_the_dictionarys_tags_come_from_their_cache_as_they_were_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segment.tokenizer(), "tmp_dir", str(tmp_path))
    read = segment._dictionary_tags()  # no cache yet: dict.txt is read, and cached
    cache_file = tmp_path / "jjnlp-postags.cache"
    assert cache_file.is_file() and not list(tmp_path.glob("*.cache.*"))
    assert segment._dictionary_tags() == read
    assert len(read) > 300_000 and read["纪律"] == "n"
    cache_file.write_bytes(b"\x00 not marshal")  # a damaged cache: read again, and replaced
    assert segment._dictionary_tags() == read
    assert segment._dictionary_tags() == read
