"""Find the problem statements of a work report in its outline."""

from __future__ import annotations

from functools import cache
from typing import Any

from jjnlp.model import Document, Outline, Problem, Section, Span
from jjnlp.problems.model import load_model
from jjnlp.resources import load_toml
from jjnlp.zh.text import Level, split


@cache
def _titles() -> tuple[str, ...]:
    return tuple(load_toml("problem_taxonomy.toml")["sections"]["titles"])


def _problems_part(document: Document, outline: Outline) -> tuple[Span, list[Section]] | None:
    """The span of the problems part and the numbered sections inside it."""
    for section in outline.walk():
        if section.title.rstrip("：:") in _titles():
            return section.body, list(section.children)
    # a bare line 存在的问题： followed by numbered headings
    text = document.text
    for block in document.blocks:
        line = text[block.start : block.end].rstrip("：:")
        if line in _titles():
            after = [s for s in outline.walk() if s.heading.start > block.end]
            top = min((s.level for s in after), default=0)
            after = [s for s in after if s.level == top]
            end = after[-1].body.end if after else len(text)
            return Span(block.end + 1, end), after
    return None


def _statements(
    document: Document, outline: Outline, part: Span, children: list[Section]
) -> list[tuple[Span, str]]:
    text = document.text
    items = [i for i in outline.items if part.start <= i.span.start < part.end]
    if items:
        return [(i.span, i.headline) for i in items]
    if children:
        return [(s.body, s.title) for s in children]
    statements = []
    start = part.start
    body = text[part.start : part.end]
    heading_end = body.find("。") + 1 if body.startswith(("一", "二", "三", "四")) else 0
    for unit in split(body[heading_end:], Level.CLAUSE):
        raw = unit.slice(body[heading_end:])
        clause = raw.strip()
        if len(clause) >= 6:
            begin = start + heading_end + unit.start
            statements.append((Span(begin, begin + len(raw)), clause.rstrip(Level.CLAUSE.value)))
    return statements


def extract_problems(document: Document, outline: Outline, model: Any = None) -> list[Problem]:
    """Problem statements with labels from ``model`` (default: the shipped scikit-learn one)."""
    found = _problems_part(document, outline)
    if found is None:
        return []
    model = model or load_model()
    problems = []
    for span, headline in _statements(document, outline, *found):
        statement = document.text[span.start : span.end]
        labels, scores = model.predict(statement)
        problems.append(
            Problem(
                span.start,
                span.end,
                statement,
                headline,
                labels,
                {k: round(v, 4) for k, v in scores.items()},
            )
        )
    return problems
