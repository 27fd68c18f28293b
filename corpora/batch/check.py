# -*- coding: utf-8 -*-
"""Verifies the 临川市 batch corpus: parses the documents with regexes over the known phrasing
(independently of build.py), then checks internal arithmetic, every cumulative and roll-up
relation, the planted errors, the duplicates and gold.json. Exit status 1 on any failure."""
import csv, difflib, json, os, re, sys, zipfile
from decimal import Decimal, ROUND_HALF_UP

ROOT = os.path.dirname(os.path.abspath(__file__))
FAIL = []
def ok(cond, msg):
    print(('PASS ' if cond else 'FAIL ') + msg)
    if not cond:
        FAIL.append(msg)

def read(p):
    with open(os.path.join(ROOT, p), encoding='utf-8') as fh:
        return fh.read()

N = r'(\d[\d,]*(?:\.\d+)?)'
PAT = {  # indicator -> (regex, unit); every pattern may match at most once per document
    '信访举报': (r'受理信访举报' + N + '件次', '件次'),
    '问题线索': (r'处置问题线索' + N + '件', '件'),
    '立案': (r'共立案' + N + '件', '件'),
    '本级立案': (r'本级立案' + N + '件', '件'),
    '结案': (r'结案' + N + '件', '件'),
    '结案率': (r'结案率' + N + '%', '%'),
    '党纪政务处分': (r'党纪政务处分' + N + '人', '人'),
    '留置': (r'(?:留置(?:措施)?' + N + '人|对' + N + '人采取留置措施)', '人'),
    '移送检察机关': (r'移送检察机关' + N + '人', '人'),
    '挽回经济损失': (r'挽回经济损失' + N + '万元', '万元'),
    '四种形态': (r'批评教育帮助和处理' + N + '人次', '人次'),
    '第一种形态': (r'第一种形态' + N + '人次[，、]占' + N + '%', '人次'),
    '第二种形态': (r'第二种形态' + N + '人次[，、]占' + N + '%', '人次'),
    '第三种形态': (r'第三种形态' + N + '人次[，、]占' + N + '%', '人次'),
    '第四种形态': (r'第四种形态' + N + '人次[，、]占' + N + '%', '人次'),
    '专项监督检查': (r'专项监督检查' + N + '次', '次'),
    '发现问题': (r'发现问题' + N + '个', '个'),
    '整改': (r'整改' + N + '个', '个'),
    '违反中央八项规定精神问题': (r'违反中央八项规定精神问题' + N + '起', '起'),
    '走访学校食堂': (r'走访学校食堂' + N + '家', '家'),
    '警示教育大会': (r'警示教育大会' + N + '场', '场'),
    '廉政谈话': (r'廉政谈话' + N + '人次', '人次'),
    '追缴': (r'追缴违规资金' + N + '万元', '万元'),
    '谈话函询': (r'谈话函询' + N + '件', '件'),
    '清理合同': (r'清理合同' + N + '份', '份'),
    '乡镇纪委立案': (r'乡镇纪委立案' + N + '件', '件'),
    '县纪委监委机关立案': (r'县纪委监委机关立案' + N + '件', '件'),
}
CORE = ['信访举报', '问题线索', '立案', '结案', '结案率', '党纪政务处分', '留置', '移送检察机关',
        '挽回经济损失', '四种形态', '第一种形态', '第二种形态', '第三种形态', '第四种形态']
ACCUM = ['信访举报', '问题线索', '立案', '本级立案', '结案', '党纪政务处分', '留置', '移送检察机关', '挽回经济损失',
         '四种形态', '第一种形态', '第二种形态', '第三种形态', '第四种形态', '专项监督检查', '发现问题', '整改',
         '违反中央八项规定精神问题', '走访学校食堂', '警示教育大会', '廉政谈话', '追缴', '谈话函询', '清理合同']
ROLLUP = [k for k in ACCUM if k != '本级立案']

def num(s):
    return Decimal(s.replace(',', ''))

def pct(n, d):
    return (Decimal(n) * 100 / Decimal(d)).quantize(Decimal('0.1'), ROUND_HALF_UP)

def parse(text):
    m, spans = {}, []
    for ind, (rx, _) in PAT.items():
        found = list(re.finditer(rx, text))
        if len(found) > 1:
            ok(False, f'pattern {ind} matched {len(found)} times')
        if found:
            f = found[0]
            groups = [g for g in f.groups() if g is not None]
            m[ind] = num(groups[0])
            m[ind + '_raw'] = f.group(0)
            if len(groups) > 1:
                m[ind + '占比'] = num(groups[1])
            spans.append(f.span())
    # no stray Arabic figure: everything except dates, heading numbers and 〔〕 is a known pattern
    rest = list(text)
    for a, b in spans:
        for i in range(a, b):
            rest[i] = ' '
    rest = ''.join(rest)
    rest = re.sub(r'\d{4}年(?:\d{1,2}月\d{1,2}日至\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日)?', ' ', rest)
    rest = re.sub(r'(?m)^(?:\d+\.|（\d+）)', ' ', rest)
    m['_stray'] = re.findall(r'\d[\d,.]*\D{0,4}', rest)
    return m

# ------------------------------------------------------------------ load
gold = json.load(open(os.path.join(ROOT, 'gold.json'), encoding='utf-8'))
raw = open(os.path.join(ROOT, 'manifest.csv'), 'rb').read()
ok(raw.startswith(b'\xef\xbb\xbf'), 'manifest.csv starts with a UTF-8 BOM')
rows = list(csv.DictReader(raw.decode('utf-8-sig').splitlines()))
ok(list(rows[0].keys()) == ['file', 'unit', 'parent', 'period'], 'manifest header file,unit,parent,period')
on_disk = sorted(os.path.relpath(os.path.join(d, f), ROOT) for d, _, fs in os.walk(os.path.join(ROOT, 'docs')) for f in fs)
ok(sorted(r['file'] for r in rows) == on_disk, f'manifest lists exactly the {len(on_disk)} files under docs/')
ok(all(r['period'] in ('2024年一季度', '2024年上半年') for r in rows), 'manifest periods are 2024年一季度/2024年上半年')
short = [r for r in rows if r['unit'] in ('临川市', '东城区', '西城区', '临川县', '白马县')]
ok(len(short) >= 2, f'manifest abbreviates the unit for {len(short)} documents ({", ".join(r["file"] for r in short)})')
ok(all((r['parent'] == '') == r['unit'].startswith('临川市纪委') for r in rows), 'manifest parent empty exactly for the city')
gdocs = {d['file']: d for d in gold['documents']}
ok(sorted(list(gdocs) + gold['failed']) == on_disk, 'gold documents + failed cover every file exactly once')

# corrupt file
bad = gold['failed'][0]
b = open(os.path.join(ROOT, bad), 'rb').read()
ok(b[:4] == b'PK\x03\x04' and len(b) == 204, f'{bad}: PK\\x03\\x04 + 200 bytes')
try:
    zipfile.ZipFile(os.path.join(ROOT, bad)).namelist(); opened = True
except Exception:
    opened = False
ok(not opened, f'{bad}: cannot be opened as a zip/docx')

# ------------------------------------------------------------------ per document
TEXT, M = {}, {}
for f, d in gdocs.items():
    t = read(f); TEXT[f] = t; M[f] = parse(t)
    lines = t.rstrip('\n').split('\n')
    body = t.replace('\n', '')
    kind = d['kind']
    ok(not M[f]['_stray'], f'{f}: no figure outside the known phrasing {M[f]["_stray"]}')
    tm = re.fullmatch(r'临川市((?:东城区|西城区|临川县|白马县)?)纪委监委关于2024年(一季度|上半年)(工作情况的报告|案件查办情况的补充说明)', lines[0])
    ok(bool(tm), f'{f}: title line')
    if tm:
        ok((tm.group(1) or '临川市') == d['unit'] and '2024年' + tm.group(2) == d['period'], f'{f}: title unit/period agree with gold')
        ok(lines[-2] == lines[0].split('关于')[0], f'{f}: issuer line = 发文机关')
    ok(lines[1].endswith('：') and '：' not in lines[1][:-1], f'{f}: 主送 line ends with ：')
    ok(bool(re.fullmatch(r'2024年[1-9]\d?月[1-9]\d?日', lines[-1])), f'{f}: date line {lines[-1]}')
    ok(not re.search(r'[,:;()?!]', re.sub(r'\d,\d', '', body)), f'{f}: no half-width punctuation outside thousands separators')
    # heading sequence
    seq, good = {1: 0, 2: 0, 3: 0, 4: 0}, True
    CN = '一二三四五六七八九十'
    for ln in lines:
        for lvl, rx in ((1, r'^([一二三四五六七八九十])、'), (2, r'^（([一二三四五六七八九十])）'), (3, r'^(\d+)\.'), (4, r'^（(\d+)）')):
            mm = re.match(rx, ln)
            if mm:
                n = CN.index(mm.group(1)) + 1 if lvl <= 2 else int(mm.group(1))
                good &= (n == seq[lvl] + 1) and (lvl == 1 or seq[lvl - 1] > 0)
                seq[lvl] = n
                for deeper in range(lvl + 1, 5):
                    seq[deeper] = 0
    ok(good, f'{f}: heading numbers 一、（一）1.（1） in sequence')
    ok(all(ln.count('“') == ln.count('”') and ln.count('（') == ln.count('）') and ln.count('《') == ln.count('》') for ln in lines),
       f'{f}: brackets and quotes balanced')
    if kind != 'work_report':
        continue
    n = len(body)
    ok(800 <= n <= 1800, f'{f}: {n} characters (800–1800)')
    m = M[f]
    missing = [k for k in CORE if k not in m]
    ok(not missing, f'{f}: all core figures present {missing}')
    if d['unit'] == '临川市':
        ok('本级立案' in m and '市纪委监委本级立案' in t, f'{f}: states 市纪委监委本级立案N件')
    if missing:
        continue
    ok(m['结案率'] == pct(m['结案'], m['立案']), f'{f}: 结案率 {m["结案率"]}% = {m["结案"]}÷{m["立案"]} → {pct(m["结案"], m["立案"])}%')
    forms = [m[k] for k in ('第一种形态', '第二种形态', '第三种形态', '第四种形态')]
    ok(sum(forms) == m['四种形态'], f'{f}: 四种形态 {"+".join(map(str, forms))} = {m["四种形态"]}')
    shares = [m[k + '占比'] for k in ('第一种形态', '第二种形态', '第三种形态', '第四种形态')]
    ok(shares == [pct(x, m['四种形态']) for x in forms], f'{f}: 四种形态 shares {shares} computed on {m["四种形态"]}')
    ok(sum(shares) == 100, f'{f}: shares total {sum(shares)}%')
    ok(m['四种形态'] > m['党纪政务处分'], f'{f}: 四种形态 total > 处分')
    if '整改' in m:
        ok(m['整改'] <= m['发现问题'], f'{f}: 整改 ≤ 发现问题')
    if '谈话函询' in m:
        ok(m['谈话函询'] <= m['问题线索'], f'{f}: 谈话函询 ≤ 问题线索')
    if '本级立案' in m:
        ok(m['本级立案'] <= m['立案'], f'{f}: 本级立案 ≤ 全市立案')

# ------------------------------------------------------------------ planted findings
FIND = gold['findings']
for g in FIND:
    t = TEXT[g['file']]
    c = g['context']
    ok(t.count(c) == 1, f'gold {g["rule"]} {g["file"]}: context “{c}” occurs exactly once')
    if g['text'] is not None:
        ok(g['text'] in c, f'gold {g["rule"]}: text “{g["text"]}” inside context')
        ok(num(re.match(N, g['text']).group(1)) == M[g['file']][g['indicator']],
           f'gold {g["rule"]}: text {g["text"]} is the parsed {g["indicator"]} of {g["file"]}')
    for o in g['other_files']:
        ok(o in gdocs, f'gold {g["rule"]}: other file {o} is a gold document')

dup = [g for g in FIND if g['rule'] == 'duplicate_file']
near = [g for g in FIND if g['rule'] == 'near_duplicate']
rest = [g for g in FIND if g['rule'] == 'restatement']
DUPS = {g['file'] for g in dup}
planted_cum = {(gdocs[g['file']]['unit'], g['indicator']): g for g in FIND if g['rule'] == 'cumulative'}
planted_roll = {(gdocs[g['file']]['period'], g['indicator']): g for g in FIND if g['rule'] == 'rollup'}

def report(unit, period):
    fs = [f for f, d in gdocs.items() if d['unit'] == unit and d['period'] == period and d['kind'] == 'work_report' and f not in DUPS]
    assert len(fs) == 1, (unit, period, fs)
    return fs[0]

UNITS = ['临川市', '东城区', '西城区', '临川县', '白马县']
DIST = UNITS[1:]
Q, H = '2024年一季度', '2024年上半年'

# cumulative
restated = {gdocs[g['file']]['unit']: (g['indicator'], M[g['file']][g['indicator']]) for g in rest}
for u in UNITS:
    mq, mh = M[report(u, Q)], M[report(u, H)]
    for k in ACCUM:
        if k not in mq or k not in mh:
            continue
        lows = [mq[k]] + ([restated[u][1]] if u in restated and restated[u][0] == k else [])
        holds = all(mh[k] >= x for x in lows)
        if (u, k) in planted_cum:
            g = planted_cum[(u, k)]
            ok(not holds and g['file'] == report(u, H) and report(u, Q) in g['other_files'],
               f'PLANTED cumulative {u} {k}: 上半年 {mh[k]} < 一季度 {mq[k]} (gold expected {g["expected"]})')
        else:
            ok(holds, f'cumulative {u} {k}: 一季度 {"/".join(map(str, lows))} ≤ 上半年 {mh[k]}')
ok(len(planted_cum) == 2, 'two planted cumulative findings')

# roll-up
for per in (Q, H):
    mc = M[report('临川市', per)]
    exact, larger = [], []
    for k in ROLLUP:
        if k not in mc:
            continue
        have = [u for u in DIST if k in M[report(u, per)]]
        if not have:
            continue
        s = sum(M[report(u, per)][k] for u in have)
        expr = '+'.join(str(M[report(u, per)][k]) for u in have)
        if k == '立案':
            s += mc['本级立案']; expr += f'+{mc["本级立案"]}(本级)'
        holds = mc[k] >= s
        if (per, k) in planted_roll:
            g = planted_roll[(per, k)]
            ok(not holds and g['file'] == report('临川市', per) and sorted(g['other_files']) == sorted(report(u, per) for u in DIST)
               and g['expected'].startswith(f'≥{s}'),
               f'PLANTED rollup {per} {k}: 全市 {mc[k]} < {expr} = {s}')
            if k == '立案':
                ok(mc[k] >= s - mc['本级立案'], f'  (全市立案 {mc[k]} ≥ districts alone {s - mc["本级立案"]}: only 本级 reveals it)')
            continue
        ok(holds, f'rollup {per} {k}: 全市 {mc[k]} ≥ {expr} = {s}' + (' (partial: not all districts state it)' if len(have) < 4 else ''))
        if len(have) == 4:
            (exact if mc[k] == s else larger).append(k)
        if len(have) == 4 and k in ('党纪政务处分', '移送检察机关'):
            # double-counting the duplicate 西城区 submission would break exact sums
            dupsum = s + M[report('西城区', per)][k] if per == H else None
            if dupsum is not None:
                ok(mc[k] < dupsum, f'  counting 西城区 twice ({dupsum}) would falsely fire on {k}')
    ok(bool(exact) and bool(larger), f'{per}: 全市 exactly the sum for {exact}; larger for {larger}')
ok(len(planted_roll) == 2, 'two planted rollup findings')
# rates and shares really move both ways (they must not be checked for growth/roll-up)
for u in UNITS:
    print(f'INFO 结案率 {u}: {M[report(u, Q)]["结案率"]}% → {M[report(u, H)]["结案率"]}%; 第一种形态占比 {M[report(u, Q)]["第一种形态占比"]}% → {M[report(u, H)]["第一种形态占比"]}%')
ok(any(M[report(u, H)]['结案率'] < M[report(u, Q)]['结案率'] for u in UNITS) and
   any(M[report(u, H)]['结案率'] > M[report(u, Q)]['结案率'] for u in UNITS), '结案率 goes down for some units and up for others')
ok(any(M[report(u, Q)]['结案率'] > 100 for u in UNITS), 'some 结案率 exceeds 100% (结案 > 立案)')
ok(any(M[report(u, Q)]['问题线索'] > M[report(u, Q)]['信访举报'] for u in UNITS), 'some unit has more 问题线索 than 信访举报')

# restatement
for g in rest:
    src = g['other_files'][0]
    a, b2 = M[g['file']], M[src]
    ok(a['立案'] != b2['立案'] and g['expected'] == f'{int(b2["立案"])}件',
       f'PLANTED restatement: 补充说明 立案 {a["立案"]} ≠ report {b2["立案"]}')
    ok(a['县纪委监委机关立案'] + a['乡镇纪委立案'] == a['立案'], '补充说明: 38+29 = 立案')
    ok(a['留置'] == b2['留置'] and a['移送检察机关'] == b2['移送检察机关'], '补充说明: 留置 and 移送 agree with the report')
    ok(gdocs[g['file']]['unit'] == gdocs[src]['unit'] and gdocs[g['file']]['period'] == gdocs[src]['period'] and gdocs[g['file']]['kind'] == 'other',
       '补充说明: same unit and period, kind other')

# duplicate
for g in dup:
    a = open(os.path.join(ROOT, g['file']), 'rb').read()
    b2 = open(os.path.join(ROOT, g['other_files'][0]), 'rb').read()
    ok(a == b2, f'PLANTED duplicate_file: {g["file"]} byte-identical to {g["other_files"][0]}')

# near-duplicate
def sentences(t):
    return [s for s in re.split(r'[。；\n]', t) if s.strip()]
def share(a, b):
    sb = set(sentences(b)); sa = sentences(a)
    return sum(s in sb for s in sa) / len(sa)
for g in near:
    cp, src = g['file'], g['other_files'][0]
    ta, tb = TEXT[cp], TEXT[src]
    s_raw = share(ta, tb)
    ua, ub = gdocs[cp]['unit'], gdocs[src]['unit']
    s_norm = share(ta.replace(ua, ub), tb)
    ok(s_raw >= 0.7, f'PLANTED near_duplicate: {s_raw:.0%} of the sentences of {cp} occur verbatim in {src}')
    la, lb = ta.replace(ua, ub).split('\n'), tb.split('\n')
    ok(len(la) == len(lb), 'near_duplicate: same paragraph count')
    diff_lines = [(x, y) for x, y in zip(la, lb) if x != y]
    figure_only = [(x, y) for x, y in diff_lines if re.sub(r'\d[\d,.]*', '#', x) == re.sub(r'\d[\d,.]*', '#', y)]
    rewritten = [(x, y) for x, y in diff_lines if (x, y) not in figure_only]
    nfig = sum(sum(p != q for p, q in zip(re.findall(r'\d[\d,.]*', x), re.findall(r'\d[\d,.]*', y))) for x, y in figure_only)
    ok(len(rewritten) == 1, f'near_duplicate: exactly one paragraph rewritten ({len(rewritten)})')
    ok(3 <= nfig <= 5, f'near_duplicate: {nfig} figures changed outside that paragraph')
    ok(all(ub not in x for x in ta.split('\n')), f'near_duplicate: no leftover “{ub}” in the copy')
    print(f'INFO near_duplicate after unit-name normalisation: {s_norm:.0%} shared sentences; changed figures:',
          [(p, q) for x, y in figure_only for p, q in zip(re.findall(r"\d[\d,.]*", y), re.findall(r"\d[\d,.]*", x)) if p != q])
# no other pair of distinct reports is a near-duplicate
worst = 0
fs = [f for f in gdocs if f not in DUPS and gdocs[f]['kind'] == 'work_report']
pairs = {(g['file'], g['other_files'][0]) for g in near}
for i, a in enumerate(fs):
    for b2 in fs[i + 1:]:
        if (a, b2) in pairs or (b2, a) in pairs:
            continue
        worst = max(worst, share(TEXT[a], TEXT[b2]), share(TEXT[b2], TEXT[a]))
ok(worst < 0.35, f'no other pair of reports shares more than {worst:.0%} of sentences')

print()
print(f'{len(FAIL)} failure(s)' if FAIL else 'ALL CHECKS PASSED')
sys.exit(1 if FAIL else 0)
