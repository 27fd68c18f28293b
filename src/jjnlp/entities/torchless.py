"""Import spaCy with torch hidden from thinc, unless torch is already loaded.

thinc imports torch whenever it is installed (as it is with the ``transformers`` extra),
which costs about 180 MB and two seconds although the entity recogniser runs on thinc's
own numpy operations. Hiding torch for the length of spaCy's first import keeps that
cost out; torch stays importable afterwards (the transformers backend imports it itself),
only thinc's optional torch bridge, which jjnlp never uses, is left off. Every module of
this package that imports spaCy imports this one first.
"""

from __future__ import annotations

import sys


def _import_spacy() -> None:
    if "spacy" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # import torch: ImportError
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]


_import_spacy()
