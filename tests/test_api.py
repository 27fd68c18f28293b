"""The analysts' API against the real server on loopback (uvicorn, httpx), on both store
backends: keys and roles on every endpoint, uploads in every state, search, figures, cases,
reviews, deletion, problem details in Chinese, and an access log holding every request."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import CORPORA, LiveServer, serving
from jjnlp.api.app import PERMISSIONS
from jjnlp.store.access import create_key
from jjnlp.store.text import flat

ROLES = ("analyst", "ingest", "admin")


class Api:
    """A running server, its keys, and a client that counts the requests it sends."""

    def __init__(self, server: LiveServer, keys: dict[str, str], rows: list[dict[str, Any]]):
        self.server = server
        self.keys = keys
        self.rows = rows
        self.sent = 0

        def count(_request: httpx.Request) -> None:
            self.sent += 1

        self.client = httpx.Client(
            base_url=server.url, timeout=120, event_hooks={"request": [count]}
        )

    def get(self, path: str, role: str | None = "analyst", **kwargs: Any) -> httpx.Response:
        return self.call("GET", path, role, **kwargs)

    def call(self, method: str, path: str, role: str | None, **kwargs: Any) -> httpx.Response:
        headers = {"X-API-Key": self.keys[role]} if role else {}
        return self.client.request(method, path, headers=headers, **kwargs)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    stored_rows: list[dict[str, Any]],
) -> Any:
    folder = tmp_path_factory.mktemp("api")
    with serving(request, folder, stored_rows, request.param, max_upload_mb=1, timeout=60) as (
        server,
        store,
    ):
        keys = {role: create_key(store, role, f"测试{role}") for role in ROLES}
        yield Api(server, keys, stored_rows)


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert any("\u4e00" <= c <= "\u9fff" for c in body["detail"])  # Chinese
    assert "Traceback" not in response.text
    return body


def test_health_needs_no_key(api: Api) -> None:
    response = api.get("/v1/health", role=None)
    assert response.json() == {
        "status": "ok",
        "backend": response.json()["backend"],
        "documents": len(api.rows),
    }


def _endpoints(api: Api) -> list[tuple[str, str, str]]:
    """(method, path, permission) of every /v1 endpoint but health, from the app itself."""
    from fastapi.routing import APIRoute

    out = []
    for route in api.server.app.routes:
        if not isinstance(route, APIRoute) or not route.path.startswith("/v1"):
            continue
        if route.path == "/v1/health":
            continue
        for method in route.methods:
            out.append((method, route.path, _permission(method, route.path)))
    return out


def _permission(method: str, path: str) -> str:
    if path == "/v1/audit-log":
        return "audit"
    if method == "POST":
        return "upload"
    if method == "DELETE":
        return "delete"
    if method == "PATCH":
        return "review"
    return "read"


def _request(api: Api, method: str, path: str) -> dict[str, Any]:
    filled = path.replace("{doc_id}", "1").replace("{fingerprint}", "0" * 16)
    kwargs: dict[str, Any] = {}
    if method == "POST":
        kwargs["files"] = {"file": ("a.txt", "测试".encode())}
    if method == "PATCH":
        kwargs["json"] = {"status": "确认", "note": ""}
    if path == "/v1/metrics/series":
        filled += "?indicator=立案"
    return {"method": method, "path": filled, **kwargs}


def test_every_endpoint_refuses_a_missing_or_wrong_key_and_a_wrong_role(api: Api) -> None:
    endpoints = _endpoints(api)
    assert len(endpoints) == 12
    for method, path, permission in endpoints:
        call = _request(api, method, path)
        method_, path_ = call.pop("method"), call.pop("path")
        _problem(api.call(method_, path_, None, **call), 401)
        wrong = api.client.request(method_, path_, headers={"X-API-Key": "jj_" + "x" * 43}, **call)
        _problem(wrong, 401)
        for role in ROLES:
            if role not in PERMISSIONS[permission]:
                body = _problem(api.call(method_, path_, role, **call), 403)
                assert role in body["detail"]


def test_search_finds_the_reports_that_mention_a_term(api: Api) -> None:
    response = api.get("/v1/search", params={"q": "惠民惠农"})
    assert response.status_code == 200
    body = response.json()
    expected = {r["record"]["file"] for r in api.rows if "惠民惠农" in flat(r["record"]["text"])}
    assert {item["file"] for item in body["items"]} == expected
    assert len(expected) >= 2
    assert all("<mark>惠民惠农</mark>" in "".join(i["snippets"]) for i in body["items"])
    assert sum(f["count"] for f in body["facets"]["kind"]) == len(expected)


def _exchange(api: Api, sock: Any, line: str, key: str, upload: httpx.Request | None = None) -> Any:
    """One request written by hand (its line as typed, UTF-8; the body and its type those of
    ``upload``) on a kept-alive connection, counted as the client's requests are; the
    response's status and body."""
    api.sent += 1
    fields = {"Host": "x", "X-API-Key": api.keys[key]}
    body = upload.read() if upload is not None else b""
    if upload is not None:
        fields["Content-Type"] = upload.headers["content-type"]
        fields["Content-Length"] = str(len(body))
    head = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    sock.sendall(f"{line} HTTP/1.1\r\n{head}\r\n".encode() + body)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    answer_head, answer = data.split(b"\r\n\r\n", 1)
    stated = re.search(rb"(?im)^content-length: *(\d+)", answer_head)
    length = int(stated[1]) if stated else 0  # 204: no body, no length
    while len(answer) < length:
        answer += sock.recv(65536)
    return int(answer_head.split()[1]), answer


def test_a_request_line_with_raw_utf8_is_read_as_its_percent_encoding(api: Api) -> None:
    # curl "http://…/v1/search?q=惠民惠农" sends the UTF-8 bytes as typed (a browser, httpx
    # encode them): the same answer as the encoded query, on one connection request after
    # request, and a body's own non-ASCII bytes stay as they were
    import socket

    encoded = api.get("/v1/search", params={"q": "惠民惠农"}).json()
    text = "关于某某县纪委监委工作情况的报告\n立案5件。"
    upload = httpx.Request("POST", api.server.url, files={"file": ("报告.txt", text.encode())})
    with socket.create_connection(("127.0.0.1", api.server.port), timeout=60) as sock:
        for _ in range(2):
            status, answer = _exchange(api, sock, "GET /v1/search?q=惠民惠农", "analyst")
            assert status == 200
            assert json.loads(answer)["items"] == encoded["items"]
        status, answer = _exchange(api, sock, "POST /v1/documents", "admin", upload)
        assert status == 201, answer
        created = json.loads(answer)
        assert created["file"] == "报告.txt"
        assert api.get(f"/v1/documents/{created['id']}/text").text.startswith(text)
        status, _ = _exchange(api, sock, f"DELETE /v1/documents/{created['id']}", "admin")
        assert status == 204


def test_search_filters_sort_and_pages(api: Api) -> None:
    first = api.get("/v1/search", params={"q": "纪委", "limit": 3, "sort": "period"}).json()
    second = api.get(
        "/v1/search",
        params={"q": "纪委", "limit": 3, "sort": "period", "cursor": first["next_cursor"]},
    ).json()
    ends = [i["period_end"] or "" for i in first["items"] + second["items"]]
    assert ends == sorted(ends, reverse=True)
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    notices = api.get("/v1/search", params={"kind": "case_notice"}).json()
    assert notices["total"] == sum(
        r["record"]["identity"]["kind"] == "case_notice" for r in api.rows
    )
    _problem(api.get("/v1/search", params={"period_from": "某年"}), 400)
    _problem(api.get("/v1/search", params={"limit": "many"}), 422)
    _problem(api.get("/v1/search", params={"cursor": "%%%"}), 400)


def test_a_document_whole_its_text_and_its_audit_page(api: Api) -> None:
    rows = next(r for r in api.rows if r["record"]["findings"])
    hit = api.get("/v1/search", params={"q": f'"{rows["record"]["title"]}"'}).json()["items"][0]
    doc = api.get(f"/v1/documents/{hit['id']}").json()
    assert doc["title"] == rows["record"]["title"]
    assert len(doc["metrics"]) == len(rows["record"]["figures"])
    assert [f["fingerprint"] for f in doc["findings"]] == [
        f["fingerprint"] for f in rows["record"]["findings"]
    ]
    assert len(doc["outline"]) == len(rows["sections"])
    assert api.get(f"/v1/documents/{hit['id']}/text").text == rows["record"]["text"]
    page = api.get(f"/v1/documents/{hit['id']}/audit.html")
    assert page.headers["content-type"].startswith("text/html")
    assert rows["record"]["findings"][0]["message"].split("，")[0][:6] in page.text
    _problem(api.get("/v1/documents/999999"), 404)


def test_metrics_cases_and_series(api: Api) -> None:
    rates = api.get("/v1/metrics", params={"indicator": "结案率", "max": "90"}).json()["items"]
    assert rates and all(float(m["value"]) <= 90 for m in rates)
    assert all(m["sentence"] and m["file"] for m in rates)
    cases = api.get("/v1/cases", params={"amount_min": "10000"}).json()["items"]
    expected = {
        c["headline"]
        for r in api.rows
        for c in r["cases"]
        if c["amount"] and float(c["amount"]) >= 10000
    }
    assert {c["headline"] for c in cases} == expected
    series = api.get("/v1/metrics/series", params={"indicator": "立案"}).json()
    assert series["series"] and all(line["points"] for line in series["series"])


def test_a_review_is_set_by_an_analyst_and_kept(api: Api) -> None:
    finding = api.get("/v1/findings", params={"severity": "error"}).json()["items"][0]
    path = f"/v1/findings/{finding['fingerprint']}"
    changed = api.call("PATCH", path, "analyst", json={"status": "驳回", "note": "口径不同"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["items"][0]["review"] == "驳回"
    dismissed = api.get("/v1/findings", params={"review": "驳回"}).json()["items"]
    assert finding["fingerprint"] in {f["fingerprint"] for f in dismissed}
    assert dismissed[0]["reviewer"] == "测试analyst"
    _problem(api.call("PATCH", path, "analyst", json={"status": "通过"}), 422)
    _problem(api.call("PATCH", "/v1/findings/nothing", "analyst", json={"status": "确认"}), 404)


def test_uploads_are_read_by_content_analysed_and_stored(api: Api) -> None:
    data = (CORPORA / "realformats" / "generated" / "rf_01.docx").read_bytes()
    # a misleading name: the content decides that this is a Word document
    first = api.call("POST", "/v1/documents", "ingest", files={"file": ("报告.txt", data)})
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "new" and body["identity"]["kind"] in ("work_report", "case_notice")
    again = api.call("POST", "/v1/documents", "admin", files={"file": ("报告.docx", data)})
    assert again.json()["id"] == body["id"] and again.json()["status"] == "updated"
    doc = api.get(f"/v1/documents/{body['id']}").json()
    assert doc["format"] == "docx" and doc["file"] == "报告.docx"  # the latest name
    broken = api.call(
        "POST", "/v1/documents", "ingest", files={"file": ("坏文件.docx", b"PK\x03\x04broken")}
    )
    detail = _problem(broken, 422)["detail"]
    assert detail.startswith("坏文件.docx：") and "/tmp" not in detail
    big = api.call("POST", "/v1/documents", "ingest", files={"file": ("大.txt", b"a" * 1_200_000)})
    _problem(big, 413)
    _problem(api.call("POST", "/v1/documents", "ingest", files={"file": ("空.txt", b"")}), 422)
    traversal = api.call(
        "POST",
        "/v1/documents",
        "ingest",
        files={
            "file": ("../../etc/passwd", "关于某某县纪委监委工作情况的报告\n立案5件。".encode())
        },
    )
    assert traversal.status_code == 201 and traversal.json()["file"] == "passwd"
    assert api.call("DELETE", f"/v1/documents/{traversal.json()['id']}", "admin").status_code == 204


def test_delete_removes_the_document(api: Api) -> None:
    upload = api.call(
        "POST",
        "/v1/documents",
        "ingest",
        files={
            "file": (
                "删除.txt",
                "关于临删县纪委监委2025年一季度工作情况的报告\n一季度立案9件。".encode(),
            )
        },
    )
    doc_id = upload.json()["id"]
    assert api.get("/v1/search", params={"q": "临删县"}).json()["total"] == 1
    assert api.call("DELETE", f"/v1/documents/{doc_id}", "admin").status_code == 204
    _problem(api.get(f"/v1/documents/{doc_id}"), 404)
    assert api.get("/v1/search", params={"q": "临删县"}).json()["total"] == 0
    _problem(api.call("DELETE", f"/v1/documents/{doc_id}", "admin"), 404)


def test_unknown_paths_and_methods_are_problems_too(api: Api) -> None:
    _problem(api.get("/v1/nothing"), 404)
    _problem(api.call("PUT", "/v1/search", "analyst"), 405)


def test_no_path_on_the_server_is_read(tmp_path: Path, api: Api) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容")
    response = api.call("POST", "/v1/documents", "ingest", data={"file": str(secret)})
    _problem(response, 422)  # a form field naming a path is no upload


def test_the_access_log_holds_every_request(api: Api) -> None:
    """Runs last in this module: every request sent to this server so far is logged, with
    who sent it, the endpoint, the query and the number of results."""
    sent = api.sent
    log = api.get("/v1/audit-log", role="admin", params={"limit": 1000}).json()["items"]
    assert len(log) == sent
    searches = [e for e in log if e["endpoint"] == "/v1/search" and "q=" in e["query"]]
    assert searches and all(e["role"] == "analyst" for e in searches)
    assert any(e["status"] == 401 and e["key_id"] is None for e in log)
    hit = next(e for e in log if e["query"] == "q=惠民惠农")
    assert hit["results"] >= 2
    first = api.get("/v1/audit-log", role="admin", params={"limit": 2}).json()
    older = api.get(
        "/v1/audit-log", role="admin", params={"limit": 2, "before": first["next_before"]}
    ).json()
    assert [e["id"] for e in older["items"]] == [
        first["items"][-1]["id"] - 1,
        first["items"][-1]["id"] - 2,
    ]
