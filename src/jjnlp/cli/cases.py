"""``jjnlp cases FILE``: the cases of a 典型问题通报 with their facts and outcomes."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import add_document_arguments, run_per_document
from jjnlp.model import Analysis

FORM_ZH = {1: "第一种形态", 2: "第二种形态", 3: "第三种形态", 4: "第四种形态"}


add_arguments = add_document_arguments


def _outcome(
    party: str | None, admin: str | None, treatments: tuple[str, ...], transferred: bool
) -> str:
    return "、".join(
        x
        for x in (
            party and f"党纪{party}",
            admin and f"政务{admin}",
            *treatments,
            "移送检察机关" if transferred else None,
        )
        if x
    )


def _listing(path: str, analysis: Analysis) -> str:
    notice = analysis.cases
    if notice is None:
        return f"{path}：不是典型问题通报（未找到以“……问题”为题的案例）"
    lines = [f"{path}：标题称{notice.announced or '—'}起，列出{len(notice.cases)}起"]
    for case in notice.cases:
        outcome = _outcome(
            case.party_sanction, case.admin_sanction, case.treatments, case.transferred
        )
        if case.recovered:
            outcome = "、".join(x for x in (outcome, "追缴/收缴") if x)
        amounts = "、".join(
            f"{a.text}（{format(a.value.normalize(), 'f')}元）" for a in case.amounts
        )
        lines.append(f"  {case.number}. {case.unit or ''}{case.position or ''}{case.person or ''}")
        lines.append(
            f"     问题：{case.conduct}；类别：{case.category or '—'}；"
            f"纪律：{case.discipline or '—'}"
        )
        lines.append(
            f"     金额：{amounts or '—'}；物品：{'、'.join(case.goods) or '—'}；"
            f"处理：{outcome or '—'}；形态：{FORM_ZH.get(case.form or 0, '—')}"
        )
        if len(case.people) > 1:
            for person in case.people:
                who = f"{person.unit or ''}{person.position or ''}{person.name}"
                done = _outcome(
                    person.party_sanction,
                    person.admin_sanction,
                    person.treatments,
                    person.transferred,
                )
                lines.append(f"     人员：{who}：{done or '—'}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    return run_per_document(args, "cases", ("cases",), _listing)
