"""Plain-text reading: encodings, normalisation, and files that are not text."""

from __future__ import annotations

import codecs
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from jjnlp.errors import EmptyFile, FileMissing, UndecodableText, UnsupportedFormat
from jjnlp.readers import read
from jjnlp.readers.text import TRUNCATED_WARNING

REPORT = "市委政策法规研究室：\n（二）案件查办工作情况。共查办问题线索112件，立案72件。\n"
SENTENCE = "中共青山县纪委关于2024年上半年工作情况的报告\n立案72件，结案54件，结案率75%。"
TRADITIONAL = "臺灣省紀律檢查委員會關於工作情況的報告，立案七十二件。"
JAPANESE = "報告書：調査の結果、問題はありませんでした。"
KOREAN = "보고서: 조사 결과 문제가 없었습니다."


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda text: text.encode("utf-8"), "utf-8"),
        (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8-sig"),
        (lambda text: text.encode("gb18030"), "gb18030"),
        (lambda text: text.encode("gbk"), "gb18030"),
        (lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "utf-16-le"),
        (lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "utf-16-be"),
        (lambda text: text.encode("utf-16-le"), "utf-16-le"),
        (lambda text: text.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=[
        "utf-8",
        "utf-8-bom",
        "gb18030",
        "gbk",
        "utf-16-le-bom",
        "utf-16-be-bom",
        "utf-16-le-no-bom",
        "utf-16-be-no-bom",
    ],
)
def test_chinese_report_is_read_exactly_in_each_encoding_it_arrives_in(
    tmp_path: Path, encode: Callable[[str], bytes], expected: str
) -> None:
    document = read(_write(tmp_path, "r.txt", encode(SENTENCE)))
    assert document.text == SENTENCE
    assert document.metadata["encoding"] == expected
    assert "warnings" not in document.metadata


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig")],
)
def test_text_encodings_read_back_exactly(tmp_path: Path, encoding: str, expected: str) -> None:
    document = read(_write(tmp_path, "r.txt", REPORT.encode(encoding)))
    assert (
        document.text
        == "市委政策法规研究室：\n（二）案件查办工作情况。共查办问题线索112件，立案72件。"
    )
    assert document.metadata["encoding"] == expected


def test_big5_report_is_read_as_traditional_chinese(tmp_path: Path) -> None:
    data = TRADITIONAL.encode("big5")
    assert data.decode("gb18030") != TRADITIONAL  # GB18030 would "decode" it as mojibake
    document = read(_write(tmp_path, "tw.txt", data))
    assert document.text == TRADITIONAL  # traditional characters kept, not simplified
    assert document.metadata["encoding"] == "cp950"  # Windows' Big5


def test_big5_from_windows_keeps_its_full_width_tilde_and_middle_dot(tmp_path: Path) -> None:
    text = "立案1～3件，約翰‧史密斯同志。"
    document = read(_write(tmp_path, "tw.txt", text.encode("cp950")))
    assert document.text == text
    assert document.metadata["encoding"] == "cp950"


def test_hong_kong_big5_characters_are_read(tmp_path: Path) -> None:
    text = "佢哋話呢個問題好緊要，唔該你哋跟進一下。"
    document = read(_write(tmp_path, "hk.txt", text.encode("big5hkscs")))
    assert document.text == text
    assert document.metadata["encoding"] == "big5hkscs"


def test_hong_kong_character_after_the_sample_is_still_read(tmp_path: Path) -> None:
    body = (TRADITIONAL + "\n") * 3000  # about 150 KB, more than the judged sample
    data = body.encode("cp950") + "佢哋".encode("big5hkscs")
    document = read(_write(tmp_path, "hk.txt", data))
    assert document.text.endswith("立案七十二件。\n佢哋")
    assert document.metadata["encoding"] == "big5hkscs"


def test_long_ascii_preamble_does_not_hide_the_encoding_of_the_text(tmp_path: Path) -> None:
    preamble = "".join(f"Form 2024-{i:04d}: reference line\n" for i in range(4000))
    document = read(_write(tmp_path, "tw.txt", (preamble + TRADITIONAL).encode("cp950")))
    assert document.text.endswith(TRADITIONAL)
    assert document.metadata["encoding"] == "cp950"


def test_shift_jis_japanese_is_read_as_japanese_never_as_gb18030_mojibake(
    tmp_path: Path,
) -> None:
    data = JAPANESE.encode("shift_jis")
    assert data.decode("gb18030") != JAPANESE  # it decodes, as mojibake
    document = read(_write(tmp_path, "jp.txt", data))
    # read exactly (not refused): Windows' Shift-JIS is cp932
    assert document.text == JAPANESE
    assert document.metadata["encoding"] == "cp932"


def test_euc_kr_korean_is_read_as_korean_never_as_gb18030_mojibake(tmp_path: Path) -> None:
    data = KOREAN.encode("euc_kr")
    assert data.decode("gb18030") != KOREAN
    document = read(_write(tmp_path, "kr.txt", data))
    assert document.text == KOREAN
    assert document.metadata["encoding"] == "cp949"


def test_random_bytes_are_refused_naming_the_encodings_tried(tmp_path: Path) -> None:
    data = bytes(random.Random(20240701).randrange(256) for _ in range(4096))
    path = _write(tmp_path, "noise.txt", data)
    with pytest.raises(UndecodableText) as error:
        read(path)
    assert error.value.code == "E104"
    assert str(path) in str(error.value)
    assert "UTF-8、UTF-16、GB18030、Big5、Shift-JIS" in error.value.message
    assert "请另存为 UTF-8" in error.value.message


def test_invalid_bytes_inside_the_text_are_not_forgiven(tmp_path: Path) -> None:
    data = SENTENCE.encode("gb18030")
    with pytest.raises(UndecodableText):
        read(_write(tmp_path, "bad.txt", data[:20] + b"\xff\xff" + data[20:]))


@pytest.mark.parametrize(
    ("encoding", "text", "cut"),
    [
        ("gb18030", SENTENCE, 1),  # 。 is two bytes in GB18030
        ("utf-8", SENTENCE, 1),  # 。 is three bytes in UTF-8
        ("utf-8", SENTENCE, 2),
        ("utf-8", SENTENCE + "𠀀", 1),  # four bytes; three are left
        ("utf-16-le", SENTENCE, 1),
    ],
)
def test_file_cut_inside_its_last_character_is_read_without_it_and_warns(
    tmp_path: Path, encoding: str, text: str, cut: int
) -> None:
    data = text.encode(encoding)[:-cut]
    document = read(_write(tmp_path, "cut.txt", data))
    assert document.text == text[:-1]
    assert document.metadata["encoding"] == encoding
    assert document.metadata["warnings"] == [TRUNCATED_WARNING]


def test_bomless_utf16_is_detected(tmp_path: Path) -> None:
    document = read(_write(tmp_path, "r.txt", "Report 2024: 立案72件\n".encode("utf-16-le")))
    assert document.text == "Report 2024: 立案72件"
    assert document.metadata["encoding"] == "utf-16-le"


def test_mostly_ascii_gbk_text_is_not_mistaken_for_utf16(tmp_path: Path) -> None:
    document = read(_write(tmp_path, "r.txt", "Report 2024: 立案72件\n".encode("gbk")))
    assert document.text == "Report 2024: 立案72件"
    assert document.metadata["encoding"] == "gb18030"


def test_short_gbk_text_is_not_mistaken_for_utf8(tmp_path: Path) -> None:
    document = read(_write(tmp_path, "short.txt", "结案率".encode("gbk")))
    assert document.text == "结案率"
    assert document.metadata["encoding"] == "gb18030"


def test_spaces_and_line_endings_are_normalised(tmp_path: Path) -> None:
    raw = "\u3000\u3000一、工作开展情况\u00a0\u00a0\r\n\r\n营造**干事\u00a0创业\r（一）政治监督。\n"
    document = read(_write(tmp_path, "n.txt", raw.encode("utf-8")))
    assert document.text == "一、工作开展情况\n营造**干事 创业\n（一）政治监督。"
    assert [(b.start, b.end, b.index) for b in document.blocks] == [
        (0, 8, 0),
        (9, 18, 2),
        (19, 27, 3),
    ]
    for block in document.blocks:
        assert "\n" not in document.text[block.start : block.end]


def test_full_width_digits_are_kept(tmp_path: Path) -> None:
    document = read(_write(tmp_path, "d.txt", "立案１２件".encode()))
    assert document.text == "立案１２件"


def test_seed_report_reads_without_nbsp(seed_path: Path) -> None:
    document = read(seed_path)
    assert document.text.startswith("市委政策法规研究室：\n按照通知要求")
    assert "\u00a0" not in document.text
    assert document.text.endswith("以廉洁文化建设涵养清风正气。")
    assert len(document.blocks) == 17


def test_empty_and_blank_files_are_errors(tmp_path: Path) -> None:
    for name, data in (("empty.txt", b""), ("blank.txt", "  \n\u3000\n".encode())):
        path = _write(tmp_path, name, data)
        with pytest.raises(EmptyFile) as error:
            read(path)
        assert str(path) in str(error.value)


def test_renamed_binary_is_unsupported(tmp_path: Path) -> None:
    path = _write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(UnsupportedFormat) as error:
        read(path)
    assert "photo.txt" in str(error.value)


def test_zip_that_is_not_docx_is_unsupported(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(UnsupportedFormat, match="不是 Word"):
        read(path)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FileMissing, match=r"nowhere\.txt"):
        read(tmp_path / "nowhere.txt")
