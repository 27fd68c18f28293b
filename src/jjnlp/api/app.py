"""The analysts' HTTP API (FastAPI): everything under ``/v1``, an API key on every endpoint
but ``/v1/health``, every request in the access log, errors as RFC 9457 problem details in
Chinese, never a stack trace."""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import unquote_plus

from fastapi import Depends, FastAPI, File, Query, Request, Response, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from jjnlp.batch.model import REVIEW_STATES, Kind
from jjnlp.errors import JjnlpError, QueryError, ReadError, StoreError
from jjnlp.store import query as q
from jjnlp.store.access import Authenticator, Caller, access_log, log_access
from jjnlp.store.base import Store

# what each role may do
PERMISSIONS = {
    "read": ("analyst", "admin"),
    "review": ("analyst", "admin"),
    "upload": ("ingest", "admin"),
    "delete": ("admin",),
    "audit": ("admin",),
}
KEY_COOKIE = "jjnlp_key"
TITLES = {
    400: "请求参数有误",
    401: "未认证",
    403: "无权访问",
    404: "未找到",
    405: "不支持的请求方法",
    413: "上传文件过大",
    415: "不支持的文件类型",
    422: "请求内容无法处理",
    500: "服务器内部错误",
    503: "服务暂不可用",
}


@dataclass
class Settings:
    store: str = "jjnlp.db"
    max_upload_mb: int = 20
    cors_origins: list[str] = field(default_factory=list)
    timeout: float = 120.0  # per uploaded file
    memory_mb: int = 3072


def problem(status: int, detail: str, instance: str = "", **extra: Any) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "请求失败"),
        "status": status,
        "detail": detail,
        "instance": instance,
        **extra,
    }
    headers = {"WWW-Authenticate": 'APIKey header="X-API-Key"'} if status == 401 else None
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


class Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


T = TypeVar("T")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API 密钥")


def _caller(request: Request, key: str | None) -> Caller | None:
    authenticate: Authenticator = request.app.state.authenticate
    return authenticate(key or request.cookies.get(KEY_COOKIE))


def require(permission: str) -> Callable[..., Caller]:
    """A dependency: the caller, who must hold a key with a role allowed ``permission``."""

    def check(request: Request, key: Annotated[str | None, Depends(api_key_header)]) -> Caller:
        caller = _caller(request, key)
        request.state.caller = caller
        if caller is None:
            raise Refused(401, "缺少或无效的 API 密钥：请在请求头 X-API-Key 中提供有效密钥")
        if caller.role not in PERMISSIONS[permission]:
            allowed = "、".join(PERMISSIONS[permission])
            raise Refused(403, f"角色 {caller.role} 无权执行此操作（需要：{allowed}）")
        return caller

    return check


Reader = Annotated[Caller, Depends(require("read"))]
MAX_ID = 2**63 - 1  # a database integer
DocId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="文档编号")]


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _one(request: Request, doc_id: int, found: T | None) -> T:
    """What was asked of document ``doc_id``, or a 404 when there is no such document."""
    if found is None:
        raise Refused(404, f"文档 {doc_id} 不存在")
    request.state.results = 1
    return found


def _counted(request: Request, payload: dict[str, Any]) -> dict[str, Any]:
    items = payload.get("items")
    request.state.results = len(items) if isinstance(items, list) else None
    return payload


def _filters(
    unit: str | None = None,
    level: str | None = None,
    parent: str | None = None,
    kind: Kind | None = None,
    period: Annotated[str | None, Query(description="期间，按文档所写（如 2024年上半年）")] = None,
    period_from: Annotated[
        str | None, Query(description="期间起（2024-01-01 或 2024年一季度）")
    ] = None,
    period_to: Annotated[str | None, Query(description="期间止（2024-12-31 或 2024年）")] = None,
    entity: str | None = None,
    category: str | None = None,
    has_findings: bool | None = None,
    rule: str | None = None,
    include_superseded: bool = False,
) -> q.Filters:
    return q.Filters(
        unit=unit,
        level=level,
        parent=parent,
        kind=kind,
        period=period,
        period_from=period_from,
        period_to=period_to,
        entity=entity,
        category=category,
        has_findings=has_findings,
        rule=rule,
        include_superseded=include_superseded,
    )


Filtered = Annotated[q.Filters, Depends(_filters)]


# the states as a type the schema can list (kept equal to REVIEW_STATES)
ReviewState = Literal["待核", "确认", "驳回"]
assert ReviewState.__args__ == REVIEW_STATES  # type: ignore[attr-defined]


class ReviewBody(BaseModel):
    status: ReviewState = Field(description="审核状态")
    note: str = Field(default="", max_length=2000, description="审核意见")


class Ingestor:
    """Uploaded files analysed one at a time in a worker process (time and memory limits)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._workers: Any = None

    def analyse(self, path: Path, name: str, sha256: str) -> dict[str, Any]:
        from jjnlp.store.rows import STAGES, finish_rows
        from jjnlp.workers import Limits, Workers

        with self._lock:
            if self._workers is None:
                self._workers = Workers(
                    STAGES,
                    {},
                    "服务配置",
                    jobs=1,
                    limits=Limits(self.settings.timeout, self.settings.memory_mb),
                    finish=finish_rows,
                ).__enter__()
            outcome = next(iter(self._workers.map([str(path)], [(name, sha256, None)])))
        if outcome.error is not None:
            raise outcome.error
        rows: dict[str, Any] = outcome.analysis
        return rows

    def close(self) -> None:
        with self._lock:
            if self._workers is not None:
                self._workers.__exit__(None, None, None)
                self._workers = None


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The application over ``store`` (or the one ``settings.store`` names)."""
    settings = settings or Settings()
    if store is None:
        from jjnlp.store import open_store

        store = open_store(settings.store)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.ingestor.close()

    app = FastAPI(
        title="jjnlp 分析库 API",
        version="1",
        description="检索已分析的工作报告与案件通报：全文、单位、期间、实体、指标、案件与审校意见。"
        "除 /v1/health 外，每个请求须在请求头 X-API-Key 中携带密钥。",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.authenticate = Authenticator(store)
    app.state.ingestor = Ingestor(settings)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["X-API-Key", "Content-Type"],
        )
    _handlers(app)
    _routes(app)
    from jjnlp.api.page import page_routes

    page_routes(app)
    return app


def _handlers(app: FastAPI) -> None:
    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Response:
        request.state.caller = None
        request.state.results = None
        try:
            response: Response = await call_next(request)
        except Exception:  # a bug: logged, answered as a problem without the trace
            response = problem(500, "处理请求时出现内部错误，请联系管理员", request.url.path)
        try:
            log_access(
                request.app.state.store,
                request.state.caller,
                request.method,
                request.url.path,
                unquote_plus(request.url.query),
                response.status_code,
                request.state.results,
            )
        except Exception:
            return problem(503, "无法写入访问记录，请求未被记录，请稍后重试", request.url.path)
        return response

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> JSONResponse:
        return problem(exc.status, exc.detail, request.url.path)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else ""
        if exc.status_code == 404 and not detail:
            detail = "请求的资源不存在"
        elif exc.status_code == 405:
            detail = "此地址不支持该请求方法"
        return problem(
            exc.status_code, detail or TITLES.get(exc.status_code, "请求失败"), request.url.path
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("type", "")}
            for e in exc.errors()
        ]
        names = "、".join(f["field"] for f in fields) or "请求"
        return problem(422, f"参数不合法：{names}", request.url.path, errors=fields)

    @app.exception_handler(JjnlpError)
    async def jjnlp_error(request: Request, exc: JjnlpError) -> JSONResponse:
        if isinstance(exc, QueryError):
            return problem(400, f"参数 {exc.path}：{exc.message}", request.url.path, code=exc.code)
        if isinstance(exc, ReadError):
            return problem(422, exc.message, request.url.path, code=exc.code)
        if isinstance(exc, StoreError):
            return problem(503, exc.message, request.url.path, code=exc.code)
        return problem(422, exc.message, request.url.path, code=exc.code)


def _routes(app: FastAPI) -> None:
    @app.get("/v1/health", tags=["服务"], summary="服务状态（无需密钥）")
    def health(request: Request) -> dict[str, Any]:
        store = store_of(request)
        return {"status": "ok", "backend": store.backend, "documents": store.count()}

    @app.get("/v1/search", tags=["检索"], summary="全文检索，带筛选、分面与游标翻页")
    def search(
        request: Request,
        caller: Reader,
        filters: Filtered,
        q_: Annotated[
            str, Query(alias="q", max_length=500, description="检索词；引号内为短语")
        ] = "",
        sort: Literal["relevance", "period"] = "relevance",
        limit: Annotated[int, Query(ge=1, le=q.MAX_LIMIT)] = 20,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
        facets: bool = True,
    ) -> dict[str, Any]:
        request_ = q.Search(
            q=q_, filters=filters, sort=sort, limit=limit, cursor=cursor, facets=facets
        )
        return _counted(request, q.search(store_of(request), request_))

    @app.post(
        "/v1/documents", tags=["文档"], summary="上传一个文档：分析、审校并入库", status_code=201
    )
    def upload(
        request: Request,
        caller: Annotated[Caller, Depends(require("upload"))],
        file: Annotated[UploadFile, File(description="任意可读格式的文档")],
    ) -> dict[str, Any]:
        return _upload(request, file)

    @app.get("/v1/documents/{doc_id}", tags=["文档"], summary="一个文档的全部分析结果")
    def get_document(request: Request, caller: Reader, doc_id: DocId) -> dict[str, Any]:
        return _one(request, doc_id, q.document(store_of(request), doc_id))

    @app.get(
        "/v1/documents/{doc_id}/text",
        tags=["文档"],
        summary="文档正文",
        response_class=PlainTextResponse,
    )
    def get_text(request: Request, caller: Reader, doc_id: DocId) -> PlainTextResponse:
        return PlainTextResponse(_one(request, doc_id, q.text(store_of(request), doc_id)))

    @app.get(
        "/v1/documents/{doc_id}/audit.html",
        tags=["文档"],
        summary="文档审校页面",
        response_class=HTMLResponse,
    )
    def get_audit_page(request: Request, caller: Reader, doc_id: DocId) -> HTMLResponse:
        from jjnlp.render.document_page import render_document_page

        record = _one(request, doc_id, q.record(store_of(request), doc_id))
        return HTMLResponse(render_document_page(record, []))

    @app.delete(
        "/v1/documents/{doc_id}", tags=["文档"], summary="删除文档及其全部数据", status_code=204
    )
    def delete_document(
        request: Request, caller: Annotated[Caller, Depends(require("delete"))], doc_id: DocId
    ) -> Response:
        if not store_of(request).delete(doc_id):
            raise Refused(404, f"文档 {doc_id} 不存在")
        request.state.results = 1
        return Response(status_code=204)

    @app.get("/v1/metrics", tags=["指标"], summary="文中数字指标，带出处")
    def get_metrics(
        request: Request,
        caller: Reader,
        filters: Filtered,
        indicator: str | None = None,
        measure: Annotated[str | None, Query(description="计量单位：件、人、元、% …")] = None,
        min_: Annotated[str | None, Query(alias="min", max_length=40)] = None,
        max_: Annotated[str | None, Query(alias="max", max_length=40)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
    ) -> dict[str, Any]:
        return _counted(
            request,
            q.metrics(store_of(request), indicator, measure, min_, max_, filters, limit, cursor),
        )

    @app.get("/v1/metrics/series", tags=["指标"], summary="一个指标按期间的序列（每单位一条）")
    def get_series(
        request: Request,
        caller: Reader,
        filters: Filtered,
        indicator: Annotated[str, Query(min_length=1, max_length=100)],
        measure: str | None = None,
    ) -> dict[str, Any]:
        result = q.series(store_of(request), indicator, measure, filters)
        request.state.results = len(result["series"])
        return result

    @app.get("/v1/cases", tags=["案件"], summary="典型问题通报中的案件")
    def get_cases(
        request: Request,
        caller: Reader,
        filters: Filtered,
        sanction: str | None = None,
        form: Annotated[int | None, Query(ge=1, le=4, description="四种形态")] = None,
        amount_min: Annotated[str | None, Query(max_length=40)] = None,
        amount_max: Annotated[str | None, Query(max_length=40)] = None,
        person_level: Annotated[str | None, Query(description="当事人所在单位层级")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
    ) -> dict[str, Any]:
        category, filters.category = filters.category, None
        return _counted(
            request,
            q.cases(
                store_of(request),
                category,
                sanction,
                form,
                amount_min,
                amount_max,
                person_level,
                None,
                filters,
                limit,
                cursor,
            ),
        )

    @app.get("/v1/findings", tags=["审校意见"], summary="审校意见及其审核状态")
    def get_findings(
        request: Request,
        caller: Reader,
        filters: Filtered,
        severity: Literal["error", "warning", "info"] | None = None,
        review: ReviewState | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
    ) -> dict[str, Any]:
        rule, filters.rule = filters.rule, None
        return _counted(
            request,
            q.findings(
                store_of(request), rule, severity, review, None, None, filters, limit, cursor
            ),
        )

    @app.patch("/v1/findings/{fingerprint}", tags=["审校意见"], summary="设置审核状态与意见")
    def patch_finding(
        request: Request,
        caller: Annotated[Caller, Depends(require("review"))],
        fingerprint: Annotated[str, PathParam(max_length=64)],
        body: ReviewBody,
    ) -> dict[str, Any]:
        store = store_of(request)
        who = caller.label or caller.prefix
        if not q.set_review(store, fingerprint, body.status, body.note, who):
            raise Refused(404, f"没有指纹为 {fingerprint} 的审校意见")
        found = q.findings(
            store, fingerprint=fingerprint, filters=q.Filters(include_superseded=True)
        )
        return _counted(request, found)

    @app.get("/v1/audit-log", tags=["服务"], summary="访问记录（查询留痕，仅管理员）")
    def get_audit_log(
        request: Request,
        caller: Annotated[Caller, Depends(require("audit"))],
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        before: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
    ) -> dict[str, Any]:
        return _counted(request, access_log(store_of(request), limit, before))


def _upload(request: Request, upload: UploadFile) -> dict[str, Any]:
    import hashlib

    from jjnlp import __version__

    settings: Settings = request.app.state.settings
    limit = settings.max_upload_mb * 1024 * 1024
    name = Path(upload.filename or "upload").name or "upload"
    with tempfile.TemporaryDirectory(prefix="jjnlp-upload-") as folder:
        # the readers decide the format from the content: the client's name is not used
        # for the file on disk (a .wps name only tells doc from wps, and is kept for that)
        path = Path(folder) / ("upload.wps" if name.lower().endswith(".wps") else "upload")
        digest = hashlib.sha256()
        size = 0
        with open(path, "wb") as out:
            while chunk := upload.file.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise Refused(413, f"文件超过上传上限 {settings.max_upload_mb} MB")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise Refused(422, "上传的文件为空")
        try:
            rows = request.app.state.ingestor.analyse(path, name, digest.hexdigest())
        except JjnlpError as exc:
            message = exc.message.replace(str(path), name)
            raise Refused(422, f"{name}：{message}（{exc.code}）") from exc
    store = store_of(request)
    doc_id, status = store.ingest(rows, __version__)
    record = rows["record"]
    request.state.results = 1
    return {
        "id": doc_id,
        "status": status,
        "file": name,
        "identity": record["identity"],
        "findings": q.findings(
            store, doc_id=doc_id, filters=q.Filters(include_superseded=True), limit=1000
        )["items"],
    }
