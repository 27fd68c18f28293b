"""Text read from page images by offline OCR: scanned PDF pages and image files.

The engine is RapidOCR (the optional extra ``pip install "jjnlp[ocr]"``): PP-OCRv4 Chinese
detection and recognition models shipped inside its wheel, run on the CPU by onnxruntime;
nothing is downloaded. It is imported on the first page that needs it, never before.

A page image (a PDF page rendered at :data:`DPI`, or an image file) goes through:

1. red seals are washed out (:func:`without_seals`): a round red stamp over the signature
   hides the characters under it from the recogniser, a red 红头 line is kept;
2. the engine finds the text lines on a copy at :data:`DET_DPI` and reads each from the
   full image, giving text boxes (four corners), texts and scores;
3. the boxes are turned back by the page's skew, measured on the long boxes;
4. the recogniser's confusions of look-alike characters are repaired (:func:`repair`);
5. each box gets a font size from the pitch of its characters, snapped to the sizes the
   document uses (:func:`font_sizes`), its text is split into glyphs across its width, and
   the glyphs are handed to :mod:`jjnlp.readers.layout` — the lines and paragraphs are
   rebuilt exactly as for a PDF text layer (:mod:`jjnlp.readers.paged`).

Every glyph carries its box's score, so each paragraph knows its lowest score.
"""

from __future__ import annotations

import importlib.util
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING, Any

from jjnlp.errors import CorruptFile, ModelMissing, TooLarge, UnsupportedFormat, cause_of
from jjnlp.model import Document
from jjnlp.readers.layout import Glyph, Line, glyph_lines, is_cjk

if TYPE_CHECKING:
    import numpy as np
    from PIL.Image import Image

__all__ = [
    "INSTALL",
    "TextBox",
    "available",
    "no_text",
    "pdf_pages",
    "read_image",
    "recognise",
    "repair",
    "require",
    "without_seals",
]

INSTALL = 'pip install "jjnlp[ocr]"'
ENGINE = "rapidocr_onnxruntime"
MODELS = {
    "det": "ch_PP-OCRv4_det_infer.onnx",
    "rec": "ch_PP-OCRv4_rec_infer.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_infer.onnx",  # loaded by the engine, not used
}
DPI = 200  # PDF pages are rendered at this resolution and lines read at it
DET_DPI = 120  # lines are found on a copy at this resolution
MAX_SIDE = 3500  # pixels: a page larger than A3 at 200 dpi is rendered smaller
MAX_PIXELS = 60_000_000  # an image file larger than this is refused (A4 at 600 dpi: 35 M)
A4_WIDTH = 595.0  # points: the page width assumed for an image that states no resolution


@dataclass(frozen=True, slots=True)
class TextBox:
    """One recognised text box: its text, score and corners (points, ``y`` downwards)."""

    text: str
    score: float
    corners: tuple[tuple[float, float], ...]


# ------------------------------------------------------------------------- engine


def available() -> bool:
    """Whether the OCR engine is installed (it is not imported here)."""
    return importlib.util.find_spec(ENGINE) is not None


def require(path: str) -> None:
    """Refuse a run that asked for OCR (``ocr = "always"``) without the engine."""
    if not available():
        raise ModelMissing(
            path, f"已要求文字识别（ocr = always），但未安装文字识别（OCR）组件：{INSTALL}"
        )


def model_paths() -> dict[str, Path]:
    """The model files inside the installed engine's package directory."""
    spec = importlib.util.find_spec(ENGINE)
    if spec is None or spec.origin is None:
        raise ModelMissing(ENGINE, f"未安装文字识别（OCR）组件：{INSTALL}")
    folder = Path(spec.origin).parent / "models"
    paths = {part: folder / name for part, name in MODELS.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise ModelMissing(
            ENGINE, f"文字识别模型文件缺失：{'、'.join(missing)}（请重装 {INSTALL}）"
        )
    return paths


@cache
def _engine() -> Any:
    """The engine, made once per process on the models of the installed package."""
    import logging

    from rapidocr_onnxruntime import RapidOCR

    paths = model_paths()
    engine = RapidOCR(
        det_model_path=str(paths["det"]),
        rec_model_path=str(paths["rec"]),
        cls_model_path=str(paths["cls"]),
        # one thread per engine: a batch runs one engine per worker process, and spinning
        # thread pools on a shared machine cost more time than they save
        intra_op_num_threads=1,
        inter_op_num_threads=1,
        # lines one at a time: a batch is padded to its widest line
        rec_batch_num=1,
    )
    for name in ("RapidOCR", "OrtInferSession"):  # its handlers print at INFO to stderr
        logging.getLogger(name).setLevel(logging.ERROR)
    return engine


SCAN = "PDF 没有文字层（可能是扫描件或图片）"
IMAGE = "是图片文件，没有文字层"


def no_text(mode: str, ran: Sequence[int] | bool, subject: str = SCAN) -> str:
    """What to tell the user when a file gave no text: OCR found none, was off, or is absent."""
    if ran:
        return f"{subject}，文字识别（OCR）也未识别出文字（可能是空白页或图片）"
    if mode == "never":
        return (
            f"{subject}，而文字识别（OCR）已关闭（ocr = never）；"
            f"用 --ocr auto 读取（需安装文字识别组件：{INSTALL}）"
        )
    return f"{subject}，请先做文字识别（OCR）：安装离线文字识别组件 {INSTALL} 后可直接读取"


# ---------------------------------------------------------------------- images


def without_seals(pixels: np.ndarray, dpi: float) -> np.ndarray:
    """A grey image of ``pixels`` (RGB) in which round red seals are washed out.

    A seal is a red blob about as wide as it is tall, 2.5–7 cm across; inside its box red
    ink turns to paper and the red channel stands for the grey value (faint ink is light
    in it), while black print under the seal stays dark. Red text lines (a 红头) are wide,
    not round, and are kept.
    """
    import cv2
    import numpy as np

    rgb = pixels.astype(np.int16)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    grey = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    ink = ((red > 110) & (red - np.maximum(green, blue) > 50)).astype(np.uint8)
    if ink.sum() < 100:
        return grey
    per_cm = dpi / 2.54
    joined = cv2.dilate(ink, np.ones((int(per_cm * 0.3) or 1,) * 2, np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    for x, y, w, h, _area in stats[1:count]:
        if 2.5 * per_cm <= max(w, h) <= 7 * per_cm and 0.75 <= w / h <= 1.33:
            box = (slice(y, y + h), slice(x, x + w))
            grey[box] = np.where(ink[box] > 0, 255, pixels[box][..., 0])
    return grey


def _lines_found(grey: np.ndarray, dpi: float) -> list[tuple[np.ndarray, str, float]]:
    """The engine's text lines (corners in pixels, text, score) on a grey page image.

    Lines are found on a copy reduced to :data:`DET_DPI` (finding a 16 pt line needs far
    less detail than reading it, and costs the most) and read from the full image.
    """
    import cv2
    import numpy as np

    engine = _engine()
    image = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    factor = min(1.0, DET_DPI / dpi)
    if not hasattr(engine, "get_crop_img_list"):  # not the 1.4 engine: its own pipeline
        result, _ = engine(image, use_cls=False)
        return [(np.asarray(c, dtype=np.float32), t, s) for c, t, s in result or ()]
    small = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    found, _ = engine.text_det(small)
    if found is None or len(found) == 0:
        return []
    corners = [np.asarray(box, dtype=np.float32) / factor for box in engine.sorted_boxes(found)]
    # no 180° line classifier: a scanned page is upright, and on long lines of Chinese the
    # classifier turns some upside down with high confidence
    read, _ = engine.text_rec(engine.get_crop_img_list(image, corners))
    return [
        (box, str(text), float(score))
        for box, (text, score, *_) in zip(corners, read, strict=True)
        if score >= engine.text_score
    ]


def _run(image: Image, scale: float) -> list[TextBox]:
    """The recognised boxes of ``image``, in points (``scale`` points per pixel)."""
    import numpy as np

    dpi = 72 / scale
    grey = without_seals(np.asarray(image.convert("RGB")), dpi)
    return [
        TextBox(text, score, tuple((float(x) * scale, float(y) * scale) for x, y in corners))
        for corners, text, score in _lines_found(grey, dpi)
    ]


def _skew(boxes: Sequence[TextBox]) -> float:
    """The page's skew (radians), the median slope of the top edges of the long boxes."""
    angles = []
    for box in boxes:
        (x0, y0), (x1, y1) = box.corners[0], box.corners[1]
        height = math.dist(box.corners[0], box.corners[3])
        if x1 - x0 > 4 * height > 0:
            angles.append(math.atan2(y1 - y0, x1 - x0))
    return median(angles) if len(angles) >= 3 else 0.0


def deskew(boxes: Sequence[TextBox], centre: tuple[float, float]) -> list[TextBox]:
    """The boxes turned back by the page's skew about ``centre``."""
    angle = _skew(boxes)
    if not angle:
        return list(boxes)
    cos, sin = math.cos(-angle), math.sin(-angle)
    cx, cy = centre

    def turn(x: float, y: float) -> tuple[float, float]:
        dx, dy = x - cx, y - cy
        return (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos)

    return [TextBox(b.text, b.score, tuple(turn(x, y) for x, y in b.corners)) for b in boxes]


def recognise(image: Image, scale: float) -> list[TextBox]:
    """The text boxes of one page image, deskewed and repaired, in points."""
    width, height = image.size
    boxes = deskew(_run(image, scale), (width * scale / 2, height * scale / 2))
    repaired = [TextBox(repair(b.text), b.score, b.corners) for b in boxes]
    return [b for b in repaired if b.text.strip()]


# ----------------------------------------------------------------------- repairs

_ZH_DIGITS = "〇零一二三四五六七八九十"
_REPAIRS: tuple[tuple[re.Pattern[str], str], ...] = (
    # a dash between (or beside) Arabic numerals is read as the numeral 一: 1一9月, 一4一
    (re.compile(r"(?<=\d)一(?=\d)|^一(?=\d)|(?<=\d)一$"), "—"),
    # 〇 in a date written in Chinese numerals is read as a letter O, a zero or a circle
    (re.compile(rf"(?<=[{_ZH_DIGITS}])[OoＯ0０○◯](?=[{_ZH_DIGITS}年])"), "〇"),
    # a letter O or l inside an Arabic number, or ending one before its unit, is a zero or
    # a one: 1O6.8%, 2l人
    (re.compile(r"(?<=\d)[Oo](?=[\d.%\u4e00-\u9fff])|(?<=[\d.])[Oo](?=\d)"), "0"),
    (re.compile(r"(?<=\d)[lI|](?=[\d.%\u4e00-\u9fff])|(?<=[\d.])[lI|](?=\d)"), "1"),
)
# full-width digits are the recogniser's choice between two identical shapes, not the text's
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ASCII_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def _cjk_before(text: str, i: int) -> bool:
    return i > 0 and is_cjk(text[i - 1])


def _cjk_after(text: str, i: int) -> bool:
    return i + 1 < len(text) and is_cjk(text[i + 1])


def _punctuation(text: str) -> str:
    """ASCII ``, ; : ? ! ( )`` beside a Chinese character set full width, as Chinese text
    sets them; between digits (``1,234``, ``8:30``) they stay."""
    out = []
    for i, char in enumerate(text):
        full = _ASCII_PUNCT.get(char)
        beside_chinese = _cjk_before(text, i) or _cjk_after(text, i)
        out.append(full if full and beside_chinese else char)
    fixed = "".join(out)
    # a bracket pair around Chinese text or a Chinese numeral is set full width on both sides
    return re.sub(r"[（(]([^()（）]{1,20})[）)]", _bracket_pair, fixed)


def _bracket_pair(match: re.Match[str]) -> str:
    inner = match.group(1)
    if any(is_cjk(c) for c in inner) or "（" in match.group(0) or "）" in match.group(0):
        return f"（{inner}）"
    return match.group(0)


_SPECK = frozenset(".`'")  # not ·: it stands between the parts of a name


def _specks(text: str) -> str:
    """Drop a dot or tick between two Chinese characters or marks (``，.组织``): dust on the
    scan, as Chinese text has no ASCII dot there (``1.高标准`` keeps its dot)."""
    kept = [
        char
        for i, char in enumerate(text)
        if char not in _SPECK or not (_cjk_before(text, i) and _cjk_after(text, i))
    ]
    return "".join(kept)


def repair(text: str) -> str:
    """One box's text with the recogniser's look-alike confusions undone.

    >>> repair("1一9月，立案1O6件(同比增长12.3%)")
    '1—9月，立案106件（同比增长12.3%）'
    >>> repair("二O二四年")
    '二〇二四年'
    """
    text = _specks(text.translate(_FULL_WIDTH_DIGITS))
    for pattern, replacement in _REPAIRS:
        text = pattern.sub(replacement, text)
    return _punctuation(text)


# ------------------------------------------------------------------------ glyphs

_GAP = 0.25  # ems between a Chinese character and a digit or Latin letter, as exporters set


def _units(char: str) -> float:
    """How wide a character is set, in ems: a Chinese character is square. A space the
    recogniser puts out is given almost no width, so that the layout keeps it only where
    a PDF's space would be kept (between digits or Latin words), not beside a Chinese
    character (``进、 进中``, ``案件 12 件``: a wider gap in the print, not a space)."""
    if is_cjk(char) or char in "“”‘’—…":
        return 1.0
    return 0.1 if char.isspace() else 0.55


def _advances(text: str) -> list[tuple[float, float]]:
    """Each character's start and width in ems from the start of the box."""
    out: list[tuple[float, float]] = []
    at = 0.0
    previous = ""
    for char in text:
        if previous and not char.isspace() and _units(previous) != _units(char):
            at += _GAP
        width = _units(char)
        out.append((at, width))
        at += width
        previous = char if not char.isspace() else previous
    return out


def _width(box: TextBox) -> float:
    return math.dist(box.corners[0], box.corners[1])


def _height(box: TextBox) -> float:
    """The box's height across its text line (its own sides, not its slant)."""
    c = box.corners
    return (math.dist(c[0], c[3]) + math.dist(c[1], c[2])) / 2


def _ems(box: TextBox) -> float:
    advances = _advances(box.text)
    return advances[-1][0] + advances[-1][1] if advances else 0.0


_LONG = 6  # ems: a box this long measures its font size by its characters' pitch
_BODY_BAND = 1.2  # sizes within this ratio of the body size are the body size
_SAME_SIZE = 1.08  # other sizes this close to each other are one size


def font_sizes(boxes: Sequence[TextBox]) -> list[float]:
    """Each box's font size in points, snapped to the sizes the document uses.

    A long box measures it by the pitch of its characters (a box is as tall as the
    tallest character in it — brackets, quotation marks — not as its font); a short one
    by its height, scaled as the long boxes' pitch is to their height. Sizes near the
    body size (the long boxes' median) are the body size; the others are grouped.
    """
    if not boxes:
        return []
    pitches = {id(b): _width(b) / _ems(b) for b in boxes if _ems(b) >= _LONG}
    ratios = [pitches[id(b)] / _height(b) for b in boxes if id(b) in pitches]
    ratio = median(ratios) if ratios else 1.0
    raw = [pitches.get(id(b), _height(b) * ratio) for b in boxes]
    body = round(median(pitches.values() or raw), 1)
    sizes = [body if body / _BODY_BAND <= r <= body * _BODY_BAND else r for r in raw]
    others = sorted({s for s in sizes if s != body})
    groups: list[list[float]] = []
    for size in others:
        if groups and size <= groups[-1][-1] * _SAME_SIZE:
            groups[-1].append(size)
        else:
            groups.append([size])
    snapped = {s: round(median(group), 1) for group in groups for s in group}
    return [snapped.get(s, s) for s in sizes]


def _extent(box: TextBox) -> tuple[float, float, float, float]:
    xs = [x for x, _ in box.corners]
    ys = [y for _, y in box.corners]
    return min(xs), max(xs), min(ys), max(ys)


def _box_glyphs(box: TextBox, size: float) -> list[Glyph]:
    """The box's characters as glyphs side by side across its width."""
    x0, x1, top, bottom = _extent(box)
    advances = _advances(box.text)
    per_em = (x1 - x0) / (_ems(box) or 1)
    return [
        Glyph(char, x0 + at * per_em, x0 + (at + width) * per_em, top, bottom, size, box.score)
        for char, (at, width) in zip(box.text, advances, strict=True)
    ]


def page_lines(pages: dict[int, list[TextBox]]) -> dict[int, list[Line]]:
    """Each page's boxes as text lines, with the font sizes of the whole document."""
    every = [box for boxes in pages.values() for box in boxes]
    size_of = dict(zip(map(id, every), font_sizes(every), strict=True))
    return {
        number: glyph_lines(
            [g for box in boxes for g in _box_glyphs(box, size_of[id(box)])], number
        )
        for number, boxes in pages.items()
    }


# ------------------------------------------------------------------------ readers


def pdf_pages(path: Path, numbers: Sequence[int]) -> dict[int, list[Line]]:
    """The lines of PDF pages ``numbers`` (1-based), each rendered and recognised."""
    import pypdfium2 as pdfium

    boxes: dict[int, list[TextBox]] = {}
    try:
        document = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium's own errors: the file could not be opened
        raise CorruptFile(str(path), f"PDF 页面无法渲染为图像（{cause_of(exc)}）") from exc
    try:
        for number in numbers:
            page = document[number - 1]
            width, height = page.get_size()
            scale = min(DPI / 72, MAX_SIDE / max(width, height, 1))
            image = page.render(scale=scale).to_pil()
            boxes[number] = recognise(image, 1 / scale)
            page.close()
    finally:
        document.close()
    return page_lines(boxes)


def _points_per_pixel(image: Image) -> float:
    """From the resolution the file states; without one, the page is taken to be A4."""
    dpi = image.info.get("dpi")
    if isinstance(dpi, tuple) and dpi and 100 <= float(dpi[0]) <= 1200:
        return 72 / float(dpi[0])
    return A4_WIDTH / min(image.size)


def read_image(path: Path, max_pages: int) -> Document:
    """An image file (PNG, JPEG, TIFF with one page per frame) read by OCR."""
    from PIL import Image as PILImage
    from PIL import ImageSequence, UnidentifiedImageError

    from jjnlp.readers.paged import paged_document

    try:
        image = PILImage.open(path)
    except UnidentifiedImageError as exc:
        raise UnsupportedFormat(str(path), "不是可识别的图片，也不是 txt/docx/pdf 文档") from exc
    except (OSError, ValueError) as exc:
        raise CorruptFile(str(path), f"图片文件已损坏或无法解析（{cause_of(exc)}）") from exc
    boxes: dict[int, list[TextBox]] = {}
    heights: dict[int, float] = {}
    with image:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if number > max_pages:
                raise TooLarge(str(path), f"图片超过{max_pages}页（可在配置 [read] 中调整）")
            width, height = frame.size
            if width * height > MAX_PIXELS:
                raise TooLarge(
                    str(path),
                    f"图片 {width}×{height} 像素，超过上限{MAX_PIXELS // 1_000_000}百万像素",
                )
            scale = _points_per_pixel(frame)
            try:
                page = frame.convert("RGB")
            except (OSError, ValueError) as exc:
                raise CorruptFile(str(path), f"图片内容无法解码（{cause_of(exc)}）") from exc
            boxes[number] = recognise(page, scale)
            heights[number] = height * scale
    lines = [line for _, found in sorted(page_lines(boxes).items()) for line in found]
    metadata = {"page_count": len(heights), "source_size": path.stat().st_size}
    return paged_document(
        str(path), "image", lines, [], heights, metadata, no_text("auto", True, IMAGE)
    )
