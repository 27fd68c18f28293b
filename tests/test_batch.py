"""``jjnlp batch`` end to end on the bundled batch corpus: the package, the gold, the review
loop, resuming after ``kill -9``, hostile files, and the same package from a Dask cluster."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import load_script
from jjnlp.batch.model import annotated_name, page_name, record_from_plain, to_json, to_plain
from jjnlp.batch.package import STAGING

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "batch"
PACKAGE = ("summary.html", "findings.xlsx", "findings.jsonl", "findings.csv", "findings.sarif")


def batch(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jjnlp", "batch", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def findings(out: Path) -> list[dict]:
    lines = (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


@pytest.fixture(scope="module")
def corpus_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("batch") / "out"
    manifest = str(CORPUS / "manifest.csv")
    gold = str(CORPUS / "gold.json")
    result = batch(
        str(CORPUS),
        "--manifest",
        manifest,
        "--out",
        str(out),
        "--jobs",
        "2",
        "--gold",
        gold,
    )
    return out, result


def test_the_corpus_gives_the_whole_package_and_meets_the_gold(corpus_run) -> None:  # type: ignore[no-untyped-def]
    out, result = corpus_run
    assert result.returncode == 2, result.stderr  # one file failed (errors found too)
    assert "Traceback" not in result.stderr
    for name in PACKAGE:
        assert (out / name).stat().st_size > 0, name
    assert not list(out.rglob("*.part"))
    assert not (out / STAGING).exists()
    # a page for every document, a Word copy for each with an error or a warning, whether
    # its worker staged them or the review had them made again (cross-document findings)
    returned = {f["file"] for f in findings(out) if f["severity"] in ("error", "warning")}
    analysed = {p.relative_to(CORPUS).as_posix() for p in (CORPUS / "docs").rglob("*.*")}
    analysed -= {"docs/2024h1/损坏的文件.docx"}
    pages = {p.name for p in (out / "documents").iterdir()}
    assert {page_name(f) for f in analysed} <= pages
    assert {p for p in pages if p.endswith(".docx")} == {annotated_name(f) for f in returned}
    scores = dict(
        (line.split("\t")[0], line.split("\t")[3])
        for line in result.stdout.splitlines()
        if "\t" in line
    )
    assert scores["all"] == "7/0/0"  # every gold cross-document finding, nothing else
    assert scores["identity"] == "60/0/0"
    assert scores["failed"] == "1/0/0"
    cross = [f for f in findings(out) if f["scope"] == "cross"]
    rollup = next(f for f in cross if f["rule"] == "rollup" and f["text"] == "247件")
    assert rollup["expected"] == "≥256件"
    assert "本级26件" in rollup["message"]
    assert rollup["other_files"] == [
        "docs/2024q1/东城区.txt",
        "docs/2024q1/临川县.txt",
        "docs/2024q1/白马县.txt",
        "docs/2024q1/西城区.txt",
    ]


def test_the_held_out_city_written_without_the_code_meets_its_gold(tmp_path: Path) -> None:
    corpus = ROOT / "corpora" / "batch-heldout"
    out = tmp_path / "out"
    result = batch(str(corpus), "--out", str(out), "--quiet", "--gold", str(corpus / "gold.json"))
    scores = dict(
        (line.split("\t")[0], line.split("\t")[3])
        for line in result.stdout.splitlines()
        if "\t" in line
    )
    assert scores["all"] == "7/0/0"  # 2 cumulative, 2 rollup, restatement, duplicate, copy
    assert scores["failed"] == "1/0/0"


def test_the_broken_file_is_listed_as_failed_with_its_reason(corpus_run) -> None:  # type: ignore[no-untyped-def]
    out, result = corpus_run
    assert "处理失败：docs/2024h1/损坏的文件.docx" in result.stdout
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert "损坏的文件.docx" in page and "ZIP 压缩包已损坏" in page


def test_documents_have_pages_and_annotated_word_files(corpus_run) -> None:  # type: ignore[no-untyped-def]
    import docx

    from jjnlp.batch.model import annotated_name, page_name

    out, _ = corpus_run
    pages = out / "documents"
    assert len(list(pages.glob("*.html"))) == 13
    annotated = pages / annotated_name("docs/2024h1/东城区.txt")
    word = docx.Document(str(annotated))
    page = (pages / page_name("docs/2024h1/东城区.txt")).read_text(encoding="utf-8")
    assert f'<a href="{quote(annotated.name)}">下载带批注的 Word 文件</a>' in page
    message = next(f["message"] for f in findings(out) if f["file"] == "docs/2024h1/东城区.txt")
    assert [c.text for c in word.comments] == [f"【错误·累计数减少】{message}"]


def test_the_xlsx_holds_every_finding_the_metrics_and_the_drop_down(corpus_run) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    out, _ = corpus_run
    book = openpyxl.load_workbook(out / "findings.xlsx")
    everything = findings(out)
    rows = [
        r
        for name in ("审核意见", "跨文件意见")
        for r in list(book[name].iter_rows(values_only=True))[1:]
        if any(r)
    ]
    assert len(rows) == len(everything)
    validations = (
        book["审核意见"].data_validations.dataValidation
        + book["跨文件意见"].data_validations.dataValidation
    )
    assert any(v.formula1 == '"待核,确认,驳回"' for v in validations)
    metrics = list(book["指标"].iter_rows(values_only=True))
    assert len(metrics) - 1 == sum(1 for _ in metrics[1:])
    assert any(r[2] == "挽回经济损失" and str(r[3]) == "1872.6" for r in metrics[1:])


def test_the_sarif_validates_against_the_2_1_0_schema(corpus_run) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    out, _ = corpus_run
    schema = json.loads(
        (ROOT / "tests" / "data" / "sarif-2.1.0.schema.json").read_text(encoding="utf-8")
    )
    log = json.loads((out / "findings.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    assert len(log["runs"][0]["results"]) == len(findings(out))


def test_a_consistent_set_gives_no_cross_document_finding(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for name in (
        "2024q1/西城区.txt",
        "2024q1/白马县.txt",
        "2024h1/西城区.txt",
        "2024h1/白马县.txt",
        "2024q1/东城区.txt",
    ):
        target = docs / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / "docs" / name, target)
    out = tmp_path / "out"
    result = batch(str(docs), "--out", str(out), "--jobs", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    assert [f for f in findings(out) if f["scope"] == "cross"] == []


def test_a_reviewers_dismissal_survives_a_resubmission_with_an_edit_above(tmp_path: Path) -> None:
    import openpyxl

    docs = tmp_path / "docs"
    for name in ("2024q1/东城区.txt", "2024h1/东城区.txt"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / "docs" / name, docs / name)
    first = tmp_path / "round1"
    assert batch(str(docs), "--out", str(first), "--jobs", "1", "--quiet").returncode == 1
    (cumulative,) = [f for f in findings(first) if f["rule"] == "cumulative"]
    book = openpyxl.load_workbook(first / "findings.xlsx")
    sheet = book["跨文件意见"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("指纹")].value == cumulative["fingerprint"]:
            row[header.index("审核状态")].value = "驳回"
            row[header.index("审核说明")].value = "一季度数字含误报，已核实"
    book.save(first / "findings.xlsx")
    # the unit resubmits: a paragraph inserted above the figure, nothing else changed
    report = docs / "2024h1/东城区.txt"
    lines = report.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "根据市纪委监委要求，现补充报送上半年有关情况，并对部分表述作了修改完善。")
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = tmp_path / "round2"
    result = batch(
        str(docs), "--out", str(second), "--jobs", "1", "--baseline", str(first), "--quiet"
    )
    (carried,) = [f for f in findings(second) if f["rule"] == "cumulative"]
    assert carried["start"] != cumulative["start"]
    assert (carried["fingerprint"], carried["status"], carried["review"], carried["note"]) == (
        cumulative["fingerprint"],
        "unchanged",
        "驳回",
        "一季度数字含误报，已核实",
    )
    assert result.returncode == 0  # the only error was dismissed
    page = (second / "summary.html").read_text(encoding="utf-8")
    assert "累计数不应减少" not in page  # dismissed findings are hidden from the pages


def _records_done(out: Path) -> int:
    state = out / ".jjnlp-state.sqlite"
    if not state.exists():
        return 0
    try:
        with sqlite3.connect(state) as db:
            return int(db.execute("SELECT count(*) FROM records").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_kill_9_mid_batch_leaves_no_partial_file_and_resume_skips_the_done(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS / "docs", docs)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "jjnlp", "batch", str(docs), "--out", str(out), "--jobs", "1"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 300
    while _records_done(out) < 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the batch ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = _records_done(out)
    assert 3 <= done < 13
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    assert not (out / "summary.html").exists() and not (out / "findings.jsonl").exists()
    resumed = batch(str(docs), "--out", str(out), "--jobs", "1", "--resume")
    analysed = [line for line in resumed.stderr.splitlines() if line.startswith("[")]
    assert len(analysed) == 13 - done
    fresh = tmp_path / "fresh"
    batch(str(docs), "--out", str(fresh), "--jobs", "1", "--quiet")
    assert (out / "findings.jsonl").read_bytes() == (fresh / "findings.jsonl").read_bytes()


def test_hostile_files_are_listed_as_failed_and_the_batch_completes(tmp_path: Path) -> None:
    make_hostile = load_script("make_hostile")
    docs = tmp_path / "docs"
    for name in (
        "flate_bomb.pdf",
        "length_loop.pdf",
        "encrypted.pdf",
        "truncated.docx",
        "method_99.docx",
        "empty.txt",
        "control_chars.txt",
        "bad_name",
    ):
        make_hostile.make(name, docs)
    shutil.copy(CORPUS / "docs" / "2024q1" / "东城区.txt", docs / "good.txt")
    out = tmp_path / "out"
    result = batch(str(docs), "--out", str(out), "--jobs", "2", "--memory-limit", "2048")
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
    summary = (out / "summary.html").read_text(encoding="utf-8")
    failures = [line for line in result.stdout.splitlines() if line.strip().startswith("处理失败")]
    assert len(failures) >= 6
    assert all("：" in line for line in failures)
    assert "good.txt" in summary


def test_a_dask_local_cluster_gives_the_same_package(tmp_path: Path, corpus_run) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("dask.distributed")
    from dask.distributed import LocalCluster

    local, _ = corpus_run
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        out = tmp_path / "dask"
        args = ["--manifest", str(CORPUS / "manifest.csv"), "--out", str(out), "--quiet"]
        result = batch(
            str(CORPUS),
            *args,
            "--executor",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
        )
    assert result.returncode == 2, result.stderr
    assert (out / "findings.jsonl").read_bytes() == (local / "findings.jsonl").read_bytes()
    assert (out / "findings.csv").read_bytes() == (local / "findings.csv").read_bytes()


def test_a_file_over_the_time_limit_is_killed_and_the_others_finish(tmp_path: Path) -> None:
    make_hostile = load_script("make_hostile")
    docs = tmp_path / "docs"
    make_hostile.make("one_line_5mb.txt", docs)  # seconds of work, far beyond the limit
    for name in ("2024q1/东城区.txt", "2024q1/西城区.txt", "2024h1/东城区.txt"):
        shutil.copy(CORPUS / "docs" / name, docs / name.replace("/", "_"))
    out = tmp_path / "out"
    started = time.monotonic()
    result = batch(str(docs), "--out", str(out), "--jobs", "2", "--timeout", "10")
    assert time.monotonic() - started < 120
    assert result.returncode == 2, result.stderr
    assert "处理失败：one_line_5mb.txt：处理超过10秒，已终止" in result.stdout
    assert sum("完成" in line for line in result.stderr.splitlines()) == 3
    assert len(list((out / "documents").glob("*.html"))) == 4


def test_the_resume_state_holds_each_record_exactly(corpus_run) -> None:  # type: ignore[no-untyped-def]
    out, _ = corpus_run
    with sqlite3.connect(out / ".jjnlp-state.sqlite") as db:
        rows = db.execute("SELECT file, record FROM records ORDER BY file").fetchall()
    assert len(rows) == len([p for p in (CORPUS / "docs").rglob("*") if p.is_file()])
    assert sum(len(json.loads(text)["figures"]) for _, text in rows) > 100
    for file, text in rows:
        record = record_from_plain(json.loads(text))
        assert record.file == file
        # the fast encoder writes what the plain values say, and reads back to the record
        assert json.loads(to_json(record)) == to_plain(record)
        assert to_json(record) == text


def _sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import openpyxl

    return {s.title: list(s.iter_rows(values_only=True)) for s in openpyxl.load_workbook(path)}


def test_the_findings_written_as_documents_come_are_the_reviewed_rounds(tmp_path: Path) -> None:
    """findings.xlsx gets each document's findings while the batch goes on: with a baseline
    (a dismissal carried, a finding gone) and a resubmitted copy (its fingerprints made its
    own), the workbook is the one the reviewed round written at once gives."""
    import openpyxl

    from jjnlp.batch.run import BatchOptions, run_batch
    from jjnlp.render.xlsx import write_xlsx

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("ae_01_rate_repeat.txt", "ae_02_share_parts.txt", "ae_03_done_subset.txt"):
        shutil.copy(ROOT / "corpora" / "docs" / name, docs / name)
    shutil.copy(docs / "ae_01_rate_repeat.txt", docs / "ae_01_rate_repeat（重报）.txt")
    first = run_batch(BatchOptions([str(docs)], tmp_path / "round1", jobs=2))
    own = {d.file: [f.fingerprint for f in d.findings] for d in first.documents}
    copy, original = own["ae_01_rate_repeat（重报）.txt"], own["ae_01_rate_repeat.txt"]
    assert len(copy) == len(original) == 2 and not set(copy) & set(original)
    book = openpyxl.load_workbook(tmp_path / "round1" / "findings.xlsx")
    sheet = book["审核意见"]
    header = [c.value for c in sheet[1]]
    dismissed = own["ae_02_share_parts.txt"][0]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("指纹")].value == dismissed:
            row[header.index("审核状态")].value = "驳回"
    book.save(tmp_path / "round1" / "findings.xlsx")
    (docs / "ae_03_done_subset.txt").unlink()
    options = BatchOptions(
        [str(docs)], tmp_path / "round2", jobs=2, baseline=str(tmp_path / "round1")
    )
    second = run_batch(options)
    write_xlsx(second, tmp_path / "at_once.xlsx")
    written = _sheets(tmp_path / "round2" / "findings.xlsx")
    assert written == _sheets(tmp_path / "at_once.xlsx")
    rows = written["审核意见"]
    fingerprint, review, change = (rows[0].index(h) for h in ("指纹", "审核状态", "变化"))
    by_fingerprint = {row[fingerprint]: row for row in rows[1:]}
    assert by_fingerprint[dismissed][review] == "驳回"
    assert [row[change] for row in rows[1:]] == ["未变"] * 6 + ["已消失"] * 3
    assert [row[0] for row in rows[1:]] == list(range(1, 10))
