"""The one data model of jjnlp.

A document is read once into one normalised ``text``; everything found later
(sections, figures, entities, problems, cases, findings) is a record whose
``start``/``end`` are character offsets into that text.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any, Literal

# each record class's field getter: its values in order, as a tuple
_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


class Pickled:
    """The base of the slots dataclasses that go between processes (a batch worker's
    analysis or record): each pickles as its class and its field values in order, and
    unpickles through its ``__init__``.

    A slots dataclass otherwise pickles through the dataclasses module's own state methods,
    which look the class's fields up again for every object: a batch record (about sixty
    objects) took 0.32 ms to pickle and 0.48 ms to unpickle, 0.20 and 0.38 this way.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        kind = type(self)
        values = _VALUES.get(kind)
        if values is None:
            names = [f.name for f in fields(kind)]  # type: ignore[arg-type]
            get = operator.attrgetter(*names)
            values = _VALUES[kind] = get if len(names) > 1 else lambda record: (get(record),)
        return kind, values(self)


@dataclass(frozen=True, slots=True)
class Span(Pickled):
    """A half-open character range ``[start, end)`` of ``Document.text``."""

    start: int
    end: int

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


# --------------------------------------------------------------------------- reading

BlockKind = Literal["paragraph", "table_row", "note"]


@dataclass(frozen=True, slots=True)
class Cell(Pickled):
    """One table cell; its text is ``Document.text[start:end]``."""

    table: int
    row: int
    col: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block(Pickled):
    """A paragraph, a table row or a note, with where it came from in the source file.

    Blocks are separated by one ``\\n`` in ``Document.text``; a table row is its
    cells joined by ``\\t``. A ``"note"`` is a paragraph of a footnote or endnote
    (Word), placed after the body; the document's ``metadata["notes"]`` says where
    its reference stood.
    """

    kind: BlockKind
    start: int
    end: int
    index: int  # position among the source's blocks (0-based)
    page: int | None = None  # 1-based page number (PDF)
    table: int | None = None  # 0-based table number (docx/pdf tables)
    row: int | None = None  # 0-based row within its table
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True, slots=True)
class Document(Pickled):
    """A source file read into normalised text plus provenance."""

    path: str
    format: str  # "txt" | "docx" | "pdf" | "ofd", or converted: "doc" | "wps" | "rtf" | "odt"
    text: str
    blocks: tuple[Block, ...]
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str, path: str = "<text>") -> Document:
        """A document from a string, read as a .txt file is (one paragraph per line)."""
        from jjnlp.readers.text import document_from_text

        return document_from_text(text, path)

    def block_at(self, offset: int) -> Block | None:
        """The block containing ``offset`` (binary search over ``blocks``)."""
        lo, hi = 0, len(self.blocks)
        while lo < hi:
            mid = (lo + hi) // 2
            block = self.blocks[mid]
            if offset < block.start:
                hi = mid
            elif offset > block.end:
                lo = mid + 1
            else:
                return block
        return None

    def flagged(self, offset: int, key: str) -> bool:
        """Whether the block holding ``offset`` is listed (by index) in ``metadata[key]``:
        ``ocr_units`` (read by OCR), ``revised_units`` (holds tracked insertions)."""
        block = self.block_at(offset)
        return block is not None and block.index in self.metadata.get(key, ())

    def line_of(self, offset: int) -> int:
        """1-based line number of ``offset`` in ``text``."""
        return self.text.count("\n", 0, offset) + 1


# --------------------------------------------------------------------------- structure


@dataclass(frozen=True, slots=True)
class Section(Pickled):
    """A numbered heading and the body it governs.

    ``marker`` is the numbering as written (``一、``, ``（二）``, ``1.``, ``（3）``),
    ``number`` the numeral alone (``一``, ``二``, ``1``, ``3``), ``ordinal`` its value.
    ``heading`` spans the heading text; ``body`` runs to the next heading of the
    same or a higher level.
    """

    level: int
    marker: str
    number: str
    ordinal: int
    title: str
    heading: Span
    body: Span
    inline: bool = False  # heading and paragraph share one line
    children: tuple[Section, ...] = ()


def section_at(sections: tuple[Section, ...], offset: int) -> Section | None:
    """The innermost section whose body holds ``offset``."""
    for section in sections:
        if section.body.start <= offset <= section.body.end:
            return section_at(section.children, offset) or section
    return None


@dataclass(frozen=True, slots=True)
class Item(Pickled):
    """One element of a ``一是…二是…`` enumeration."""

    marker: str
    ordinal: int
    headline: str
    span: Span  # the whole item, marker included
    section: str | None = None  # title of the enclosing section


@dataclass(frozen=True, slots=True)
class Period(Pickled):
    """A reporting period stated in the text, resolved to dates when possible."""

    text: str
    span: Span
    start_date: date | None = None
    end_date: date | None = None
    comparison: bool = False  # 同比 / 去年同期: a base period, not the reporting one
    governs: bool = False  # opens a sentence (2023年1-4月，…): the figures after it are for it
    # governs from its paragraph's first sentence: then it holds to the end of its section,
    # else only within its own sentence
    opens_paragraph: bool = False

    @property
    def key(self) -> tuple[object, ...]:
        """What makes two mentions one period: their dates; an undated base is any base."""
        if self.start_date is not None and self.end_date is not None:
            return (self.start_date, self.end_date, self.comparison)
        return ("comparison",) if self.comparison else (self.text,)


@dataclass(frozen=True, slots=True)
class Outline(Pickled):
    """The 公文 structure of a document."""

    title: Span | None
    addressee: Span | None
    issuer: Span | None
    date: Span | None
    issued_on: dt.date | None
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    periods: tuple[Period, ...]
    sentences: tuple[Span, ...]
    report_period: Period | None = None  # the period the whole document reports on
    # the periods that open their paragraph and so hold to the end of their section
    governing: tuple[Period, ...] = ()
    issuing_body: Span | None = None  # 红头: the 发文机关标志 at the top (…纪律检查委员会文件)
    doc_number: Span | None = None  # 发文字号 (澜纪发〔2024〕12号)

    def walk(self) -> tuple[Section, ...]:
        """All sections in document order, depth first."""
        out: list[Section] = []

        def visit(sections: tuple[Section, ...]) -> None:
            for s in sections:
                out.append(s)
                visit(s.children)

        visit(self.sections)
        return tuple(out)


# --------------------------------------------------------------------------- figures

MetricKind = Literal["count", "money", "percent", "percentage_point", "ratio", "duration"]
Approx = Literal["more_than", "less_than", "about", "at_least", "at_most"]


@dataclass(frozen=True, slots=True)
class Interval(Pickled):
    """The values a stated figure stands for; ``None`` bounds are open-ended."""

    low: Decimal | None
    high: Decimal | None
    low_closed: bool = True
    high_closed: bool = True

    def contains(self, value: Decimal) -> bool:
        if self.low is not None and (
            value < self.low or (value == self.low and not self.low_closed)
        ):
            return False
        return not (
            self.high is not None
            and (value > self.high or (value == self.high and not self.high_closed))
        )


WholeBy = Literal["named", "qizhong", "stated_method", "default"]


@dataclass(frozen=True, slots=True)
class Relation(Pickled):
    """A relation the text states between two figures (indices into ``metrics``)."""

    kind: Literal["part_of", "share_of", "change_from", "done_of", "rate_of", "subset_of"]
    target: int
    evidence: Span | None = None  # the cue (其中, 占, 同比 …)
    # on a rate or share: how its whole (denominator) was chosen, None on the part/numerator
    # named: the text names it (占全区立案数的); qizhong: the total a 其中 list hangs from;
    # stated_method: the author states it (按上年结转…与本年立案之和计算); default: the
    # configured denominator of that rate (结案率 → 立案)
    whole_by: WholeBy | None = None


@dataclass(frozen=True, slots=True)
class Metric(Pickled):
    """One stated figure and what it counts."""

    start: int
    end: int
    text: str
    value: Decimal  # exact; in the canonical unit (元 for money, % for percent)
    unit: str  # canonical unit
    stated_unit: str  # as written (万元, 人次 …)
    kind: MetricKind
    decimals: int  # decimal places as written (40.0% → 1)
    interval: Interval
    approx: Approx | None
    indicator: str  # canonical indicator name, or the nearest noun phrase
    indicator_text: str  # surface form the indicator was read from
    period: Period | None = None  # the period it is stated for (a comparison base is one)
    scope: str | None = None
    section: str | None = None
    relations: tuple[Relation, ...] = ()

    @property
    def period_key(self) -> tuple[object, ...] | None:
        return self.period.key if self.period is not None else None


@dataclass(frozen=True, slots=True)
class TableRow(Pickled):
    """A body row of a statistics table: its label, whether it is the 合计 row, and the index
    into ``metrics`` of the figure in each column (None where the cell holds none)."""

    row: int
    label: str
    total: bool
    cells: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class StatTable(Pickled):
    """A statistics table: its header rows, each column's header path (立案（件）/合计), rows."""

    table: int  # Block.table
    start: int
    end: int
    header_rows: int
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]


@dataclass(frozen=True, slots=True)
class Term(Pickled):
    """A numeral-bearing name or slogan that is not a figure (四种形态, 两函一书 …)."""

    start: int
    end: int
    text: str


# ------------------------------------------------------------------ entities, problems, cases


@dataclass(frozen=True, slots=True)
class Entity(Pickled):
    label: str  # ORG LOC PER TITLE DOC TERM DATE MONEY
    start: int
    end: int
    text: str
    person: str | None = None  # TITLE: the name written with it (河西镇纪委副书记张某某)
    unit: str | None = None  # TITLE: the organisation it opens with (河西镇纪委)


@dataclass(frozen=True, slots=True)
class Problem(Pickled):
    """A problem statement from a report's 存在的问题 part, classified."""

    start: int
    end: int
    text: str
    headline: str
    labels: tuple[str, ...]
    scores: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Person(Pickled):
    """One masked person of a case and their own outcome."""

    name: str  # masked, as written (张某某, 王某)
    position: str | None = None  # as written, 原 included (原党组书记、局长)
    unit: str | None = None
    party_sanction: str | None = None
    admin_sanction: str | None = None
    treatments: tuple[str, ...] = ()
    transferred: bool = False  # 移送检察机关


@dataclass(frozen=True, slots=True)
class Amount(Pickled):
    """A sum of money a case states, with its exact value in 元 (the metric's value)."""

    text: str  # as written (2.6万元, 约680元)
    value: Decimal
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Case(Pickled):
    """One case of a 通报.

    ``person``/``position``/``unit`` and the outcome fields are the main (first) person's;
    ``people`` holds everyone the case names with their own outcome, the main person first.
    ``amounts`` are the sums of money stated, ``goods`` the received goods (茅台酒12瓶).
    """

    number: str
    start: int
    end: int
    headline: str
    person: str | None
    position: str | None
    unit: str | None
    category: str | None
    discipline: str | None
    conduct: str | None
    dates: tuple[str, ...] = ()
    amounts: tuple[Amount, ...] = ()
    party_sanction: str | None = None
    admin_sanction: str | None = None
    treatments: tuple[str, ...] = ()
    transferred: bool = False
    recovered: bool = False
    form: int | None = None
    people: tuple[Person, ...] = ()
    goods: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseNotice(Pickled):
    announced: int | None  # cases the title announces
    announced_span: Span | None
    cases: tuple[Case, ...]


# --------------------------------------------------------------------------- findings

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Finding(Pickled):
    """One audit finding: a rule, the stated text, the arithmetic, the evidence."""

    rule: str
    severity: Severity
    message: str  # Chinese, states the arithmetic
    start: int
    end: int
    text: str
    evidence: tuple[Span, ...] = ()
    stated: str | None = None
    expected: str | None = None
    fingerprint: str = ""


# --------------------------------------------------------------------------- the whole


@dataclass(slots=True)
class Analysis(Pickled):
    """Everything jjnlp found in one document; filled stage by stage."""

    document: Document
    outline: Outline | None = None
    metrics: list[Metric] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    tables: list[StatTable] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cases: CaseNotice | None = None
    findings: list[Finding] = field(default_factory=list)
    coverage: Mapping[str, int] = field(default_factory=dict)
    stages: list[str] = field(default_factory=list)  # the stages that ran, in order
