"""Generate training sentences for the problem classifier from hand-written phrase templates.

Usage: python scripts/make_problem_data.py [OUT.jsonl] [--per-label N] [--per-pair N] [--seed S]

The templates are data (corpora/train/problems/templates.toml). Generated data trains the
model; it never grades it: corpora/gold is hand-written and never read here. Each statement
is a headline clause (from a subject and a predicate, or written whole) followed by zero to
two elaboration sentences, like a 一是… item of a report; some statements join two labels.
"""

from __future__ import annotations

import argparse
import json
import random
import tomllib
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent.parent / "corpora/train/problems/templates.toml"


def load_templates(path: Path = TEMPLATES) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def headline(rng: random.Random, t: dict[str, Any], label: str) -> str:
    """One headline clause pointing at ``label`` alone."""
    own = t["labels"][label]
    kind = rng.randrange(4)
    if kind == 0:
        return str(rng.choice(own["headlines"]))
    if kind == 1:
        return rng.choice(own["subjects"]) + rng.choice(t["generic_predicates"])
    if kind == 2:
        return rng.choice(own["subjects"]) + rng.choice(own["predicates"])
    return rng.choice(t["generic_subjects"]) + rng.choice(own["predicates"])


def joint_headline(rng: random.Random, t: dict[str, Any], first: str, second: str) -> str:
    """One headline clause about two labels: a subject of one, a predicate of the other."""
    if rng.random() < 0.7:
        subject = rng.choice(t["labels"][first]["subjects"])
        return subject + rng.choice(t["labels"][second]["predicates"])
    clauses = [headline(rng, t, first), headline(rng, t, second)]
    rng.shuffle(clauses)
    return "，".join(clauses)


def statement(rng: random.Random, t: dict[str, Any], labels: list[str], head: str) -> str:
    """Opener, headline and up to two elaboration sentences drawn from ``labels``."""
    details = [d for label in labels for d in t["labels"][label]["details"]]
    count = rng.choice((0, 0, 1, 1, 2))
    return rng.choice(t["openers"]) + head + "。" + "".join(rng.sample(details, count))


def generate(t: dict[str, Any], per_label: int, per_pair: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for label in sorted(t["labels"]):
        for _ in range(per_label):
            rows.append(
                {"text": statement(rng, t, [label], headline(rng, t, label)), "labels": [label]}
            )
    for a, b in t["pairs"]:
        for _ in range(per_pair):
            head = joint_headline(rng, t, a, b)
            rows.append({"text": statement(rng, t, [a, b], head), "labels": sorted([a, b])})
    unique = {row["text"]: row for row in rows}  # a repeated sentence would leak into dev
    out = list(unique.values())
    rng.shuffle(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", default="corpora/train/problems/train.jsonl")
    parser.add_argument("--per-label", type=int, default=220)
    parser.add_argument("--per-pair", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = generate(load_templates(), args.per_label, args.per_pair, args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    print(f"{len(rows)} statements → {out}")


if __name__ == "__main__":
    main()
