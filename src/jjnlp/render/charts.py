"""Bar charts as inline SVG, drawn in Python: no script, no library, exact value labels.

Each chart is one ``<svg role="img">`` with a ``<title>`` and an ``aria-label``; each bar
is a ``rect.bar`` with its own ``<title>`` (shown on hover, read by screen readers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from html import escape

from jjnlp.render.pages import decimal_text

# Okabe–Ito: told apart with the common colour-vision deficiencies and in greyscale print
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
BAR = "#4a6fa5"
FONT = 12


def text_width(text: str, size: float = FONT) -> float:
    """Estimated drawn width: a CJK character is one em wide, anything else about half."""
    return sum(size if ord(c) > 0x2E7F else size * 0.6 for c in text)


def _clip(text: str, width: float) -> str:
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _open(width: float, height: float, label: str, css_class: str) -> str:
    # inline SVG in HTML needs no xmlns: the pages name no URL outside themselves at all
    return (
        f'<svg class="chart {css_class}" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'aria-label="{escape(label)}" font-size="{FONT}"><title>{escape(label)}</title>'
    )


def hbar_chart(
    title: str, rows: Sequence[tuple[str, int]], *, unit: str = "条", css_class: str = ""
) -> str:
    """One horizontal bar per row (label, count), longest scale = the largest count."""
    label_w = min(max((text_width(name) for name, _ in rows), default=0) + 8, 220)
    bar_area, row_h, top = 360, 24, 8
    width = label_w + bar_area + 60
    height = top * 2 + row_h * max(len(rows), 1)
    peak = max((n for _, n in rows), default=0) or 1
    parts = [_open(width, height, title, f"hbar {css_class}".strip())]
    for i, (name, count) in enumerate(rows):
        y = top + i * row_h
        length = bar_area * count / peak
        parts.append(
            f"<g><title>{escape(name)}：{count}{escape(unit)}</title>"
            f'<text x="{label_w - 6:.0f}" y="{y + 16}" text-anchor="end">'
            f"{escape(_clip(name, label_w - 8))}</text>"
            f'<rect class="bar" x="{label_w:.0f}" y="{y + 4}" width="{length:.1f}" '
            f'height="{row_h - 8}" fill="{BAR}" data-label="{escape(name)}" '
            f'data-value="{count}"></rect>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 16}">{count}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(
    title: str,
    groups: Sequence[str],
    series: Sequence[str],
    values: Mapping[tuple[str, str], Decimal],
    *,
    unit: str = "",
) -> str:
    """Vertical bars: one cluster per group, one bar per series in it (series = colour),
    a legend of the series below; a (group, series) without a value leaves a gap."""
    bar_w, gap, plot_h, left, top = 22, 18, 150, 12, 22
    cluster = bar_w * max(len(series), 1) + gap
    legend_rows = [series[i : i + 3] for i in range(0, len(series), 3)] or [()]
    legend_w = max((sum(_legend_step(name) for name in row) for row in legend_rows), default=0)
    width = max(left * 2 + cluster * max(len(groups), 1), left * 2 + legend_w, 280)
    base = top + plot_h
    height = base + 26 + 20 * len(legend_rows) + 6
    peak = max(values.values(), default=Decimal(0)) or Decimal(1)
    parts = [_open(width, height, title, "grouped")]
    for g, group in enumerate(groups):
        x0 = left + gap / 2 + g * cluster
        for s, name in enumerate(series):
            value = values.get((group, name))
            if value is None:
                continue
            h = float(plot_h * max(value, Decimal(0)) / peak)
            x, shown = x0 + s * bar_w, decimal_text(value)
            parts.append(
                f"<g><title>{escape(group)} {escape(name)}：{shown}{escape(unit)}</title>"
                f'<rect class="bar" x="{x:.1f}" y="{base - h:.1f}" width="{bar_w - 2}" '
                f'height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}" '
                f'data-group="{escape(group)}" data-series="{escape(name)}" '
                f'data-value="{shown}"></rect>'
                f'<text x="{x + bar_w / 2 - 1:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" '
                f'font-size="10">{shown}</text></g>'
            )
        parts.append(
            f'<text x="{x0 + (cluster - gap) / 2:.1f}" y="{base + 17}" text-anchor="middle">'
            f"{escape(_clip(group, cluster - 4))}</text>"
        )
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="#888"></line>'
    )
    parts.append(_legend(legend_rows, left, base + 34))
    parts.append("</svg>")
    return "".join(parts)


def _legend_step(name: str) -> float:
    """How far one legend entry (swatch, name, space) reaches."""
    return 16 + text_width(name) + 18


def _legend(rows: Sequence[Sequence[str]], left: float, top: float) -> str:
    out, index = ['<g class="legend">'], 0
    for r, row in enumerate(rows):
        x = left
        for name in row:
            y = top + r * 20
            out.append(
                f'<rect x="{x:.0f}" y="{y - 10}" width="12" height="12" '
                f'fill="{PALETTE[index % len(PALETTE)]}"></rect>'
                f'<text x="{x + 16:.0f}" y="{y}">{escape(name)}</text>'
            )
            x += _legend_step(name)
            index += 1
    out.append("</g>")
    return "".join(out)
