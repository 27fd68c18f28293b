#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Re-verify the held-out batch from the numbers table in build.py.

Checks (1) every internal relation of every document, (2) that the
cross-document relations are violated exactly where an error was injected
and hold everywhere else, including the traps (国企 not rolled up, 乡镇 not
double-counted, duplicate counted once, 去年同期 figures, 约数, restatement),
and (3) the files: docs, manifest.csv, gold.json, duplicate, near-duplicate,
broken .docx.  Prints OK or raises AssertionError.
"""
import csv
import difflib
import hashlib
import io
import itertools
import json
import os
import re
import zipfile
from decimal import Decimal as D

import build as B
from build import N, UNITS, CHILDREN, EXTRA, RESTATED, ORDER, SUMMED, IND

ROOT = B.ROOT
problems = []


def need(cond, msg):
    if not cond:
        problems.append(msg)


def text(f):
    with open(os.path.join(ROOT, f), encoding="utf-8") as fh:
        return fh.read()


def val(u, p, k, restated=False):
    d = N[u].get(p, {})
    if restated and (u, p, k) in RESTATED:
        return RESTATED[(u, p, k)]
    return d.get(k)


# ---------------------------------------------------------------------------
# 1. internal relations of each document
# ---------------------------------------------------------------------------
def fmt(k, v):
    return B.m(v) if k == "wh" else str(v)


ALL4_SHARES = set()
for f, u, p, kind, fn, *_ in B.DOCS:
    t = text(f)
    need(t == fn(), f"{f}: file differs from builder output")
    d = N[u][p]
    if kind == "work_report":
        # figures written in the text
        for k in SUMMED + ["bj_la", "bj_ja", "bj_lz", "py_la", "py_lz", "py_xs",
                           "town_la", "jz_ja", "dj", "zw", "qs"]:
            if k in d:
                need(fmt(k, d[k]) in t, f"{f}: {k}={d[k]} not in text")
        # 结案率 = 结案/立案
        if "la" in d:
            r = B.pct(d["ja"], d["la"])
            need(f"结案率{r}" in t, f"{f}: 结案率 {r} not found")
            need(D(r[:-1]) == B.r1(D(d["ja"]) * 100 / D(d["la"])), f"{f}: rate")
        # 四种形态
        if "f1" in d:
            need(d["ft"] == sum(d.get(k, 0) for k in ("f1", "f2", "f3", "f4")),
                 f"{f}: four forms do not sum")
            sh = B.shares(d)
            written = [s for s in sh if s in t]
            if all(s in t for s in sh) and d.get("f3") and d.get("f4"):
                ALL4_SHARES.add(f)
                tot = sum(D(s[:-1]) for s in sh)
                need(tot == D("100.0"), f"{f}: shares sum {tot}")
            need(f"{d['ft']}人次" in t or f"\t{d['ft']}\t" in t or f"{d['ft']}\t" in t,
                 f"{f}: four-form total not written")
        # sanctions and transfers sit inside forms 2-4 and form 4
        if "f1" in d and "cf" in d:
            for cf in {d["cf"], RESTATED.get((u, p, "cf"), d["cf"])}:
                need(cf <= d.get("f2", 0) + d.get("f3", 0) + d.get("f4", 0),
                     f"{f}: 处分 {cf} > forms 2-4")
            if "ys" in d:
                need(d["ys"] <= d.get("f4", 0), f"{f}: 移送 > 第四种形态")
        # 党纪/政务 overlap and levels
        if "dj" in d:
            need(d["dj"] + d["zw"] >= d["cf"], f"{f}: 党纪+政务 < 处分")
            need(d["dj"] <= d["cf"] and d["zw"] <= d["cf"], f"{f}: part > total")
        if "lv" in d:
            need(sum(d["lv"].values()) == d["cf"], f"{f}: levels do not sum")
            for k, v in d["lv"].items():
                need(f"{k}{v}人" in t, f"{f}: level {k} missing")
        # tables: rows sum to 合计
        if "split" in d:
            for c in ("xs", "la", "ja", "cf"):
                need(sum(r[c] for r in d["split"].values()) == d[c], f"{f}: split {c}")
            lines = [l for l in t.splitlines() if "\t" in l]
            head, body = lines[0].split("\t"), [l.split("\t") for l in lines[1:]]
            tot = [r for r in body if r[0] == "合计"][0]
            for j in range(1, len(head)):
                need(sum(int(r[j]) for r in body if r[0] != "合计") == int(tot[j]),
                     f"{f}: table column {head[j]} != 合计")
        if f == B.doc_of("QX", "q1"):
            lines = [l.split("\t") for l in t.splitlines() if "\t" in l][1:]
            body = [r for r in lines if r[0] != "合计"]
            tot = [r for r in lines if r[0] == "合计"][0]
            need(sum(int(r[1]) for r in body) == int(tot[1]), f"{f}: 四种形态 table")
            need(sum(D(r[2][:-1]) for r in body) == D(tot[2][:-1]) == D("100.0"),
                 f"{f}: share column")
        # parts <= totals
        for part, whole in (("bj_la", "la"), ("bj_ja", "ja"), ("bj_lz", "lz"),
                            ("town_la", "la"), ("jz_ja", "ja"), ("qs", "wh")):
            if part in d:
                need(d[part] <= d[whole], f"{f}: {part} > {whole}")
        # 同比
        for k in ("la", "xs"):
            if f"py_{k}" in d:
                y = B.yoy(d[k], d[f"py_{k}"])
                word = "增长" if d[k] > d[f"py_{k}"] else "下降"
                need(f"{word}{y}" in t, f"{f}: 同比 {word}{y} not in text")
        if "py_lz" in d:
            need(f"同比增加{d['lz'] - d['py_lz']}人" in t, f"{f}: 同比增加")
        # 约数
        if "wh_approx" in d:
            need(f"约{d['wh_approx']}万元" in t, f"{f}: approx")
            need(abs(d["wh_approx"] - d["wh_true"]) / d["wh_true"] < D("0.1"), "approx too far")
        # extras written
        for lab, v in EXTRA.get((u, p), {}).items():
            need(str(v) in t, f"{f}: extra {lab}={v} not in text")
        # document form
        lines = [l for l in t.splitlines() if l.strip()]
        need(any(l.endswith("：") and len(l) < 60 for l in lines[:4]), f"{f}: 主送")
        need(re.fullmatch(r"2024年\d{1,2}月\d{1,2}日", lines[-1]) is not None, f"{f}: date")
        heads = [l[:2] for l in lines if re.match(r"^[一二三四五]、", l)]
        need(heads == ["一、", "二、", "三、"], f"{f}: headings {heads}")
        need("存在" in t and ("下步" in t or "打算" in t), f"{f}: 问题/打算 sections")
        tl = B.title_of(t)
        need("关于" in tl and tl.endswith("的报告"), f"{f}: title {tl}")
        need("1、" not in t and "（一）、" not in t and "20大" not in t, f"{f}: format")
need(len(ALL4_SHARES) >= 6, f"docs stating all four shares: {len(ALL4_SHARES)}")

# 1b. independent read-back: a naive first-match regex per indicator must
#     recover the table value from every report (tables via the 合计 row)
PAT = {
    "xf": r"信访举报(\d+)件次",
    "xs": r"问题线索(\d+)件",
    "la": r"立案(\d+)件",
    "ja": r"结案(\d+)件",
    "lz": r"留置(\d+)人|对(\d+)(?:人|名[^，。；]{0,20})采取留置措施",
    "cf": r"党纪政务处分(\d+)人",
    "ys": r"移送检察机关(\d+)人",
    "wh": r"挽回经济损失约?([\d.]+)万元",
    "ft": r"“四种形态”[^。]{0,20}?处理(\d+)人次",
    "bx": r"违反中央八项规定精神问题(\d+)起",
}
COLS = {"问题线索（件）": "xs", "立案（件）": "la", "结案（件）": "ja", "党纪政务处分（人）": "cf"}
for f, u, p, kind, fn, *_ in B.DOCS:
    if kind != "work_report":
        continue
    t, d = text(f), N[u][p]
    got = {}
    tab = [l.split("\t") for l in t.splitlines() if "\t" in l]
    if tab and tab[0][0] == "单位":
        tot = [r for r in tab if r[0] == "合计"][0]
        for j, h in enumerate(tab[0][1:], 1):
            got[COLS[h]] = int(tot[j])
    if tab and tab[0][0] == "形态":
        got["ft"] = int([r for r in tab if r[0] == "合计"][0][1])
    for k, pat in PAT.items():
        if k in got:
            continue
        mm = re.search(pat, t)
        if mm:
            g = next(x for x in mm.groups() if x is not None)
            got[k] = D(g) if k == "wh" else int(g)
    for k in PAT:
        want = d.get(k, d.get("wh_approx") if k == "wh" else None)
        need(got.get(k) == want, f"{f}: read-back {k} got {got.get(k)} want {want}")

# restatement document
st = text(B.SUPP)
need(f"党纪政务处分{RESTATED[('NP', 'h1', 'cf')]}人" in st, "supp: restated value")
need(str(N["NP"]["h1"]["cf"]) + "人" not in st, "supp should not repeat old value")
need(RESTATED[("NP", "h1", "cf")] - N["NP"]["h1"]["cf"] == 2 and "2名党员干部" in st, "supp: delta")

# city reports state only 全市 and 市本级 figures (no child names at all)
for p in ("q1", "h1"):
    t = text(B.doc_of("LZ", p))
    for nm in ("青溪", "南浦", "石门", "云山", "桥头", "交投", "交通投资"):
        need(nm not in t, f"city {p} mentions {nm}")
    need("不含市属国有企业" in t or "市属国有企业纪委自办案件另行统计" in t,
         f"city {p}: 国企 exclusion not stated")

# ---------------------------------------------------------------------------
# 2. cross-document relations
# ---------------------------------------------------------------------------
# 2a cumulative: every unit, every indicator, every ordered pair of periods
INJ_CUM = {("QX", "wh", "q1", "h1"), ("NP", "ja", "h1", "q3")}
found = set()
for u in N:
    ps = [p for p in ORDER if p in N[u]]
    for a, b in itertools.combinations(ps, 2):
        keys = set(N[u][a]) & set(N[u][b])
        for k in keys:
            if k in ("lv", "split", "dj", "zw", "wh_approx", "wh_true"):
                continue
            if k.startswith("py_"):
                continue
            for ra, rb in itertools.product((False, True), repeat=2):
                va, vb = val(u, a, k, ra), val(u, b, k, rb)
                if vb < va:
                    found.add((u, k, a, b))
        # sub-rows of tables are cumulative only where repeated (none here)
        for lab in set(EXTRA.get((u, a), {})) & set(EXTRA.get((u, b), {})):
            need(EXTRA[(u, b)][lab] >= EXTRA[(u, a)][lab], f"extra {u} {lab} {a}>{b}")
need(found == INJ_CUM, f"cumulative violations {sorted(found)} != injected {sorted(INJ_CUM)}")
# money error is the one on 青溪区
need(N["QX"]["h1"]["wh"] < N["QX"]["q1"]["wh"], "QX money cumulative")
# 约数: seems to break, really does not
g1, g2 = N["GQ"]["q1"], N["GQ"]["h1"]
need(g1["wh_approx"] > g2["wh"] >= g1["wh_true"], "approx case")
# city cumulative holds even against the corrected q1 立案
need(N["LZ"]["h1"]["la"] >= sum(N[c]["q1"]["la"] for c in CHILDREN["LZ"]) + N["LZ"]["q1"]["bj_la"], "city la cum")
# 去年同期 misread would create a cumulative error
need(N["SM"]["h1"]["py_lz"] < N["SM"]["q1"]["lz"], "SM py_lz trap")


# 2b roll-up
def child_sum(parent, p, k, restated=True, extra=(), drop=()):
    kids = [c for c in CHILDREN[parent] if c not in drop] + list(extra)
    tot, n = 0, 0
    for c in kids:
        v = val(c, p, k, restated)
        if v is not None:
            tot += v
            n += 1
    return tot, n


INJ_ROLL = {("LZ", "q1", "la"), ("YS", "h1", "wh")}
found = set()
for parent in CHILDREN:
    for p in ORDER:
        if p not in N[parent]:
            continue
        for k in SUMMED:
            if k not in N[parent][p]:
                continue
            for restated in (False, True):
                s, n = child_sum(parent, p, k, restated)
                if n == 0:
                    continue
                s += N[parent][p].get("bj_" + k, 0)
                if N[parent][p][k] < s:
                    found.add((parent, p, k))
need(found == INJ_ROLL, f"roll-up violations {sorted(found)} != injected {sorted(INJ_ROLL)}")

L1, L2 = N["LZ"]["q1"], N["LZ"]["h1"]
s4_la = child_sum("LZ", "q1", "la")[0]
# error A shows only with 本级
need(s4_la <= L1["la"] < s4_la + L1["bj_la"], "rollup A needs 本级")
# mistaking the 国企 for 本级 hides it
need(s4_la + N["GQ"]["q1"]["la"] <= L1["la"], "GQ-as-本级 hides A")
# error B: county below a single township, without any 本级
need(N["YS"]["h1"]["wh"] < N["QT"]["h1"]["wh"] and "bj_wh" not in N["YS"]["h1"], "rollup B")
need(N["YS"]["h1"]["wh"] >= N["YS"]["q1"]["wh"], "rollup B is not also cumulative")
# the money cumulative error does not hide a city roll-up error
need(L2["wh"] >= child_sum("LZ", "h1", "wh")[0] - N["QX"]["h1"]["wh"] + N["QX"]["q1"]["wh"], "QX corrected")
need(L2["wh"] >= child_sum("LZ", "h1", "wh")[0] - N["YS"]["h1"]["wh"] + N["QT"]["h1"]["wh"], "YS corrected")


def violations(p, extra=(), double=()):
    out = set()
    for k in SUMMED:
        if k not in N["LZ"][p]:
            continue
        s, _ = child_sum("LZ", p, k, True, extra)
        for c in double:
            s += val(c, p, k, True) or 0
        s += N["LZ"][p].get("bj_" + k, 0)
        if N["LZ"][p][k] < s:
            out.add(k)
    return out


base = {p: violations(p) for p in ("q1", "h1")}
need(base == {"q1": {"la"}, "h1": set()}, f"base city violations {base}")
# adding the 国企 creates false errors
gq = {p: violations(p, extra=("GQ",)) - base[p] for p in ("q1", "h1")}
need("cf" in gq["q1"] and {"la", "ja", "cf"} <= gq["h1"], f"GQ trap {gq}")
# adding the 乡镇 to the city (double counting) creates false errors
qt = {p: violations(p, extra=("QT",)) - base[p] for p in ("q1", "h1")}
need("cf" in qt["q1"] and "cf" in qt["h1"], f"QT trap {qt}")
# counting the duplicate 石门县 file twice creates false errors
dup = violations("h1", double=("SM",))
need({"la", "cf", "lz", "ja", "ys"} <= dup, f"dup trap {dup}")
# 去年同期 misread (青溪区 72件) creates a false city error
need(L2["la"] < child_sum("LZ", "h1", "la")[0] - N["QX"]["h1"]["la"] + N["QX"]["h1"]["py_la"] + L2["bj_la"], "QX py_la trap")
# exact equalities
need(L1["lz"] == child_sum("LZ", "q1", "lz")[0] + L1["bj_lz"], "eq q1 lz")
need(L1["ys"] == child_sum("LZ", "q1", "ys")[0], "eq q1 ys")
need(L2["lz"] == child_sum("LZ", "h1", "lz")[0] + L2["bj_lz"], "eq h1 lz")
need(L2["ys"] == child_sum("LZ", "h1", "ys")[0], "eq h1 ys")
need(L2["cf"] == child_sum("LZ", "h1", "cf", True)[0], "eq h1 cf (restated)")
need(L2["cf"] > child_sum("LZ", "h1", "cf", False)[0], "h1 cf (original) below")
# county vs township: everything holds except the injected one
for p in ORDER:
    for k in N["QT"][p]:
        if k in SUMMED and k in N["YS"][p] and (p, k) != ("h1", "wh"):
            need(N["YS"][p][k] >= N["QT"][p][k], f"YS>=QT {p} {k}")
need(N["YS"]["q1"]["town_la"] >= N["QT"]["q1"]["la"], "town part")
need(N["SM"]["h1"]["split"]["乡镇纪委"]["la"] <= N["SM"]["h1"]["la"], "SM town part")
# 通报曝光 (extras) roll up too
for p in ("q1", "h1"):
    kids = sum(v for c in CHILDREN["LZ"] for lab, v in EXTRA.get((c, p), {}).items() if "通报曝光" in lab)
    need(EXTRA[("LZ", p)]["通报曝光典型问题"] >= kids, f"通报曝光 rollup {p}")

# 2c allowed cases
np_ = N["NP"]
need(np_["q1"]["ja"] > np_["q1"]["la"] and np_["h1"]["ja"] > np_["h1"]["la"], "结案>立案")
need(all(np_[p]["xs"] > np_[p]["xf"] for p in ORDER), "线索>信访")
rate_f = lambda u, p: D(B.rate(N[u][p])[:-1])
need(rate_f("QX", "h1") < rate_f("QX", "q1") and rate_f("SM", "q3") < rate_f("SM", "h1") < rate_f("SM", "q1")
     and rate_f("LZ", "h1") < rate_f("LZ", "q1") and rate_f("NP", "q3") < rate_f("NP", "h1"), "rates down")
need(N["SM"]["q1"]["py_la"] > N["SM"]["q1"]["la"] and N["YS"]["h1"]["py_xs"] < N["YS"]["h1"]["xs"]
     and N["NP"]["h1"]["py_xs"] > N["NP"]["h1"]["xs"], "同比 larger/smaller")

# ---------------------------------------------------------------------------
# 3. files
# ---------------------------------------------------------------------------
docs_on_disk = sorted(os.path.relpath(os.path.join(dp, fn), ROOT)
                      for dp, _, fns in os.walk(os.path.join(ROOT, "docs")) for fn in fns)
listed = sorted([d[0] for d in B.DOCS] + [B.BROKEN[0]])
need(docs_on_disk == listed, "docs on disk != DOCS")
need(18 <= len(listed) <= 24, f"{len(listed)} documents")
need(len({d[1] for d in B.DOCS if d[2] == "q3"}) >= 2, "q3 units")

# manifest
raw = open(os.path.join(ROOT, "manifest.csv"), "rb").read()
need(raw.startswith(b"\xef\xbb\xbf"), "manifest BOM")
rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
need([r["file"] for r in rows] == [d[0] for d in B.DOCS] + [B.BROKEN[0]], "manifest files")
need(list(rows[0].keys()) == ["file", "unit", "parent", "period"], "manifest columns")
for r in rows:
    need(r["period"] in B.PERIODS.values(), f"manifest period {r['period']}")
    if "交投" in r["unit"] or "交通投资" in r["unit"]:
        need(r["parent"] == "", "GQ parent must be empty")
need(any(r["unit"] in ("石门县", "桥头镇", "南浦区", "云山县", "交投集团纪委") for r in rows), "abbreviated names")

# gold
gold = json.load(open(os.path.join(ROOT, "gold.json"), encoding="utf-8"))
need(set(gold) == {"documents", "findings", "failed", "consistent_checks"}, "gold keys")
need([d["file"] for d in gold["documents"]] == [d[0] for d in B.DOCS], "gold documents")
for d in gold["documents"]:
    need(set(d) == {"file", "unit", "level", "parent", "kind", "period"}, "gold doc keys")
    need(d["level"] in ("省", "市", "县", "区", "乡镇", "派驻", "国企", "高校"), "level")
    need(d["kind"] in ("work_report", "case_notice", "other"), "kind")
    need(d["period"] in B.PERIODS.values(), "period")
    if d["level"] == "国企":
        need(d["parent"] is None, "GQ gold parent")
need(gold["failed"] == [B.BROKEN[0]], "failed")


def strings(o):
    if isinstance(o, str):
        yield o
    elif isinstance(o, dict):
        for v in o.values():
            yield from strings(v)
    elif isinstance(o, list):
        for v in o:
            yield from strings(v)


need(not any("{" in s or "}" in s for s in strings(gold)), "unformatted placeholder in gold")
rules = sorted(f["rule"] for f in gold["findings"])
need(rules == sorted(["cumulative"] * 2 + ["rollup"] * 2 + ["restatement", "duplicate_file", "near_duplicate"]), f"rules {rules}")
for f in gold["findings"]:
    need(set(f) == {"rule", "file", "indicator", "text", "context", "expected", "other_files", "note"}, "finding keys")
    t = text(f["file"])
    need(f["context"] in t, f"context not in {f['file']}: {f['context']}")
    if f["text"] is not None:
        need(f["text"] in f["context"], f"text not in context: {f['text']}")
        need(t.count(f["context"]) == 1, f"context not unique in {f['file']}")
    for o in f["other_files"]:
        need(os.path.exists(os.path.join(ROOT, o)), f"missing {o}")
need(gold["findings"] == json.loads(json.dumps(B.findings(), ensure_ascii=False)), "gold findings stale")
need(gold["consistent_checks"] == B.consistent_checks(), "gold consistent_checks stale")
# cumulative findings sit in the later document
for f in gold["findings"]:
    if f["rule"] == "cumulative":
        later = [d for d in B.DOCS if d[0] == f["file"]][0][2]
        earlier = [d for d in B.DOCS if d[0] == f["other_files"][0]][0][2]
        need(ORDER.index(later) > ORDER.index(earlier), "cumulative file must be the later period")

# duplicate: byte-identical, and the only identical pair
h = {d[0]: hashlib.sha256(open(os.path.join(ROOT, d[0]), "rb").read()).hexdigest() for d in B.DOCS}
need(h[B.DUP[0]] == h[B.DUP[1]], "duplicate not identical")
need(B.DUP[0] > B.DUP[1], "duplicate must be the later-named copy")
need(len(set(h.values())) == len(h) - 1, "unexpected identical files")


# near-duplicate vs honest reuse vs everything else
def sim(a, b):
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


T = {d[0]: text(d[0]) for d in B.DOCS}
pairs = {}
for a, b in itertools.combinations(sorted(T), 2):
    if {a, b} == set(B.DUP):
        continue
    pairs[(a, b)] = sim(T[a], T[b])
near = pairs[tuple(sorted(B.NEAR))]
honest = pairs[tuple(sorted(B.HONEST_REUSE))]
others = max(v for k, v in pairs.items() if set(k) not in (set(B.NEAR),))
need(near > 0.85, f"near-duplicate similarity {near:.2f}")
need(honest < 0.45, f"honest reuse similarity {honest:.2f}")
need(others < 0.5, f"some other pair too similar {others:.2f}")


def shingles(t, n=8):
    t = "".join(t.split())
    return {t[i:i + n] for i in range(len(t) - n + 1)}


def jac(a, b):
    A, Bs = shingles(T[a]), shingles(T[b])
    return len(A & Bs) / len(A | Bs)


jn, jh = jac(*B.NEAR), jac(*B.HONEST_REUSE)
jo = max(jac(a, b) for a, b in pairs if {a, b} not in (set(B.NEAR), set(B.HONEST_REUSE)))
need(jn > 0.5 and 0.05 < jh < 0.2 and jo < 0.1, f"8-gram Jaccard near {jn:.2f} honest {jh:.2f} other {jo:.2f}")
for s in B.YS_BOILERPLATE:
    need(s in T[B.HONEST_REUSE[0]] and s in T[B.HONEST_REUSE[1]], "boilerplate reused")
# near-dup: exactly 4 figures differ among the headline indicators
diff = [k for k in N["SM"]["q3"] if N["SM"]["q3"][k] != N["NP"]["q3"][k]]
need(sorted(diff) == sorted(["xf", "xs", "lz", "wh"]), f"near-dup changed figures {diff}")
need(3 <= len(diff) <= 5, "3-5 figures changed")
paraSM, paraNP = B.Q3_PARA_SM, B.Q3_PARA_NP
need(paraSM.split("。")[0] != paraNP.split("。")[0] or sim(paraSM, paraNP) < 0.5, "paragraph rewritten")

# broken docx
bd = open(os.path.join(ROOT, B.BROKEN[0]), "rb").read()
need(bd.startswith(b"PK\x03\x04") and len(bd) < 100, "broken docx header")
try:
    zipfile.ZipFile(io.BytesIO(bd))
    need(False, "broken docx opens as zip")
except zipfile.BadZipFile:
    pass

# all texts are valid UTF-8 without BOM, LF line ends
for f in T:
    rb = open(os.path.join(ROOT, f), "rb").read()
    need(not rb.startswith(b"\xef\xbb\xbf") and b"\r" not in rb, f"{f}: encoding/eol")

if problems:
    for p in problems:
        print("FAIL:", p)
    raise SystemExit(1)
print(f"similarity (difflib / 8-gram Jaccard): near-duplicate {near:.2f}/{jn:.2f}, "
      f"honest reuse {honest:.2f}/{jh:.2f}, max other pair {others:.2f}/{jo:.2f}")
print("OK")
