"""The statistical entity recogniser as a token tagger: one BILUO tag a token, then spans.

A softmax over the tok2vec vectors gives each token a score for every tag (O, and B-, I-,
L-, U- of each label); :func:`decode` reads the best valid tag sequence from them (a
Viterbi walk over the runs of tokens that may hold an entity), so there is no per-token
transition loop as in spaCy's transition-based ``ner``. Like that ``ner`` it keeps the
entities already set (the pattern ones of ``jjnlp_entity_rules``) and adds its own around
them; no entity starts on, ends on or spans whitespace. Registered as
``jjnlp_entity_tagger``; the pipeline names it ``ner`` (:mod:`jjnlp.entities.nlp`).
"""

from __future__ import annotations

import jjnlp.entities.torchless  # noqa: F401  (before spaCy: see that module)

# isort: split

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from itertools import islice
from typing import Any

import numpy
from spacy.attrs import ENT_IOB, IS_SPACE
from spacy.language import Language
from spacy.pipeline.tagger import Tagger
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_examples
from thinc.api import Config, Model, SequenceCategoricalCrossentropy

__all__ = ["EntityTagger", "decode", "tags_of"]

MOVES = "BILU"  # the tags of a label, in the order of its four columns after O

# spaCy's default tagger network, at width 48 (scripts/train_ner.py sets the sizes it trains)
DEFAULT_MODEL = Config().from_str(
    """
[model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false

[model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 48
depth = 4
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = true
"""
)["model"]


def tags_of(labels: Sequence[str]) -> list[str]:
    """O, then B-, I-, L-, U- of each label: the columns of the scores."""
    return ["O", *(f"{move}-{label}" for label in labels for move in MOVES)]


@cache
def _transitions(n_labels: int) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """What BILUO allows: (previous tag × tag) penalties, and those of the first and the
    last tag of a run; 0 where allowed, -inf where not."""
    n = 1 + len(MOVES) * n_labels
    closed = [0] + [1 + 4 * k + m for k in range(n_labels) for m in (2, 3)]  # O, L, U
    opening = [0] + [1 + 4 * k + m for k in range(n_labels) for m in (0, 3)]  # O, B, U
    trans = numpy.full((n, n), -numpy.inf, dtype="f")
    trans[numpy.ix_(closed, opening)] = 0
    for k in range(n_labels):
        begin, inside, last = 1 + 4 * k, 2 + 4 * k, 3 + 4 * k
        trans[numpy.ix_([begin, inside], [inside, last])] = 0
    first = numpy.full(n, -numpy.inf, dtype="f")
    first[opening] = 0
    final = numpy.full(n, -numpy.inf, dtype="f")
    final[closed] = 0
    return trans, first, final


def _viterbi(
    scores: numpy.ndarray, trans: numpy.ndarray, first: numpy.ndarray, final: numpy.ndarray
) -> list[int]:
    """The valid tag sequence of one run of tokens with the greatest sum of scores."""
    n, width = scores.shape
    back = numpy.zeros((n, width), dtype="i")
    best = scores[0] + first
    states = numpy.arange(width)
    for i in range(1, n):
        paths = best[:, None] + trans
        back[i] = paths.argmax(axis=0)
        best = paths[back[i], states] + scores[i]
    tag = int((best + final).argmax())
    path = [tag]
    for i in range(n - 1, 0, -1):
        tag = int(back[i, tag])
        path.append(tag)
    return path[::-1]


def decode(
    scores: numpy.ndarray, fixed: numpy.ndarray, n_labels: int
) -> list[tuple[int, int, int]]:
    """Entities (start token, end token, label index) from one document's tag scores.

    ``fixed`` marks the tokens that are outside every new entity (set entities,
    whitespace). A token whose best tag is O is outside too; each run of the others is
    decoded whole (:func:`_viterbi`): the best valid sequence over the tokens that may
    hold an entity, which reads I-ORG L-ORG after an O as B-ORG L-ORG, not as nothing.
    """
    free = (scores.argmax(axis=1) != 0) & ~fixed
    if not free.any():
        return []
    trans, first, final = _transitions(n_labels)
    edges = numpy.flatnonzero(numpy.diff(numpy.concatenate(([0], free.view("i1"), [0]))))
    found = []
    for start, end in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        path = _viterbi(scores[start:end], trans, first, final)
        opened = start
        for i, tag in enumerate(path, start):
            if tag == 0:
                continue
            move, label = (tag - 1) % 4, (tag - 1) // 4
            if move in (0, 3):  # B, U
                opened = i
            if move in (2, 3):  # L, U
                found.append((opened, i + 1, label))
    return found


class EntityTagger(Tagger):
    """Entities from per-token BILUO tags (``labels`` are the entity labels)."""

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    @property
    def label_data(self) -> tuple[str, ...]:
        return self.labels

    @property
    def tags(self) -> list[str]:
        return tags_of(self.labels)

    def add_label(self, label: str) -> int:
        """Add an entity label (its four tags); 0 if it is there already."""
        if not isinstance(label, str):
            raise ValueError(f"an entity label is a string, not {label!r}")
        if label in self.labels:
            return 0
        self._allow_extra_label()
        self.cfg["labels"].append(label)
        for tag in tags_of([label]):
            self.vocab.strings.add(tag)
        return 1

    def predict(self, docs: Iterable[Doc]) -> list[numpy.ndarray]:
        """Each document's scores: tokens × tags."""
        docs = list(docs)
        if not any(len(doc) for doc in docs):
            return [self.model.ops.alloc2f(0, len(self.tags)) for _ in docs]
        return [numpy.asarray(s) for s in self.model.predict(docs)]

    def set_annotations(self, docs: Iterable[Doc], scores: Sequence[numpy.ndarray]) -> None:
        """``doc.ents``: the entities set before, and the decoded ones around them."""
        labels = self.labels
        for doc, doc_scores in zip(docs, scores, strict=True):
            if not len(doc):
                continue
            marks = doc.to_array([ENT_IOB, IS_SPACE])
            # ENT_IOB 1 and 3: inside or beginning an entity set before
            fixed = (marks[:, 0] == 1) | (marks[:, 0] == 3) | (marks[:, 1] != 0)
            found = [
                Span(doc, start, end, label=labels[k])
                for start, end, k in decode(doc_scores, fixed, len(labels))
            ]
            if found:
                doc.ents = sorted([*doc.ents, *found], key=lambda s: s.start)

    def get_loss(self, examples: Iterable[Example], scores: Any) -> tuple[float, Any]:
        """Cross-entropy against the reference entities as BILUO tags (misaligned or
        unannotated tokens count for nothing)."""
        examples = list(examples)
        validate_examples(examples, "EntityTagger.get_loss")
        tags = self.tags
        known = set(tags)
        loss_func = SequenceCategoricalCrossentropy(names=tags, normalize=False)
        truths: list[Any] = [
            [t if t in known else None for t in eg.get_aligned_ner()] for eg in examples
        ]
        d_scores, loss = loss_func(scores, truths)
        if self.model.ops.xp.isnan(loss):
            raise ValueError(f"the loss of {self.name} is NaN")
        return float(loss), d_scores

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: Iterable[str] | None = None,
    ) -> None:
        """The labels (given, added before, or those of the examples) and the network's
        sizes from a sample."""
        for label in labels or ():
            self.add_label(label)
        if not self.labels:
            found = {e.label_ for eg in get_examples() for e in eg.reference.ents}
            for label in sorted(found):
                self.add_label(label)
        self._require_labels()
        tags = self.tags
        sample = list(islice(get_examples(), 10))
        gold = [
            self.model.ops.asarray2f(
                [[1.0 if tag == truth else 0.0 for tag in tags] for truth in eg.get_aligned_ner()]
            )
            for eg in sample
        ]
        self.model.initialize(X=[eg.x for eg in sample], Y=gold)


@Language.factory(
    "jjnlp_entity_tagger",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={"model": DEFAULT_MODEL, "scorer": {"@scorers": "spacy.ner_scorer.v1"}},
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_entity_tagger(
    nlp: Language, name: str, model: Model[list[Doc], list[Any]], scorer: Callable[..., Any]
) -> EntityTagger:
    return EntityTagger(nlp.vocab, model, name, scorer=scorer)
