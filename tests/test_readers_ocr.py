"""Scanned PDFs and page images read by offline OCR (skipped without the ``ocr`` extra).

``corpora/realformats/generated/rf_03.scan.pdf`` (``scripts/make_scan.py``: rf_03.pdf at
200 dpi, turned, noisy, a red seal over the signature) is read once by ``jjnlp extract`` in
processes whose network is cut; a short report with a wrong 结案率 is typeset, scanned and
audited at test time, and its scanned page is read again as an image file.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import ROOT, load_script
from jjnlp.config import read_toml
from jjnlp.errors import ConfigError
from jjnlp.pipeline import configure, run
from jjnlp.readers import ocr, read

rapidocr = pytest.importorskip("rapidocr_onnxruntime")

GENERATED = ROOT / "corpora" / "realformats" / "generated"
SCAN = GENERATED / "rf_03.scan.pdf"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
INSTALL = 'pip install "jjnlp[ocr]"'

# every Python process started with this folder on its path (the CLI and its workers) has
# no network: a connection to any internet address or a name look-up raises
NO_NETWORK = """\
import socket

def _refuse(*args, **kwargs):
    raise OSError("network access during an OCR test")

_connect = socket.socket.connect

def _connect_local(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse()
    return _connect(self, address)

socket.socket.connect = _connect_local
socket.getaddrinfo = _refuse
socket.create_connection = _refuse
"""

# a short work report: the 结案率 is wrong (30 ÷ 40 is 75%, not 90%)
REPORT = [
    ("title", "青石县纪委监委关于2024年上半年工作情况的报告"),
    ("flush", "县委："),
    (
        "body",
        "2024年上半年，县纪委监委坚持稳中求进工作总基调，各项工作取得新进展。现将有关情况报告如下。",
    ),
    ("body", "一、审查调查工作"),
    ("body", "全县共处置问题线索96件，立案40件，结案30件，结案率90%。给予党纪政务处分28人。"),
    ("body", "二、下半年工作打算"),
    ("body", "持续深化整治，推动全面从严治党向纵深发展。"),
    ("sign", "青石县纪委监委"),
    ("sign", "2024年7月5日"),
]


def _jjnlp(offline: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": f"{offline}:{ROOT / 'src'}", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "jjnlp", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("offline")
    (folder / "sitecustomize.py").write_text(NO_NETWORK, encoding="utf-8")
    return folder


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access during an OCR test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(scope="module")
def scan_extract(offline: Path) -> tuple[dict[str, Any], str]:
    result = _jjnlp(offline, "extract", str(SCAN), "--format", "json", "--no-blocks")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["files"][0], result.stderr


def _typeset(path: Path) -> None:
    """:data:`REPORT` as a one-page A4 PDF: 16 pt body with a two-character indent."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if not FONT.is_file():
        pytest.skip(f"no CJK font to typeset the report ({FONT})")
    pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    width, height = 595.0, 842.0
    left, right, size = 80.0, 515.0, 16.0
    page = canvas.Canvas(str(path), pagesize=(width, height), invariant=1)
    y = height - 110
    signed = False
    for role, text in REPORT:
        font = 22.0 if role == "title" else size
        page.setFont("WQY", font)
        if role == "title":
            page.drawCentredString(width / 2, y, text)
            y -= 56
            continue
        if role == "sign":
            y -= 0 if signed else 29  # a blank line above the signature
            signed = True
            page.drawRightString(right - size * 2, y, text)
            y -= 29
            continue
        x, line = left + (size * 2 if role == "body" else 0), ""
        for char in text:
            if pdfmetrics.stringWidth(line + char, "WQY", size) > right - x:
                page.drawString(x, y, line)
                x, line, y = left, "", y - 29
            line += char
        page.drawString(x, y, line)
        y -= 29
    page.showPage()
    page.save()


@pytest.fixture(scope="module")
def short_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The short report scanned: as an image-only PDF, and its page as a PNG file."""
    make_scan: ModuleType = load_script("make_scan")
    folder = tmp_path_factory.mktemp("short")
    typeset, scanned = folder / "short.pdf", folder / "short.scan.pdf"
    _typeset(typeset)
    make_scan.scan_pdf(typeset, scanned, seal_text="青石县纪律检查委员会", seed=5)
    (page,) = make_scan.render_pages(scanned)
    image = folder / "page.img"  # no telling extension: the reader goes by the content
    page.crop((0, 0, page.width, page.height // 2)).save(image, "PNG", dpi=(200, 200))
    return scanned, image


def test_models_load_from_the_installed_package() -> None:
    package = Path(rapidocr.__file__).parent
    paths = ocr.model_paths()
    assert {p.name for p in paths.values()} == {
        "ch_PP-OCRv4_det_infer.onnx",
        "ch_PP-OCRv4_rec_infer.onnx",
        "ch_ppocr_mobile_v2.0_cls_infer.onnx",
    }
    assert all(p.is_file() and p.parent == package / "models" for p in paths.values())


def test_scan_reads_offline_to_the_same_outline_and_figures_as_the_text_layer(
    scan_extract: tuple[dict[str, Any], str],
) -> None:
    document, stderr = scan_extract
    assert "Traceback" not in stderr
    assert document["format"] == "pdf"
    metadata = document["metadata"]
    assert metadata["ocr"] is True and metadata["ocr_pages"] == [1, 2, 3, 4]
    assert metadata["headers"] == ["白岩县纪委监委"]
    text_layer = run(read(GENERATED / "rf_03.pdf"), ("metrics",))
    outline = document["outline"]
    assert outline["title"]["text"] == "白岩县纪委监委关于2024年1—9月工作情况的报告"
    assert outline["issuer"]["text"] == "白岩县纪委监委"
    assert outline["issued_on"] == "2024-10-10"
    headings = [s["heading"]["text"] for s in outline["sections"]]
    assert headings == ["一、主要工作开展情况", "二、存在的主要问题", "三、第四季度工作打算"]
    assert [(m["text"], m["indicator"]) for m in document["metrics"]] == [
        (m.text, m.indicator) for m in text_layer.metrics
    ]
    assert len(document["metrics"]) == 49


def test_every_figure_of_the_scan_is_marked_as_ocr(
    scan_extract: tuple[dict[str, Any], str],
) -> None:
    document, _ = scan_extract
    metadata = document["metadata"]
    assert all(m["ocr"] is True for m in document["metrics"])
    units = metadata["ocr_units"]
    assert units == list(range(len(units))) and len(units) == 23
    # per block: the lowest recognition score of its lines
    assert sorted(metadata["ocr_confidence"]) == sorted(str(u) for u in units)
    assert all(0.5 <= score <= 1 for score in metadata["ocr_confidence"].values())


def test_text_layer_figures_are_not_marked_as_ocr() -> None:
    from jjnlp.render.json import file_payload

    payload = file_payload(run(read(GENERATED / "rf_03.pdf"), ("metrics",)), "metrics")
    assert payload["metrics"] and not any(m["ocr"] for m in payload["metrics"])


def test_scan_with_ocr_off_is_e107_with_the_install_hint(offline: Path) -> None:
    result = _jjnlp(offline, "extract", str(SCAN), "--ocr", "never", "--format", "json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"[E107] {SCAN}" in result.stderr
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["error"]["code"] == "E107"
    assert INSTALL in entry["error"]["message"]
    assert "ocr = never" in entry["error"]["message"]


def test_ocr_off_in_the_configuration_file(tmp_path: Path) -> None:
    config = tmp_path / "jjnlp.toml"
    config.write_text('[read]\nocr = "never"\n', encoding="utf-8")
    assert configure((), read_toml(str(config)))["read"]["ocr"] == "never"
    with pytest.raises(ConfigError, match="auto、always、never"):
        configure((), {"read": {"ocr": "sometimes"}})


def test_wrong_rate_on_a_scan_is_a_warning_that_names_ocr(
    offline: Path, short_scan: tuple[Path, Path]
) -> None:
    scanned, _ = short_scan
    result = _jjnlp(offline, "audit", str(scanned), "--format", "json")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr  # a warning, not an error
    (entry,) = json.loads(result.stdout)["files"]
    (finding,) = [f for f in entry["findings"] if f["rule"] == "rate"]
    assert finding["severity"] == "warning"
    assert finding["message"] == (
        "结案率应为75.0%（结案30件÷立案40件），文中为90%"
        "（该处文字由文字识别（OCR）得到，可能是识别错误而非原文错误）"
    )
    assert entry["summary"]["error"] == 0


def test_page_image_is_read_by_its_content(no_network: None, short_scan: tuple[Path, Path]) -> None:
    _, image = short_scan
    document = read(image)
    assert document.format == "image"
    assert document.text.splitlines()[:2] == [
        "青石县纪委监委关于2024年上半年工作情况的报告",
        "县委：",
    ]
    assert "立案40件，结案30件，结案率90%。" in document.text
    assert document.metadata["ocr"] is True
    assert document.metadata["ocr_units"] == [b.index for b in document.blocks]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1一9月，立案12件", "1—9月，立案12件"),  # a dash between numerals read as 一
        ("—1一", "—1—"),
        ("二O二四年三月", "二〇二四年三月"),  # 〇 read as a letter O
        ("二〇二0年", "二〇二〇年"),
        ("结案率1O6.8%，处分2l人", "结案率106.8%，处分21人"),
        ("立案１２件", "立案12件"),
        ("(一)全县立案12件,结案10件;其中:", "（一）全县立案12件，结案10件；其中："),
        ("共1,234元, 8:30开会", "共1,234元， 8:30开会"),
        ("一、主要工作", "一、主要工作"),  # a numeral heading is not a dash
        ("结合党纪学习教育，.组织全县", "结合党纪学习教育，组织全县"),  # a speck of dust
        ("1.高标准农田", "1.高标准农田"),
    ],
)
def test_repair_undoes_look_alike_confusions(raw: str, expected: str) -> None:
    assert ocr.repair(raw) == expected
