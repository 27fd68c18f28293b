"""Plain text (.txt/.md): detect the encoding strictly, one paragraph per line.

Detection: a BOM decides. Otherwise valid UTF-8 (without NULs) is UTF-8. Otherwise each
candidate (UTF-16 LE/BE without BOM, GB18030, Big5 as cp950 then Big5-HKSCS, Shift-JIS as
cp932, EUC-KR as cp949) that decodes a sample of at most 64 KB is judged on the text it
gives: each non-ASCII character counts for it when it is a common character of the
language or usual punctuation, and against it otherwise; a reading with control,
private-use or unassigned code points, letters of a foreign script or mostly uncommon
characters is no text at all. GB18030 decodes almost any byte string, so decoding proves
nothing. Chinese readings get a head start; charset-normalizer orders the readings the
judgement leaves tied. The best reading then decodes the whole file strictly: only an
incomplete character in the last one to three bytes (a file cut short) is dropped, and
the metadata says so.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jjnlp.errors import UndecodableText
from jjnlp.model import Document
from jjnlp.readers.assemble import DocumentBuilder
from jjnlp.readers.limits import ReadLimits, check_text

TRUNCATED_WARNING = "文件末尾有不完整的字符，已忽略"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", 0),
    (codecs.BOM_UTF32_LE, "utf-32-le", 4),
    (codecs.BOM_UTF32_BE, "utf-32-be", 4),
    (codecs.BOM_UTF16_LE, "utf-16-le", 2),
    (codecs.BOM_UTF16_BE, "utf-16-be", 2),
)

# Candidates after UTF-8, in order of preference on a tie: (codecs tried in turn, the
# languages its text is judged as). cp950 is Windows' Big5 (it reads ～ ‧ ￥ the way
# Windows wrote them), Big5-HKSCS adds the Hong Kong characters; cp932 is Windows'
# Shift-JIS; cp949 is a superset of EUC-KR; GB18030 is a superset of GBK and GB2312.
_CANDIDATES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("utf-16-le",), ("zh", "ja", "ko")),
    (("utf-16-be",), ("zh", "ja", "ko")),
    (("gb18030",), ("zh",)),
    (("cp950", "big5hkscs"), ("zh",)),
    (("cp932",), ("ja",)),
    (("cp949",), ("ko",)),
)
_LENIENT = (("gb18030",), ("cp950", "big5hkscs"))
_TRIED = "UTF-8、UTF-16、GB18030、Big5、Shift-JIS、EUC-KR"

_SAMPLE = 64 * 1024  # plausibility is judged on this many bytes
_NOT_ASCII = re.compile(rb"[\x00\x80-\xff]")
# control characters no text file holds (all but tab, line feed, return and form feed)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_CHINESE_PRIOR = 4.0  # evidence a Chinese reading starts with (the users are Chinese)
_CUT_SHORT = 0.5  # evidence against a reading that leaves an incomplete last character
_TIE = 1.0  # readings closer than one character's evidence are tied
_MIN_JUDGED = 6  # from this many non-ASCII characters on, most must be common ones

# The 1,200 most frequent characters of jieba's dictionary (word frequencies summed per
# character, two mojibake artefacts left out); they are 94.5% of the Chinese characters
# of the corpora, but only one in six of the characters GB18030 makes of Big5 bytes.
_SIMPLIFIED = (
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于"
    "后就发自之对得主长可过天作分方用多你着部能市等业全里工公经本都而高政法面门动日进"
    "区事代那去心小同北定开产前其军还然起种所如现理机体表力好外与文当两实重新三么只山"
    "水关明从化平建又制南内西没此将员名手最东头者月间无安看见各城十相但已些正口通想度"
    "加第她合院物性战由位常点海意场武使次二向治因立数样身情入原问把路被并利石老教万知"
    "级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社很统处四首"
    "共马形己儿司太目基领队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决"
    "张导术府才保交放管结师便走达族反再题色五京河接条规式县白它改风光运信受什组听布百"
    "济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边据集联古广完质阳难增"
    "历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑"
    "革该持始英克士尔让拉思根格造较际亲单朝红型价校约器字段周亚深候则功属积快图火千准"
    "究往极育装许参半令吃观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源"
    "息语股铁断派速怎需片爱律纪支早况病境证编越局推满且列觉服双未居除乐企引标确织初青"
    "志率项飞球节察龙响药站施均消客失轻存低甚般击曾防请离落显罗营足素视护副食创余照兴"
    "占巴虽洲村费易试星木黑左宝置跟央识维采六底宫房音环案批切斗富乡另倒若按查故突责严"
    "桥模仅胜杀围席态破承招杨负层须父供续状域似依银范修找九致密终血旅钱赛独细效玉冲获"
    "习医演毛尽脸弹楼艺航陆右协七攻镇检写苏宗章注阿抗弟坐验封紧劳户优财养适陈喜卫排射"
    "哥油刻留急降念云微伤例景拿绝阶座刘刚害印亿沙母酒助闻超审待压升送监策略限竟香配藏"
    "敌呢差仍兰温园树征善波哪词岛止预怕继皮执味份角草男普答益谁船惊核街夏宣掌田久著画"
    "辑奇尼剑吧谈背免孩礼材愿洋春架筑括晚乱乎讲尚良友临激刀夜室既敢邦挥昌板胡欧福港叶"
    "简苦担句岁荆贵娘守辖威宜衣帮块堂额错剧充欢够孙班呼阵销坚练脚退读测吴希宁换版异某"
    "顾曲楚典朱毒菜判救宋茶洪含顺啊鲜败货矿端兄归冷忙买险康评肉吗厂永哈沉散遗停笔假输"
    "牛洞松渐顶训录否述毕督控丰献姑忽爷互亮纳襄登咱钟伯臣雄季脑介鄂召饭暗扩祖齐短烈赶"
    "牌恩诉移诗础露届蒙静喝盘卖植授伊湾博痛减穿逐秘庭陵固禁票灵杂姓泽吸侧庆妈遇追甲馆"
    "补唐炮沿殿刺怪彩俄旧警索岸轮妇载靠附毫怀软骨探雷旁罪枪牙迎序慢盛雨墙恶谷顿危稳熟"
    "概酸操诸绿佛荣针托宽折野付午肯库厚缺罢耳屋嘴末谢巨培页瓦款犯困店智拥雪翻圣戏旗吉"
    "婚奖岩疑币圆歌廷健卡烧析讨跑烟误仙疗舞亡闭汽伸脱秋姐繁侵川莫麻秀借寻私岗卷跳丽横"
    "驻套兼您君丁束纸夺袁灯坏坦丝径购阴床瞧择墓宪峰遍鲁庙掉丹桃御舰避售怒课播拔奥延虚"
    "隐粮络遭摇潜庄混厅婆奴鼓赵访睡震予童徐韦殖抓拜吨扬址洛休纵逃染纷贸透汇灭蛋森仪塔"
    "距狐融郡缓聚盖拍迹忠释润粉孔岭搜紫虑促抵钢塞寺津液码虎坛珍硬梁奔累役偏迫凡损壁哭"
)


# The traditional forms of the characters of _SIMPLIFIED that have one (国/國, and the
# ambiguous 后/後, 里/裡, 党/黨 ...): with the unchanged characters of _SIMPLIFIED they make
# up the common characters of traditional text.
_TRADITIONAL = (
    "國為這個來會時學說們發對長過業經門動進區開產軍還現當兩實關從內沒將員東頭間無見戰"
    "點場數樣問級應資務漢總電聲設義統處馬領隊計別權話報給變書華議稱決張導術結師達題條"
    "規縣風運組濟論強黃選記卻職號類傳帶農邊聯廣質陽難歷專認車舉線團備爭眾連調轉該爾讓"
    "較際親單紅約亞則屬積圖裝許參觀魚辦遠隨勢熱語鐵斷愛紀況證編滿覺雙樂標織項飛節龍響"
    "藥輕擊請顯羅營視護創興雖費試寶識維宮環鄉責嚴橋僅殺圍態楊負層須續狀銀終錢賽獨細衝"
    "獲習醫盡臉彈樓藝陸協鎮檢寫蘇驗緊勞戶財養陳衛傷絕階劉剛億聞審壓監敵蘭溫園樹詞島預"
    "繼執誰畫輯劍談禮亂講臨揮歐葉簡擔歲荊貴轄幫塊額錯劇歡夠孫陣銷堅練腳讀測吳換顧順鮮"
    "敗貨礦歸買險評嗎遺筆輸漸頂訓錄畢獻爺納鐘腦飯擴齊訴詩礎屆靜盤賣灣減靈雜澤側慶媽館"
    "補舊輪婦載軟槍牆惡頓穩諸綠榮針寬庫罷謝頁擁戲獎幣圓燒討煙誤療閉脫尋崗麗橫駐紙奪燈"
    "絲徑購陰擇憲魯廟艦課奧虛隱糧絡搖潛廳趙訪韋揚縱紛貿匯滅儀緩蓋跡釋潤慮鋼碼壇損黨後"
    "裡臺隻麵復範準幾於鬆係雲幹餘穀製徵願捨採週闆誌種機體與萬劃適價聽廠氣寧麼網兒確據"
    "鬥傑僕樸築捲遊鬍錶緻嚮纔佈嘗恆喫嘆祕汙並併兇巖掛啟冊彊峽曬纖撥鑒鑑韓夢徹贊遷違鑽"
    "舖訊涉覽災異棄擺鹽駕驚憶濫頒郵僑諾賠賬債貪賄賂腐糾罰懲誡詢訟辯揭覈諭誨廉潔純構籌"
)

# CJK and general punctuation, symbols and full-width forms usual in Chinese documents
_PUNCTUATION = frozenset(
    "、。〃々〆〇〈〉《》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟・°±·×÷§¥©®µ¶€℃℉№℡™★☆"
).union(
    *(
        map(chr, range(first, last + 1))
        for first, last in (
            (0x2010, 0x2027),  # dashes, quotes, ellipsis
            (0x2030, 0x203B),  # ‰ ′ ″ ※
            (0x2160, 0x217F),  # Roman numerals
            (0x2190, 0x2199),  # arrows
            (0x2200, 0x22FF),  # mathematical operators
            (0x2460, 0x24FF),  # ① ⑴ ⒈
            (0x2500, 0x257F),  # box drawing (plain-text tables)
            (0x25A0, 0x25FF),  # ■ □ ▲ ○ ●
            (0x3220, 0x3243),  # ㈠ ㈡
            (0x3280, 0x32B0),  # ㊀ ㊣
            (0x3380, 0x33DF),  # ㎡ ㎏
            (0xFF01, 0xFF5E),  # full-width ASCII
            (0xFFE0, 0xFFE5),  # ￠ ￡ ￥
        )
    )
)
_ASCII_TEXT = frozenset(map(chr, range(0x20, 0x7F))) | frozenset("\t\n\r\v\f\x1a")


@dataclass(frozen=True)
class Decoded:
    """A file's text, the codec that read it, and the bytes of a cut-off last character."""

    text: str
    encoding: str
    dropped: int = 0


@cache
def _common(language: str) -> frozenset[str]:
    """The characters that make up most running text of ``language`` ("zh", "ja", "ko")."""
    if language == "zh":  # simplified and traditional: GBK text may be either
        return frozenset(_SIMPLIFIED + _TRADITIONAL)
    if language == "ja":  # kana and the 2,965 kanji of JIS X 0208 level 1
        kana = {*map(chr, range(0x3041, 0x3097)), *map(chr, range(0x30A1, 0x30FF))}
        return frozenset(kana | _decode_codes("cp932", 0x889F, 0x9872))
    return frozenset(_decode_codes("euc_kr", 0xB0A1, 0xC8FE))  # KS X 1001 Hangul


def _decode_codes(codec: str, first: int, last: int) -> set[str]:
    """The characters of the double-byte codes ``first``..``last`` of ``codec``."""
    chars = set()
    for code in range(first, last + 1):
        try:
            chars.add(code.to_bytes(2, "big").decode(codec))
        except UnicodeDecodeError:
            continue
    return chars


def _script(code: int) -> str:
    if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3134F:
        return "han"
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF65 <= code <= 0xFF9F:
        return "kana"
    if (
        0xAC00 <= code <= 0xD7FF
        or 0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
        or 0xA960 <= code <= 0xA97F
        or 0xFFA0 <= code <= 0xFFDC
    ):
        return "hangul"
    if 0x3100 <= code <= 0x312F or 0x31A0 <= code <= 0x31BF:
        return "bopomofo"
    return "other"


def _evidence(text: str, language: str, lenient: bool) -> float | None:
    """How strongly ``text`` reads as ``language``: each non-ASCII character counts for it
    when it is a common letter or usual punctuation and against it otherwise. ``None`` when
    it is not such text: control, private-use or unassigned code points, letters of a
    foreign script, or mostly uncommon characters (``lenient``: only from _MIN_JUDGED
    characters on; a short GB18030 or Big5 text may be a rare name)."""
    common = _common(language)
    ascii_count = good = rare = odd = bad = spaces = 0
    for char, count in Counter(text).items():
        if char in _ASCII_TEXT:
            ascii_count += count
            spaces += count if char == " " else 0
        elif char in common or char in _PUNCTUATION:
            good += count
        elif char.isspace():
            spaces += count
        elif unicodedata.category(char) in ("Cc", "Cn", "Co", "Cs") or char == "\ufffd":
            bad += count
        else:
            script = _script(ord(char))
            if script == "han" or (script, language) in (("kana", "ja"), ("hangul", "ko")):
                rare += count
            elif script in ("kana", "hangul", "bopomofo"):
                odd += count
            elif unicodedata.category(char)[0] == "L" and not (
                ord(char) < 0x0530 or 0x1E00 <= ord(char) <= 0x1EFF
            ):
                odd += count  # a letter of a script that is neither CJK nor Latin/Greek/Cyrillic
            else:
                rare += count
    judged = good + rare + odd + bad
    if bad * 100 > judged + ascii_count or odd * 20 > judged:
        return None
    if good * 2 < judged and (judged >= _MIN_JUDGED or not lenient):
        return None
    if language == "ko" and judged >= _MIN_JUDGED and spaces * 8 < judged:
        return None  # Korean separates its words by spaces; Chinese read as Korean does not
    return good - rare - 3 * odd - 5 * bad


def _decode(data: bytes, codec: str) -> Decoded | None:
    """``data`` decoded strictly, except that an incomplete last character is dropped."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        text = decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return None
    return Decoded(text, codec, len(decoder.getstate()[0]))


def _decode_family(data: bytes, family: tuple[str, ...]) -> Decoded | None:
    for codec in family:
        decoded = _decode(data, codec)
        if decoded is not None:
            return decoded
    return None


def _sample_start(data: bytes) -> int:
    """Where the sample starts: at the top, unless the file opens with a long stretch of
    ASCII; then at the start of the line of the first non-ASCII byte (a line break is never
    part of a GB18030, Big5, Shift-JIS or EUC-KR character, and a file that long without a
    NUL or a byte above 0x7F is not UTF-16)."""
    first = _NOT_ASCII.search(data)
    if first is None or first.start() < _SAMPLE // 2:
        return 0
    return data.rfind(b"\n", 0, first.start()) + 1


def _ranked(sample: bytes, at_end: bool) -> list[tuple[str, ...]]:
    """The candidate families that give plausible text for ``sample``, best first."""
    scored: list[tuple[float, bool, int, tuple[str, ...]]] = []
    for order, (family, languages) in enumerate(_CANDIDATES):
        decoded = _decode_family(sample, family)
        if decoded is None:
            continue
        for language in languages:
            evidence = _evidence(decoded.text, language, lenient=family in _LENIENT)
            if evidence is None:
                continue
            chinese = language == "zh"
            evidence += _CHINESE_PRIOR if chinese else 0.0
            evidence -= _CUT_SHORT if at_end and decoded.dropped else 0.0
            scored.append((evidence, chinese, order, family))
    # best evidence first; on a tie a Chinese reading, then the order of _CANDIDATES
    scored.sort(key=lambda item: (-item[0], not item[1], item[2]))
    ranked = list(dict.fromkeys(family for *_, family in scored))
    if len(scored) > 1:
        top, chinese = scored[0][0], scored[0][1]
        tied = [f for e, c, _, f in scored if e > top - _TIE and c == chinese]
        tied = list(dict.fromkeys(tied))
        if len(tied) > 1:
            ranked = _arbitrate(sample, tied) + [f for f in ranked if f not in tied]
    return ranked


def _arbitrate(sample: bytes, tied: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Tied candidates ordered by charset-normalizer's mess ratio, lowest first."""
    from charset_normalizer import from_bytes

    matches = from_bytes(sample, cp_isolation=[family[0] for family in tied])
    chaos = {codecs.lookup(match.encoding).name: match.chaos for match in matches}
    return sorted(tied, key=lambda family: chaos.get(family[0], 1.0))


def decode(data: bytes, path: str) -> Decoded:
    """The text of ``data`` and the codec that read it; strict but for a cut-off end."""
    for bom, codec, skip in _BOMS:
        if data.startswith(bom):
            decoded = _decode(data[skip:], codec)
            if decoded is None:
                raise UndecodableText(path, f"带 {codec} 标记但内容无法按其解码")
            return decoded
    utf8 = _decode(data, "utf-8")
    if utf8 is not None and "\x00" not in utf8.text:
        return utf8
    start = _sample_start(data)
    sample = data[start : start + _SAMPLE]
    for family in _ranked(sample, at_end=start + len(sample) == len(data)):
        decoded = _decode_family(data, family)
        if decoded is not None:
            return decoded
    if utf8 is not None:
        return utf8  # valid UTF-8 with NULs: read_text refuses it as not a text file
    raise UndecodableText(path, f"无法识别文本编码（已尝试 {_TRIED}），请另存为 UTF-8")


def document_from_text(text: str, path: str, metadata: dict[str, object] | None = None) -> Document:
    """Lines of ``text`` as paragraphs, normalised as every reader does; a run of lines whose
    cells are separated by tabs (a table copied from Word, WPS or Excel) is a table."""
    builder = DocumentBuilder(path, "txt")
    table = row = -1
    for index, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if "\t" in line.strip(" \u3000") and line.strip():
            if row < 0:
                table, row = table + 1, 0
            builder.table_row(line.split("\t"), table, row, index)
            row += 1
        else:
            row = -1
            builder.paragraph(line, index)
    return builder.build(metadata or {})


def read_text(path: Path, data: bytes, limits: ReadLimits | None = None) -> Document:
    decoded = decode(data, str(path))
    text = decoded.text
    check_text(path, len(text), limits or ReadLimits())  # before any block is built
    if "\x00" in text or len(_CONTROL.findall(text, 0, 4000)) > 8:
        from jjnlp.errors import UnsupportedFormat

        raise UnsupportedFormat(str(path), "内容含大量控制字符，不是文本文件")
    metadata: dict[str, object] = {"encoding": decoded.encoding, "source_size": len(data)}
    if decoded.dropped:
        metadata["warnings"] = [TRUNCATED_WARNING]
    return document_from_text(text, str(path), metadata)
