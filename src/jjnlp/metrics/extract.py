"""Find the figures of a document, name what each counts, and link the ones the text relates.

What a figure counts, in order of preference:
1. money stated as 价值/面值 X元的 + noun: the noun (价值800元的茶叶);
2. a count that opens a phrase: the phrase ending in 问题/典型问题 (3起违规吃喝典型问题) or
   the noun phrase after the classifier (21名科级干部), canonical when the lexicon knows it;
3. a lexicon indicator ending where the figure begins, but for filler (问题线索共计112件);
4. a share whose subject is named before 占 (立案人数占比40%);
5. a share or a bare follow-on figure takes the indicator of the figure just before it in the
   sentence (处理86人（第一种形态33人，占比38.4%）, 1期5起);
6. otherwise, first found: a lexicon indicator in the clause the figure opens; the verb that
   takes an event count (往返5次) or ends the clause an adverbial count opens (先后6次接受…宴请);
   the verb of a passive (5.2万元被挪用); the nearest noun phrase (jieba POS); the nearest
   lexicon indicator; the indicator of the figure before it; the noun phrase after it.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cache

from jjnlp.metrics.lexicon import lexicon
from jjnlp.metrics.phrases import (
    event_after,
    following_noun_phrase,
    headed_phrase,
    nearest_noun_phrase,
    passive_verb,
    trailing_verb,
)
from jjnlp.metrics.tables import grids, header_paths, is_part_column
from jjnlp.model import (
    Document,
    Interval,
    Metric,
    Outline,
    Period,
    Relation,
    Span,
    Term,
    section_at,
)
from jjnlp.numbers import Quantity, find_quantities, parse_number, parse_quantity
from jjnlp.resources import load_toml
from jjnlp.structure.periods import YEARS
from jjnlp.zh.segment import boundaries
from jjnlp.zh.text import REACH, Level, comparison_periods, near, unit_start

_BARE_NUMBER = re.compile(r"^[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?[%％]?$")
_UNIT_IN_HEADER = re.compile(r"[（(]([^（）()]{1,4})[）)]$")
_SHARES = ("percent", "ratio")  # kinds that can state a share (占比38.4%, 占…的三分之一)


@dataclass(slots=True)
class _Draft:
    """A figure being built: the quantity, then what it counts and what it relates to."""

    q: Quantity
    indicator: str = ""
    indicator_text: str = ""
    sentence_start: int = 0
    scope: str | None = None
    period: Period | None = None
    relations: list[Relation] = field(default_factory=list)


@cache
def _scope() -> re.Pattern[str]:
    return re.compile("|".join(load_toml("indicators.toml")["scope"]["patterns"]))


@cache
def _not_figures() -> tuple[re.Pattern[str], tuple[str, ...]]:
    config = load_toml("units.toml")["not_figures"]
    return re.compile(config["bare_magnitude"]), tuple(config["followed_by"])


def _in_term(q: Quantity, terms: list[Term]) -> bool:
    """``q`` overlaps one of ``terms`` (sorted, non-overlapping: only the last one that
    starts before ``q`` ends can)."""
    at = bisect_left(terms, q.end, key=lambda t: t.start) - 1
    return at >= 0 and terms[at].end > q.start


def _inside_any(term: Term, terms: list[Term]) -> bool:
    at = bisect_right(terms, term.start, key=lambda t: t.start) - 1
    return at >= 0 and terms[at].end >= term.end


def _is_figure(q: Quantity, text: str, terms: list[Term]) -> bool:
    if _in_term(q, terms):
        return False
    bare, followers = _not_figures()
    if q.chinese and q.approx is None and bare.match(q.text[: -len(q.stated_unit)]):
        return False  # 进万家: an idiom, not ten thousand households
    if text.startswith(followers, q.end):  # 三次全会: an ordinal
        return False
    if q.start and text[q.start - 1] == "第":  # 第二期, 第二轮: ordinals
        return False
    # 一 + classifier used as an article (一批, 一项重要任务), not a count
    # and 一成不变 is an idiom, not a tenth
    article = q.kind == "count" or q.stated_unit == "成"
    return not (q.text.removesuffix(q.stated_unit) == "一" and article)


def _sentence_start(text: str, offset: int, lo: int = 0) -> int:
    """Figures relate within a clause (up to ；): 立案72件，结案54件，结案率75%；…"""
    return unit_start(text, offset, Level.CLAUSE, lo)


def _indicator(window: str, window_start: int) -> tuple[str, str, int] | None:
    """The indicator named nearest the end of ``window``: (canonical, surface, start)."""
    lex = lexicon()
    last = None
    for match in lex.surfaces.finditer(window):
        last = match
    if last is None:
        return None
    return lex.canonical[last.group()], last.group(), window_start + last.start()


def _clause(window: str) -> tuple[str, int]:
    """The last clause of a window (after its last ，、；：（) and where it starts."""
    cut = max(window.rfind(mark) for mark in "，、；：（,") + 1
    return window[cut:], cut


def _adjacent_indicator(clause: str, clause_start: int) -> tuple[str, str, int] | None:
    """A lexicon indicator that ends where the figure begins, but for filler (共计, 类 …)."""
    found = _indicator(clause, clause_start)
    if found is None:
        return None
    gap = clause[found[2] - clause_start + len(found[1]) :]
    quoted_term = (
        len(gap) > 2 and gap[0] == "“" and gap[-1] == "”" and lexicon().terms.fullmatch(gap[1:-1])
    )  # 约谈提醒“一把手”15人
    if gap and gap not in lexicon().filler and not quoted_term:
        return None
    if found[0] == lexicon().roles["handled"]:  # 运用第一种形态…处理9人 counts the form
        forms = [f for f in lexicon().forms if f in clause]
        if forms:
            form = max(forms, key=clause.rfind)
            return form, form, clause_start + clause.rfind(form)
    return found


def _name(drafts: list[_Draft], text: str) -> None:
    """Give each figure its indicator and scope (order of preference: module docstring)."""
    lex = lexicon()
    scopes = list(_scope().finditer(text))  # found once: per figure it would grow as n²
    scope_ends = [m.end() for m in scopes]
    scope_limits = [_scope_limit(text, m) for m in scopes]
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    for i, draft in enumerate(drafts):
        q = draft.q
        floor = drafts[i - 1].sentence_start if i else 0  # figures come in text order
        start = draft.sentence_start = _sentence_start(text, q.start, floor)
        prior = drafts[i - 1] if i else None
        same_sentence = prior is not None and prior.sentence_start == start
        window_start = prior.q.end if prior and same_sentence else start
        window = text[window_start : q.start]
        clause, cut = _clause(window)
        after = text[q.end : q.end + 24]
        is_share = q.kind in _SHARES and any(c in window for c in lex.share_cues)
        choice = _adjacent_indicator(clause, window_start + cut)
        counted = _counted_noun(after, q.stated_unit) if q.kind == "count" else ""
        valued = ""
        if q.kind == "money" and clause.endswith(lex.value_words) and after.startswith("的"):
            valued = following_noun_phrase(after[1:])  # 价值800元的茶叶
        if valued:
            draft.indicator = draft.indicator_text = valued
        elif counted:
            # numeral + classifier + noun (三起典型问题, 21名科级干部): the noun is what is counted
            draft.indicator = draft.indicator_text = counted
        elif choice and not (
            is_share and choice[0] in (lex.roles["handled"], lex.roles["investigated"])
        ):
            draft.indicator, draft.indicator_text = choice[0], choice[1]
        elif is_share and (subject := _share_subject(clause)):
            draft.indicator, draft.indicator_text = subject  # 立案人数占比40%
        elif prior and same_sentence and (is_share or _bare(window)):
            # 占比 X% and 1期5起: the figure belongs with the one just stated
            draft.indicator, draft.indicator_text = prior.indicator, prior.indicator_text
        else:
            phrase = (
                (_following_indicator(after) if q.kind == "count" else "")
                or (trailing_verb(clause) if _counts_events(q) else "")
                or (event_after(clause, after) if _counts_events(q) else "")
                or passive_verb(after)
                or nearest_noun_phrase(clause)
                or _lexicon_name(window, window_start)
                or nearest_noun_phrase(window)
                or (prior.indicator if prior and same_sentence and _alike(prior.q, q) else "")
                or following_noun_phrase(after)
            )
            draft.indicator = draft.indicator_text = phrase
        # the unit stated last in the paragraph stays in force until another is named
        paragraph = line_starts[bisect_right(line_starts, q.start) - 1]
        last = bisect_right(scope_ends, q.start) - 1
        while last >= 0 and scope_limits[last] <= q.start:
            last -= 1  # a part's unit (其中市纪委监委本级…) ended with its clause
        in_force = scopes[last] if last >= 0 and scopes[last].start() >= paragraph else None
        draft.scope = in_force.group() if in_force else None


_PART_LEAD = 40  # characters before a named unit searched for the 其中 that makes it a part


def _scope_limit(text: str, scope: re.Match[str]) -> int:
    """Where a named unit stops being in force: a unit named in a part (全市立案247件，其中
    市纪委监委本级立案26件；结案204件 / 留置11人，其中市本级3人。) holds to the end of its
    clause, any other to the end of the paragraph (checked by the caller)."""
    lo = max(0, scope.start() - _PART_LEAD)  # a cue further back is not this unit's
    lead = text[unit_start(text, scope.start(), Level.PHRASE, lo) : scope.start()]
    if any(cue in lead for cue in lexicon().part_cues):
        return near(text, scope.end(), Level.CLAUSE)[1]
    return len(text) + 1


@cache
def _compared_with() -> re.Pattern[str]:
    """A base named with 较/比 right before a figure: 较上年的426件, 比2023年的2031件次."""
    periods = load_toml("structure.toml")["periods"]
    leads = "|".join(map(re.escape, periods["compared_with"]))
    bases = "|".join(map(re.escape, periods["bases"]))
    return re.compile(rf"(?:{leads})(?P<base>{bases}|\d{{4}}年度?)(?:同期)?的?$")


def _comparison(text: str, draft: _Draft, year: int | None = None) -> Period | None:
    """The comparison period a figure belongs to (去年同期50件, 较上年的426件), if any.

    ``year`` is the document's reference year, which dates a base named 上年 or 2023年."""
    window_start = max(draft.sentence_start, text.rfind("，", 0, draft.q.start) + 1)
    window = text[window_start : draft.q.start]
    if draft.indicator in lexicon().changes:
        return None
    for word in comparison_periods():
        at = window.find(word)
        if at >= 0:
            start = window_start + at
            return Period(word, Span(start, start + len(word)), comparison=True)
    based = _compared_with().search(window)
    if based is None:
        return None
    start = window_start + based.start("base")
    base = based["base"]
    stated = re.match(r"\d{4}", base)
    base_year = int(stated.group()) if stated else (year - 1 if year is not None else None)
    dated = base_year is not None and base_year in YEARS
    first = date(base_year, 1, 1) if dated and base_year else None
    last = date(base_year, 12, 31) if dated and base_year else None
    return Period(base, Span(start, start + len(base)), first, last, comparison=True)


def _changes_after_bases(drafts: list[_Draft], text: str) -> None:
    """较上年的426件增长14.1%: a percentage that follows a named base and a change word alone
    is the change against that base."""
    words: dict[str, str] = load_toml("indicators.toml")["changes_after_base"]
    for before, draft in itertools.pairwise(drafts):
        between = text[before.q.end : draft.q.start]
        if (
            draft.q.kind == "percent"
            and between in words
            and before.sentence_start == draft.sentence_start
            and _comparison(text, before) is not None
        ):
            draft.indicator, draft.indicator_text = words[between], between


def _alike(a: Quantity, b: Quantity) -> bool:
    """Figures of one kind of measure (a count and a count, a percentage and its change in
    points): only such a figure can take its neighbour's indicator."""
    relative = ("percent", "percentage_point", "ratio")
    return a.kind == b.kind or (a.kind in relative and b.kind in relative)


def _bare(window: str) -> bool:
    """Nothing names the figure but a comparison period (立案60件，去年同期50件) or filler."""
    rest = window.strip("，、； ")
    for word in comparison_periods():
        rest = rest.removeprefix(word)
    return not rest or rest in lexicon().filler


def _share_subject(clause: str) -> tuple[str, str] | None:
    """The indicator a share is stated of, named before its cue in the clause (立案人数占比)."""
    cues = [clause.rfind(c) for c in lexicon().share_cues]
    found = _indicator(clause[: max(cues)], 0) if max(cues) > 0 else None
    return (found[0], found[1]) if found else None


def _counts_events(q: Quantity) -> bool:
    return q.kind == "duration" or q.stated_unit in load_toml("units.toml")["counts"]["events"]


def _counted_noun(after: str, classifier: str) -> str:
    """The noun phrase a count opens; a known indicator at its head gives the canonical name."""
    quoted = re.match(r"“([^”]{1,8})”", after)
    if quoted and lexicon().terms.fullmatch(quoted.group(1)):
        after = after[quoted.end() :]  # 60余名“85后”科级干部: the label qualifies the noun
    head_only = classifier in load_toml("units.toml")["counts"]["head_only"]
    headed = "" if head_only else headed_phrase(after, lexicon().heads)
    # 问题 inside 问题线索 is no head: the phrase must end where a word ends
    if headed and len(headed) in boundaries(after[: len(headed) + 8]):
        return lexicon().canonical.get(headed, headed)
    phrase = following_noun_phrase(after, head_only=head_only)
    if not phrase:
        return ""
    head = lexicon().surfaces.match(phrase)
    return lexicon().canonical[head.group()] if head else phrase


def _following_indicator(after: str) -> str:
    """8个乡镇纪委…, 5起违反…典型问题: a lexicon indicator in the clause the figure opens."""
    if not after or not "\u4e00" <= after[0] <= "\u9fff":
        return ""
    clause = re.split(r"[，。；、：（）]", after, maxsplit=1)[0]
    lex = lexicon()
    for match in lex.surfaces.finditer(clause):
        if match.group() not in lex.verbs:  # 问题未按要求组织整改: a verb is not what is counted
            return lex.canonical[match.group()]
    return ""


def _lexicon_name(window: str, window_start: int) -> str:
    found = _indicator(window, window_start)
    return found[0] if found else ""


def _relate(drafts: list[_Draft], text: str) -> None:
    lex = lexicon()
    bases = {j for j, d in enumerate(drafts) if d.period is not None and d.period.comparison}
    first = 0  # the first figure of the current sentence: its figures are a contiguous run
    frames: dict[str, int] = {}  # unit → the last count of the sentence that frames parts (…中，)
    period_start = 0  # where the 。-sentence of the current figure starts
    listed: dict[str, int] = {}  # family → its last figure in that 。-sentence that is a part
    for i, draft in enumerate(drafts):
        q = draft.q
        if drafts[first].sentence_start != draft.sentence_start:
            first, frames = i, {}
        if (start := unit_start(text, q.start, Level.SENTENCE, period_start)) != period_start:
            period_start, listed = start, {}
        same_sentence = range(first, i)
        between = text[
            drafts[same_sentence[-1]].q.end if same_sentence else draft.sentence_start : q.start
        ]
        if q.kind == "count" and i not in bases:
            _relate_part(drafts, i, same_sentence, text, frames, listed)
            if text.startswith(lex.frame_cues, q.end):
                frames[q.unit] = i
        if draft.indicator in lex.rates and q.kind == "percent":
            _relate_rate(drafts, i, text, sorted(bases))
        elif q.kind in _SHARES and any(c in between for c in lex.share_cues):
            _relate_share(drafts, i, same_sentence, between, text, sorted(bases))
        if draft.indicator == lex.roles["done"] and q.kind == "count":
            found = _last_with(drafts, i, lex.roles["found"], within=list(same_sentence) or None)
            if found is not None and drafts[found].q.unit == q.unit:
                draft.relations.append(Relation("done_of", found))
        if draft.indicator in lex.changes and same_sentence:
            # the figure it describes: the last one stated for this period, not for 去年同期
            described = next(
                (
                    j
                    for j in reversed(same_sentence)
                    if drafts[j].indicator not in lex.changes and not _comparison(text, drafts[j])
                ),
                None,
            )
            if described is not None:
                draft.relations.append(Relation("change_from", described))
        family = lex.family.get(draft.indicator)
        if family and any(r.kind == "part_of" for r in draft.relations):
            listed[family] = i


def _relate_part(
    drafts: list[_Draft],
    i: int,
    same_sentence: range,
    text: str,
    frames: dict[str, int],
    listed: dict[str, int],
) -> None:
    """A count that is a part of an earlier total: after 其中, in brackets after the total, in
    a frame (在处分的322人中，县处级干部11人), or the next member of a listed family."""
    lex = lexicon()
    draft = drafts[i]
    q = draft.q
    cue = max((text.rfind(c, draft.sentence_start, q.start) for c in lex.part_cues), default=-1)
    bracket = text.rfind("（", draft.sentence_start, q.start)
    closed = text.rfind("）", draft.sentence_start, q.start)
    if bracket > closed and text.startswith(lex.method_cues, bracket + 1):
        bracket = -1  # （按上年结转117件…计算）states a method, not parts
    anchor = cue if cue >= 0 else (bracket if bracket > closed else -1)
    if anchor >= 0:
        total = next(
            (
                j
                for j in reversed(same_sentence)
                if drafts[j].q.end <= anchor
                and drafts[j].q.unit == q.unit
                and not _bracketed(
                    text, drafts[j].q.start, drafts[j].q.end, anchor, draft.sentence_start
                )
            ),
            None,
        )
        if total is not None:
            # the cue (其中) or the opening bracket
            length = next((len(c) for c in lex.part_cues if text.startswith(c, anchor)), 1)
            draft.relations.append(Relation("part_of", total, Span(anchor, anchor + length)))
            return
    frame = frames.get(q.unit)
    if frame is not None:
        end = drafts[frame].q.end
        draft.relations.append(Relation("part_of", frame, Span(end, end + 1)))
    elif lex.family.get(draft.indicator):
        # 其中第一种形态128人次，占67.0%；第二种形态49人次…: the list runs on after ；
        sibling = _previous_part(drafts, i, listed)
        if sibling is not None:
            draft.relations.append(Relation("part_of", sibling))


def _bracketed(text: str, start: int, end: int, before: int, lo: int) -> bool:
    """A figure inside a bracket closed before ``before`` (处分225人（党纪处分209人、政务处分
    41人），其中…): a part of the figure before the bracket, never the total of a later 其中.
    ``lo`` (the sentence start) bounds the search."""
    opened = text.rfind("（", lo, start)
    if opened < 0 or text.rfind("）", opened, start) >= 0:
        return False
    closed = text.find("）", end, before)
    return 0 <= closed < before


def _relate_rate(drafts: list[_Draft], i: int, text: str, bases: list[int]) -> None:
    """结案率 → its numerator (结案), then its whole: the method the author states right after
    it (（按上年结转117件与本年立案之和计算）), else the rate's default denominator (立案).
    A comparison base (上年同期立案165件) is never either."""
    draft = drafts[i]
    numerator, denominator = lexicon().rates[draft.indicator]
    source = _last_with(drafts, i, numerator, exclude=bases, period=draft.period, like=draft)
    if source is not None:
        draft.relations.append(Relation("rate_of", source))
    stated = _stated_method(drafts, i, text, bases)
    if stated:
        draft.relations += [Relation("rate_of", j, whole_by="stated_method") for j in stated]
        return
    whole = _last_with(drafts, i, denominator, exclude=bases, period=draft.period, like=draft)
    if whole is not None:
        whole = _total_of_part(drafts, whole, source)
        draft.relations.append(Relation("rate_of", whole, whole_by="default"))


def _total_of_part(drafts: list[_Draft], whole: int, numerator: int | None) -> int:
    """A rate's default whole that is itself one part of a total of its kind (立案247件，
    其中本级立案26件；结案204件，结案率82.6%) is that total, unless the numerator is a part
    too (the rate of the part then)."""
    numerator_is_part = numerator is not None and any(
        r.kind == "part_of" for r in drafts[numerator].relations
    )
    total = next((r.target for r in drafts[whole].relations if r.kind == "part_of"), None)
    if total is None or numerator_is_part or drafts[total].indicator != drafts[whole].indicator:
        return whole
    return total


def _stated_method(drafts: list[_Draft], i: int, text: str, bases: list[int]) -> list[int]:
    """The figures whose sum the author says the rate is computed on, from a bracket right
    after it: （按上年结转117件与本年立案之和计算）: 117件 and the year's 立案 figure."""
    lex = lexicon()
    q = drafts[i].q
    if not text.startswith("（", q.end) or not text.startswith(lex.method_cues, q.end + 1):
        return []
    close = text.find("）", q.end)
    if close < 0:
        return []
    inside = [j for j in range(i + 1, len(drafts)) if drafts[j].q.end <= close]
    addends = list(inside)
    for term in lex.sum_words.split(text[q.end + 1 : close]):
        # a term holding one of the bracket's own figures (上年结转117件) is that figure;
        # a term that only names one (本年立案) is the nearest earlier figure of that name
        if any(drafts[j].q.text in term for j in inside):
            continue
        found = _indicator(term, 0)
        if found is None:
            continue
        named = _last_with(drafts, i, found[0], exclude=bases, period=drafts[i].period)
        if named is not None:
            addends.append(named)
    return sorted(set(addends))


def _previous_part(drafts: list[_Draft], i: int, listed: dict[str, int]) -> int | None:
    """The total of the previous part of the same family in this 。-sentence, if any.

    ``listed`` holds the last such part of each family, kept as the figures are related: a
    walk back over the sentence from every figure grew as n² in a text of many figures."""
    j = listed.get(lexicon().family[drafts[i].indicator])
    if j is None:
        return None
    total = next(r.target for r in drafts[j].relations if r.kind == "part_of")
    return total if drafts[total].q.unit == drafts[i].q.unit else None


def _relate_share(
    drafts: list[_Draft],
    i: int,
    same_sentence: range,
    between: str,
    text: str,
    bases: list[int],
) -> None:
    """占比 X%: the part it is of, and its whole, decided in this order (never the part itself,
    never a comparison base): a total the text names (占全区立案数的), the total a 其中 list
    hangs from; 立案30件，其中…占23.7% is a share of 30 whose part is not stated (share_of)."""
    lex = lexicon()
    last_count = next((j for j in reversed(same_sentence) if drafts[j].q.kind == "count"), None)
    parts = [] if last_count is None else [last_count]
    named = re.search(r"占(.{1,16}?)的?$", between.strip())
    if named and named.group(1) not in ("比",):
        found = _indicator(named.group(1), 0)
        if found:
            scope = lex.scope_word.search(named.group(1))
            whole = _named_whole(drafts, i, found[0], scope.group() if scope else None, bases)
            if parts and whole is not None and whole != parts[-1]:
                drafts[i].relations += [
                    Relation("rate_of", parts[-1]),
                    Relation("rate_of", whole, whole_by="named"),
                ]
            return
    if not parts:
        return
    part = parts[-1]
    own = drafts[i]
    if own.indicator != drafts[part].indicator and own.indicator_text in between:
        # …第四种形态1人次，第一种形态占比65.8%: the share names its own part, stated earlier
        named_part = _last_with(drafts, i, own.indicator, within=list(same_sentence) or None)
        if named_part is None:
            return
        part = named_part
    totals = [r.target for r in drafts[part].relations if r.kind == "part_of"]
    if between.lstrip("，、 ").startswith(lex.share_cues):
        # 县处级干部7人，占29.2%: the count just stated is the part; its whole is the total
        # it is a part of, or unknown (then nothing is checked)
        if totals:
            drafts[i].relations += [
                Relation("rate_of", part),
                Relation("rate_of", totals[0], whole_by="qizhong"),
            ]
    elif totals:
        drafts[i].relations += [
            Relation("rate_of", part),
            Relation("rate_of", totals[0], whole_by="qizhong"),
        ]
    elif any(cue in between for cue in lex.part_cues):
        # 立案30件，其中…占23.7%: a share of the figure just stated, its part not given
        drafts[i].relations.append(Relation("share_of", part, whole_by="qizhong"))


def _named_whole(
    drafts: list[_Draft], i: int, indicator: str, scope: str | None, bases: list[int]
) -> int | None:
    """The total a share names (占全市立案数的): the last count of that indicator before it,
    of that scope when the name gives one, of the share's period, and not itself a part."""
    for j in range(i - 1, -1, -1):
        d = drafts[j]
        if d.indicator != indicator or d.q.kind != "count" or j in bases:
            continue
        if any(r.kind == "part_of" for r in d.relations):
            continue
        if scope is not None and d.scope != scope:
            continue
        if _period_key(d) != _period_key(drafts[i]):
            continue
        return j
    return None


def _last_with(
    drafts: list[_Draft],
    before: int,
    indicator: str,
    within: list[int] | None = None,
    exclude: list[int] | None = None,
    period: Period | None = None,
    like: _Draft | None = None,
) -> int | None:
    """The last count of ``indicator`` before ``before`` (of ``period``, when given; of a
    scope that does not contradict ``like``'s, when given), no further back than
    :data:`~jjnlp.zh.text.REACH` characters."""
    candidates = within if within is not None else range(before)
    key = period.key if period is not None else None
    floor = drafts[before].q.start - REACH if before < len(drafts) else -1
    for j in reversed(list(candidates)):
        if drafts[j].q.end < floor:
            break
        if (
            drafts[j].indicator == indicator
            and drafts[j].q.kind == "count"
            and (not exclude or j not in exclude)
            and (period is None or _period_key(drafts[j]) == key)
            and (like is None or compatible_scopes(drafts[j].scope, like.scope))
        ):
            return j
    return None


def compatible_scopes(a: str | None, b: str | None) -> bool:
    """Two figures may be of one unit unless both name theirs and the names differ."""
    return a is None or b is None or a == b


def _period_key(draft: _Draft) -> tuple[object, ...] | None:
    return draft.period.key if draft.period is not None else None


def _table_figures(document: Document, terms: list[Term]) -> list[tuple[Quantity, str, str]]:
    """Figures in table cells: (quantity, indicator from the column's header path, row label).

    A bare number takes its unit from the header (立案（件）, 金额（万元）); a cell that states
    its own unit (12件, 3.5万元) is read like running text. A column under a merged group
    header is named by its whole path: 立案（件）/合计 counts 立案, 立案（件）/其中：党纪
    counts 立案（其中：党纪）.
    """
    text = document.text
    out = []
    for blocks in grids(document).values():
        rows = [[text[c.start : c.end] for c in b.cells] for b in blocks]
        count, paths = header_paths(rows)
        if not count:
            continue
        for block in blocks[count:]:
            if not block.cells:
                continue
            label = text[block.cells[0].start : block.cells[0].end]
            for cell in block.cells[1:]:
                if cell.col >= len(paths):
                    continue
                indicator, unit = _column(paths[cell.col])
                raw = text[cell.start : cell.end]
                if _BARE_NUMBER.match(raw):
                    out.append((_bare_cell(raw, cell.start, unit), indicator, label))
                    continue
                for q in find_quantities(raw):
                    q = replace(q, start=q.start + cell.start, end=q.end + cell.start)
                    if _is_figure(q, text, terms):
                        out.append((q, indicator, label))
    return out


def _column(path: str) -> tuple[str, str]:
    """A column's indicator and unit from its header path."""
    parts = path.split("/")
    unit = ""
    indicator = ""
    for part in parts:
        unit_match = _UNIT_IN_HEADER.search(part)
        if unit_match:
            unit = unit_match.group(1)
        name = part[: unit_match.start()] if unit_match else part
        found = lexicon().surfaces.search(name)
        if found and not indicator:
            indicator = lexicon().canonical[found.group()]
    if not indicator:
        indicator = _UNIT_IN_HEADER.sub("", parts[-1])
    elif len(parts) > 1 and is_part_column(path):
        indicator = f"{indicator}（{parts[-1]}）"
    return indicator, unit


def _bare_cell(raw: str, start: int, unit: str) -> Quantity:
    """A number alone in a cell, with the unit its column header states (or none)."""
    stated = raw if raw.endswith(("%", "％")) else raw + unit
    try:
        q = parse_quantity(stated)
        return replace(q, start=start, end=start + len(raw), text=raw)
    except ValueError:
        pass
    number = parse_number(raw)
    exact = not number.decimals
    half = Decimal(1).scaleb(-number.decimals) / 2
    interval = (
        Interval(number.value, number.value)
        if exact
        else Interval(number.value - half, number.value + half)
    )
    return Quantity(
        start,
        start + len(raw),
        raw,
        number.value,
        None,
        unit,
        unit,
        "count",
        number.decimals,
        None,
        interval,
        False,
    )


def extract_metrics(document: Document, outline: Outline | None) -> tuple[list[Metric], list[Term]]:
    text = document.text
    lex = lexicon()
    terms = [Term(m.start(), m.end(), m.group()) for m in lex.terms.finditer(text)]
    slogans = [
        Term(m.start() + 1, m.end() - 1, m.group()[1:-1]) for m in lex.quoted_slogans.finditer(text)
    ]
    terms += [s for s in slogans if not _inside_any(s, terms)]
    terms.sort(key=lambda t: t.start)
    in_tables = [(b.start, b.end) for b in document.blocks if b.kind == "table_row"]
    table_starts = [s for s, _ in in_tables]

    def in_table(offset: int) -> bool:
        k = bisect_right(table_starts, offset) - 1
        return k >= 0 and in_tables[k][0] <= offset <= in_tables[k][1]

    drafts = [
        _Draft(q)
        for q in find_quantities(text)
        if _is_figure(q, text, terms) and not in_table(q.start)
    ]
    _name(drafts, text)
    _changes_after_bases(drafts, text)
    for quantity, indicator, label in _table_figures(document, terms):
        drafts.append(_Draft(quantity, indicator, indicator, quantity.start, scope=label))
    drafts.sort(key=lambda d: d.q.start)  # table figures join in document order
    if outline is not None:
        _date(drafts, text, outline)
    _relate(drafts, text)
    return [_metric(d, outline) for d in drafts], terms


def _date(drafts: list[_Draft], text: str, outline: Outline) -> None:
    """Each figure's period: the comparison base it is stated for, or the period in force."""
    from jjnlp.structure import period_at

    report = outline.report_period
    year = report.start_date.year if report and report.start_date else None
    for draft in drafts:
        draft.period = _comparison(text, draft, year) or period_at(outline, draft.q.start)


def _metric(draft: _Draft, outline: Outline | None) -> Metric:
    q = draft.q
    section = None
    if outline is not None:
        inner = section_at(outline.sections, q.start)
        section = inner.title if inner else None
    return Metric(
        start=q.start,
        end=q.end,
        text=q.text,
        value=q.value,
        unit=q.unit,
        stated_unit=q.stated_unit,
        kind=q.kind,  # type: ignore[arg-type]
        decimals=q.decimals,
        interval=q.interval,
        approx=q.approx,  # type: ignore[arg-type]
        indicator=draft.indicator,
        indicator_text=draft.indicator_text,
        period=draft.period,
        scope=draft.scope,
        section=section,
        relations=tuple(draft.relations),
    )
