"""The documents' small columns in memory, for search: filters, counts, facets and order.

A search counts every hit, groups the hits four ways for the facets and orders them by
period. In SQL each of those reads every hit's row again: tens of thousands of rows for a
common word, half a second on 100,000 documents. Here the columns a search filters, groups
and orders on are loaded once per write generation (``meta.generation``) into numpy arrays
of a few bytes per document, and a search is a few vectorised operations over them; only
the full-text index's answer (the ids holding a term, also kept per generation) and the
filters on other tables come from the store. Both backends go through here, so they agree.

The filters mean what :meth:`jjnlp.store.query.Filters.where` says in SQL (a test holds the
two to the same answers): a NULL never equals a value nor lies within a period range, and
the newest-first order is ``COALESCE(period_end, '') DESC, id DESC``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from jjnlp.store.base import Store
    from jjnlp.store.query import Filters
    from jjnlp.store.text import Term

CODED = ("unit", "level", "parent", "kind", "period")
TERMS_KEPT = 256  # index answers kept per generation (a bound on memory)


@dataclass(slots=True)
class Columns:
    """One generation's documents: ``ids`` ascending, everything else by position."""

    ids: np.ndarray  # int64
    codes: dict[str, np.ndarray]  # column → int32 code per document (0: NULL)
    values: dict[str, list[str | None]]  # column → the value of each code (None first)
    ends: list[str]  # the distinct period_end values, sorted
    end_rank: np.ndarray  # int32: position of the document's period_end in ends (-1: NULL)
    live: np.ndarray  # bool: not superseded
    flagged: np.ndarray  # bool: errors + warnings > 0
    category_at: np.ndarray  # int64: the document position of each category row
    category_code: np.ndarray  # int32: its category's code in values["category"]

    # -- filters ---------------------------------------------------------------------------

    def select(self, store: Store, filters: Filters) -> np.ndarray:
        """The documents passing ``filters``, as a bool mask."""
        from jjnlp.store.query import period_bound

        mask = np.ones(len(self.ids), dtype=bool)
        for column in CODED:
            value = getattr(filters, column)
            if value:
                mask &= self.codes[column] == self.code(column, value)
        low = period_bound(filters.period_from, "period_from", end=False)
        high = period_bound(filters.period_to, "period_to", end=True)
        if low:
            mask &= self.end_rank >= bisect_left(self.ends, low)
        if high:
            mask &= (self.end_rank >= 0) & (self.end_rank < bisect_right(self.ends, high))
        if filters.entity:
            mask &= self.holding(
                _ids(
                    store,
                    "SELECT DISTINCT doc_id FROM entities WHERE text = ? OR person = ?",
                    [filters.entity, filters.entity],
                )
            )
        if filters.category:
            with_it = np.zeros(len(self.ids), dtype=bool)
            code = self.code("category", filters.category)
            with_it[self.category_at[self.category_code == code]] = True
            mask &= with_it
        if filters.has_findings is not None:
            mask &= self.flagged if filters.has_findings else ~self.flagged
        if filters.rule:
            mask &= self.holding(
                _ids(store, "SELECT DISTINCT doc_id FROM findings WHERE rule = ?", [filters.rule])
            )
        if not filters.include_superseded:
            mask &= self.live
        return mask

    def code(self, column: str, value: str) -> int:
        """The code of ``value`` in ``column`` (-1: no document has it)."""
        names = self.values[column]
        return names.index(value) if value in names else -1

    def holding(self, ids: np.ndarray) -> np.ndarray:
        """A bool mask of the documents among ``ids``; ids of documents written after this
        generation was loaded are left out."""
        mask = np.zeros(len(self.ids), dtype=bool)
        if len(ids) and len(self.ids):
            at = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
            mask[at[self.ids[at] == ids]] = True
        return mask

    # -- facets and order -------------------------------------------------------------------

    def facet(self, column: str, mask: np.ndarray, size: int) -> list[tuple[str, int]]:
        """The ``size`` commonest values among the masked documents: (value or "", count),
        by count, then value in code-point order."""
        names = self.values[column]
        if column == "category":
            counts = np.bincount(self.category_code[mask[self.category_at]], minlength=len(names))
        else:
            counts = np.bincount(self.codes[column][mask], minlength=len(names))
        pairs = sorted((-int(n), names[k] or "") for k, n in enumerate(counts) if n)
        return [(value, -n) for n, value in pairs[:size]]

    def newest(
        self, mask: np.ndarray, limit: int, after: tuple[str, int] | None
    ) -> list[tuple[int, str]]:
        """Up to ``limit`` masked documents newest first, after the cursor ``after``
        (period_end or "", id): (id, period_end or "")."""
        if after is not None:
            end, doc_id = after
            if end == "":
                mask = mask & (self.end_rank == -1) & (self.ids < doc_id)
            else:
                at = bisect_left(self.ends, end)
                same = at < len(self.ends) and self.ends[at] == end
                before = self.end_rank < at
                if same:
                    before = before | ((self.end_rank == at) & (self.ids < doc_id))
                mask = mask & before
        positions = np.flatnonzero(mask)
        if len(positions) > limit:
            # one int64 key in the order wanted: period rank (NULL lowest), then id
            key = (self.end_rank[positions].astype(np.int64) + 1) * (int(self.ids[-1]) + 1)
            key += self.ids[positions]
            top = np.argpartition(-key, limit - 1)[:limit]
            positions = positions[top]
        order = np.lexsort((-self.ids[positions], -self.end_rank[positions]))
        return [
            (int(self.ids[p]), self.ends[r] if (r := int(self.end_rank[p])) >= 0 else "")
            for p in positions[order][:limit]
        ]


def _ids(store: Store, sql: str, params: list[Any]) -> np.ndarray:
    rows = store.rows(sql, params)
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))


def _coded(values: list[str | None]) -> tuple[np.ndarray, list[str | None]]:
    names: list[str | None] = [None, *sorted({v for v in values if v is not None})]
    index = {name: k for k, name in enumerate(names)}
    return np.fromiter((index[v] for v in values), dtype=np.int32, count=len(values)), names


def load_columns(store: Store) -> Columns:
    """The documents' columns as the store holds them now (read in full: a few hundred ms
    for 100,000 documents)."""
    rows = store.rows(
        "SELECT id, unit, level, parent, kind, period, period_end, superseded_by,"
        " errors + warnings FROM documents ORDER BY id"
    )
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    codes, values = {}, {}
    for k, column in enumerate(CODED, start=1):
        codes[column], values[column] = _coded([r[k] for r in rows])
    end_code, end_names = _coded([r[6] for r in rows])  # code 0, NULL, ranks below all
    live = np.fromiter((r[7] is None for r in rows), dtype=bool, count=len(rows))
    flagged = np.fromiter((r[8] > 0 for r in rows), dtype=bool, count=len(rows))
    pairs = store.rows("SELECT doc_id, category FROM categories")
    category_code, values["category"] = _coded([c for _, c in pairs])
    owners = np.fromiter((d for d, _ in pairs), dtype=np.int64, count=len(pairs))
    where = np.minimum(np.searchsorted(ids, owners), max(len(ids) - 1, 0))
    # (a category row of a document written after the documents were read is left out)
    known = ids[where] == owners if len(ids) else np.zeros(len(pairs), dtype=bool)
    return Columns(
        ids=ids,
        codes=codes,
        values=values,
        ends=[end for end in end_names if end is not None],
        end_rank=end_code - 1,
        live=live,
        flagged=flagged,
        category_at=where[known].astype(np.int64),
        category_code=category_code[known],
    )


def columns(store: Store) -> Columns:
    """This generation's columns (loaded on the first search after a write)."""
    cache = store.fresh_cache()
    found: Columns | None = cache.get("columns")
    if found is None:  # (read once: another thread may empty the cache meanwhile)
        found = cache["columns"] = load_columns(store)
    return found


def term_hits(store: Store, term: Term) -> np.ndarray:
    """The ids of the documents holding ``term``: its flat form as a substring, or (not
    quoted) all its words; ascending."""
    found = substring_hits(store, term.flat)
    if not term.words:
        return found
    words = _kept(store, ("words", term.words), lambda: store.words_ids(term.words))
    # the union over a bitmap of the id range: linear (np.union1d sorts)
    marks = np.zeros(int(max(found.max(initial=0), words.max(initial=0))) + 1, dtype=bool)
    marks[found] = True
    marks[words] = True
    return np.flatnonzero(marks).astype(np.int64)


def substring_hits(store: Store, folded: str) -> np.ndarray:
    """The ids of the documents whose flat text holds ``folded`` (kept for this generation,
    also for ranking: a needle's document frequency)."""
    return _kept(store, ("substring", folded), lambda: store.substring_ids(folded))


def _kept(store: Store, key: tuple[Any, ...], find: Callable[[], np.ndarray]) -> np.ndarray:
    """What the index answered for ``key`` in this generation (asked once, then kept)."""
    kept: dict[tuple[Any, ...], np.ndarray] = store.fresh_cache().setdefault("terms", {})
    hits = kept.get(key)
    if hits is None:
        hits = find()
        if len(kept) >= TERMS_KEPT:
            kept.clear()
        kept[key] = hits
    return hits
