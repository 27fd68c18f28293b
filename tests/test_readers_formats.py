"""Word and PDF reading: order, tables, provenance, page furniture, and broken files."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

from jjnlp.errors import CorruptFile, EncryptedPdf, ModelMissing, NoTextLayer, UnsupportedFormat
from jjnlp.readers import ReadLimits, read

TABLE = [["单位", "立案（件）", "结案（件）"], ["青山县", "12", "10"], ["河西区", "8", "9"]]
LONG = "持续深化纪检监察体制改革，强化监督执纪问责，推动全面从严治党向纵深发展。" * 12


def test_docx_keeps_table_between_paragraphs(tmp_path: Path, make_formats: ModuleType) -> None:
    path = tmp_path / "t.docx"
    blocks = ["一、案件查办情况", TABLE, "二、存在的问题"]
    make_formats.render_docx(blocks, path, header="青山县纪委监委", footer="第1页")
    document = read(path)
    lines = document.text.split("\n")
    assert lines == [
        "一、案件查办情况",
        "单位\t立案（件）\t结案（件）",
        "青山县\t12\t10",
        "河西区\t8\t9",
        "二、存在的问题",
    ]
    row = document.blocks[2]
    assert (row.kind, row.table, row.row) == ("table_row", 0, 1)
    assert [document.text[c.start : c.end] for c in row.cells] == ["青山县", "12", "10"]
    assert document.metadata["headers"] == ["青山县纪委监委"]
    assert document.metadata["footers"] == []  # a page number only: dropped
    assert "青山县纪委监委" not in document.text


def test_pdf_two_pages_with_table(tmp_path: Path, make_formats: ModuleType) -> None:
    path = tmp_path / "t.pdf"
    blocks = ["一、案件查办情况", LONG, TABLE, LONG, "二、存在的问题"]
    make_formats.render_pdf(blocks, path)
    document = read(path)
    assert document.metadata["page_count"] == 2
    assert document.text.split("\n") == [
        "一、案件查办情况",
        LONG,
        "单位\t立案（件）\t结案（件）",
        "青山县\t12\t10",
        "河西区\t8\t9",
        LONG,
        "二、存在的问题",
    ]
    rows = [b for b in document.blocks if b.kind == "table_row"]
    assert [document.text[c.start : c.end] for c in rows[2].cells] == ["河西区", "8", "9"]
    assert {b.page for b in rows} == {1}
    # the second long paragraph runs across the page break and is joined back whole
    assert document.blocks[5].page == 1 and document.blocks[6].page == 2
    assert not re.search(r"-\s*\d\s*-", document.text)


def test_pdf_twin_of_seed_reads_back_identically(
    tmp_path: Path, seed_path: Path, make_formats: ModuleType
) -> None:
    blocks = make_formats.read_blocks(seed_path)
    make_formats.render_pdf(blocks, tmp_path / "seed.pdf")
    make_formats.render_docx(blocks, tmp_path / "seed.docx")
    text = read(seed_path).text
    assert read(tmp_path / "seed.docx").text == text
    pdf = read(tmp_path / "seed.pdf")
    assert pdf.text == text
    assert pdf.metadata["page_count"] > 1


def test_encrypted_pdf_is_refused(tmp_path: Path, make_formats: ModuleType) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    make_formats.render_pdf(["一、工作开展情况"], plain)
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(EncryptedPdf, match=r"locked\.pdf"):
        read(locked)


def test_image_only_pdf_has_no_text_layer(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(100, 100, 300, 400, fill=1)  # a "scanned" page: shapes, no text
    page.showPage()
    page.save()
    with pytest.raises(NoTextLayer, match="OCR"):
        read(path)


def _image_only_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    page.rect(100, 100, 300, 400, fill=1)
    page.showPage()
    page.save()
    return path


def test_scan_without_the_ocr_extra_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jjnlp.readers import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    path = _image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(NoTextLayer) as error:
        read(path)
    assert error.value.message == (
        "PDF 没有文字层（可能是扫描件或图片），请先做文字识别（OCR）："
        '安装离线文字识别组件 pip install "jjnlp[ocr]" 后可直接读取'
    )
    with pytest.raises(ModelMissing, match=r'ocr = always.*pip install "jjnlp\[ocr\]"'):
        read(path, ReadLimits(ocr="always"))


def test_page_image_without_the_ocr_extra_is_unsupported_with_the_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    from jjnlp.readers import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    path = tmp_path / "page.png"
    Image.new("RGB", (200, 280), "white").save(path)
    with pytest.raises(UnsupportedFormat, match=r'是图片文件.*pip install "jjnlp\[ocr\]"'):
        read(path)


def test_truncated_docx_is_corrupt(tmp_path: Path, make_formats: ModuleType) -> None:
    whole = tmp_path / "whole.docx"
    make_formats.render_docx(["一、工作开展情况"], whole)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(whole.read_bytes()[:1500])
    with pytest.raises(CorruptFile, match=r"broken\.docx"):
        read(broken)


def test_truncated_pdf_is_corrupt_or_textless(tmp_path: Path, make_formats: ModuleType) -> None:
    whole = tmp_path / "whole.pdf"
    make_formats.render_pdf(["一、工作开展情况"], whole)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(whole.read_bytes()[:200])
    with pytest.raises((CorruptFile, NoTextLayer), match=r"broken\.pdf"):
        read(broken)


def test_corpus_twins_read_back_as_the_text() -> None:
    root = Path(__file__).resolve().parent.parent / "corpora"
    sources = sorted((root / "docs").glob("*.txt"))
    assert sources
    for source in sources:
        text = read(source).text
        for fmt in ("docx", "pdf"):
            twin = root / "generated" / f"{source.stem}.{fmt}"
            assert read(twin).text == text, twin.name
