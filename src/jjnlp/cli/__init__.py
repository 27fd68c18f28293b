"""The ``jjnlp`` command: a thin face over the library.

Subcommands live in their own modules and are imported only when chosen, so
``jjnlp --help`` imports neither spaCy nor scikit-learn nor torch.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from jjnlp import __version__
from jjnlp.errors import JjnlpError

# name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "text": ("jjnlp.cli.text", "输出文档的规范化正文"),
    "structure": (
        "jjnlp.cli.structure",
        "输出公文结构（标题、主送、层级标题、一是二是、落款、期间）",
    ),
    "extract": ("jjnlp.cli.extract", "输出完整文档模型（JSON）"),
    "metrics": ("jjnlp.cli.metrics", "列出文中全部数字指标"),
    "entities": ("jjnlp.cli.entities", "列出机构、地名、人名、职务、文件、术语、日期、金额等实体"),
    "problems": ("jjnlp.cli.problems", "抽取“存在的问题”并分类"),
    "cases": ("jjnlp.cli.cases", "拆分典型问题通报，抽取人员、职务、单位、金额、处分与形态"),
    "audit": ("jjnlp.cli.audit", "核对数字与文字，输出审校意见（退出码 1 表示发现错误）"),
    "batch": (
        "jjnlp.cli.batch",
        "批量审核一个文件夹的报送材料：跨文件核对、查重，输出审核结果包",
    ),
    "index": ("jjnlp.cli.index", "分析文档并存入分析库（SQLite 或 PostgreSQL），供检索与接口使用"),
    "search": ("jjnlp.cli.search", "在分析库中检索：全文、单位、期间、实体、类别、审校意见"),
    "serve": ("jjnlp.cli.serve", "启动分析库的检索接口与检索页面（HTTP，需 API 密钥）"),
    "keys": ("jjnlp.cli.keys", "管理检索接口的 API 密钥（新建、列出、吊销）"),
    "eval": ("jjnlp.cli.evaluate", "在金标准语料上评测各项能力"),
}

EPILOG = (
    "退出码：0 正常；1 审校发现错误；2 输入无法读取、无法处理或参数有误；"
    "3 内部错误（请报告，加 --debug 显示详细信息）；130 被中断。"
)


def _top_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jjnlp",
        description="jjnlp：纪检监察文书分析工具（工作报告、典型问题通报）",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"jjnlp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


def _command_parser(name: str) -> tuple[argparse.ArgumentParser, object]:
    module = importlib.import_module(COMMANDS[name][0])
    parser = argparse.ArgumentParser(
        prog=f"jjnlp {name}", description=COMMANDS[name][1], epilog=EPILOG
    )
    module.add_arguments(parser)
    return parser, module


def _streams() -> None:
    """Never fail on a character the console cannot show (a GBK console, a non-UTF-8 file
    name): escape it instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--debug" in args:
        import os

        args.remove("--debug")
        os.environ["JJNLP_DEBUG"] = "1"  # the workers this run starts inherit it
    _streams()
    if not args or args[0] not in COMMANDS:
        parser = _top_parser()
        parser.parse_args(args or ["--help"])  # prints help/usage and exits
        return 2
    parser, module = _command_parser(args[0])
    ns = parser.parse_args(args[1:])
    try:
        code: int = module.run(ns)  # type: ignore[attr-defined]
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except JjnlpError as error:  # an output error, or one raised outside any file's run
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: one Chinese line, the traceback only under --debug
        from jjnlp.cli.common import debug_enabled

        if debug_enabled():
            raise
        print(
            f"内部错误：“jjnlp {args[0]}”运行时出错（{type(exc).__name__}: {exc}），"
            "请报告此问题（加 --debug 显示详细信息）",
            file=sys.stderr,
        )
        return 3
    return code
