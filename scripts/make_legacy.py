"""Export older-format twins of a realformats document and a spreadsheet fixture with LibreOffice.

Usage: PYTHONPATH=src python scripts/make_legacy.py [--soffice PATH]

Writes, from ``corpora/realformats/generated/rf_02.docx`` (see that folder's README):

``corpora/realformats/generated/rf_02.doc``
    Word 97–2003 (LibreOffice's "MS Word 97" filter), exactly as exported.
``corpora/realformats/generated/rf_02.rtf``
    RTF ("Rich Text Format" filter), with LibreOffice 7.4's two list-numbering losses put
    back as Word writes them: LibreOffice writes each ``\\leveltext`` in the ANSI code page
    (so the ``、`` of ``%1、`` becomes ``?`` and ``（%2）`` becomes ``(%2)``), where Word
    writes ``\\uN ?``; and it drops the ``w:startOverride`` of the list restarted at ``3.``
    (``\\levelstartat1``). Both are rewritten from the docx's ``numbering.xml``; nothing
    else in the file is changed. Without the repair the RTF's headings score 0.783 instead
    of 1.000 (``jjnlp eval … --source-format rtf`` on rf_02 alone).
``tests/data/legacy/sheet.xls``
    a two-row Excel 97 workbook (an OLE2 file that is not a text document).

The exports are not byte-for-byte reproducible: LibreOffice stamps the save time in them.
Each conversion runs in its own temporary profile, with a time limit.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from jjnlp.readers.convert import soffice_command

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "corpora" / "realformats" / "generated"
SOURCE = GENERATED / "rf_02.docx"
SHEET = ROOT / "tests" / "data" / "legacy" / "sheet.xls"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SECONDS = 240


def export(soffice: str, source: Path, target_format: str) -> bytes:
    """``source`` converted by LibreOffice to ``target_format`` (an extension)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        command = soffice_command(soffice, source, work, target_format)
        subprocess.run(command, check=True, capture_output=True, timeout=SECONDS)
        return (work / "out" / f"{source.stem}.{target_format}").read_bytes()


def list_levels(docx: Path) -> list[tuple[str, int]]:
    """(lvlText, start) of every level of every w:num, in the order LibreOffice writes its
    RTF lists: one list per w:num, its abstract list's levels with the num's overrides."""
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/numbering.xml"))
    abstract = {a.get(f"{W}abstractNumId"): a for a in root.iter(f"{W}abstractNum")}
    levels: list[tuple[str, int]] = []
    for num in root.iter(f"{W}num"):
        overrides = {
            o.get(f"{W}ilvl"): int(s.get(f"{W}val"))
            for o in num.iter(f"{W}lvlOverride")
            for s in o.iter(f"{W}startOverride")
        }
        base = abstract[num.find(f"{W}abstractNumId").get(f"{W}val")]
        for lvl in base.iter(f"{W}lvl"):
            start = lvl.find(f"{W}start")
            default = int(start.get(f"{W}val")) if start is not None else 1
            text = lvl.find(f"{W}lvlText").get(f"{W}val")
            levels.append((text, overrides.get(lvl.get(f"{W}ilvl"), default)))
    return levels


def word_leveltext(lvl_text: str) -> str:
    """A ``\\leveltext`` value as Word writes it: the length, ``\\'0N`` for level N+1's
    number, ASCII as it is, any other character as ``\\uN ?``."""
    parts: list[str] = []
    for number, char in re.findall(r"%([1-9])|(.)", lvl_text, flags=re.S):
        if number:
            parts.append(f"\\'{int(number) - 1:02x}")
        elif char.isascii():
            parts.append("\\" + char if char in "\\{}" else char)
        else:
            code = ord(char)
            parts.append(f"\\u{code - 65536 if code > 32767 else code} ?")
    return f"\\'{len(parts):02x}" + "".join(parts)


def repair_rtf(rtf: bytes, docx: Path) -> bytes:
    """Rewrite each list level's ``\\levelstartat`` and ``\\leveltext`` from the docx."""
    text = rtf.decode("latin-1")
    levels = iter(list_levels(docx))
    pattern = re.compile(r"(\\levelstartat)\d+(.*?\{\\leveltext )[^;]*;", re.S)

    def fix(match: re.Match[str]) -> str:
        lvl_text, start = next(levels)
        return f"{match[1]}{start}{match[2]}{word_leveltext(lvl_text)};"

    fixed = pattern.sub(fix, text)
    if next(levels, None) is not None:
        sys.exit("the RTF has fewer list levels than numbering.xml: LibreOffice changed?")
    return fixed.encode("latin-1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soffice", default=shutil.which("soffice"), help="LibreOffice program")
    args = parser.parse_args()
    if not args.soffice:
        sys.exit("LibreOffice (soffice) is not installed")
    (GENERATED / "rf_02.doc").write_bytes(export(args.soffice, SOURCE, "doc"))
    (GENERATED / "rf_02.rtf").write_bytes(repair_rtf(export(args.soffice, SOURCE, "rtf"), SOURCE))
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "sheet.csv"
        csv.write_text("单位,立案（件）\n东城区,12\n", encoding="utf-8")
        SHEET.parent.mkdir(parents=True, exist_ok=True)
        SHEET.write_bytes(export(args.soffice, csv, "xls"))
    for path in (GENERATED / "rf_02.doc", GENERATED / "rf_02.rtf", SHEET):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
