"""Cross-document rules: each with a clean case, a failing case and a case the domain allows."""

from __future__ import annotations

import dataclasses
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from jjnlp import analyze_text
from jjnlp.batch.crosscheck import run_cross
from jjnlp.batch.identity import apply_manifest, identify, split_name
from jjnlp.batch.model import DocRecord
from jjnlp.batch.records import from_analysis
from jjnlp.batch.similar import (
    _BANDS,
    _ROWS,
    CANDIDATE,
    PERMUTATIONS,
    Signatures,
    jaccard,
    sentence_shingles,
    shingle_hashes,
    sketch,
)

Q1, H1 = "2024年一季度", "2024年上半年"
BATCH_DOCS = Path(__file__).resolve().parent.parent / "corpora" / "batch" / "docs"


def record(file: str, body: str, unit: str, period: str, parent: str = "临川市") -> DocRecord:
    text = f"{unit}纪委监委关于{period}工作情况的报告\n{body}\n{unit}纪委监委\n2024年7月5日\n"
    analysis = analyze_text(text, ("audit",), path=file)
    row = {"unit": unit, "parent": parent, "period": period}
    return from_analysis(analysis, file, file, row)  # the file name stands in for its hash


def rules_of(records: list[DocRecord]) -> list[tuple[str, str, str, str | None]]:
    findings, _ = run_cross(records)
    return [(f.rule, f.file, f.text, f.expected) for f in findings]


def test_a_half_year_figure_below_the_first_quarter_is_reported_on_the_half_year() -> None:
    q1 = record("q1.txt", "全区共立案58件，结案41件。", "东城区", Q1)
    h1 = record("h1.txt", "全区共立案55件，结案60件。", "东城区", H1)
    assert rules_of([q1, h1]) == [("cumulative", "h1.txt", "55件", "≥58件")]


def test_growing_figures_and_a_falling_rate_are_silent() -> None:
    q1 = record("q1.txt", "全区共立案58件，结案41件，结案率70.7%。", "东城区", Q1)
    h1 = record("h1.txt", "全区共立案96件，结案63件，结案率65.6%。", "东城区", H1)
    assert rules_of([q1, h1]) == []


def test_a_comparison_base_and_an_approximate_figure_do_not_accumulate() -> None:
    q1 = record("q1.txt", "全区共立案58件，问题线索约300件。", "东城区", Q1)
    h1 = record("h1.txt", "全区共立案96件，去年同期立案40件，问题线索280件。", "东城区", H1)
    assert rules_of([q1, h1]) == []


def _city(body: str) -> DocRecord:
    return record("city.txt", body, "临川市", Q1, parent="")


def _districts() -> list[DocRecord]:
    return [
        record("a.txt", "全区共立案58件，留置6人。", "东城区", Q1),
        record("b.txt", "全区共立案47件，留置4人。", "西城区", Q1),
    ]


def test_a_city_total_below_its_districts_and_its_own_cases_is_reported() -> None:
    city = _city("全市共立案120件，其中市纪委监委本级立案26件；留置10人。")
    assert rules_of([city, *_districts()]) == [("rollup", "city.txt", "120件", "≥131件")]


def test_a_city_total_equal_to_the_sum_is_not_an_error() -> None:
    city = _city("全市共立案131件，其中市纪委监委本级立案26件；留置10人。")
    assert rules_of([city, *_districts()]) == []


def test_a_city_figure_not_stated_for_the_whole_city_is_not_compared() -> None:
    city = _city("市纪委监委立案26件，留置3人。")
    assert rules_of([city, *_districts()]) == []


def test_a_restated_figure_is_reported_on_the_supplement() -> None:
    report = record("r.txt", "全县共立案64件，留置3人。", "白马县", Q1)
    text = "白马县纪委监委关于一季度案件查办情况的补充说明\n全县共立案67件，留置3人。\n"
    supplement = analyze_text(text, ("audit",), path="s.txt")
    row = {"unit": "白马县", "parent": "临川市", "period": Q1}
    extra = from_analysis(supplement, "s.txt", "s.txt", row)
    assert extra.identity.kind == "other"
    assert rules_of([report, extra]) == [("restatement", "s.txt", "67件", "64件")]


def test_a_byte_identical_copy_is_a_duplicate_and_counts_once_in_the_sum() -> None:
    districts = _districts()
    copy = dataclasses.replace(districts[1], file="b-again.txt")
    city = _city("全市共立案131件，其中市纪委监委本级立案26件；留置10人。")
    found = rules_of([city, *districts, copy])
    assert [(r, f) for r, f, _, _ in found] == [("duplicate_file", "b-again.txt")]


def test_names_are_split_into_unit_parent_and_level() -> None:
    assert split_name("临川市东城区纪委监委") == ("临川市", "东城区", "区")
    assert split_name("中共白马县纪律检查委员会") == (None, "白马县", "县")
    assert split_name("河西镇纪委") == (None, "河西镇", "乡镇")
    assert split_name("市纪委监委派驻市教育局纪检监察组")[2] == "派驻"
    assert split_name("临川市城市建设投资集团有限公司纪委")[2] == "国企"


def test_identity_is_read_from_the_document_and_the_manifest_wins() -> None:
    text = (
        "临川市东城区纪委监委关于2024年上半年工作情况的报告\n全区立案55件。\n"
        "临川市东城区纪委监委\n2024年7月5日\n"
    )
    analysis = analyze_text(text, ("audit",))
    identity = identify(analysis)
    assert (identity.unit, identity.parent, identity.level, identity.kind, identity.period) == (
        "东城区",
        "临川市",
        "区",
        "work_report",
        "2024年上半年",
    )
    assert (identity.period_start, identity.period_end) == ("2024-01-01", "2024-06-30")
    overridden = apply_manifest(identity, {"unit": "东城区纪委监委", "period": "2024年1-5月"})
    assert (overridden.unit, overridden.period, overridden.period_end) == (
        "东城区",
        "2024年1—5月",
        "2024-05-31",
    )


def _string_jaccard(a: str, b: str) -> Decimal:
    """The similarity the near-duplicate rule means, on Python strings (8-character
    shingles of the text without white space, NFKC)."""

    def shingles(text: str) -> set[str]:
        flat = "".join(unicodedata.normalize("NFKC", text).split())
        return {flat[i : i + 8] for i in range(max(1, len(flat) - 7))}

    left, right = shingles(a), shingles(b)
    value = Decimal(len(left & right)) / Decimal(len(left | right))
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def test_the_shingle_hashes_give_the_similarity_of_the_shingles_themselves() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(BATCH_DOCS.glob("*/*.txt"))]
    # short texts: one shingle of the whole text; a full-width letter is its ASCII one
    texts += ["一二三四五六七", "一二三四五六七八", "一二三四五六七八九", "ＡＢ c\n", "AB c"]
    hashes = [shingle_hashes(t) for t in texts]
    assert [len(h) for h in hashes[-5:]] == [1, 1, 2, 1, 1]
    pairs = [(i, j) for i in range(len(texts)) for j in range(i, len(texts))]
    similar = [p for p in pairs if _string_jaccard(texts[p[0]], texts[p[1]]) >= Decimal("0.3")]
    assert len(similar) > len(texts)  # the corpus's copies and resubmissions are among them
    for i, j in pairs:
        assert jaccard(hashes[i], hashes[j]) == _string_jaccard(texts[i], texts[j]), (i, j)


def test_a_sketchs_minhash_is_datasketchs_own_over_the_sentences() -> None:
    from datasketch import MinHash

    body = (BATCH_DOCS / "2024q1" / "东城区.txt").read_text(encoding="utf-8")
    document = record("东城区.txt", body, "东城区", Q1)
    own = MinHash(num_perm=PERMUTATIONS, seed=1)
    own.update_batch([s.encode() for s in sentence_shingles(document.text)])
    assert len(sentence_shingles(document.text)) > 10
    outline = analyze_text(document.text, ("structure",)).outline
    assert outline is not None
    in_worker = sketch(document.text, outline.sentences)  # the outline's sentences: the same
    assert in_worker.sentences == sketch(document.text).sentences
    made = Signatures()
    made.add(document, in_worker)
    assert (made.minhash(document) == own.hashvalues).all()


def test_the_candidates_are_those_of_datasketchs_lsh_index() -> None:
    """The bands are those datasketch's MinHashLSH picks for the threshold, and the texts
    found for each the ones its index finds (the batch corpus and cut-down copies of it,
    so that some pairs share only some sentences)."""
    from datasketch import MinHash, MinHashLSH

    texts = [p.read_text(encoding="utf-8") for p in sorted(BATCH_DOCS.glob("*/*.txt"))]
    texts += [t[: len(t) // k] for t in texts for k in (2, 3)]
    documents = [record(f"{k}.txt", t, f"第{k}区", Q1) for k, t in enumerate(texts)]
    index = MinHashLSH(threshold=CANDIDATE, num_perm=PERMUTATIONS)
    assert (index.b, index.r) == (_BANDS, _ROWS)
    made, theirs = Signatures(), []
    for k, document in enumerate(documents):
        own = MinHash(num_perm=PERMUTATIONS, seed=1)
        own.update_batch([s.encode() for s in sentence_shingles(document.text)])
        index.insert(k, own)
        theirs.append(own)
        made.add(document)
    found = [made._query(made.minhash(d)) for d in documents]
    assert found == [set(index.query(own)) for own in theirs]
    assert sum(len(keys) > 1 for keys in found) > len(texts) // 2  # not only each itself


def test_the_candidate_pairs_do_not_depend_on_the_order_the_texts_came_in() -> None:
    """The LSH index is filled as the workers send their records back, in any order."""
    documents = [
        record(path.name + str(k), path.read_text(encoding="utf-8"), f"第{k}区", Q1)
        for k, path in enumerate(sorted(BATCH_DOCS.glob("*/*.txt")))
    ]
    forward, backward = Signatures(), Signatures()
    for document in documents:
        forward.add(document)
    for document in reversed(documents):
        backward.add(document)
    pairs = forward.candidate_pairs(documents)
    assert pairs == backward.candidate_pairs(documents)
    # the copy submitted twice and the near-duplicate pair of the corpus are among them
    names = {(documents[i].file, documents[j].file) for i, j in pairs}
    assert {("临川县.txt1", "白马县.txt3"), ("西城区.txt4", "西城区报告（重复报送）.txt5")} <= names
