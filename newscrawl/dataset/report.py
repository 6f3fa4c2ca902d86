"""The HTML report: one self-contained page (inline CSS and SVG, no script, nothing fetched) with

- articles per day (stacked by site; per week or month when the range is long),
- field coverage per site (a heat map),
- the most frequent sources, authors and keywords,
- the share of articles that have a near-duplicate, per site.

Every drawn bar or cell is an SVG ``rect`` of class ``mark`` with a ``<title>`` (its tooltip), inside an
``svg`` whose ``data-chart`` names the chart.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Any

from newscrawl import __version__
from newscrawl.dataset.summary import COVERAGE_FIELDS, Summary

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
MAX_SERIES = 9  # sites drawn in their own colour; the rest are "other"
TOP = 15
WIDTH = 900

CSS = """
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:0 auto;max-width:960px;padding:24px;color:#222}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd}
.meta{color:#666}table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;text-align:left;
border-bottom:1px solid #eee}td.n,th.n{text-align:right}svg{display:block;margin:8px 0;max-width:100%;
height:auto}svg text{font-size:11px;fill:#333}.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}.note{color:#666;font-size:12px}
.grid3{display:grid;grid-template-columns:1fr;gap:8px}
"""


def _t(value: Any) -> str:
    return escape(str(value), quote=True)


def _mark(x: float, y: float, w: float, h: float, fill: str, tip: str, extra: str = "") -> str:
    return (
        f'<rect class="mark" x="{x:.1f}" y="{y:.1f}" width="{max(w, 0.5):.1f}" height="{max(h, 0.5):.1f}" '
        f'fill="{fill}"{extra}><title>{_t(tip)}</title></rect>'
    )


def _series(summary: Summary) -> tuple[list[str], dict[str, str]]:
    """Portals with their own colour (the biggest), and each portal's colour."""
    portals = summary.portals
    named = portals[:MAX_SERIES]
    colours = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(named)}
    for p in portals[len(named) :]:
        colours[p] = PALETTE[-1]
    return named, colours


def _buckets(first: date, last: date) -> tuple[str, list[tuple[str, date, date]]]:
    """Bars of the per-day chart: days, weeks or months, so that there are at most about 120."""
    days = (last - first).days + 1
    out: list[tuple[str, date, date]] = []
    if days <= 120:
        for n in range(days):
            d = first + timedelta(days=n)
            out.append((d.isoformat(), d, d))
        return "day", out
    if days <= 840:
        start = first - timedelta(days=first.weekday())
        while start <= last:
            end = start + timedelta(days=6)
            out.append((f"week of {start.isoformat()}", start, end))
            start = end + timedelta(days=1)
        return "week", out
    y, m = first.year, first.month
    while date(y, m, 1) <= last:
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        out.append((f"{y}-{m:02d}", date(y, m, 1), nxt - timedelta(days=1)))
        y, m = nxt.year, nxt.month
    return "month", out


def chart_per_day(summary: Summary) -> str:
    """Stacked bars: articles by publication day (or week, month), one colour per site."""
    span = summary.date_range
    if span is None:
        return '<p class="note">No article has a publication date.</p>'
    unit, buckets = _buckets(date.fromisoformat(span[0]), date.fromisoformat(span[1]))
    named, colours = _series(summary)
    index = {}
    for n, (_, start, end) in enumerate(buckets):
        d = start
        while d <= end:
            index[d.isoformat()] = n
            d += timedelta(days=1)
    stacks: list[Counter[str]] = [Counter() for _ in buckets]
    for name, days in summary.by_day.items():
        for day, count in days.items():
            stacks[index[day]][name] += count
    top = max((sum(s.values()) for s in stacks), default=1) or 1
    left, bottom, height = 40, 40, 220
    plot_w = WIDTH - left - 10
    bar_w = plot_w / len(buckets)
    parts = []
    for k in range(5):
        value = round(top * k / 4)
        y = 10 + height - height * value / top
        parts.append(f'<line x1="{left}" x2="{WIDTH - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    every = max(1, len(buckets) // 10)
    rank = {name: n for n, name in enumerate(summary.portals)}
    for n, ((label, _, _), stack) in enumerate(zip(buckets, stacks, strict=True)):
        x = left + n * bar_w
        y = 10 + height
        for name in sorted(stack, key=rank.__getitem__):
            h = height * stack[name] / top
            y -= h
            parts.append(_mark(x + 0.5, y, bar_w - 1, h, colours[name], f"{label} · {name}: {stack[name]}"))
        if n % every == 0 and (len(buckets) - n) * bar_w >= 36:  # a label must not run off the right
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height + 26}" text-anchor="middle">{_t(label[-10:])}</text>'
            )
    legend = "".join(f'<span><i style="background:{colours[p]}"></i>{_t(p)}</span>' for p in named)
    if len(summary.portals) > len(named):
        legend += f'<span><i style="background:{PALETTE[-1]}"></i>other sites</span>'
    undated = sum(summary.undated.values())
    note = (
        f'<p class="note">{undated} articles have no publication date and are not drawn.</p>'
        if undated
        else ""
    )
    return (
        f'<svg data-chart="per-day" viewBox="0 0 {WIDTH} {height + bottom + 10}" role="img" '
        f'aria-label="articles per {unit}">{"".join(parts)}</svg>'
        f'<div class="legend">{legend}</div><p class="note">One bar per {unit} of publication.</p>{note}'
    )


def chart_coverage(summary: Summary) -> str:
    """A heat map: sites × fields, the share of each site's articles that has the field."""
    portals = summary.portals[:20]
    if not portals:
        return '<p class="note">No articles.</p>'
    label_w, cell_h, head = 190, 24, 90
    cell_w = (WIDTH - label_w - 40) / len(COVERAGE_FIELDS)  # room on the right for the last slanted label
    parts = []
    for j, name in enumerate(COVERAGE_FIELDS):
        x = label_w + j * cell_w + cell_w / 2
        parts.append(f'<text transform="translate({x:.1f},{head - 6}) rotate(-45)">{_t(name)}</text>')
    for i, site in enumerate(portals):
        y = head + i * cell_h
        total = summary.by_portal[site]
        parts.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{_t(site[:28])}</text>')
        for j, name in enumerate(COVERAGE_FIELDS):
            share = summary.coverage[site][name] / total if total else 0.0
            x = label_w + j * cell_w
            fill = f"rgba(78,121,167,{0.08 + 0.92 * share:.3f})"
            parts.append(_mark(x + 1, y + 1, cell_w - 2, cell_h - 2, fill, f"{site} · {name}: {share:.0%}"))
            colour = "#fff" if share > 0.55 else "#333"
            parts.append(
                f'<text x="{x + cell_w / 2:.1f}" y="{y + 16}" text-anchor="middle" '
                f'style="fill:{colour}">{share:.0%}</text>'
            )
    height = head + len(portals) * cell_h + 6
    more = len(summary.portals) - len(portals)
    note = f'<p class="note">{more} smaller sites not shown.</p>' if more > 0 else ""
    return (
        f'<svg data-chart="coverage" viewBox="0 0 {WIDTH} {height}" role="img">{"".join(parts)}</svg>{note}'
    )


def chart_top(counts: Counter[str], chart: str, what: str, total: int) -> str:
    """Horizontal bars: the ``TOP`` most frequent values, with their share of the articles."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    if not items:
        return f'<p class="note">No article names any {_t(what)}.</p>'
    label_w, bar_h = 220, 20
    top = items[0][1]
    plot_w = WIDTH - label_w - 80
    parts = []
    for i, (value, count) in enumerate(items):
        y = 4 + i * bar_h
        w = plot_w * count / top
        share = count / total if total else 0.0
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_t(value[:30])}</text>')
        parts.append(
            _mark(label_w, y + 2, w, bar_h - 4, PALETTE[0], f"{value}: {count} articles ({share:.1%})")
        )
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 14}">{count}</text>')
    height = 8 + len(items) * bar_h
    return f'<svg data-chart="{chart}" viewBox="0 0 {WIDTH} {height}" role="img">{"".join(parts)}</svg>'


def chart_duplicates(summary: Summary) -> str:
    """Per site, one bar split in articles with a near-duplicate (elsewhere or on the site) and without."""
    portals = summary.portals[:20]
    if not portals:
        return '<p class="note">No articles.</p>'
    label_w, bar_h = 190, 22
    plot_w = WIDTH - label_w - 70
    parts = []
    for i, site in enumerate(portals):
        y = 4 + i * bar_h
        total = summary.by_portal[site]
        dup = summary.duplicated[site]
        share = dup / total if total else 0.0
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_t(site[:28])}</text>')
        w_dup = plot_w * share
        parts.append(
            _mark(
                label_w,
                y + 2,
                w_dup,
                bar_h - 4,
                PALETTE[3],
                f"{site}: {dup} of {total} with a near-duplicate ({share:.0%})",
            )
        )
        parts.append(
            _mark(
                label_w + w_dup,
                y + 2,
                plot_w - w_dup,
                bar_h - 4,
                "#dde5ee",
                f"{site}: {total - dup} without ({1 - share:.0%})",
            )
        )
        parts.append(f'<text x="{label_w + plot_w + 6}" y="{y + 15}">{share:.0%}</text>')
    height = 8 + len(portals) * bar_h
    legend = (
        f'<div class="legend"><span><i style="background:{PALETTE[3]}"></i>has a near-duplicate</span>'
        '<span><i style="background:#dde5ee"></i>unique</span></div>'
    )
    return f'<svg data-chart="duplicates" viewBox="0 0 {WIDTH} {height}" role="img">{"".join(parts)}</svg>{legend}'


def _overview(summary: Summary, read: dict[str, int]) -> str:
    span = summary.date_range
    rows = [
        ("articles", f"{summary.articles:,}"),
        ("sites", f"{len(summary.by_portal):,}"),
        ("published", f"{span[0]} – {span[1]}" if span else "–"),
        ("fetched", " – ".join(v[:10] for v in summary.fetched) if summary.fetched else "–"),
        (
            "near-duplicates",
            (
                f"{summary.clusters:,} clusters; {sum(summary.duplicated.values()):,} articles have a "
                f"near-duplicate ({summary.copies:,} copies beyond the first)"
            ),
        ),
        (
            "input",
            (
                f"{read['lines']:,} lines in {read['files']:,} files; {read['older_versions']:,} older "
                f"versions and {read['filtered']:,} filtered out"
            ),
        ),
    ]
    body = "".join(f"<tr><th>{_t(k)}</th><td>{_t(v)}</td></tr>" for k, v in rows)
    sites = "".join(
        f"<tr><td>{_t(p)}</td><td class='n'>{summary.by_portal[p]:,}</td>"
        f"<td>{_t(' – '.join(summary.published_range.get(p, ['–'])))}</td></tr>"
        for p in summary.portals[:50]
    )
    return (
        f"<table>{body}</table><h2>Sites</h2><table><tr><th>site</th><th class='n'>articles</th>"
        f"<th>published</th></tr>{sites}</table>"
    )


def render_html(summary: Summary, *, read: dict[str, int], title: str, card_name: str | None) -> str:
    """The whole report page."""
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    card = f' Dataset card: <a href="{_t(card_name)}">{_t(card_name)}</a>.' if card_name else ""
    total = summary.articles
    sections = [
        ("Articles per day", chart_per_day(summary)),
        ("Field coverage per site", chart_coverage(summary)),
        ("Top sources (来源)", chart_top(summary.sources, "sources", "source", total)),
        ("Top authors", chart_top(summary.authors, "authors", "author", total)),
        ("Top keywords", chart_top(summary.keywords, "keywords", "keyword", total)),
        ("Share of near-duplicates per site", chart_duplicates(summary)),
    ]
    body = "".join(f"<h2>{_t(h)}</h2>{content}" for h, content in sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_t(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<h1>{_t(title)}</h1>\n<p class="meta">Made by newscrawl {__version__} on {made}.{card}</p>\n'
        f"{_overview(summary, read)}\n{body}\n</body>\n</html>\n"
    )
