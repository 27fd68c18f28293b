"""Generate training sentences for the statistical entity recogniser (ORG, LOC, PER, TITLE).

Usage: python scripts/make_ner_data.py [OUT.jsonl] [--n N] [--seed S]

Frames and fillers are data (corpora/train/ner/templates.toml): report and notice sentences
with slots for named bodies, places, masked names and titles, built from invented place
names so the model learns the shape of a name (青山县纪委监委, 河西镇纪委副书记) rather than
a list. The frames are set among generated problem statements (corpora/train/problems),
which also stand alone, so the model sees prose with no entity. Generated data trains the
model; it never grades it (corpora/gold is hand-written and never read here). Each line is
{"text": ..., "spans": [[start, end, label], ...]} with the outermost entities only (a title
over its unit, a unit over its place).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "corpora/train/ner/templates.toml"
OUT = ROOT / "corpora/train/ner/train.jsonl"
PROBLEMS = ROOT / "corpora/train/problems/train.jsonl"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"


class Fill:
    """Slot fillers drawn from the templates with one random generator."""

    def __init__(self, t: dict[str, Any], rng: random.Random) -> None:
        self.t = t
        self.rng = rng

    def name(self) -> str:
        return self.rng.choice(self.t["place_first"]) + self.rng.choice(self.t["place_second"])

    def county(self) -> str:
        return self.name() + self.rng.choice(self.t["counties"])

    def town(self) -> str:
        return self.name() + self.rng.choice(self.t["towns"])

    def village(self) -> str:
        return self.name() + "村"

    def loc(self) -> str:
        kind = self.rng.randrange(5)
        if kind == 0:
            return self.county() + self.town()
        if kind == 1:
            return self.village()
        if kind == 2:
            return self.rng.choice(["**市", "*市", "**县"])
        return self.rng.choice([self.county, self.town])()

    def dept(self) -> str:
        return str(self.rng.choice(self.t["departments"]))

    def org_town(self) -> str:
        return self.town() + self.rng.choice(self.t["town_orgs"])

    def org(self) -> str:
        r = self.rng
        kind = r.randrange(10)
        if kind == 9:
            full = self.county() + r.choice(self.t["full_names"])
            return "中共" + full if full.endswith("纪律检查委员会") else full
        if kind == 0:
            return str(r.choice(self.t["known"]))
        if kind == 1:
            return self.county() + r.choice(self.t["place_orgs"])
        if kind == 2:
            sub = r.choice(["", "", r.choice(self.t["sub_units"])])
            return self.county() + self.dept() + sub
        if kind == 3:
            level = r.choice(["市", "县", "区"])
            return f"驻{level}{self.dept()}纪检监察组"
        if kind == 4:
            return f"{self.county()}纪委监委驻{r.choice(['市', '县', '区'])}{self.dept()}纪检监察组"
        if kind == 5:
            return self.org_town()
        if kind == 6:
            return self.village() + r.choice(self.t["village_orgs"])
        if kind == 7:
            return self.name() + r.choice(self.t["companies"])
        return r.choice(["市", "县", "区"]) + self.dept()

    def title(self) -> str:
        return self.org() + self.position()

    def sub_title(self) -> str:
        return self.county() + self.dept() + self.rng.choice(self.t["sub_units"]) + self.position()

    def place_title(self) -> str:
        return self.loc() + self.position()

    def position(self) -> str:
        return str(self.rng.choice(self.t["positions"]))

    def per(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(["某某", "某某", "某"])


SLOTS = {
    "ORG": ("ORG", Fill.org),
    "ORG_TOWN": ("ORG", Fill.org_town),
    "LOC": ("LOC", Fill.loc),
    "PER": ("PER", Fill.per),
    "TITLE": ("TITLE", Fill.title),
    "PLACE_TITLE": ("TITLE", Fill.place_title),
    "SUB_TITLE": ("TITLE", Fill.sub_title),
    "POS": ("TITLE", Fill.position),
}


def sentence(fill: Fill, frame: str) -> dict[str, Any]:
    text = ""
    spans: list[list[Any]] = []
    for piece in re.split(r"(\{[A-Z_]+\})", frame):
        slot = piece[1:-1] if piece.startswith("{") else None
        if slot is None:
            text += piece
        elif slot == "N":
            text += str(fill.rng.randint(2, 120))
        elif slot == "GENERIC":
            text += fill.rng.choice(fill.t["generic"])
        else:
            label, make = SLOTS[slot]
            value = make(fill)
            spans.append([len(text), len(text) + len(value), label])
            text += value
    return {"text": text, "spans": spans}


def context_sentences() -> list[str]:
    """Entity-free report prose to set the frames in: the generated problem statements."""
    rows = PROBLEMS.read_text(encoding="utf-8").splitlines()
    return [json.loads(row)["text"] for row in rows if row.strip()]


def in_context(row: dict[str, Any], before: str, after: str) -> dict[str, Any]:
    spans = [[s + len(before), e + len(before), label] for s, e, label in row["spans"]]
    return {"text": before + row["text"] + after, "spans": spans}


def generate(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` framed sentences, half of them set between prose sentences, plus ``n // 3``
    sentences of prose alone (so the model also learns where there is nothing)."""
    t = tomllib.loads(TEMPLATES.read_text(encoding="utf-8"))
    fill = Fill(t, random.Random(seed))
    prose = context_sentences()
    rows = []
    for _ in range(n):
        frames = t["frames"] + t["place_title_frames"] + t["notice_frames"]
        row = sentence(fill, fill.rng.choice(frames))
        if fill.rng.random() < 0.5:
            before = fill.rng.choice(["", fill.rng.choice(prose)])
            row = in_context(row, before, fill.rng.choice(prose))
        rows.append(row)
    rows += [{"text": fill.rng.choice(prose), "spans": []} for _ in range(n // 3)]
    fill.rng.shuffle(rows)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(OUT))
    parser.add_argument("--n", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = generate(args.n, args.seed)
    Path(args.out).write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    print(f"{len(rows)} sentences -> {args.out}")


if __name__ == "__main__":
    main()
