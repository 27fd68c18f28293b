"""Score a batch review against a batch corpus's ``gold.json``: the cross-document findings
(rule, file, figure) and each document's identity and failure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jjnlp.batch.model import Batch
from jjnlp.errors import GoldError
from jjnlp.evaluate.scoring import Counts, match_sets

IDENTITY_FIELDS = ("unit", "level", "parent", "kind", "period")


def load_gold(path: str | Path) -> dict[str, Any]:
    try:
        gold: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GoldError(str(path), f"无法读取批量审核金标准（{exc}）") from exc
    if not {"documents", "findings"} <= gold.keys():
        raise GoldError(str(path), "金标准缺少 documents 或 findings")
    return gold


def score_batch(batch: Batch, gold: dict[str, Any]) -> dict[str, Counts]:
    """Counts per cross-document rule (and ``all``), identity fields, and failed files."""

    def key(rule: str, file: str, text: str | None) -> tuple[str, str, str]:
        return rule, file, text or ""

    predicted = [key(f.rule, f.file, f.text if f.indicator else None) for f in batch.cross]
    expected = [key(g["rule"], g["file"], g.get("text")) for g in gold["findings"]]
    out = {"all": match_sets(expected, predicted)}
    for rule in sorted({k[0] for k in expected} | {k[0] for k in predicted}):
        out[rule] = match_sets(
            [k for k in expected if k[0] == rule], [k for k in predicted if k[0] == rule]
        )
    records = {r.file: r for r in batch.documents}
    identity = Counts()
    for doc in gold["documents"]:
        record = records.get(doc["file"])
        for name in IDENTITY_FIELDS:
            got = getattr(record.identity, name) if record else None
            if got == doc.get(name):
                identity.tp += 1
            else:
                identity.fp += 1
                identity.fn += 1
    out["identity"] = identity
    out["failed"] = match_sets(
        gold.get("failed", []), [r.file for r in batch.documents if r.failed]
    )
    return out


def format_scores(scores: dict[str, Counts]) -> str:
    lines = [
        "批量审核评测（跨文件意见按 规则+文件+数字 匹配）",
        "项目\t精确率\t召回率\t命中/误报/漏报",
    ]
    for name, c in scores.items():
        lines.append(f"{name}\t{c.precision:.3f}\t{c.recall:.3f}\t{c.tp}/{c.fp}/{c.fn}")
    return "\n".join(lines)
