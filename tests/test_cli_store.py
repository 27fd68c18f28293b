"""The README's analyst workflow from the command line, for real: ``jjnlp index`` (worker
processes, resume), ``jjnlp search``, ``jjnlp keys`` and ``jjnlp serve`` as a subprocess
answering on loopback."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import CORPORA, ROOT

DOCS = ["wr_01_qingshan_2024h1.txt", "wr_06_nanshan_2023.txt", "cn_01_linxi_baxiang.txt"]


def jjnlp(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "jjnlp", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("submitted")
    for name in DOCS:
        shutil.copy(CORPORA / "docs" / name, folder / name)
    (folder / "损坏.docx").write_bytes(b"PK\x03\x04 not a zip")
    (folder / "说明.xlsx").write_bytes(b"PK")
    db = folder.parent / "jjnlp.db"
    done = jjnlp("index", str(folder), "--store", str(db), "--jobs", "2")
    assert done.returncode == 2, done.stderr  # one file failed, the others are stored
    assert "入库 3 份（新增 3，更新 0，新版本替代旧版本 0），未变跳过 0，失败 1，非文档跳过 1" in (
        done.stdout
    )
    assert "损坏.docx：ZIP 压缩包已损坏" in done.stdout
    return folder, db


def test_index_resumes_without_analysing_again(indexed: tuple[Path, Path]) -> None:
    folder, db = indexed
    again = jjnlp("index", str(folder), "--store", str(db), "--resume", "--quiet")
    assert "入库 0 份" in again.stdout and "未变跳过 3" in again.stdout
    assert "库中共 3 份" in again.stdout


def test_search_prints_highlighted_snippets_and_json(indexed: tuple[Path, Path]) -> None:
    _, db = indexed
    text = jjnlp("search", "惠民惠农", "--store", str(db))
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("共 2 份文档")
    assert "【惠民惠农】" in text.stdout
    data = json.loads(jjnlp("search", "处分", "--store", str(db), "--format", "json").stdout)
    assert data["total"] == 3 and len(data["items"]) == 3
    assert {f["value"] for f in data["facets"]["kind"]} == {"work_report", "case_notice"}
    notices = json.loads(
        jjnlp("search", "--kind", "case_notice", "--store", str(db), "--format", "json").stdout
    )
    assert [i["file"] for i in notices["items"]] == ["cn_01_linxi_baxiang.txt"]


def test_search_on_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    done = jjnlp("search", "纪委", "--store", str(tmp_path / "none.db"))
    assert done.returncode == 2
    assert "数据库文件不存在，请先用 jjnlp index 建立索引" in done.stderr
    assert "Traceback" not in done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_with_a_key_and_refuses_a_revoked_one(indexed: tuple[Path, Path]) -> None:
    _, db = indexed
    created = jjnlp("keys", "create", "--role", "analyst", "--label", "李分析", "--store", str(db))
    key = created.stdout.splitlines()[0]
    assert key.startswith("jj_") and "只显示这一次" in created.stdout
    listed = jjnlp("keys", "list", "--store", str(db)).stdout
    assert key[:12] in listed and key not in listed and "李分析" in listed
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jjnlp", "serve", "--store", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, server.stderr
                time.sleep(0.2)
        assert health.json()["documents"] == 3
        found = httpx.get(
            f"{base}/v1/search", params={"q": "惠民惠农"}, headers={"X-API-Key": key}, timeout=30
        )
        assert found.status_code == 200
        assert {i["file"] for i in found.json()["items"]} == {
            "wr_01_qingshan_2024h1.txt",
            "wr_06_nanshan_2023.txt",
        }
        assert httpx.get(f"{base}/docs", timeout=10).status_code == 200
        revoked = jjnlp("keys", "revoke", key[:12], "--store", str(db))
        assert revoked.returncode == 0 and "已吊销" in revoked.stdout
        refused = httpx.get(
            f"{base}/v1/search", params={"q": "纪委"}, headers={"X-API-Key": key}, timeout=30
        )
        assert refused.status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert jjnlp("keys", "revoke", key[:12], "--store", str(db)).returncode == 2
