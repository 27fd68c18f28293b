"""Word segmentation: one private jieba tokenizer that knows the domain's words.

jieba's dictionary loads on first use, never at import. The words come from the
indicator lexicon and ``phrase_words.toml`` and are registered every time the
tokenizer is built (a saved pipeline does not keep jieba user words).
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def tagger() -> Any:
    """A jieba POS tokenizer with the domain words (nouns, and the verbs that split them)."""
    import jieba
    import jieba.posseg

    from jjnlp.metrics.lexicon import lexicon
    from jjnlp.resources import load_toml

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    words = load_toml("phrase_words.toml")
    verbs = lexicon().verbs | set(words["verbs"])
    for word in (*lexicon().canonical, *words["nouns"], *words["verbs"]):
        tokenizer.add_word(word, freq=50_000, tag="v" if word in verbs else "n")
    return jieba.posseg.POSTokenizer(tokenizer)


def boundaries(text: str) -> set[int]:
    """Offsets in ``text`` where a word starts or ends."""
    cuts = {0}
    at = 0
    for token in tagger().cut(text):
        at += len(token.word)
        cuts.add(at)
    return cuts
