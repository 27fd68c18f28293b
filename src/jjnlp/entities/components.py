"""The two rule components around the statistical ``ner`` (see :mod:`jjnlp.entities.nlp`)."""

from __future__ import annotations

import jjnlp.entities.torchless  # noqa: F401  (before spaCy: see that module)

# isort: split

import re
from collections.abc import Iterable
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from jjnlp.entities import compose, rules, shapes
from jjnlp.entities import tagger as _tagger  # noqa: F401  (registers jjnlp_entity_tagger)
from jjnlp.entities.nlp import NER_LABELS, SPANS_KEY

# a title's person and unit, when the text writes them with it (河西镇纪委副书记张某某)
for _name in ("person", "unit"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


@cache
def _known_org_pattern() -> re.Pattern[str]:
    names = sorted(rules.config()["known_orgs"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def _known_orgs(doc: Doc) -> Iterable[Span]:
    text = shapes.text_of(doc)
    for m in _known_org_pattern().finditer(text):
        if m.start() > 0 and text[m.start() - 1] in "*＊":
            continue  # a masked place opens a longer name (*市委政治生态考核组)
        if shapes.is_generic(doc, m.start()):
            continue
        start = shapes.place_ending_in(doc, m.start())
        span = shapes.span(doc, m.start() if start is None else start, m.end(), "ORG")
        if span is not None:
            yield span


@Language.component("jjnlp_entity_rules")
def entity_rules(doc: Doc) -> Doc:
    """Pattern entities and known bodies, as ``doc.ents`` for ``ner`` to work around."""
    spans = [shapes.span(doc, s.start, s.end, s.label) for s in rules.find(shapes.text_of(doc))]
    found = [s for s in spans if s is not None]
    doc.spans[SPANS_KEY] = found + list(_known_orgs(doc))
    # a masked place or a known body may open a longer name (**市纪委监委, 市委政策法规研究室):
    # ``ner`` sees those tokens free; the other pattern entities are fixed for it
    doc.ents = filter_spans([s for s in found if s.label_ not in NER_LABELS or s.label_ == "PER"])
    return doc


@Language.component("jjnlp_entity_compose")
def entity_compose(doc: Doc) -> Doc:
    """Merge ``ner``'s entities with the rule ones and add the nested spans."""
    spans = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
    for entity in doc.ents:
        if entity.label_ in NER_LABELS:
            for part in compose.parts(doc, entity):
                shaped = compose.shaped(doc, part)
                if shaped is not None:
                    spans.append(shaped)
    spans += list(compose.titles(doc, spans))
    spans += list(compose.units_of_titles(doc, spans))
    spans = [compose.with_unit(doc, s) if s.label_ == "ORG" else s for s in spans]
    spans = [compose.with_places(doc, s) if s.label_ in ("ORG", "TITLE") else s for s in spans]
    for span in list(spans):
        if span.label_ == "TITLE":
            unit = compose.unit_of_title(doc, span)
            if unit is not None:
                spans.append(unit)
    for span in list(spans):
        if span.label_ in ("ORG", "TITLE"):
            spans += compose.places(doc, span.start_char, span.end_char)
    kept = _outermost(spans)
    compose.attach(doc, kept)
    doc.spans[SPANS_KEY] = kept
    doc.ents = filter_spans(kept)
    doc.user_data.pop(shapes.TEXT_KEY, None)
    return doc


def _outermost(spans: list[Span]) -> list[Span]:
    """One span per (start, end, label), without spans inside another of the same label."""
    reduced = rules.outermost([rules.RuleSpan(s.start_char, s.end_char, s.label_) for s in spans])
    by_key = {(s.start_char, s.end_char, s.label_): s for s in spans}
    return [by_key[(r.start, r.end, r.label)] for r in reduced]
