"""The same file submitted twice, and reports largely copied from another one.

Near-duplicates are found with MinHash/LSH over sentence shingles (:func:`minhash`, as
datasketch computes them), so a thousand reports are compared without a thousand squared
comparisons; each candidate pair is then measured exactly on 8-character shingles
(robust to a name or a figure changed in every sentence) and its shared passages
aligned. A batch computes each report's MinHash and puts it in the LSH index as the
report comes back from its worker (:class:`Signatures`), while the workers go on with
the next files, not in the pass over all of them at the end.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from jjnlp.audit.registry import rule
from jjnlp.batch.model import DocRecord, Finding, Passage, Similar
from jjnlp.batch.rules import CROSS_RULES, CrossContext
from jjnlp.model import Span
from jjnlp.zh.text import nfkc, sentences

SHINGLE = 8  # characters: long enough that boilerplate phrases alone do not make two reports alike
PERMUTATIONS = 128
# sentence-shingle similarity from which a pair is measured exactly: well below the
# reporting threshold, as a copy with a name changed in many sentences shares fewer of them
CANDIDATE = 0.2
PASSAGES = 12  # shared passages shown per pair


def _normalised(text: str) -> str:
    return "".join(nfkc(text).split())


def sentence_shingles(text: str, spans: Sequence[Span] | None = None) -> set[str]:
    """The document's sentences, normalised (the candidates' cheap signature); ``spans``:
    its sentences when they were found already (the outline's)."""
    found = {_normalised(s.slice(text)) for s in (sentences(text) if spans is None else spans)}
    return {s for s in found if len(s) >= 6}


# splitmix64's finalizer: a bijection of 64-bit words that spreads every bit over the word
_MIX = (30, 0xBF58476D1CE4E5B9, 27, 0x94D049BB133111EB, 31)
_CODE_BITS = 21  # every code point fits in 21 bits; 2**21 - 1 is none, so it pads


def _mix(words: Any) -> Any:
    import numpy as np

    first, times, second, again, last = (np.uint64(v) for v in _MIX)
    words = (words ^ (words >> first)) * times
    words = (words ^ (words >> second)) * again
    return words ^ (words >> last)


def shingle_hashes(text: str) -> Any:
    """The distinct 8-character shingles of the normalised text, as sorted 64-bit hashes.

    Written here rather than taken from a library: the pass measures every candidate pair
    on all its shingles, and a set of Python strings per report takes about a millisecond
    to build and half of one to intersect, where these arrays take one numpy pass and are
    intersected in microseconds. A shingle's eight code points are packed into three words
    without loss and hashed through a bijective mix word by word, so two different shingles
    share a hash about as two random 64-bit values do: for two 5 KB reports (3,400
    shingles) the chance of any collision is about 3 in 10^13.
    """
    import numpy as np

    codes = np.frombuffer(_normalised(text).encode("utf-32-le"), dtype=np.uint32)
    codes = codes.astype(np.uint64)
    if len(codes) < SHINGLE:  # a text shorter than a shingle is one shingle
        pad = np.full(SHINGLE - len(codes), 2**_CODE_BITS - 1, dtype=np.uint64)
        codes = np.concatenate([codes, pad])
    count = len(codes) - SHINGLE + 1
    at = [codes[k : k + count] for k in range(SHINGLE)]
    one, two = np.uint64(_CODE_BITS), np.uint64(2 * _CODE_BITS)
    words = ((at[0] << two) | (at[1] << one) | at[2], (at[3] << two) | (at[4] << one) | at[5])
    hashed = _mix(_mix(words[0]) ^ words[1])
    return np.unique(_mix(hashed ^ ((at[6] << one) | at[7])))


@dataclass(frozen=True, slots=True)
class Sketch:
    """What the near-duplicate pass needs of one text, made where the text is analysed (in
    a batch worker, in parallel), so the pass over all the records reads no text again: the
    32-bit hashes of its sentences (the first four bytes of their SHA-1, as datasketch's
    ``sha1_hash32``), the MinHash's input, and its shingles (:func:`shingle_hashes`)."""

    sentences: tuple[int, ...]
    shingles: Any  # numpy.ndarray of uint64, sorted and distinct


# MinHash and the LSH bands as datasketch makes them (MinHash's default affine32 scheme,
# MinHashLSH's bands), written here: importing datasketch imports scipy, for the one
# integral that picks the bands, and that import is 0.55 s of CPU at the start of every
# batch, more than the whole near-duplicate pass over a thousand reports. The bands are
# the ones datasketch picks for CANDIDATE and PERMUTATIONS (false positives and negatives
# weighed alike); tests/test_batch_rules.py checks them, the hash values and the candidates
# against datasketch's own.
_BANDS, _ROWS = 28, 2
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)  # MurmurHash3's finalizer, as datasketch's
_EMPTY = 2**32 - 1  # a permutation's value before any sentence


@cache
def _permutations() -> tuple[Any, Any]:
    """The affine permutations h → a·h + b mod 2³² (odd a: bijective), drawn as datasketch
    draws them for seed 1."""
    import numpy as np

    draw = np.random.RandomState(1)
    a = draw.randint(0, 1 << 31, PERMUTATIONS, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    return a, draw.randint(0, 1 << 32, PERMUTATIONS, dtype=np.uint32)


def minhash(sentences: Sequence[int]) -> Any:
    """The MinHash of a text's sentence hashes (:class:`Sketch`): for each permutation, the
    least value any sentence takes (uint32, ``PERMUTATIONS`` of them)."""
    import numpy as np

    if not sentences:
        return np.full(PERMUTATIONS, _EMPTY, dtype=np.uint32)
    first, times, second, again, last = (np.uint32(v) for v in _FMIX32)
    hashed = np.array(sentences, dtype=np.uint32).reshape(-1, 1)
    hashed = (hashed ^ (hashed >> first)) * times  # uint32 arithmetic wraps: mod 2³²
    hashed = (hashed ^ (hashed >> second)) * again
    hashed ^= hashed >> last
    a, b = _permutations()
    return (hashed * a + b).min(axis=0)


def _bands(values: Any) -> list[bytes]:
    """A MinHash's LSH keys: each band of ``_ROWS`` values, as bytes."""
    data, width = values.tobytes(), 4 * _ROWS
    return [data[k * width : (k + 1) * width] for k in range(_BANDS)]


def sketch(text: str, spans: Sequence[Span] | None = None) -> Sketch:
    hashes = {
        int.from_bytes(hashlib.sha1(s.encode()).digest()[:4], "little")
        for s in sentence_shingles(text, spans)
    }
    return Sketch(tuple(sorted(hashes)), shingle_hashes(text))


@dataclass(slots=True)
class Signatures:
    """Each distinct text's sketch and its MinHash, by content hash; the MinHashes indexed
    for the candidates' search as they come (LSH: by each band, the texts that have it)."""

    by_sha: dict[str, tuple[Sketch, Any, int]] = field(default_factory=dict)  # and its key
    # keyed by the order the texts came in
    _buckets: list[dict[bytes, list[int]]] = field(
        default_factory=lambda: [{} for _ in range(_BANDS)]
    )

    def add(self, record: DocRecord, made: Sketch | None = None) -> None:
        """``made``: the record's sketch as its worker made it (else it is made here)."""
        if record.failed or record.sha256 in self.by_sha:
            return
        made = made if made is not None else sketch(record.text)
        values = minhash(made.sentences)
        key = len(self.by_sha)
        self.by_sha[record.sha256] = (made, values, key)
        for band, bucket in zip(_bands(values), self._buckets, strict=True):
            bucket.setdefault(band, []).append(key)

    def minhash(self, record: DocRecord) -> Any:
        self.add(record)
        return self.by_sha[record.sha256][1]

    def shingles(self, record: DocRecord) -> Any:
        self.add(record)
        return self.by_sha[record.sha256][0].shingles

    def _query(self, values: Any) -> set[int]:
        """The keys of the texts that share a band with ``values`` (itself among them)."""
        found: set[int] = set()
        for band, bucket in zip(_bands(values), self._buckets, strict=True):
            found.update(bucket.get(band, ()))
        return found

    def candidate_pairs(self, records: list[DocRecord]) -> set[tuple[int, int]]:
        """For each of ``records`` (distinct texts), the one other whose estimated similarity
        is highest among those that may reach :data:`CANDIDATE` (MinHash LSH), as a pair of
        positions: at most one pair per document, so a batch of reports written on one
        template costs n comparisons, not n²."""
        import numpy as np

        hashes = [self.minhash(r) for r in records]
        position = np.full(len(self.by_sha), -1, dtype=np.int64)  # by key: the record's
        for k, record in enumerate(records):
            position[self.by_sha[record.sha256][2]] = k
        values = np.stack(hashes) if hashes else None
        pairs: set[tuple[int, int]] = set()
        for k, own in enumerate(hashes):
            found = position[np.fromiter(self._query(own), dtype=np.int64)]
            others = np.sort(found[(found != k) & (found >= 0)])
            if len(others) and values is not None:
                # the estimate of each at once: the share of equal hash values
                # (MinHash.jaccard); the highest, the first file among equals
                agree = np.count_nonzero(values[others] == own, axis=1)
                best = int(others[int(np.argmax(agree))])
                pairs.add((min(best, k), max(best, k)))
        return pairs


def jaccard(a: Any, b: Any) -> Decimal:
    """The Jaccard similarity of two texts' shingles (:func:`shingle_hashes`), to 0.001."""
    import numpy as np

    if not len(a) or not len(b):
        return Decimal(0)
    shared = len(np.intersect1d(a, b, assume_unique=True))
    value = Decimal(shared) / Decimal(len(a) + len(b) - shared)
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def shared_passages(a: str, b: str) -> tuple[Passage, ...]:
    """Sentences of ``a`` with their counterpart in ``b``: the same or nearly the same
    (names or figures changed), longest first, in ``a``'s order."""
    left = [s.slice(a).strip() for s in sentences(a)]
    right = [s.slice(b).strip() for s in sentences(b)]
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    pairs: list[tuple[int, Passage]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [(i, Passage(left[i], right[j1 + i - i1])) for i in range(i1, i2)]
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for i in range(i1, i2):
                other = right[j1 + i - i1]
                if difflib.SequenceMatcher(None, left[i], other).quick_ratio() >= 0.6:
                    pairs.append((i, Passage(left[i], other)))
    longest = sorted(pairs, key=lambda p: -len(p[1].text))[:PASSAGES]
    return tuple(p for _, p in sorted(longest, key=lambda p: p[0]) if len(p.text) > 1)


def _signatures(ctx: CrossContext) -> Signatures:
    """The batch's signatures (those made as the records came, else made as they are asked)."""
    if ctx.signatures is None:
        ctx.signatures = Signatures()
    return ctx.signatures


def _shingles_of(ctx: CrossContext, record: DocRecord) -> Any:
    return _signatures(ctx).shingles(record)


def _copy_and_source(ctx: CrossContext, a: DocRecord, b: DocRecord) -> tuple[DocRecord, DocRecord]:
    """Which of two near-duplicates is the copy: the one less like its own unit's other
    reports (a report copied from another unit departs from its own earlier style); else
    the later period, else the later file."""
    own = {
        r.file: max(
            (
                jaccard(_shingles_of(ctx, r), _shingles_of(ctx, o))
                for o in ctx.unique
                if o is not r and o.identity.unit == r.identity.unit and o.identity.unit
            ),
            default=None,
        )
        for r in (a, b)
    }
    if a.identity.unit != b.identity.unit and None not in own.values():
        return (a, b) if own[a.file] < own[b.file] else (b, a)  # type: ignore[operator]
    key = (a.identity.period_end or "", a.file) < (b.identity.period_end or "", b.file)
    return (b, a) if key else (a, b)


def _title_anchor(record: DocRecord) -> tuple[int, int, str]:
    title = record.title or record.text.strip().split("\n", 1)[0]
    start = max(record.text.find(title), 0)
    return start, start + len(title), title


def _pair_finding(record: DocRecord, rule_id: str, severity: str, **kw: object) -> Finding:
    start, end, title = _title_anchor(record)
    return Finding(
        file=record.file,
        rule=rule_id,
        severity=severity,
        text=title,
        sentence=title,
        start=start,
        end=end,
        line=record.text.count("\n", 0, start) + 1,
        page=record.blocks[0][2] if record.blocks else None,
        paragraph=1,
        scope="cross",
        fingerprint="",
        **kw,  # type: ignore[arg-type]
    )


@rule("duplicate_file", severity="warning", kind="cross", registry=CROSS_RULES)
def check_duplicate_files(ctx: CrossContext) -> Iterator[Finding]:
    """The same file (same content hash) is submitted only once."""
    severity = ctx.options("duplicate_file")["severity"]
    groups: dict[str, list[DocRecord]] = defaultdict(list)
    for record in ctx.documents:
        groups[record.sha256].append(record)
    for records in groups.values():
        first = records[0]
        for copy in records[1:]:
            yield _pair_finding(
                copy,
                "duplicate_file",
                severity,
                message=f"与 {first.file} 逐字节相同，是重复报送；汇总时只计一次",
                stated=None,
                expected=None,
                other_files=(first.file,),
            )


@rule(
    "near_duplicate",
    severity="warning",
    kind="cross",
    registry=CROSS_RULES,
    # Jaccard similarity of 8-character shingles from which two reports are called copies
    default_config={"threshold": Decimal("0.5")},
)
def check_near_duplicates(ctx: CrossContext) -> Iterator[Finding]:
    """A report is not largely copied from another unit's report or from its own last one."""
    for pair in similar_pairs(ctx):
        copy = next(r for r in ctx.unique if r.file == pair.file)
        source = next(r for r in ctx.unique if r.file == pair.other)
        percent = (pair.similarity * 100).quantize(Decimal("0.1"))
        whose = "同一单位另一期间" if copy.identity.unit == source.identity.unit else "另一单位"
        yield _pair_finding(
            copy,
            "near_duplicate",
            ctx.options("near_duplicate")["severity"],
            message=(
                f"与{whose}的报告 {source.file} 高度相似（相似度{percent}%），"
                f"共有{len(pair.passages)}段相同或仅改动名称、数字的内容，请核实是否照抄"
            ),
            stated=f"{percent}%",
            expected=None,
            other_files=(source.file,),
        )


def similar_pairs(ctx: CrossContext) -> list[Similar]:
    """Every near-duplicate pair among the batch's distinct files, copy first (computed
    once per batch: the rule and the summary page share it)."""
    if ctx.similar is None:
        ctx.similar = _similar_pairs(ctx)
    return ctx.similar


def _similar_pairs(ctx: CrossContext) -> list[Similar]:
    threshold = ctx.options("near_duplicate")["threshold"]
    records = [r for r in ctx.unique if r.text.strip()]
    out = []
    for i, j in sorted(_signatures(ctx).candidate_pairs(records)):
        similarity = jaccard(_shingles_of(ctx, records[i]), _shingles_of(ctx, records[j]))
        if similarity < threshold:
            continue
        copy, source = _copy_and_source(ctx, records[i], records[j])
        out.append(
            Similar(
                file=copy.file,
                other=source.file,
                similarity=similarity,
                identical=False,
                passages=shared_passages(copy.text, source.text),
            )
        )
    return out
