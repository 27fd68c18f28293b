"""``jjnlp serve --store jjnlp.db``: the analysts' HTTP API and search page."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import EXIT_BAD_INPUT, EXIT_OK, add_store, report_error
from jjnlp.errors import JjnlpError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_store(parser)
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 %(default)s，仅本机）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 %(default)d）")
    parser.add_argument("--max-upload-mb", type=int, default=20, help="上传文件上限，MB")
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="允许跨域访问的来源（可多次给出；默认不允许）",
    )


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from jjnlp.api.app import Settings, create_app
    from jjnlp.api.http import server_options
    from jjnlp.store import open_store

    settings = Settings(
        store=args.store, max_upload_mb=args.max_upload_mb, cors_origins=args.cors_origin
    )
    try:
        store = open_store(args.store)
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    app = create_app(settings, store)
    print(
        f"jjnlp 分析库服务：http://{args.host}:{args.port}/（接口文档 /docs；Ctrl-C 停止）",
        flush=True,
    )
    try:
        uvicorn.run(app, host=args.host, port=args.port, **server_options())
    finally:
        store.close()
    return EXIT_OK
