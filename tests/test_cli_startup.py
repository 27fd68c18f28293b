"""The command line starts fast: --help imports none of the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("spacy", "sklearn", "torch", "transformers", "pdfplumber", "docx", "jieba")


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_help_imports_no_heavy_library() -> None:
    loaded = _modules_after(
        "import contextlib, io\n"
        "from jjnlp.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])"
    )
    assert "jjnlp.cli" in loaded
    assert not {m.split(".")[0] for m in loaded} & set(HEAVY)


def test_python_dash_m_matches_console_script() -> None:
    via_module = subprocess.run(
        [sys.executable, "-m", "jjnlp", "--help"], capture_output=True, text=True
    )
    assert via_module.returncode == 0
    assert "metrics" in via_module.stdout and "structure" in via_module.stdout


def test_unknown_command_exits_2_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "jjnlp", "frobnicate"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_every_listed_command_exists() -> None:
    import importlib

    from jjnlp.cli import COMMANDS

    for name, (module_name, _) in COMMANDS.items():
        module = importlib.import_module(module_name)
        assert callable(module.add_arguments) and callable(module.run), name
