"""Generate training sentences for the problem classifier from hand-written phrase templates.

Usage: python scripts/make_problem_data.py [OUT.jsonl] [--per-class N] [--seed S]

Generated data trains the model; it never grades it (the gold is corpora/gold, written by
hand and never read here). Each sentence combines a subject, a weakness and an optional
elaboration written for its category; a few sentences combine two categories (multi-label).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

# Written fresh for training: the phrasing deliberately avoids the sentences of corpora/docs
# and of the shared seed report, which are test material.
TEMPLATES: dict[str, dict[str, list[str]]] = {
    "政治监督落实": {
        "subject": [
            "政治监督",
            "对重大部署贯彻执行的监督",
            "对主要负责人的监督",
            "对领导班子成员的监督",
            "上级对下级的监督",
            "政治生态研判",
            "对“国之大者”的监督",
        ],
        "weakness": [
            "聚焦不够精准",
            "抓得不够实",
            "还有空白点",
            "浮在面上",
            "跟进不够及时",
            "力度层层递减",
            "办法不多",
        ],
        "detail": [
            "对执行走样、打折扣的情况掌握滞后",
            "监督清单与实际任务衔接不紧",
            "对班子成员履职情况了解不深",
            "跟踪问效还不到位",
        ],
    },
    "派驻监督效能": {
        "subject": ["派驻纪检监察组", "派驻监督", "部分派驻组", "派驻机构日常监督", "驻部门纪检组"],
        "weakness": [
            "发现问题的能力偏弱",
            "监督的独立性有待增强",
            "与驻在部门贴得不够近",
            "作用未充分发挥",
            "监督触角延伸不够",
        ],
        "detail": [
            "对驻在部门的业务流程不熟悉",
            "碍于情面不愿动真碰硬",
            "主要依靠被动接收线索",
            "对下属单位的监督覆盖不全",
        ],
    },
    "基层监督力量与能力": {
        "subject": [
            "乡镇（街道）纪检监察机构",
            "村（社区）监督组织",
            "基层纪检干部",
            "镇街纪委",
            "村监会",
            "基层监督网络",
            "镇纪委自身监督力量",
            "下属企业纪检机构",
            "二级单位纪检力量",
            "街道纪工委监督能力",
            "基层单位纪检人员配备",
        ],
        "weakness": [
            "人手紧张",
            "身兼多职",
            "业务能力跟不上",
            "监督作用未能有效发挥",
            "底数掌握不清",
            "缺少专业培训",
            "配置不到位",
            "偏弱",
            "跟不上工作需要",
        ],
        "detail": [
            "大量精力被中心工作占用",
            "对村集体资金资产资源的监督较弱",
            "新任干部缺乏实践经验",
            "监督多停留在签字把关",
        ],
    },
    "办案质量与能力": {
        "subject": [
            "案件办理",
            "审查调查",
            "问题线索处置",
            "基层办案",
            "案件审理",
            "镇街自办案件",
            "基层纪委查办案件的能力",
        ],
        "weakness": [
            "质效需要提高",
            "时间拖得较长",
            "还不够规范",
            "力量不足",
            "攻坚能力较弱",
            "数量偏少",
        ],
        "detail": [
            "取证工作存在瑕疵",
            "定性量纪把握不准",
            "一些线索长期积压",
            "协作办案机制作用发挥不够",
        ],
    },
    "以案促改与治本": {
        "subject": [
            "以案为鉴、以案促改",
            "案件整改",
            "办案后的治理",
            "警示整改工作",
            "案发单位整改",
        ],
        "weakness": ["还不够到位", "存在“一查了之”现象", "举一反三不够", "治理成效不够明显"],
        "detail": [
            "同类问题在不同单位反复出现",
            "纪律检查建议书落实跟踪不够",
            "对发案原因剖析不深",
            "堵塞管理漏洞的措施不够有力",
        ],
    },
    "制度机制建设": {
        "subject": [
            "监督制度",
            "工作机制",
            "协作配合机制",
            "纪巡审贯通机制",
            "制度体系",
            "长效管理机制",
        ],
        "weakness": ["还不健全", "衔接不够紧密", "落实不够有力", "执行打了折扣", "有待完善"],
        "detail": [
            "部门之间沟通会商不够经常",
            "部分规定缺乏配套细则",
            "信息资源没有实现共享",
            "制度的刚性约束没有完全体现",
        ],
    },
    "作风与形式主义": {
        "subject": [
            "形式主义、官僚主义",
            "部分单位作风",
            "一些干部的工作作风",
            "会风文风",
            "“四风”隐形变异问题",
            "作风问题",
            "干部作风建设",
            "部分村干部的服务态度",
        ],
        "weakness": ["依然存在", "还有反复", "需要持续纠治", "仍较突出"],
        "detail": [
            "开会发文仍然偏多",
            "检查考核频次偏高",
            "办事拖沓、推诿扯皮时有发生",
            "过度留痕加重了基层负担",
        ],
    },
    "干部队伍建设": {
        "subject": ["纪检监察队伍", "干部队伍", "部分纪检干部", "队伍专业化建设", "青年干部培养"],
        "weakness": [
            "能力素质还有差距",
            "专业结构不够合理",
            "本领恐慌问题存在",
            "实战锻炼不足",
            "自我监督还需加强",
        ],
        "detail": [
            "懂财务、懂法律的人才不多",
            "新进人员比例大",
            "培训针对性不强",
            "知识更新跟不上",
        ],
    },
    "廉政教育实效": {
        "subject": ["廉洁教育", "警示教育活动", "廉洁文化", "纪律教育", "党风廉政宣传教育"],
        "weakness": [
            "效果不够理想",
            "方式比较传统",
            "针对性有待增强",
            "覆盖还不全面",
            "感染力不强",
        ],
        "detail": [
            "以读文件、念材料居多",
            "分层分类开展不够",
            "身边案例运用不够",
            "对年轻干部的教育不够及时",
        ],
    },
}
OPENERS = ["", "", "一是", "二是", "三是", "1.", "（一）"]
LINKS = ["，", "。", "，", "；"]


def sentence(rng: random.Random, label: str) -> str:
    parts = TEMPLATES[label]
    text = rng.choice(parts["subject"]) + rng.choice(parts["weakness"])
    if rng.random() < 0.6:
        text += rng.choice(LINKS) + rng.choice(parts["detail"])
    return text


def generate(per_class: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    labels = sorted(TEMPLATES)
    for label in labels:
        for _ in range(per_class):
            rows.append(
                {"text": rng.choice(OPENERS) + sentence(rng, label) + "。", "labels": [label]}
            )
    for _ in range(per_class // 3):  # statements about two things at once
        a, b = rng.sample(labels, 2)
        rows.append(
            {"text": sentence(rng, a) + "，" + sentence(rng, b) + "。", "labels": sorted([a, b])}
        )
    rng.shuffle(rows)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", default="corpora/train/problems/train.jsonl")
    parser.add_argument("--per-class", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = generate(args.per_class, args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    print(f"{len(rows)} sentences → {out}")


if __name__ == "__main__":
    main()
