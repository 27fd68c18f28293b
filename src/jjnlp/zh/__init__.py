"""The one Chinese-text layer every stage uses.

Sentence and clause boundaries, quote and bracket pairs, numeral and dash classes,
comparison words (:mod:`jjnlp.zh.text`), and the one jieba segmenter
(:mod:`jjnlp.zh.segment`). A second definition of any of these elsewhere is a bug.
"""
