"""The built wheel carries the models and resources and works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_installs_and_loads_its_models(tmp_path: Path) -> None:
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True, capture_output=True
    )
    wheel = next(wheels.glob("jjnlp-*.whl"))
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    probe = (
        "import jjnlp, jjnlp.problems, jjnlp.paths\n"
        "print(jjnlp.__file__)\n"
        "print(jjnlp.paths.models_dir())\n"
        "print(jjnlp.problems.load_model().predict('派驻纪检监察组发现问题的能力偏弱')[0][0])\n"
        "doc = jjnlp.load()('经查，河西镇纪委副书记张某某违规收受礼金。')\n"
        "print(sorted((s.label_, s.text) for s in doc.spans['entities']))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    assert out[0].startswith(str(target)) and out[1] == str(target / "jjnlp" / "models")
    assert out[2] == "派驻监督效能"
    assert out[3] == str(
        [("LOC", "河西镇"), ("ORG", "河西镇纪委"), ("PER", "张某某"), ("TITLE", "河西镇纪委副书记")]
    )
