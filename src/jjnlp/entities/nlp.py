"""The spaCy pipeline: ``zh`` with jieba, rule components, the trained ``ner``, composition.

Order of the components:

1. ``jjnlp_entity_rules`` — pattern entities (DOC, TERM, DATE, MONEY, masked PER/LOC) and
   the named bodies of ``known_orgs``; they become ``doc.ents`` so the statistical
   recogniser works around them;
2. ``ner`` — ORG, LOC, PER and TITLE: a token tagger (``jjnlp_entity_tagger``,
   :mod:`jjnlp.entities.tagger`) trained by ``scripts/train_ner.py`` on generated sentences
   (``models/ner``);
3. ``jjnlp_entity_compose`` — nested spans: the place that opens an organisation
   (河西镇 in 河西镇纪委), the unit inside a title (河西镇纪委 in 河西镇纪委副书记), and a
   title made of a unit and a position written together.

Every entity, nested ones included, is in ``doc.spans["entities"]``; ``doc.ents`` holds
the outermost, non-overlapping ones. :func:`load` is what ``jjnlp.load()`` returns.

The tokenizer is ``jjnlp.ChineseTokenizer.v1`` (:mod:`jjnlp.entities.segmenter`), and
``models/ner/config.cfg`` names it and the three components, so ``spacy.load("models/ner")``
builds this same pipeline once spaCy can resolve the names: through the entry points of the
installed jjnlp (``spacy_tokenizers``, ``spacy_factories``), or after this package's
``segmenter`` and ``components`` modules are imported (as :func:`load` does). The tagger's
factory is registered with the rule components (``components`` imports ``tagger``), so the
entry point of ``jjnlp_entity_rules``, the first component, brings it too.
"""

from __future__ import annotations

import jjnlp.entities.torchless  # noqa: F401  (before spaCy: see that module)

# isort: split

from pathlib import Path
from typing import TYPE_CHECKING

from jjnlp.errors import ModelMissing

if TYPE_CHECKING:
    from spacy.language import Language

SPANS_KEY = "entities"
NER_LABELS = ("ORG", "LOC", "PER", "TITLE")
TOKENIZER = "jjnlp.ChineseTokenizer.v1"  # registered by jjnlp.entities.segmenter


def blank() -> Language:
    """``zh`` with the domain segmenter and no components (what ``ner`` is trained on)."""
    import spacy

    import jjnlp.entities.segmenter  # noqa: F401  (registers the tokenizer)

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})


def load(model_dir: str | Path | None = None) -> Language:
    """The full entity pipeline, offline: the shipped ``models/ner`` or ``model_dir``.

    The tokenizer is always ``jjnlp.ChineseTokenizer.v1``, also for a pipeline saved with
    ``spacy.zh.ChineseTokenizer`` (``segmenter = "jieba"``): spaCy would build jieba's default
    dictionary for that one and the domain segmenter would replace it at once."""
    import spacy

    import jjnlp.entities.components  # registers the component factories
    import jjnlp.entities.segmenter  # noqa: F401  (registers the tokenizer)
    from jjnlp.paths import model_path

    path = Path(model_dir) if model_dir else model_path("ner")
    if not (path / "config.cfg").is_file():
        raise ModelMissing(str(path), "不是 spaCy 模型目录（缺少 config.cfg）")
    nlp = spacy.load(path, config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    if "jjnlp_entity_rules" not in nlp.pipe_names:
        nlp.add_pipe("jjnlp_entity_rules", first=True)
    if "jjnlp_entity_compose" not in nlp.pipe_names:
        nlp.add_pipe("jjnlp_entity_compose", last=True)
    return nlp
