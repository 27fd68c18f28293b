"""Plain-text reading: encodings, normalisation, and files that are not text."""

from __future__ import annotations

from pathlib import Path

import pytest

from jjnlp.errors import EmptyFile, FileMissing, UnsupportedFormat
from jjnlp.readers import load

REPORT = "市委政策法规研究室：\n（二）案件查办工作情况。共查办问题线索112件，立案72件。\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
    ],
)
def test_text_encodings_read_back_exactly(tmp_path: Path, encoding: str, expected: str) -> None:
    document = load(_write(tmp_path, "r.txt", REPORT.encode(encoding)))
    assert (
        document.text
        == "市委政策法规研究室：\n（二）案件查办工作情况。共查办问题线索112件，立案72件。"
    )
    assert document.metadata["encoding"] == expected


def test_bomless_utf16_is_detected(tmp_path: Path) -> None:
    document = load(_write(tmp_path, "r.txt", "Report 2024: 立案72件\n".encode("utf-16-le")))
    assert document.text == "Report 2024: 立案72件"


def test_short_gbk_text_is_not_mistaken_for_utf8(tmp_path: Path) -> None:
    document = load(_write(tmp_path, "short.txt", "结案率".encode("gbk")))
    assert document.text == "结案率"


def test_spaces_and_line_endings_are_normalised(tmp_path: Path) -> None:
    raw = "\u3000\u3000一、工作开展情况\u00a0\u00a0\r\n\r\n营造**干事\u00a0创业\r（一）政治监督。\n"
    document = load(_write(tmp_path, "n.txt", raw.encode("utf-8")))
    assert document.text == "一、工作开展情况\n营造**干事 创业\n（一）政治监督。"
    assert [(b.start, b.end, b.index) for b in document.blocks] == [
        (0, 8, 0),
        (9, 18, 2),
        (19, 27, 3),
    ]
    for block in document.blocks:
        assert "\n" not in document.text[block.start : block.end]


def test_full_width_digits_are_kept(tmp_path: Path) -> None:
    document = load(_write(tmp_path, "d.txt", "立案１２件".encode()))
    assert document.text == "立案１２件"


def test_seed_report_reads_without_nbsp(seed_path: Path) -> None:
    document = load(seed_path)
    assert document.text.startswith("市委政策法规研究室：\n按照通知要求")
    assert "\u00a0" not in document.text
    assert document.text.endswith("以廉洁文化建设涵养清风正气。")
    assert len(document.blocks) == 17


def test_empty_and_blank_files_are_errors(tmp_path: Path) -> None:
    for name, data in (("empty.txt", b""), ("blank.txt", "  \n\u3000\n".encode())):
        path = _write(tmp_path, name, data)
        with pytest.raises(EmptyFile) as error:
            load(path)
        assert str(path) in str(error.value)


def test_renamed_binary_is_unsupported(tmp_path: Path) -> None:
    path = _write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(UnsupportedFormat) as error:
        load(path)
    assert "photo.txt" in str(error.value)


def test_zip_that_is_not_docx_is_unsupported(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(UnsupportedFormat, match="不是 Word"):
        load(path)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FileMissing, match=r"nowhere\.txt"):
        load(tmp_path / "nowhere.txt")
