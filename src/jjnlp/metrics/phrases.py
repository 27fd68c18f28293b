"""The nearest noun phrase before a figure, for indicators the lexicon does not know."""

from __future__ import annotations

import re

from jjnlp.zh.segment import tagger as _tokenizer

# leading verbs and function words that are not part of what is counted
_TRIM = (
    "共",
    "共计",
    "累计",
    "发出",
    "开展",
    "组织",
    "召开",
    "制发",
    "收集",
    "提出",
    "核查",
    "准备",
    "打造",
    "参与",
    "覆盖",
    "约谈",
    "走访",
    "调阅",
    "发放",
    "编印",
    "撰写",
    "设立",
    "推动",
    "完成",
)


def _is_nominal(flag: str) -> bool:
    return flag.startswith(("n", "vn", "l", "j"))  # l, j: set phrases and abbreviations


def _trim(phrase: str) -> str:
    """Strip leading verbs (席间饮用高档白酒 → 高档白酒), repeatedly."""
    while True:
        stripped = next((phrase[len(w) :] for w in _TRIM if phrase.startswith(w)), phrase)
        if stripped == phrase or not stripped:
            return phrase
        phrase = stripped


_JOINERS = ("a", "b", "f", "s", "r", "c", "u")  # may stand inside a noun phrase: 其他, 和, 等
_TAIL = ("共计", "合计", "累计", "总计", "共", "达", "约")


def _noun_run(tokens: list[tuple[str, str]]) -> str:
    """The nominal run at the end of ``tokens``, without leading joiners."""
    run: list[tuple[str, str]] = []
    for word, flag in reversed(tokens):
        if _is_nominal(flag) or (run and flag.startswith(_JOINERS)):
            run.insert(0, (word, flag))
        elif run:
            break
    while run and run[0][1].startswith(("r", "c", "u", "f")):
        run.pop(0)
    # an attributive adjective opens the phrase: 公司库存高档酒水 → 高档酒水
    opener = max((k for k, (_, flag) in enumerate(run) if k and flag in ("a", "b")), default=0)
    run = run[opener:]
    return "".join(word for word, _ in run)


def nearest_noun_phrase(window: str) -> str:
    """The last run of nouns in ``window`` (jieba POS), e.g. 核查公车使用信息 → 公车使用信息.

    A window that ends in a quoted or titled name (制发“两函一书”, 编印《…》) gives the name.
    """
    clause = window.strip()
    for tail in _TAIL:
        clause = clause.removesuffix(tail)
    for opener, closer in (("“", "”"), ("《", "》")):
        if clause.endswith(closer) and opener in clause:
            return clause[clause.rindex(opener) + 1 : -1]
    for mark in "，、：（“”）":
        clause = clause.rsplit(mark, 1)[-1]
    if not clause:
        return ""
    tokens = [(t.word, t.flag) for t in _tokenizer().cut(clause)]
    return _trim(_noun_run(tokens))


def following_noun_phrase(after: str, head_only: bool = False) -> str:
    """The nouns a figure opens (8个乡镇纪委书记中 → 乡镇纪委书记); empty if a verb comes first."""
    clause = after
    for mark in "，。；、：（）":
        clause = clause.split(mark, 1)[0]
    clause = clause.strip("“”")  # 书记中有6名: the locative 中 (tag f) ends the run below
    run: list[str] = []
    seen_noun = False
    for token in _tokenizer().cut(clause):
        # modifiers (高档, 一般) may precede the head noun; after it, an adjective or a
        # verbal noun is the predicate (乡镇落实), not part of the phrase
        if token.flag.startswith("n") or token.flag in ("l", "j"):
            run.append(token.word)
            seen_noun = True
            if head_only:
                break
        elif not seen_noun and token.flag.startswith(("a", "b")):
            run.append(token.word)
        else:
            break
    return "".join(run).strip("“”") if seen_noun else ""


def headed_phrase(after: str, heads: tuple[str, ...]) -> str:
    """The phrase a count opens when it ends in a head noun (3起吃喝典型问题 → 吃喝典型问题).

    The phrase runs to the last head within the clause, before any 的, punctuation or digit;
    the longest such phrase wins (…腐败问题典型案例 over …腐败问题).
    """
    segment = re.split(r"[的，。；、：（）“”\n0-9０-９]", after, maxsplit=1)[0]
    ends = [segment.rfind(head) + len(head) for head in heads if head in segment]
    return segment[: max(ends)] if ends else ""


def trailing_verb(clause: str) -> str:
    """A verb that takes the figure directly (群众往返5次, 问题拖延5个月 → 往返, 拖延)."""
    tokens = list(_tokenizer().cut(clause.strip()))
    # a lone verb is the clause, not its head; a one-character 会 is a modal or a meeting
    if len(tokens) < 2 or tokens[-1].flag != "v" or len(tokens[-1].word) < 2:
        return ""
    word: str = tokens[-1].word
    return word if word not in _TRIM and word not in _TAIL else ""


def passive_verb(after: str) -> str:
    """The verb a figure is the object of, in the passive (5.2万元被挪用于… → 挪用)."""
    if not after.startswith("被"):
        return ""
    for token in _tokenizer().cut(after[1:12]):
        if token.flag == "v":
            word: str = token.word
            return word
        if not token.flag.startswith(("d", "p")):  # 被违规挪用: adverbs may stand between
            return ""
    return ""


def event_after(clause: str, after: str) -> str:
    """What an event count stated adverbially counts: the last word of the clause it opens.

    陈某先后6次接受…企业宴请 → 宴请; only when an adverb of frequency (先后, 累计, 共)
    or nothing stands right before the figure.
    """
    tokens = list(_tokenizer().cut(clause.strip()))
    if tokens and not tokens[-1].flag.startswith(("d", "t")) and tokens[-1].word not in _TAIL:
        return ""
    following = re.split(r"[，。；：、（）\n]", after, maxsplit=1)[0]
    words = list(_tokenizer().cut(following))
    if len(words) < 2 or not words[0].flag.startswith("v"):  # 6次接受…: a verb opens it
        return ""
    last = words[-1]
    return str(last.word) if last.flag.startswith(("v", "n")) else ""
