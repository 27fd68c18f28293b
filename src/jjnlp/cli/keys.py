"""``jjnlp keys create|list|revoke --store …``: the API keys of ``jjnlp serve``."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import EXIT_BAD_INPUT, EXIT_OK, add_store, report_error
from jjnlp.errors import JjnlpError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="操作", required=True)
    create = sub.add_parser("create", help="新建密钥（只显示一次，库中只存哈希）")
    create.add_argument(
        "--role",
        required=True,
        choices=("analyst", "ingest", "admin"),
        help="analyst 查询与审核；ingest 上传文档；admin 全部权限",
    )
    create.add_argument("--label", default="", help="备注（使用人或用途），记入访问记录")
    add_store(create)
    listing = sub.add_parser("list", help="列出密钥（只显示前缀）")
    add_store(listing)
    revoke = sub.add_parser("revoke", help="吊销密钥")
    revoke.add_argument("prefix", help="密钥前缀（keys list 显示的 12 个字符）")
    add_store(revoke)


def run(args: argparse.Namespace) -> int:
    from jjnlp.store import open_store
    from jjnlp.store.access import ROLE_ZH, create_key, list_keys, revoke_key

    try:
        store = open_store(args.store)
        try:
            if args.action == "create":
                key = create_key(store, args.role, args.label)
                print(key)
                print(f"（{ROLE_ZH[args.role]}；密钥只显示这一次，请妥善保存）", flush=True)
            elif args.action == "list":
                for row in list_keys(store):
                    state = f"已吊销 {row['revoked_at']}" if row["revoked_at"] else "有效"
                    when = row["created_at"]
                    print(f"{row['prefix']}  {row['role']:<8} {state}  {when}  {row['label']}")
            elif not revoke_key(store, args.prefix):
                raise JjnlpError(args.prefix, "没有这个前缀的有效密钥")
            else:
                print(f"已吊销 {args.prefix}")
        finally:
            store.close()
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    return EXIT_OK
