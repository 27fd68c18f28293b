"""Where shipped models are: inside the installed package, or ``models/`` of a checkout."""

from __future__ import annotations

from pathlib import Path

from jjnlp.errors import ModelMissing

_PACKAGE = Path(__file__).resolve().parent


def models_dir() -> Path:
    """``jjnlp/models`` in a wheel install; the repository's ``models/`` in a checkout."""
    for candidate in (_PACKAGE / "models", _PACKAGE.parent.parent / "models"):
        if candidate.is_dir():
            return candidate
    raise ModelMissing(
        str(_PACKAGE / "models"), "未找到随包发布的模型目录（models/），请重新安装 jjnlp"
    )


def model_path(name: str) -> Path:
    """A named model under :func:`models_dir`, or a clear error if it was never trained."""
    path = models_dir() / name
    if not path.exists():
        raise ModelMissing(str(path), "模型不存在；请先运行 scripts/ 中对应的训练脚本")
    return path
