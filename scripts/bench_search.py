"""Benchmark the store: indexing and query latency on generated documents, SQLite beside
PostgreSQL.

Usage: python scripts/bench_search.py [--documents 100000] [--backends sqlite,postgresql]
       [--queries 50] [--jobs 2] [--bytes 3000] [--keep DIR]

Generates ``--documents`` documents of about ``--bytes`` bytes of UTF-8 text (80% work
reports of 60 counties and districts and their townships over 8 periods, 20% case notices
with cases, people and amounts; seeded, so every run builds the same corpus; vocabulary in
``bench_search.toml``). Each gets its rows as :func:`jjnlp.store.rows.document_rows` would
give them, built directly (no analysis), and only its two index columns computed by the
store (:func:`jjnlp.store.text.flat`, :func:`~jjnlp.store.text.words`), by ``--jobs``
worker processes, as ``jjnlp index`` has its analysis workers compute them. Indexing is
timed in two parts, one after the other: the columns (CPU per document in the workers; the
batches go to a temporary file) and then the store's bulk load (:meth:`Store.ingest_many`
in batches of ``--batch`` documents read back from that file, untimed, in this process,
with no worker running beside it); every document has its own unit, kind and period, so
none supersedes another. Each store is queried right after its own load, before the next
one is loaded (a deployment has one store: the next load would push this one's pages out
of the system's file cache). Each query class runs ``--queries`` times with varied terms
and filters: p50/p95 per class and backend, and the p95 again with no term's hits kept
from an earlier query (the store keeps them per write generation), beside the store's
size, the time to load the search columns (once per write generation) and jieba's own
``lcut`` on one document as the yardstick. PostgreSQL runs in a throwaway cluster
(``scripts/pg_cluster.py``), stopped at the end, also on error; after loading it is
``VACUUM ANALYZE``d (what autovacuum would do shortly after).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import math
import multiprocessing
import os
import pickle
import random
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jjnlp.store import Store, open_store
from jjnlp.store.query import Filters, Search, cases, metrics, search
from jjnlp.store.text import flat, words

HERE = Path(__file__).resolve().parent
VOCAB = tomllib.loads((HERE / "bench_search.toml").read_text(encoding="utf-8"))
VERSION = "bench"
SEED = 14
NOTICE_EVERY = 5  # every fifth document is a case notice
TARGETS = {
    "full text + filters": 50.0,
    "full text + filters + facets": 100.0,
}
TARGET_DOCS_PER_S = 500.0


# --------------------------------------------------------------------------- places, periods


@dataclass(frozen=True, slots=True)
class Place:
    unit: str
    level: str
    parent: str
    issuer: str
    scope: str  # 县 / 区 / 镇 …: the 全X of the figures sentence


def place(index: int) -> Place:
    """The ``index``-th reporting unit: first the 60 counties and districts, then their
    townships (their names unique within the corpus, so no report supersedes another)."""
    places, report = VOCAB["places"], VOCAB["report"]
    counties = places["counties"]
    county = counties[index % len(counties)]
    city = places["cities"][(index % len(counties)) * len(places["cities"]) // len(counties)]
    sub = index // len(counties)
    if sub == 0:
        return Place(county, county[-1], city, city + county + report["body"], county[-1])
    first, second, suffix = places["town_first"], places["town_second"], places["town_suffix"]
    combos = len(first) * len(second) * len(suffix)
    if sub > combos:
        raise SystemExit(f"too many documents: more than {combos} townships per county")
    k = (sub - 1 + index % len(counties) * 7) % combos
    town = first[k // (len(second) * len(suffix))] + second[k // len(suffix) % len(second)]
    town += suffix[k % len(suffix)]
    level = places["town_level"]
    return Place(county + town, level, county, county + town + report["town_body"], town[-1])


def slot(i: int) -> tuple[str, Place, list[str]]:
    """Document ``i``'s kind, unit and period: each (unit, kind, period) once."""
    periods = VOCAB["periods"]["list"]
    if i % NOTICE_EVERY == NOTICE_EVERY - 1:
        kind, j = "case_notice", i // NOTICE_EVERY
    else:
        kind, j = "work_report", i - i // NOTICE_EVERY
    return kind, place(j // len(periods)), periods[j % len(periods)]


# --------------------------------------------------------------------------- text with spans


class Writer:
    """A text built line by line, with the offsets of what was written."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[list[Any]] = []
        self._line_start = 0

    def add(self, piece: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start, self.length

    def end_line(self) -> None:
        self.blocks.append([self._line_start, self.length, None])
        self.add("\n")
        self._line_start = self.length

    def line(self, piece: str) -> tuple[int, int]:
        span = self.add(piece)
        self.end_line()
        return span

    def bytes(self) -> int:
        return sum(len(p.encode()) for p in self.parts)

    def text(self) -> str:
        return "".join(self.parts)


def fill(template: str, rng: random.Random, unit: str) -> str:
    pool = VOCAB["pool"]
    return template.format(
        campaign=rng.choice(pool["campaigns"]),
        topic=rng.choice(pool["topics"]),
        action=rng.choice(pool["actions"]),
        n=rng.randint(2, 120),
        unit=unit,
    )


def paragraph(out: Writer, rng: random.Random, unit: str, budget: int) -> None:
    sentences = VOCAB["pool"]["sentences"]
    for _ in range(rng.randint(2, 4)):
        if out.bytes() >= budget:
            break
        out.add(fill(rng.choice(sentences), rng, unit))
    out.end_line()


def sentence_of(text: str, start: int, end: int) -> str:
    stop = VOCAB["report"]["stop"]
    lo = text.rfind(stop, 0, start) + 1
    hi = text.find(stop, end)
    return text[lo : hi + 1 if hi >= 0 else len(text)]


# --------------------------------------------------------------------------- documents


def report_figures(rng: random.Random) -> dict[str, Decimal]:
    """Figures of one work report that hold together as real ones do (结案 may exceed 立案),
    by their keys in ``[report.indicators]``."""
    reports = rng.randint(60, 3000)
    clues = int(reports * rng.uniform(0.6, 1.3))
    opened = max(3, int(clues * rng.uniform(0.15, 0.5)))
    closed = max(1, int(opened * rng.uniform(0.55, 1.15)))
    sanctioned = max(1, int(closed * rng.uniform(0.8, 1.0)))
    first = int(sanctioned * rng.uniform(1.0, 2.0))
    second, third = int(sanctioned * rng.uniform(0.3, 0.6)), int(sanctioned * 0.05)
    fourth = int(sanctioned * rng.uniform(0.02, 0.06))
    counts = {
        "reports": reports,
        "clues": clues,
        "opened": opened,
        "closed": closed,
        "sanctioned": sanctioned,
        "party": max(1, int(sanctioned * rng.uniform(0.85, 1.0))),
        "admin": int(sanctioned * rng.uniform(0.05, 0.3)),
        "transferred": int(sanctioned * rng.uniform(0.0, 0.08)),
        "forms": first + second + third + fourth,
        "first": first,
        "second": second,
        "third": third,
        "fourth": fourth,
    }
    values = {k: Decimal(v) for k, v in counts.items()}
    values["rate"] = (Decimal(closed) * 100 / opened).quantize(Decimal("0.1"))
    values["recovered"] = Decimal(rng.randint(50, 90000)) / 10
    return values


def figure_row(
    name: str, value: Decimal, span: tuple[int, int], period: list[str]
) -> dict[str, Any]:
    report = VOCAB["report"]
    indicator, stated, kind, part = report["indicators"][name]
    money = stated == report["money"]
    return {
        "indicator": indicator,
        "value": format(value * (10000 if money else 1), "f"),
        "unit": report["money_unit"] if money else stated,
        "stated_unit": stated,
        "text": f"{value}{stated}",
        "sentence": "",
        "start": span[0],
        "end": span[1],
        "period": period[0],
        "period_start": period[1],
        "period_end": period[2],
        "scope": None,
        "kind": kind,
        "approx": False,
        "comparison": False,
        "part": part,
    }


def work_report(rng: random.Random, where: Place, period: list[str], size: int) -> dict[str, Any]:
    report = VOCAB["report"]
    out = Writer()
    title = report["title"].format(issuer=where.issuer, period=period[0])
    out.line(title)
    out.line(report["addressee"].format(parent=where.parent))
    values = report_figures(rng)
    figures, sections = [], []
    for number, heading in enumerate(report["headings"]):
        start, _ = out.line(heading)
        if number == 0:
            scope = report["scope"].format(level=where.scope)
            for lead, name in report["figures"]:
                out.add(lead.format(period=period[0], scope=scope))
                if name:
                    span = out.add(str(values[name]))
                    figures.append(figure_row(name, values[name], span, period))
            out.end_line()
        share = size * (number + 1) // len(report["headings"]) - 120
        while out.bytes() < share:
            paragraph(out, rng, where.unit, share)
        sections.append({"level": 1, "number": heading[0], "title": heading, "start": start})
        sections[-1]["end"] = out.length
    out.line(report["closing"].format(issuer=where.issuer))
    out.line(date(rng, period))
    text = out.text()
    for figure in figures:
        figure["sentence"] = sentence_of(text, figure["start"], figure["end"])
        figure["text"] = text[figure["start"] : figure["end"]] + figure["stated_unit"]
    entities = [_entity(VOCAB["notice"]["unit_label"], where.issuer, 0, title)]
    return _rows(text, out.blocks, where, "work_report", period, title, figures, sections, entities)


def date(rng: random.Random, period: list[str]) -> str:
    year, month = int(period[2][:4]), int(period[2][5:7]) % 12 + 1
    year += month == 1
    return VOCAB["report"]["date"].format(year=year, month=month, day=rng.randint(1, 28))


def _entity(label: str, text: str, start: int, where: str) -> dict[str, Any]:
    at = where.find(text, start)
    return {
        "label": label,
        "text": text,
        "start": at,
        "end": at + len(text),
        "person": text if label == VOCAB["notice"]["person_label"] else None,
        "unit": text if label != VOCAB["notice"]["person_label"] else None,
    }


def text_of(value: Decimal) -> str:
    return f"{value}{VOCAB['report']['money_unit']}"


def person(rng: random.Random) -> str:
    notice = VOCAB["notice"]
    return rng.choice(notice["surnames"]) + rng.choice(notice["masks"])


def case_notice(rng: random.Random, where: Place, period: list[str], size: int) -> dict[str, Any]:
    notice, report = VOCAB["notice"], VOCAB["report"]
    out = Writer()
    count = rng.randint(3, 6)
    title = report["notice_title"].format(
        issuer=where.issuer, count=count, category=rng.choice(notice["category_short"])
    )
    out.line(title)
    out.line(report["notice_addressee"].format(unit=where.scope))
    out.line(notice["intro"].format(unit=where.unit, count=count))
    found, entities = [], []
    budget = size - 300
    for number in range(1, count + 1):
        category, conduct, facts = rng.choice(notice["categories"])
        names = [person(rng) for _ in range(1 if rng.random() < 0.75 else 2)]
        office = where.unit + rng.choice(notice["offices"])
        position = rng.choice(notice["positions"])
        headline = report["headline"].format(
            office=office, position=position, name=names[0], conduct=conduct
        )
        start, _ = out.add(report["case_head"].format(number=number, headline=headline))
        amounts = []
        for name in names:
            value = Decimal(rng.randint(8, 3000) * 100)
            fact = facts.format(
                span=rng.choice(notice["spans"]),
                name=name,
                goods=rng.choice(notice["goods"]),
                amount="{amount}",
            )
            before, after = fact.split("{amount}")
            out.add(before)
            at, stop = out.add(str(value))
            out.add(after)
            amount = {"text": text_of(value), "value": str(value), "start": at, "end": stop + 1}
            amounts.append(amount)
        party, admin, treatment, form = rng.choice(notice["outcomes"])
        sanction = notice["joiner"].join(s for s in (party, admin, treatment) if s)
        out.add(notice["outcome"].format(name=notice["joiner"].join(names), sanction=sanction))
        while out.bytes() < budget * number // count:
            out.add(fill(rng.choice(VOCAB["pool"]["sentences"]), rng, where.unit))
        _, end = out.add("")
        out.end_line()
        people = [
            {
                "name": name,
                "position": position,
                "unit": office,
                "level": where.level,
                "party_sanction": party or None,
                "admin_sanction": admin or None,
                "treatments": [treatment] if treatment else [],
                "transferred": form == 4,
            }
            for name in names
        ]
        total = sum((Decimal(a["value"]) for a in amounts), Decimal(0))
        found.append(
            {
                "number": str(number),
                "headline": headline,
                "person": names[0],
                "position": position,
                "unit": office,
                "category": category,
                "discipline": notice["discipline"],
                "conduct": conduct,
                "party_sanction": party or None,
                "admin_sanction": admin or None,
                "treatments": [treatment] if treatment else [],
                "transferred": form == 4,
                "recovered": True,
                "form": form,
                "amount": format(total, "f"),
                "start": start,
                "end": end,
                "people": people,
                "amounts": amounts,
            }
        )
    out.line(notice["ending"])
    out.line(where.issuer)
    out.line(date(rng, period))
    text = out.text()
    label = notice["person_label"]
    for case in found:
        entities += [_entity(label, p["name"], case["start"], text) for p in case["people"]]
    rows = _rows(text, out.blocks, where, "case_notice", period, title, [], [], entities)
    rows["cases"] = found
    return rows


def _rows(
    text: str,
    blocks: list[list[Any]],
    where: Place,
    kind: str,
    period: list[str],
    title: str,
    figures: list[dict[str, Any]],
    sections: list[dict[str, Any]],
    entities: list[dict[str, Any]],
) -> dict[str, Any]:
    digest = hashlib.sha256(text.encode()).hexdigest()
    record = {
        "file": f"bench/{digest[:12]}.txt",
        "path": f"bench/{digest[:12]}.txt",
        "sha256": digest,
        "format": "txt",
        "identity": {
            "unit": where.unit,
            "level": where.level,
            "parent": where.parent,
            "kind": kind,
            "period": period[0],
            "period_start": period[1],
            "period_end": period[2],
            "issuer": where.issuer,
            "addressee": None,
            "manifest": [],
        },
        "title": title,
        "text": text,
        "blocks": blocks,
        "figures": figures,
        "findings": [],
        "coverage": {},
        "error": None,
        "seconds": 0.0,
    }
    return {
        "record": record,
        "sections": sections,
        "entities": entities,
        "cases": [],
        "problems": [],
        "flat": "",
        "words": "",
    }


def generate(i: int, size: int) -> dict[str, Any]:
    """Document ``i`` of the corpus, the same on every run, its index columns still empty."""
    rng = random.Random(SEED * 1_000_003 + i)
    kind, where, period = slot(i)
    build = work_report if kind == "work_report" else case_notice
    return build(rng, where, period, size)


def columns(rows: dict[str, Any]) -> None:
    text = rows["record"]["text"]
    rows["flat"] = flat(text)
    rows["words"] = words(text)


def batch(span: tuple[int, int, int]) -> tuple[list[dict[str, Any]], float, float]:
    """Documents ``start`` to ``stop`` with their index columns: ``(rows, generating seconds,
    columns seconds)`` (a worker's task too)."""
    start, stop, size = span
    began = time.perf_counter()
    docs = [generate(i, size) for i in range(start, stop)]
    generated = time.perf_counter()
    for rows in docs:
        columns(rows)
    return docs, generated - began, time.perf_counter() - generated


def spans(count: int, size: int, per: int) -> Iterator[tuple[int, int, int]]:
    for start in range(0, count, per):
        yield start, min(count, start + per), size


# --------------------------------------------------------------------------- indexing


@dataclass
class Load:
    documents: int = 0
    generating: float = 0.0
    columns: float = 0.0
    ingest: dict[str, float] = field(default_factory=dict)  # bulk-load seconds by store
    characters: int = 0
    bytes: int = 0
    wall: float = 0.0


def spool_columns(count: int, size: int, per: int, pool: Any, spool: Path) -> Load:
    """The corpus in batches generated and given their index columns by the pool's workers
    (as ``jjnlp index`` has its analysis workers compute them), into the file ``spool``."""
    result = Load()
    step = max(1, count // 10)
    began = time.perf_counter()
    work = spans(count, size, per)
    batches = pool.imap(batch, work) if pool is not None else map(batch, work)
    with spool.open("wb") as out:
        for docs, generating, cols in batches:
            result.generating += generating
            result.columns += cols
            result.documents += len(docs)
            result.characters += sum(len(d["record"]["text"]) for d in docs)
            result.bytes += sum(len(d["record"]["text"].encode()) for d in docs)
            pickle.dump(docs, out, protocol=pickle.HIGHEST_PROTOCOL)
            if result.documents % step < per:
                progress(f"columns of {result.documents:,}/{count:,}")
    result.wall = time.perf_counter() - began
    return result


def ingest(name: str, store: Store, loaded: Load, per: int, spool: Path) -> None:
    """The spooled batches read back and ingested into ``store`` by this process, alone on
    the machine (only ``ingest_many`` is timed, into ``loaded.ingest[name]``)."""
    count, step, done = loaded.documents, max(1, loaded.documents // 10), 0
    began = time.perf_counter()
    loaded.ingest[name] = 0.0
    with spool.open("rb") as spooled:
        while done < count:
            docs = pickle.load(spooled)
            started = time.perf_counter()
            store.ingest_many(docs, VERSION)
            loaded.ingest[name] += time.perf_counter() - started
            done += len(docs)
            if done % step < per:
                progress(f"{name}: loaded {done:,}/{count:,}")
    loaded.wall += time.perf_counter() - began


# --------------------------------------------------------------------------- queries


def query_classes(rng: random.Random) -> list[tuple[str, Callable[[Store], int]]]:
    """Each class with a function making one varied call and returning its hit count."""
    asked, periods = VOCAB["queries"], VOCAB["periods"]["list"]
    counties, categories = VOCAB["places"]["counties"], VOCAB["notice"]["categories"]

    def text(
        q: str, filters: Filters | None = None, facets: bool = False
    ) -> Callable[[Store], int]:
        request = Search(q=q, filters=filters or Filters(), facets=facets)
        return lambda store: int(search(store, request)["total"])

    def filters() -> Filters:
        low, high = sorted(rng.sample(range(len(periods)), 2))
        bounds = {"period_from": periods[low][1], "period_to": periods[high][2]}
        choice = rng.randrange(3)
        if choice == 0:
            return Filters(parent=rng.choice(counties), **bounds)
        if choice == 1:
            return Filters(kind=rng.choice(["work_report", "case_notice"]), **bounds)
        level = VOCAB["places"]["town_level"]
        return Filters(level=level, kind="work_report", period_from=bounds["period_from"])

    def metric() -> Callable[[Store], int]:
        indicator, low, high = rng.choice(asked["ranges"])
        return lambda store: len(
            metrics(store, indicator=indicator, low=low or None, high=high or None)["items"]
        )

    def case() -> Callable[[Store], int]:
        category, amount = rng.choice(categories)[0], rng.choice(asked["amounts"])
        return lambda store: len(cases(store, category=category, amount_min=amount)["items"])

    return [
        ("full text (4 chars)", lambda: text(rng.choice(asked["words"]))),
        ("1 character", lambda: text(rng.choice(asked["chars"]))),
        ("2 characters", lambda: text(rng.choice(asked["pairs"]))),
        ("full text + filters", lambda: text(rng.choice(asked["words"]), filters())),
        ("full text + filters + facets", lambda: text(rng.choice(asked["words"]), filters(), True)),
        ("metric range", metric),
        ("cases filter", case),
    ]  # type: ignore[return-value]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def run_queries(store: Store, repeats: int) -> dict[str, tuple[float, float, float, float]]:
    """Per class: p50 and p95 milliseconds, the mean number of hits, and the p95 of the same
    calls with no term's hits kept from an earlier query (each term found in the index
    again, as the first query after a write does). The same seeded parameters on every
    backend; one untimed call per class first (the columns of the generation, statements)."""
    out = {}
    for cold in (False, True):
        rng = random.Random(SEED)
        for name, make in query_classes(rng):  # type: ignore[attr-defined]
            make()(store)
            times, hits = [], 0
            for _ in range(repeats):
                call = make()
                if cold:  # the terms' hits and the ranking statistics, not the columns
                    store.cache.pop("terms", None)
                    store.cache.pop("stats", None)
                began = time.perf_counter()
                hits += call(store)
                times.append((time.perf_counter() - began) * 1000)
            if cold:
                out[name] = (*out[name][:3], percentile(times, 0.95))
            else:
                out[name] = (percentile(times, 0.5), percentile(times, 0.95), hits / repeats, 0.0)
            progress(
                f"{store.backend}: {name} p95 {percentile(times, 0.95):.1f} ms"
                + (" (terms not kept)" if cold else "")
            )
    return out


def columns_load(store: Store) -> float:
    """Milliseconds to load the search columns (the first search after a write waits for it)."""
    from jjnlp.store.columns import load_columns

    began = time.perf_counter()
    load_columns(store)
    return (time.perf_counter() - began) * 1000


# --------------------------------------------------------------------------- yardstick, output


def yardstick(size: int) -> dict[str, float]:
    """Milliseconds per document: jieba.lcut, the store's words() and flat(), on document 0."""
    import jieba

    text = generate(0, size)["record"]["text"]
    jieba.lcut(text)
    words(text)
    out = {}
    for name, cut in (("jieba.lcut", jieba.lcut), ("store words()", words), ("store flat()", flat)):
        began = time.perf_counter()
        for _ in range(50):
            cut(text)
        out[name] = (time.perf_counter() - began) / 50 * 1000
    return out


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def settle(store: Store) -> None:
    """The store as a reader finds it after loading: SQLite's WAL checkpointed into the file,
    PostgreSQL vacuumed and analysed."""
    if store.backend == "sqlite":
        store.rows("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        store.rows("VACUUM ANALYZE")


@contextlib.contextmanager
def cluster(directory: Path | None) -> Iterator[str]:
    """A throwaway PostgreSQL cluster's URL (in ``directory`` or a new temporary folder the
    server's user can reach), stopped on the way out."""
    sys.path.insert(0, str(HERE))
    import pg_cluster

    if directory is not None:
        # the server runs as another user when this runs as root: it must reach its folder
        directory.parent.chmod(directory.parent.stat().st_mode | 0o711)
    server = pg_cluster.start(directory)
    try:
        yield server.url
    finally:
        server.stop()


WIDTH = 34


def report_loading(args: argparse.Namespace, loaded: Load, cuts: dict[str, float]) -> None:
    n = loaded.documents
    names = list(loaded.ingest)
    notices = sum(1 for i in range(n) if slot(i)[0] == "case_notice")
    print(
        f"documents: {n:,} ({n - notices:,} work reports, {notices:,} case notices),"
        f" {loaded.bytes / n:,.0f} bytes / {loaded.characters / n:,.0f} characters each"
    )
    print("yardstick (ms per document): " + ", ".join(f"{k} {v:.2f}" for k, v in cuts.items()))
    print(f"generating the rows (not timed as indexing): {loaded.generating / n * 1000:.2f} ms/doc")
    print()
    print(f"{'indexing':<{WIDTH}}" + "".join(f"{b:>14}" for b in names))
    ingest = [loaded.ingest[b] / n * 1000 for b in names]
    print(
        f"{'  bulk load (ingest_many) docs/s':<{WIDTH}}"
        + "".join(f"{n / loaded.ingest[b]:>14,.0f}" for b in names)
        + f"   (target ≥ {TARGET_DOCS_PER_S:.0f})"
    )
    print(f"{'  bulk load ms/doc':<{WIDTH}}" + "".join(f"{v:>14.2f}" for v in ingest))
    cols = loaded.columns / n * 1000
    print(
        f"{'  index columns (words+flat) ms/doc':<{WIDTH}}"
        + "".join(f"{cols:>14.2f}" for _ in names)
        + "   (in the analysis workers; CPU per document)"
    )
    print(
        f"{'  one core, columns + load docs/s':<{WIDTH}}"
        + "".join(f"{n / (loaded.columns + loaded.ingest[b]):>14,.0f}" for b in names)
    )
    together = n / loaded.wall
    print(
        f"{'  end to end docs/s (all stores)':<{WIDTH}}{together:>14,.0f}"
        f"   ({args.jobs} column workers, then one process loading every store in turn)"
    )


def report_queries(
    args: argparse.Namespace,
    sizes: dict[str, int],
    documents: dict[str, int],
    queries: dict[str, dict[str, tuple[float, float, float, float]]],
    loads: dict[str, float],
) -> None:
    names = list(queries)
    print(
        "load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print(f"{'documents':<{WIDTH}}" + "".join(f"{documents[b]:>14,}" for b in names))
    print(f"{'size MB':<{WIDTH}}" + "".join(f"{sizes[b] / 1e6:>14,.1f}" for b in names))
    print(
        f"{'size KB per document':<{WIDTH}}"
        + "".join(f"{sizes[b] / documents[b] / 1e3:>14,.2f}" for b in names)
    )
    print()
    header = "".join(f"{b + ' p50':>16}{'p95':>9}{'cold':>9}{'hits':>8}" for b in names)
    print(f"{f'query ms ({args.queries} runs each)':<{WIDTH}}{header}   target p95 (sqlite)")
    for name in queries[names[0]]:
        cells = "".join(
            f"{queries[b][name][0]:>16.1f}{queries[b][name][1]:>9.1f}"
            f"{queries[b][name][3]:>9.1f}{queries[b][name][2]:>8.0f}"
            for b in names
        )
        target = f"   ≤ {TARGETS[name]:.0f}" if name in TARGETS else ""
        print(f"{name:<{WIDTH}}{cells}{target}")
    print("cold: the p95 with no term's hits kept from an earlier query (found in the index again)")
    print(
        "search columns loaded once per write generation, ms: "
        + ", ".join(f"{b} {loads[b]:,.0f}" for b in names)
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--queries", type=int, default=50, help="repetitions per query class")
    # a commit writes out every index page its documents touched: the more documents per
    # commit, the fewer times a page is written (SQLite at 100,000: 457 docs/s with 500,
    # 582-599 with 5,000; a batch of 5,000 holds about 75 MB of rows here)
    parser.add_argument("--batch", type=int, default=5000, help="documents per transaction")
    parser.add_argument("--bytes", type=int, default=3000, help="UTF-8 size of a document")
    parser.add_argument(
        "--jobs", type=int, default=2, help="worker processes computing the index columns"
    )
    parser.add_argument("--keep", type=Path, help="build the stores here and keep them")
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep: query the stores built there before"
    )
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - {"sqlite", "postgresql"}
    if unknown or not backends:
        raise SystemExit(f"unknown backends: {', '.join(sorted(unknown)) or '(none)'}")

    with contextlib.ExitStack() as stack:
        if args.reuse and not args.keep:
            raise SystemExit("--reuse needs --keep DIR")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            root = args.keep
        else:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench_search_")))
        # workers are spawned before any store opens (no fork of the pool's threads)
        pool = None
        if args.jobs > 1:
            pool = stack.enter_context(multiprocessing.get_context("spawn").Pool(args.jobs))
            # each worker loads its dictionaries before the clock starts
            list(pool.imap(batch, spans(4 * args.jobs, args.bytes, 1)))
        cuts = yardstick(args.bytes)
        stores: dict[str, Store] = {}
        url = ""
        for name in backends:
            if name == "sqlite":
                spec: str | Path = root / "bench.db"
                if Path(spec).exists() != args.reuse:
                    raise SystemExit(f"{spec}: --reuse needs it, a new run a fresh --keep folder")
            else:
                url = stack.enter_context(cluster(root / "pg" if args.keep else None))
                spec = url
            stores[name] = stack.enter_context(contextlib.closing(open_store(spec)))
        # each store is loaded and then queried before the next is loaded: a deployment has
        # one of them, and the next one's load (2.5 GB) would push this one's pages out of the
        # system's file cache first
        loaded = None
        spool = root / "batches.pickle"
        if not args.reuse:
            progress(f"index columns of {args.documents:,} documents")
            loaded = spool_columns(args.documents, args.bytes, args.batch, pool, spool)
        sizes, documents, queries, loads = {}, {}, {}, {}
        for name, store in stores.items():
            if loaded is not None:
                ingest(name, store, loaded, args.batch, spool)
            settle(store)
            sizes[name], documents[name] = store.size(), store.count()
            loads[name] = columns_load(store)
            queries[name] = run_queries(store, args.queries)
        spool.unlink(missing_ok=True)
        if loaded is not None:
            report_loading(args, loaded, cuts)
            print()
        report_queries(args, sizes, documents, queries, loads)


if __name__ == "__main__":
    main()
