"""OFD (GB/T 33190): the committed 公文 twins read back as their text; hostile packages are refused.

``corpora/realformats/generated/rf_01.ofd`` and ``rf_05.ofd`` are made by
``scripts/make_ofd.py`` from the txt twins beside them; the hostile packages are made here,
at test time, by the same script.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree as ET

import pytest

from conftest import load_script
from jjnlp.errors import ReadError, TooLarge
from jjnlp.evaluate import run_tasks
from jjnlp.model import Document
from jjnlp.readers import SUFFIXES, ReadLimits, read, sniff

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "corpora" / "realformats" / "generated"
GOLD = ROOT / "corpora" / "realformats" / "gold"
RF_01, RF_05 = GENERATED / "rf_01.ofd", GENERATED / "rf_05.ofd"
NS = {"ofd": "http://www.ofdspec.org/2016"}


@pytest.fixture(scope="module")
def make_ofd() -> ModuleType:
    return load_script("make_ofd")


@pytest.fixture(scope="module")
def rf_01() -> Document:
    return read(RF_01)


def _jjnlp(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
    )
    return subprocess.run(
        [sys.executable, "-m", "jjnlp", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


# ------------------------------------------------------------- the committed twins


def test_rf_01_first_lines_read_exactly(rf_01: Document) -> None:
    assert rf_01.format == "ofd"
    assert rf_01.text.split("\n")[:6] == [
        "中共澜川县纪律检查委员会文件",
        "澜纪发〔2024〕12号",
        "中共澜川县纪委关于2024年一季度工作情况的报告",
        "县委：",
        "2024年一季度，县纪委监委坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的"
        "二十大和二十届中央纪委三次全会精神，认真落实省、市纪委全会和县委全会部署，坚持严的基调、"
        "严的措施、严的氛围，一体推进不敢腐、不能腐、不想腐，各项工作实现良好开局。"
        "现将有关情况报告如下。",
        "一、一季度工作开展情况",
    ]


def test_rf_01_paragraphs_pages_and_metadata(rf_01: Document) -> None:
    assert len(rf_01.blocks) == 23
    assert {b.kind for b in rf_01.blocks} == {"paragraph"}
    assert [b.page for b in rf_01.blocks] == [1] * 7 + [2] * 3 + [3] * 4 + [4] * 7 + [5] * 2
    # a paragraph running on across a page break is one block, on the page it starts on
    assert rf_01.text.split("\n")[6].startswith("（一）政治监督工作情况。")
    assert rf_01.text.split("\n")[6].endswith("及时向主管部门反馈并督促整改。")
    assert rf_01.metadata["page_count"] == 5
    assert rf_01.metadata["footers"] == ["—1—"]  # the — N — page numbers, out of the text
    assert rf_01.metadata["headers"] == []
    assert rf_01.metadata["title"] == "中共澜川县纪委关于2024年一季度工作情况的报告"
    assert rf_01.metadata["author"] == "中共澜川县纪律检查委员会"


@pytest.mark.parametrize(("ofd", "pages"), [(RF_01, 5), (RF_05, 3)])
def test_twin_reads_as_its_txt_twin(ofd: Path, pages: int) -> None:
    # the one difference: the gap between 印发机关 and 印发日期 (two spaces in the txt
    # twin) is one space, as every gap is
    twin = ofd.with_suffix(".txt").read_text(encoding="utf-8").strip()
    document = read(ofd)
    assert document.text == twin.replace("办公室  ", "办公室 ")
    assert document.metadata["page_count"] == pages
    # the wrapped 抄送 line (under the first character after its colon) is one paragraph
    assert document.text.split("\n")[-2].startswith("抄送：")


def test_committed_twins_are_what_the_script_makes(make_ofd: ModuleType, tmp_path: Path) -> None:
    for committed in (RF_01, RF_05):
        made = make_ofd.write_ofd(committed.with_suffix(".txt"), tmp_path / committed.name)
        assert made.read_bytes() == committed.read_bytes(), committed.name
        assert committed.stat().st_size < 20_000


def test_twin_has_the_structure_of_the_standard() -> None:
    """Read with zipfile and ElementTree, not with jjnlp."""
    with zipfile.ZipFile(RF_01) as archive:
        names = archive.namelist()
        root = ET.fromstring(archive.read("OFD.xml"))
        document = ET.fromstring(archive.read("Doc_0/Document.xml"))
        res = ET.fromstring(archive.read("Doc_0/PublicRes.xml"))
        first = ET.fromstring(archive.read("Doc_0/Pages/Page_0/Content.xml"))
    assert names[0] == "OFD.xml"
    assert root.findtext("ofd:DocBody/ofd:DocRoot", namespaces=NS) == "Doc_0/Document.xml"
    assert root.findtext("ofd:DocBody/ofd:DocInfo/ofd:CreationDate", namespaces=NS) == (
        "2024-04-08"
    )
    common = document.find("ofd:CommonData", NS)
    assert common is not None
    assert common.findtext("ofd:PageArea/ofd:PhysicalBox", namespaces=NS) == "0 0 210 297"
    assert common.findtext("ofd:PublicRes", namespaces=NS) == "PublicRes.xml"
    pages = document.findall("ofd:Pages/ofd:Page", NS)
    assert [p.get("BaseLoc") for p in pages] == [f"Pages/Page_{n}/Content.xml" for n in range(5)]
    fonts = {f.get("ID"): f.get("FontName") for f in res.findall("ofd:Fonts/ofd:Font", NS)}
    assert fonts["1"] == "仿宋_GB2312" and fonts["2"] == "方正小标宋简体"
    ids = [int(e.get("ID", "0")) for e in first.iter() if e.get("ID")]
    assert max(ids) <= int(common.findtext("ofd:MaxUnitID", namespaces=NS) or 0)
    texts = first.findall("ofd:Content/ofd:Layer/ofd:TextObject", NS)
    logo, body = texts[0], texts[5]
    assert logo.get("HScale") and logo.find("ofd:FillColor", NS).get("Value") == "255 0 0"  # type: ignore[union-attr]
    assert body.get("Font") == "1" and body.get("Size") == "5.644"  # 仿宋 三号
    code = body.find("ofd:TextCode", NS)
    assert code is not None and code.get("X") == "0" and code.get("Y")
    assert (code.get("DeltaX") or "").startswith("g ")
    assert first.findall("ofd:Content/ofd:Layer/ofd:PathObject", NS)  # the red rule


def test_cli_text_reads_the_ofd(rf_01: Document) -> None:
    result = _jjnlp("text", str(RF_01))
    assert result.returncode == 0, result.stderr
    assert result.stdout == rf_01.text + "\n"


def test_format_is_decided_by_content_and_the_folder_walk_takes_ofd(tmp_path: Path) -> None:
    renamed = tmp_path / "公文.zip"
    renamed.write_bytes(RF_05.read_bytes())
    assert sniff(renamed, renamed.read_bytes()[:8]) == "ofd"
    assert read(renamed).text == read(RF_05).text
    assert ".ofd" in SUFFIXES


# ---------------------------------------------------------- the standard's details


def _package(tmp_path: Path, make_ofd: ModuleType, parts: dict[str, str]) -> Path:
    root = (
        '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    members = {"OFD.xml": root, **parts}
    return make_ofd.write_package(
        tmp_path / "hand.ofd", {k: v.encode("utf-8") for k, v in members.items()}
    )


def test_templates_absolute_locations_repeats_and_transforms(
    tmp_path: Path, make_ofd: ModuleType
) -> None:
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    document = (
        f"<ofd:Document {ns}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
        "</ofd:PhysicalBox></ofd:PageArea>"
        '<ofd:TemplatePage ID="9" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>'
        '<ofd:Pages><ofd:Page ID="1" BaseLoc="/Doc_0/Pages/P1.xml"/></ofd:Pages></ofd:Document>'
    )
    template = (
        f'<ofd:Page {ns}><ofd:Content><ofd:Layer><ofd:TextObject Boundary="28 20 100 8" '
        'Size="5"><ofd:TextCode X="0" Y="5">内部资料</ofd:TextCode></ofd:TextObject>'
        "</ofd:Layer></ofd:Content></ofd:Page>"
    )
    page = (
        f'<ofd:Page {ns}><ofd:Template TemplateID="9" ZOrder="Background"/><ofd:Content>'
        # a text object in a page block inside the layer; DeltaX with the g repeat syntax
        '<ofd:Layer><ofd:PageBlock><ofd:TextObject Boundary="28 40 160 10" Size="5.644">'
        '<ofd:TextCode X="0" Y="5" DeltaX="g 3 5.644 3">立案件数22</ofd:TextCode>'
        "</ofd:TextObject></ofd:PageBlock>"
        # drawn at half size and doubled by the CTM, in three TextCodes (the second and third
        # without Y take the first one's); a repeat count far beyond the characters
        '<ofd:TextObject Boundary="28 70 160 10" Size="2.822" CTM="2 0 0 2 0 0">'
        '<ofd:TextCode X="0" Y="2.5">结</ofd:TextCode>'
        '<ofd:TextCode X="2.822">案</ofd:TextCode>'
        '<ofd:TextCode X="5.644" DeltaX="g 1000000000 1.411">19件</ofd:TextCode>'
        "</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"
    )
    path = _package(
        tmp_path,
        make_ofd,
        {
            "Doc_0/Document.xml": document,
            "Doc_0/Tpls/Tpl_0/Content.xml": template,
            "Doc_0/Pages/P1.xml": page,
        },
    )
    document_read = read(path)
    assert document_read.text == "内部资料\n立案件数22\n结案19件"
    assert [b.page for b in document_read.blocks] == [1, 1, 1]


def test_glyph_boxes_from_boundary_ctm_hscale_and_deltas() -> None:
    from jjnlp.readers.ofd import PT_PER_MM, _object_glyphs

    def boxes(xml: str) -> list[tuple[str, float, float, float]]:
        element = ET.fromstring(f'<ofd:TextObject xmlns:ofd="{NS["ofd"]}" {xml}</ofd:TextObject>')
        return [
            (g.text, round(g.x0 / PT_PER_MM, 3), round(g.x1 / PT_PER_MM, 3), round(g.size, 1))
            for g in _object_glyphs(element)
        ]

    # a 16 pt text object: X, Y from the boundary's corner, DeltaX with g, the last
    # character's width from its kind (a digit is narrower than an ideograph)
    plain = boxes(
        'Boundary="28 40 100 10" Size="5.644"><ofd:TextCode X="2" Y="5" '
        'DeltaX="g 2 6 3">立案件2</ofd:TextCode>'
    )
    assert plain == [
        ("立", 30.0, 35.644, 16.0),
        ("案", 36.0, 41.644, 16.0),
        ("件", 42.0, 45.0, 16.0),
        ("2", 45.0, 48.104, 16.0),
    ]  # 件's box ends where the next character starts
    # the CTM doubles a half-size object; HScale narrows the characters
    scaled = boxes(
        'Boundary="28 40 100 10" Size="2.822" CTM="2 0 0 2 1 0">'
        '<ofd:TextCode X="0" Y="2.5">立案</ofd:TextCode>'
    )
    assert scaled == [("立", 29.0, 34.644, 16.0), ("案", 34.644, 40.288, 16.0)]
    narrow = boxes(
        'Boundary="28 40 100 10" Size="10" HScale="0.5">'
        '<ofd:TextCode X="0" Y="8">红头</ofd:TextCode>'
    )
    assert narrow == [("红", 28.0, 33.0, 28.3), ("头", 33.0, 38.0, 28.3)]


def test_part_declared_in_gbk_is_read(tmp_path: Path, make_ofd: ModuleType) -> None:
    parts = make_ofd.members(make_ofd.GOOD_TEXT)
    page = parts[make_ofd.PAGE_PART].decode("utf-8")
    page = page.replace(
        "<?xml version='1.0' encoding='UTF-8'?>", '<?xml version="1.0" encoding="GBK"?>'
    )
    parts[make_ofd.PAGE_PART] = page.encode("gbk")
    path = make_ofd.write_package(tmp_path / "gbk.ofd", parts)
    assert read(path).text == make_ofd.GOOD_TEXT.strip()
    # bytes that are not GBK: a coded error, not a crash
    parts[make_ofd.PAGE_PART] = page.encode("gbk").replace("全县".encode("gbk"), b"\xff\xff")
    with pytest.raises(ReadError, match="文字无法按所声明的编码解码"):
        read(make_ofd.write_package(tmp_path / "bad.ofd", parts))


def test_text_over_the_character_limit_is_refused_while_reading(rf_01: Document) -> None:
    with pytest.raises(TooLarge, match=r"OFD 的文字超过100字的上限"):
        read(RF_01, ReadLimits(max_chars=100))
    with pytest.raises(TooLarge, match=r"OFD 超过3页的上限"):
        read(RF_01, ReadLimits(max_pdf_pages=3))


# ------------------------------------------------------------------ hostile packages


@pytest.fixture(scope="module")
def hostile(make_ofd: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("hostile-ofd")
    return {name: make_ofd.make_hostile(name, directory) for name in make_ofd.HOSTILE}


@pytest.mark.parametrize("name", list(load_script("make_ofd").HOSTILE))
def test_hostile_package_gives_its_coded_error(
    name: str, hostile: dict[str, Path], make_ofd: ModuleType
) -> None:
    code = make_ofd.HOSTILE[name][1]
    started = time.monotonic()
    if code is None:
        assert read(hostile[name]).text.startswith("关于测试的报告\n县委：")
    else:
        with pytest.raises(ReadError) as raised:
            read(hostile[name])
        assert raised.value.code == code
        assert raised.value.path == str(hostile[name])
        assert "root:" not in raised.value.message  # no /etc/passwd in a message
    assert time.monotonic() - started < 5


def test_hostile_packages_on_the_command_line(
    hostile: dict[str, Path], make_ofd: ModuleType
) -> None:
    result = _jjnlp("text", *map(str, hostile.values()))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    expected = {n: code for n, (_, code) in make_ofd.HOSTILE.items() if code}
    assert len(errors) == len(expected)
    for line, (name, code) in zip(errors, expected.items(), strict=True):
        assert line.startswith(f"错误：[{code}] ") and name in line, line
    assert "root:" not in result.stdout  # the external entity was never resolved


def test_entity_and_outside_references_are_named_in_chinese(hostile: dict[str, Path]) -> None:
    messages = {}
    for name in ("entities.ofd", "outside_parent.ofd", "no_page.ofd", "zip_bomb.ofd"):
        with pytest.raises(ReadError) as raised:
            read(hostile[name])
        messages[name] = raised.value.message
    assert "含 DTD 或实体声明" in messages["entities.ofd"]
    assert "引用了压缩包以外的路径「../../etc/passwd」" in messages["outside_parent.ofd"]
    assert "缺少部件 Doc_0/Pages/Page_0/Content.xml" in messages["no_page.ofd"]
    assert "疑似压缩炸弹" in messages["zip_bomb.ofd"]


# --------------------------------------------------------------------- the harness


def test_harness_skips_gold_without_an_ofd_twin_and_says_so() -> None:
    (headings,) = run_tasks(str(GOLD), ["headings"], "ofd")
    assert "gold documents: 2" in headings.notes
    assert (
        "skipped 6 gold documents without a ofd twin: rf_02, rf_03, rf_04, rf_06, rf_07, rf_08"
        in headings.notes
    )
    assert headings.total().f1 == 1.0
