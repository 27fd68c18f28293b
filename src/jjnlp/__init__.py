"""jjnlp: a Chinese NLP toolkit for discipline-inspection (纪检监察) documents.

Import is cheap: readers, spaCy and models load on first use.

>>> import jjnlp
>>> doc = jjnlp.read("report.docx")          # doctest: +SKIP
>>> analysis = jjnlp.analyze("report.docx")  # doctest: +SKIP
>>> [f.expected for f in jjnlp.analyze_text("立案72件，结案54件，结案率80%。", ("audit",)).findings]
['75.0%']
>>> nlp = jjnlp.load()                       # doctest: +SKIP  (a spaCy pipeline)
>>> [(e.text, e.label_) for e in nlp("河西镇纪委副书记").spans["entities"]]  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path
    from typing import Any

    from spacy.language import Language

    from jjnlp.model import Analysis, Document

__all__ = ["__version__", "analyze", "analyze_text", "load", "read"]


def read(path: str) -> Document:
    """Read a .txt/.docx/.pdf file into a :class:`~jjnlp.model.Document`."""
    from jjnlp.readers import read as _read

    return _read(path)


def analyze(
    path: str, stages: Iterable[str] | None = None, config: Mapping[str, Any] | None = None
) -> Analysis:
    """Read ``path`` and run the analysis stages (all by default) with ``config``
    (``{"audit": {"rules": {"rate": {"denominators": {"结案率": "立案"}}}}}``)."""
    from jjnlp.pipeline import analyze as _analyze

    return _analyze(path, stages, config)


def analyze_text(
    text: str,
    stages: Iterable[str] | None = None,
    config: Mapping[str, Any] | None = None,
    path: str = "<text>",
) -> Analysis:
    """Analyse a string as a .txt file would be (one paragraph per line), no file needed."""
    from jjnlp.model import Document
    from jjnlp.pipeline import run

    return run(Document.from_text(text, path), stages, config)


def load(model_dir: str | Path | None = None) -> Language:
    """The entity pipeline as a spaCy ``Language`` (offline; ``models/ner`` or ``model_dir``).

    ``nlp(text)`` gives a normal ``Doc``: ``doc.ents`` the outermost entities,
    ``doc.spans["entities"]`` all of them, nested ones included.
    """
    from jjnlp.entities.nlp import load as _load

    return _load(model_dir)
