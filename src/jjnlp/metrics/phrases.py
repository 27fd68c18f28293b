"""The nearest noun phrase before a figure, for indicators the lexicon does not know."""

from __future__ import annotations

from functools import cache
from typing import Any

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


@cache
def _tokenizer() -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def _is_nominal(flag: str) -> bool:
    return flag.startswith(("n", "vn", "l", "j"))  # l, j: set phrases and abbreviations


def _trim(phrase: str) -> str:
    for word in _TRIM:
        phrase = phrase.removeprefix(word)
    return phrase


def nearest_noun_phrase(window: str) -> str:
    """The last run of nouns in ``window`` (jieba POS), e.g. 核查公车使用信息 → 公车使用信息.

    A window that ends in a quoted name (制发“两函一书”) gives the name.
    """
    clause = window.strip()
    if clause.endswith("”") and "“" in clause:
        return clause[clause.rindex("“") + 1 : -1]
    for mark in "，、：（“”）":
        clause = clause.rsplit(mark, 1)[-1]
    if not clause:
        return ""
    run: list[str] = []
    for word, flag in reversed(list(_tokenizer().cut(clause))):
        if _is_nominal(flag) or (run and flag in ("a", "b", "f", "s")):
            run.insert(0, word)
        elif run:
            break
    return _trim("".join(run))


def following_noun_phrase(after: str) -> str:
    """The first run of nouns right after a figure (8个乡镇纪委书记中 → 乡镇纪委书记)."""
    clause = after
    for mark in "，。；、：（）中":
        clause = clause.split(mark, 1)[0]
    clause = clause.strip("“”")
    run: list[str] = []
    for word, flag in _tokenizer().cut(clause):
        if _is_nominal(flag) or (run and flag in ("a", "b", "f", "s")) or word in "“”":
            run.append(word)
        elif run:
            break
    return "".join(run).strip("“”")
