"""Make a "scanned" twin of a PDF: every page an image, as a scanner gives it, no text layer.

Usage::

    python scripts/make_scan.py                  # generated/rf_03.pdf → generated/rf_03.scan.pdf
    python scripts/make_scan.py IN.pdf OUT.pdf [--seal-text 白岩县纪律检查委员会] [--seed N]

Each page is rendered at 200 dpi (pypdfium2), turned by a small angle (at most 0.5°), given a
paper tone, a slight blur and sensor noise and a few specks, and the last page gets a red
round seal (a ring, a star and the issuing body's name along the arc, in semi-transparent
ink) over the signature and the date, as an official seal is put on a report. The pages are
JPEG images in a PDF written by reportlab with fixed dates and ids, so the output depends only
on the input and the seed. ``corpora/realformats/generated/rf_03.scan.pdf`` is made by the
default invocation; the OCR tests call :func:`scan_pdf` on a PDF they write themselves.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "corpora" / "realformats" / "generated"
DPI = 200
MAX_ANGLE = 0.5  # degrees
JPEG_QUALITY = 70
MAX_BYTES = 3 * 1024 * 1024
PAPER = (247, 245, 238)
INK = (208, 32, 38)  # seal red
SEAL_DIAMETER_CM = 4.2  # a 公章 of a county body
FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    raise SystemExit(f"no CJK font for the seal (looked for {', '.join(FONTS)})")


def render_pages(pdf: Path, dpi: int = DPI) -> list[Image.Image]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def signature_box(pdf: Path, dpi: int = DPI) -> tuple[float, float, float, float]:
    """The box (pixels at ``dpi``) of the last page's last two body lines: signature, date."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as document:
        page = document.pages[-1]
        lines = [
            line
            for line in page.extract_text_lines()
            if line["bottom"] < float(page.height) * 0.9 and line["text"].strip()
        ]
    if not lines:
        raise SystemExit(f"{pdf}: the last page has no text to put the seal on")
    last = lines[-2:]
    scale = dpi / 72
    return (
        min(line["x0"] for line in last) * scale,
        min(line["top"] for line in last) * scale,
        max(line["x1"] for line in last) * scale,
        max(line["bottom"] for line in last) * scale,
    )


def _star(centre: tuple[float, float], radius: float) -> list[tuple[float, float]]:
    cx, cy = centre
    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.382
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def seal_mask(diameter: int, text: str) -> Image.Image:
    """Where the seal's ink lies (``L``, 255 = full ink): ring, star, text along the arc."""
    size = diameter + 8
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    centre = size / 2
    radius = diameter / 2
    ring = max(4, diameter // 28)
    draw.ellipse(
        (centre - radius, centre - radius, centre + radius, centre + radius),
        outline=255,
        width=ring,
    )
    draw.polygon(_star((centre, centre), radius * 0.3), fill=255)
    char_size = int(radius * 0.3)
    font = _font(char_size)
    span = math.radians(240)  # the arc the name runs along, centred at the top
    text_radius = radius - ring - char_size * 0.62
    for n, char in enumerate(text):
        angle = -math.pi / 2 - span / 2 + span * (n + 0.5) / len(text)
        glyph = Image.new("L", (char_size * 2, char_size * 2), 0)
        ImageDraw.Draw(glyph).text((char_size, char_size), char, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        x = centre + text_radius * math.cos(angle) - char_size
        y = centre + text_radius * math.sin(angle) - char_size
        mask.paste(255, (int(x), int(y)), glyph)
    return mask


def stamp(
    page: Image.Image, centre: tuple[float, float], text: str, rng: np.random.Generator
) -> Image.Image:
    """``page`` with the seal's ink multiplied onto it (uneven, semi-transparent)."""
    diameter = int(SEAL_DIAMETER_CM / 2.54 * DPI)
    mask = seal_mask(diameter, text).rotate(
        float(rng.uniform(-12, 12)), resample=Image.Resampling.BICUBIC
    )
    ink = np.asarray(mask, dtype=np.float32) / 255
    # ink is uneven: some of it did not take; none of it is opaque
    ink *= np.clip(rng.normal(0.78, 0.12, ink.shape), 0.35, 0.92).astype(np.float32)
    ink = (
        np.asarray(
            Image.fromarray((ink * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.0)),
            dtype=np.float32,
        )[..., None]
        / 255
    )
    pixels = np.asarray(page, dtype=np.float32)
    h, w = ink.shape[:2]
    x0, y0 = int(centre[0] - w / 2), int(centre[1] - h / 2)
    region = pixels[y0 : y0 + h, x0 : x0 + w]
    colour = np.array(INK, dtype=np.float32) / 255
    ink = ink[: region.shape[0], : region.shape[1]]
    region *= 1 - ink * (1 - colour)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def degrade(page: Image.Image, rng: np.random.Generator) -> Image.Image:
    """As a flatbed scanner gives a printed page: turned a little, toned, soft and noisy."""
    angle = float(rng.uniform(-MAX_ANGLE, MAX_ANGLE))
    turned = page.rotate(
        angle, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255)
    ).filter(ImageFilter.GaussianBlur(0.6))
    pixels = np.asarray(turned, dtype=np.float32)
    pixels *= np.array(PAPER, dtype=np.float32) / 255
    pixels += rng.normal(0, 6, pixels.shape[:2])[..., None]
    h, w = pixels.shape[:2]
    for _ in range(250):  # dust and toner specks
        y, x = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
        pixels[y : y + int(rng.integers(1, 4)), x : x + int(rng.integers(1, 4))] *= 0.35
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def write_image_pdf(pages: Sequence[Image.Image], out: Path, dpi: int = DPI) -> None:
    """The pages as JPEG images filling A4-sized (at ``dpi``) pages; no text at all."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    width, height = (v * 72 / dpi for v in pages[0].size)
    pdf = canvas.Canvas(str(out), pagesize=(width, height), invariant=1)
    pdf.setTitle(out.stem)
    pdf.setAuthor("jjnlp scripts/make_scan.py")
    for page in pages:
        data = io.BytesIO()
        page.save(data, "JPEG", quality=JPEG_QUALITY, optimize=True)
        data.seek(0)
        pdf.drawImage(ImageReader(data), 0, 0, width, height)
        pdf.showPage()
    pdf.save()


def scan_pdf(source: Path, out: Path, seal_text: str | None = None, seed: int = 3) -> Path:
    """Write the scanned twin of ``source`` to ``out`` (a seal on the last page if
    ``seal_text`` is given)."""
    rng = np.random.default_rng(seed)
    pages = render_pages(source)
    if seal_text:
        x0, top, x1, bottom = signature_box(source)
        # a seal covers the issuer's name and the date, a little to the right of its middle
        centre = ((x0 + x1) / 2 + (x1 - x0) * 0.1, (top + bottom) / 2)
        pages[-1] = stamp(pages[-1], centre, seal_text, rng)
    write_image_pdf([degrade(page, rng) for page in pages], out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=str(GENERATED / "rf_03.pdf"))
    parser.add_argument("out", nargs="?", default=str(GENERATED / "rf_03.scan.pdf"))
    parser.add_argument("--seal-text", default="白岩县纪律检查委员会")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    out = scan_pdf(Path(args.source), Path(args.out), args.seal_text, args.seed)
    size = out.stat().st_size
    print(f"{out}: {size / 1024:.0f} KB")
    if size > MAX_BYTES:
        print(f"{out} is over {MAX_BYTES // 1024 // 1024} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
