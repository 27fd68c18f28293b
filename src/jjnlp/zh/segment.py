"""Word segmentation: the one jieba dictionary of the project, and every cut made from it.

One ``jieba.Tokenizer`` holds jieba's base dictionary (its prefix table ``FREQ``), loaded once,
lazily, on the first cut (never at import), with the user words of both consumers added:

* the *metrics* words (the indicator lexicon and ``phrase_words.toml``, with POS tags) for
  :func:`tagger` (the noun phrase before a figure) and :func:`boundaries` (the audit's
  repeated-phrase rule);
* the *entity* words (organisation suffixes and words, positions, terms) for
  :func:`entity_cut`, the words under spaCy's tokenizer.

The two word sets do not agree, so each consumer cuts through a *view* of the one table, and
the views reproduce exactly the two dictionaries they replace (the same words, tags,
boundaries, figures, findings and entities on the 35 corpus documents; the same words and
tags on 13 770 texts: those, the training sentences and random mixes of the words that
differ). Merged into one plain dictionary they would not. With the entity deletions
(党委书记, 党支部书记, 和县 … are no words for the entity segmenter, so the unit inside a
title ends on a token edge) the audit gains a false repeated phrase (``jjnlp eval
corpora/gold``: repeated_phrase P 1.000 → 0.500); without them entity micro-F1 drops (gold
0.985 → 0.982, held-out 0.961 → 0.959); with them for the entity view only, the figures hold
but the words of all 35 documents change (处置问题线索, 发现问题 as single entity tokens;
纪委监委 tagged ``x``), and so do one document's metrics.

A view is small: the words whose frequency differs from the table's (0: not a word in this
view, e.g. the entity deletions and the other view's words), the prefix entries only the other
view's words put in the table, and the view's own total. The table itself is one dict.

jieba's own ``Tokenizer.cut`` and ``posseg.POSTokenizer.cut`` are ported here (same algorithm,
same tie-breaks, same floating-point operations) so they can cut through a view; importing
``jieba.posseg`` is avoided: its ``__init__`` builds a global ``POSTokenizer(jieba.dt)`` that
reads all of ``dict.txt`` into a second tag table (0.5 s, 50 MB) nobody here uses. Its HMM's
four probability tables are plain modules loaded from their files; its ``viterbi`` is ported
too (the same path, 2 to 14 times faster: :func:`_viterbi`), and each run it tags is tagged
once (:func:`_pos_hmm_words`).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import marshal
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from math import log
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from jjnlp.resources import load_lines, load_toml

METRIC_FREQ = 50_000  # a metrics word beats jieba's own split of it
ENTITY_FREQ = 100_000

# jieba.posseg's block patterns (jieba.Tokenizer's own are reused from the jieba module)
_HAN_INTERNAL = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._]+)")
_SKIP_INTERNAL = re.compile(r"(\r\n|\s)")
_HAN_DETAIL = re.compile(r"([\u4E00-\u9FD5]+)")
_SKIP_DETAIL = re.compile(r"([\.0-9]+|[a-zA-Z0-9]+)")
_ENG = re.compile(r"[a-zA-Z0-9]+")
_NUM = re.compile(r"[\.0-9]+")


class Tagged(NamedTuple):
    """A word and its jieba POS tag (what ``jieba.posseg.pair`` holds)."""

    word: str
    flag: str


# -- the word lists ---------------------------------------------------------------------------


def metric_words() -> list[tuple[str, str]]:
    """The metrics words with their tags, in the order they are added (repeats included:
    each addition counts in the view's total, as ``jieba.Tokenizer.add_word`` counts it)."""
    from jjnlp.metrics.lexicon import lexicon

    words = load_toml("phrase_words.toml")
    verbs = lexicon().verbs | set(words["verbs"])
    return [
        (word, "v" if word in verbs else "n")
        for word in (*lexicon().canonical, *words["nouns"], *words["verbs"])
    ]


def entity_words() -> list[str]:
    """The entity segmenter's user dictionary: every word it must keep whole.

    Whole names of bodies (市纪委监委, 镇纪委) are not in it: as words they would pull a
    place's last character away from it (河西|镇纪委)."""
    config = load_toml("entities.toml")
    compound = set(compound_positions())
    positions = [p for p in load_toml("cases.toml")["positions"] if p not in compound]
    words = [*config["words"], *config["org_suffixes"], *positions, *load_lines("terms.txt")]
    return sorted(set(words))


def compound_positions() -> list[str]:
    """Positions that open with a unit (党支部书记, 党委书记, 村委会主任): they stay two words,
    neither in the user dictionary nor in jieba's own, so the unit inside a title
    (莲塘社区党委 in 莲塘社区党委书记) ends on a token edge."""
    units = tuple(s for s in load_toml("entities.toml")["org_suffixes"] if len(s) > 1)
    return [p for p in load_toml("cases.toml")["positions"] if p.startswith(units)]


def entity_removed() -> list[str]:
    """Words of jieba's dictionary that are no words for the entity segmenter: the
    ``not_words`` (镇党委和|县纪委监委) and the compound positions."""
    return [*load_toml("entities.toml")["not_words"], *compound_positions()]


# -- the one dictionary and its views -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _View:
    freq: dict[str, int]  # the one table: jieba's FREQ plus every user word and its prefixes
    logtotal: float
    special: dict[str, int]  # this view's frequency where it differs from the table's (0: none)
    foreign: frozenset[str]  # entries only the other view's words put in the table
    force_split: frozenset[str]  # words the HMM may not produce either (jieba's del_word)

    def frequency(self, word: str) -> int:
        return self.special.get(word, self.freq.get(word, 0))

    def knows(self, word: str) -> bool:
        """``word in FREQ`` of the dictionary this view stands for (prefixes included)."""
        return word in self.freq and word not in self.foreign

    def route(self, sentence: str) -> list[int]:
        """For each start, the end (exclusive) of the most probable word there: jieba's
        ``get_DAG`` and ``calc``, through this view, in one pass from the end (the same
        floating-point sums and tie-breaks: of equal sums the longer word wins)."""
        freq, special, logtotal = self.freq, self.special, self.logtotal
        n = len(sentence)
        score = [0.0] * (n + 1)
        ends = [0] * n
        for k in range(n - 1, -1, -1):
            best, end, found = 0.0 - logtotal + score[k + 1], k, False  # alone, frequency 1
            i = k
            frag = sentence[k]
            f = freq.get(frag)
            while f is not None:
                if f and frag in special:
                    f = special[frag]
                if f:
                    here = log(f) - logtotal + score[i + 1]
                    if not found or here >= best:
                        best, end, found = here, i, True
                i += 1
                if i == n:
                    break
                frag = sentence[k : i + 1]
                f = freq.get(frag)
            score[k] = best
            ends[k] = end + 1
        return ends


@dataclass(frozen=True, slots=True)
class _Table:
    tokenizer: Any  # the one jieba.Tokenizer
    metrics: _View
    entities: _View


def _unmarshal(path: str) -> Any:
    """A cache file's value, in one read (``marshal.load`` on the open file reads it in
    small pieces: 0.8 s for jieba's table here, 0.26 s with ``marshal.loads``); None when
    it is missing or damaged."""
    try:
        with open(path, "rb") as f:
            return marshal.loads(f.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _load_base(tokenizer: Any) -> None:
    """jieba's base table from its cache file, as ``Tokenizer.initialize`` reads it, but in
    one read (:func:`_unmarshal`). Without a usable cache, jieba builds the table and
    writes one."""
    path = os.path.join(tokenizer.tmp_dir or tempfile.gettempdir(), "jieba.cache")
    cached = _unmarshal(path) if tokenizer.dictionary is None else None
    if isinstance(cached, tuple) and len(cached) == 2:
        freq, total = cached
        if isinstance(freq, dict) and isinstance(total, int):
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
            return
    tokenizer.initialize()


_building = threading.Lock()
_built: list[_Table] = []  # the one table, once built


def _table() -> _Table:
    """The one table and its views, built on first use (once, also with several threads)."""
    if not _built:
        with _building:
            if not _built:
                _built.append(_build())
    return _built[0]


def _build() -> _Table:
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    _load_base(tokenizer)
    freq: dict[str, int] = tokenizer.FREQ
    metric = [word for word, _ in metric_words()]
    entity = entity_words()
    removed = entity_removed()

    def prefixes(words: list[str]) -> set[str]:
        return {word[:k] for word in words for k in range(1, len(word) + 1)}

    by_metric, by_entity = prefixes(metric), prefixes([*entity, *removed])
    touched = by_metric | by_entity
    base = {key: freq.get(key) for key in touched}  # None: not in jieba's table at all
    metric_set, entity_set, removed_set = set(metric), set(entity), set(removed)

    def metric_freq(key: str) -> int:
        return METRIC_FREQ if key in metric_set else base[key] or 0

    def entity_freq(key: str) -> int:
        if key in removed_set:
            return 0
        return ENTITY_FREQ if key in entity_set else base[key] or 0

    shared = {key: max(metric_freq(key), entity_freq(key)) for key in touched}
    freq.update(shared)

    def view(own: set[str], other: set[str], f: Any, added: int, split: set[str]) -> _View:
        return _View(
            freq=freq,
            logtotal=log(tokenizer.total + added),
            special={key: f(key) for key in touched if f(key) != shared[key]},
            foreign=frozenset(k for k in other - own if base[k] is None),
            force_split=frozenset(split),
        )

    return _Table(
        tokenizer=tokenizer,
        metrics=view(by_metric, by_entity, metric_freq, METRIC_FREQ * len(metric), set()),
        entities=view(by_entity, by_metric, entity_freq, ENTITY_FREQ * len(entity), removed_set),
    )


def tokenizer() -> Any:
    """The one ``jieba.Tokenizer``: its ``FREQ`` is the table every view cuts through. Cut
    through the views, not with its own ``cut`` (that would see both word sets at once)."""
    return _table().tokenizer


# -- the entity cut: jieba.Tokenizer.cut (accurate mode, HMM) ----------------------------------


def entity_cut(text: str) -> Iterator[str]:
    """Words whose concatenation is ``text``: jieba's accurate cut with the entity words."""
    import jieba

    view = _table().entities
    han, skip = jieba.re_han_default, jieba.re_skip_default
    for block in han.split(text):
        if not block:
            continue
        if han.match(block):
            yield from _cut_han(view, block)
        else:
            for part in skip.split(block):
                if skip.match(part):
                    yield part
                else:
                    yield from part


def search_cut(text: str) -> Iterator[str]:
    """Search-mode words (jieba's ``cut_for_search`` over :func:`entity_cut`): each word, and
    before a long one the two- and three-character words inside it, so an index of these
    finds 纪委 in 纪委监委 and 纪委书记."""
    view = _table().entities
    for word in entity_cut(text):
        n = len(word)
        for size in (2, 3):
            for i in range(n - size + 1 if n > size else 0):
                gram = word[i : i + size]
                if view.frequency(gram):
                    yield gram
        yield word


def entity_knows(word: str) -> bool:
    """Whether the entity dictionary has ``word`` (as a word or as a prefix of one)."""
    return _table().entities.knows(word)


def _routed(view: _View, sentence: str) -> Iterator[tuple[str, bool]]:
    """``sentence`` along the dictionary's best route: each multi-character word (True) and
    each run of single characters (False), which jieba then hands to its HMM."""
    ends = view.route(sentence)
    x, n, buf = 0, len(sentence), ""
    while x < n:
        y = ends[x]
        if y - x == 1:
            buf += sentence[x]
        else:
            if buf:
                yield buf, False
                buf = ""
            yield sentence[x:y], True
        x = y
    if buf:
        yield buf, False


def _cut_han(view: _View, sentence: str) -> Iterator[str]:
    from jieba import finalseg

    for piece, word in _routed(view, sentence):
        if word:
            yield piece
        else:
            yield from _unknown(view, piece, finalseg)


def _unknown(view: _View, buf: str, finalseg: ModuleType) -> Iterator[str]:
    """A run of single characters: the HMM's words when the run is no word, else characters."""
    if len(buf) == 1:
        yield buf
    elif not view.frequency(buf):
        for word in finalseg.cut(buf):
            if word in view.force_split:
                yield from word
            else:
                yield word
    else:
        yield from buf


# -- the POS cut: jieba.posseg.POSTokenizer.cut (HMM) -----------------------------------------


def _posseg_part(name: str) -> ModuleType:
    """A plain module of ``jieba.posseg`` (viterbi, prob_*, char_state_tab) without running the
    package's ``__init__`` (it builds the global POS tokenizer); the bytecode cache is used."""
    if "jieba.posseg" in sys.modules:  # someone paid for it already
        return importlib.import_module(f"jieba.posseg.{name}")
    import jieba

    path = Path(jieba.__file__).parent / "posseg" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"jjnlp.zh._posseg_{name}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"jieba's POS model part {name} not found at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


State = tuple[str, str]  # posseg's HMM state: (B/M/E/S, POS tag)


@dataclass(frozen=True, slots=True)
class _PosHmm:
    """jieba's POS HMM: its four tables, and for :func:`_viterbi` each state's successors
    and predecessors (the transitions out of it and into it)."""

    states: dict[str, tuple[State, ...]]  # char_state_tab: the states a character may take
    start: dict[State, float]
    trans: dict[State, dict[State, float]]
    emit: dict[State, dict[str, float]]
    after: dict[State, frozenset[State]]
    into: dict[State, tuple[tuple[State, float], ...]]  # the greatest state first


@cache
def _pos_hmm() -> _PosHmm:
    """jieba's POS HMM, its tables read from ``jieba.posseg``'s files on first use."""
    states, start, trans, emit = (
        _posseg_part(name).P for name in ("char_state_tab", "prob_start", "prob_trans", "prob_emit")
    )
    into: dict[State, list[tuple[State, float]]] = {y: [] for y in trans}
    for x in sorted(trans, reverse=True):
        for y, p in trans[x].items():
            into[y].append((x, p))
    after = {x: frozenset(nexts) for x, nexts in trans.items()}
    return _PosHmm(states, start, trans, emit, after, {y: tuple(p) for y, p in into.items()})


_MIN_FLOAT = -3.14e100  # posseg.viterbi's: a character the state never emits
_MIN_INF = float("-inf")  # posseg.viterbi's: a transition that does not exist


def _viterbi(hmm: _PosHmm, obs: str) -> list[State]:
    """``jieba.posseg.viterbi``'s best state path: the same sums in the same order and the
    same tie-break (the greater state), but each state weighs only the states that can
    precede it (5 218 transitions in all) where posseg weighs every pair (256² for a
    character it has never seen, 25 ms each; a mojibake is full of them)."""
    emit, all_states = hmm.emit, hmm.trans.keys()
    v = {
        y: hmm.start[y] + emit[y].get(obs[0], _MIN_FLOAT)
        for y in hmm.states.get(obs[0], all_states)
    }
    came: list[dict[State, State]] = []
    for char in obs[1:]:
        before = [x for x in v if hmm.after[x]]
        expected = set().union(*(hmm.after[x] for x in before))
        current = set(hmm.states.get(char, all_states)) & expected or expected or set(all_states)
        now: dict[State, float] = {}
        back: dict[State, State] = {}
        for y in current:
            e = emit[y].get(char, _MIN_FLOAT)
            best, state = _MIN_INF, None
            for x, p in hmm.into[y]:  # greatest first: of equal sums the first one wins
                vx = v.get(x)
                if vx is not None and (prob := vx + p + e) > best:
                    best, state = prob, x
            if state is None:
                # every predecessor scores -inf (posseg adds _MIN_INF for a missing
                # transition): the greatest state of the step before wins the tie
                best, state = _MIN_INF, max(before)
            now[y], back[y] = best, state
        v = now
        came.append(back)
    _, state = max((p, y) for y, p in v.items())
    path = [state]
    for back in reversed(came):
        state = back[state]
        path.append(state)
    path.reverse()
    return path


@cache
def _tags() -> dict[str, str]:
    """Word → POS tag: ``dict.txt``'s (word, frequency, tag a line), then the metrics words'
    tags, as ``POSTokenizer.word_tag_tab`` holds them once the user words are merged."""
    tags = _dictionary_tags()
    tags.update(metric_words())
    return tags


def _dictionary_tags() -> dict[str, str]:
    """The tags of jieba's dictionary, from a cache file beside jieba's own when it is newer
    than the dictionary (``marshal``, as jieba caches its table: 0.1 s, where reading the
    350,000 lines of ``dict.txt`` takes 0.4 s in every process that tags a word); made and
    cached when there is none."""
    import jieba

    table = tokenizer()
    default = os.path.join(os.path.dirname(jieba.__file__ or ""), "dict.txt")
    source = table.dictionary or default
    path = os.path.join(table.tmp_dir or tempfile.gettempdir(), "jjnlp-postags.cache")
    try:
        fresh = os.path.getmtime(path) > os.path.getmtime(source)
    except OSError:
        fresh = False
    cached = _unmarshal(path) if fresh else None
    if isinstance(cached, dict):
        return cached
    tags: dict[str, str] = {}
    flags: dict[str, str] = {}  # one string object per tag
    with table.get_dict_file() as f:
        for raw in f:  # line by line, as posseg reads it: the peak stays the table's size
            line = raw.strip().decode("utf-8")
            if line:
                word, _, flag = line.split(" ")
                tags[word] = flags.setdefault(flag, flag)
    temporary = f"{path}.{os.getpid()}"  # written whole, then put in place
    try:
        with open(temporary, "wb") as f:
            f.write(marshal.dumps(tags))
        os.replace(temporary, path)
    except OSError:  # a temporary directory that cannot be written: read each time
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return tags


class Tagger:
    """``jieba.posseg.POSTokenizer`` over the metrics view: ``cut`` and ``word_tag_tab``."""

    @property
    def word_tag_tab(self) -> dict[str, str]:
        return _tags()

    def cut(self, sentence: str) -> Iterator[Tagged]:
        return _pos_cut(sentence, _tags())

    def lcut(self, sentence: str) -> list[Tagged]:
        return list(self.cut(sentence))


@cache
def tagger() -> Tagger:
    """The POS tokenizer with the metrics words (nouns, and the verbs that split them)."""
    return Tagger()


def boundaries(text: str) -> set[int]:
    """Offsets in ``text`` where a word starts or ends (the POS tokenizer's words; no tags
    needed, so the tag table is not read)."""
    cuts = {0}
    at = 0
    for token in _pos_cut(text, {}):
        at += len(token.word)
        cuts.add(at)
    return cuts


def _pos_cut(sentence: str, tags: Mapping[str, str]) -> Iterator[Tagged]:
    view = _table().metrics
    for block in _HAN_INTERNAL.split(sentence):
        if _HAN_INTERNAL.match(block):
            yield from _pos_cut_han(view, block, tags)
        else:
            for part in _SKIP_INTERNAL.split(block):
                if _SKIP_INTERNAL.match(part):
                    yield Tagged(part, "x")
                else:
                    for char in part:
                        if _NUM.match(char):
                            yield Tagged(char, "m")
                        elif _ENG.match(part):  # sic: jieba tests the part, not the char
                            yield Tagged(char, "eng")
                        else:
                            yield Tagged(char, "x")


def _pos_cut_han(view: _View, sentence: str, tags: Mapping[str, str]) -> Iterator[Tagged]:
    for piece, word in _routed(view, sentence):
        if word:
            yield Tagged(piece, tags.get(piece, "x"))
        else:
            yield from _pos_unknown(view, piece, tags)


def _pos_unknown(view: _View, buf: str, tags: Mapping[str, str]) -> Iterator[Tagged]:
    if len(buf) == 1:
        yield Tagged(buf, tags.get(buf, "x"))
    elif not view.frequency(buf):
        yield from _pos_detail(buf)
    else:
        for char in buf:
            yield Tagged(char, tags.get(char, "x"))


def _pos_detail(sentence: str) -> Iterator[Tagged]:
    for block in _HAN_DETAIL.split(sentence):
        if _HAN_DETAIL.match(block):
            yield from _pos_hmm_cut(block)
        else:
            for part in _SKIP_DETAIL.split(block):
                if part:
                    if _NUM.match(part):
                        yield Tagged(part, "m")
                    elif _ENG.match(part):
                        yield Tagged(part, "eng")
                    else:
                        yield Tagged(part, "x")


# posseg's HMM costs about 250² steps a character: a run of unknown characters longer than
# any name or term (garbled or hostile text) is left untagged instead
HMM_MAX_RUN = 32


def _pos_hmm_cut(sentence: str) -> Iterator[Tagged]:
    if len(sentence) > HMM_MAX_RUN:
        for char in sentence:
            yield Tagged(char, "x")
        return
    yield from _pos_hmm_words(sentence)


# A Viterbi pass costs up to a millisecond a character even for two characters (when no
# state of a character follows the last one, all 256 are tried). The same run comes back for
# every figure of a repeated text (百分之百分之…: 分之 each time) and for several windows
# of one figure, so each distinct run is tagged once; runs are at most HMM_MAX_RUN characters.
@lru_cache(maxsize=4096)
def _pos_hmm_words(sentence: str) -> tuple[Tagged, ...]:
    """posseg's HMM words and tags of a run of unknown Han characters."""
    path = _viterbi(_pos_hmm(), sentence)
    words: list[Tagged] = []
    begin, after = 0, 0
    for i, char in enumerate(sentence):
        position, flag = path[i]
        if position == "B":
            begin = i
        elif position == "E":
            words.append(Tagged(sentence[begin : i + 1], flag))
            after = i + 1
        elif position == "S":
            words.append(Tagged(char, flag))
            after = i + 1
    if after < len(sentence):
        words.append(Tagged(sentence[after:], path[after][1]))
    return tuple(words)
