"""The Performance page: the benchmark's JSON (benchmarks/results.json) as a table and a chart.
Generated at build time, never typed by hand. Pure: data in, Markdown with an inline SVG out."""
from __future__ import annotations

import html

MARKER = "<!-- timeline:benchmark -->"


def _n(value: float | None, unit: str = "", digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}{unit}"


def _ratio(ours: float | None, floor: float | None) -> str:
    return "n/a" if not ours or not floor else f"{ours / floor:.2f}"


def table(data: dict) -> str:
    rows = ["| events | validate (floor) | ratio | build (plain MkDocs) | ratio | peak memory (plain) | ratio "
            "| largest page | search index (plain) | Hugo |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size in data.get("sizes", []):
        rows.append(
            f"| {size['events']:,} "
            f"| {_n(size['validate_s'], ' s')} ({_n(size['validate_floor_s'], ' s')}) "
            f"| {_ratio(size['validate_s'], size['validate_floor_s'])} "
            f"| {_n(size['build_s'], ' s', 1)} ({_n(size['build_floor_s'], ' s', 1)}) "
            f"| {_ratio(size['build_s'], size['build_floor_s'])} "
            f"| {_n(size['peak_mb'], ' MB', 0)} ({_n(size['peak_floor_mb'], ' MB', 0)}) "
            f"| {_ratio(size['peak_mb'], size['peak_floor_mb'])} "
            f"| {_n(size['largest_html_kb'], ' KB', 0)} "
            f"| {_n(size['search_index_mb'], ' MB', 1)} ({_n(size['search_index_floor_mb'], ' MB', 1)}) "
            f"| {_n(size.get('hugo_s'), ' s', 1)} |")
    return "\n".join(rows) + "\n"


def chart(data: dict) -> str:
    """Build time against the number of events: ours beside plain MkDocs, as grouped bars."""
    sizes = data.get("sizes", [])
    if not sizes:
        return ""
    width, height, left, bottom, top = 560, 260, 60, 40, 20
    peak = max(max(s["build_s"] or 0, s["build_floor_s"] or 0) for s in sizes) or 1
    group = (width - left - 20) / len(sizes)
    bar = min(60, group / 3)
    parts = [f'<svg class="tl-chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="tl-chart-title" xmlns="http://www.w3.org/2000/svg">',
             '<title id="tl-chart-title">Build time in seconds against the number of events: '
             'this tool beside plain MkDocs building the same pages</title>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" class="tl-axis"/>']
    for tick in range(0, 5):
        value = peak * tick / 4
        y = height - bottom - (height - bottom - top) * tick / 4
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tl-tick">{value:.0f} s</text>')
    for i, size in enumerate(sizes):
        x = left + group * i + group / 2
        for j, (key, css) in enumerate((("build_s", "tl-ours"), ("build_floor_s", "tl-floor"))):
            value = size[key] or 0
            h = (height - bottom - top) * value / peak
            bx = x - bar + j * bar
            parts.append(f'<rect x="{bx:.1f}" y="{height - bottom - h:.1f}" width="{bar - 4:.1f}" height="{h:.1f}" '
                         f'class="{css}"><title>{html.escape(key)}: {value:.1f} s</title></rect>')
        parts.append(f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" class="tl-tick">'
                     f'{size["events"]:,} events</text>')
    parts.append("</svg>")
    legend = ('<p class="tl-legend"><span class="tl-key tl-ours"></span> this tool '
              '<span class="tl-key tl-floor"></span> plain MkDocs, same pages, same theme</p>')
    return "".join(parts) + "\n" + legend + "\n"


def further(data: dict) -> list[str]:
    """A build after one edit, validate with nothing changed, the largest page of each kind (also
    for corpora of few and many publishers, places and tags), serve at each size measured."""
    rows = []
    sizes = [s for s in data.get("sizes", []) if s.get("rebuild_s")]
    if sizes:
        lines = ["| events | build after one edit (cold plain MkDocs) | ratio | the first after a cold build | ratio "
                 "| validate, nothing changed (floor) | ratio |", "|---:|---:|---:|---:|---:|---:|---:|"]
        for size in sizes:
            lines.append(f"| {size['events']:,} | {_n(size['rebuild_s'], ' s')} ({_n(size['build_floor_s'], ' s', 1)}) "
                         f"| {_ratio(size['rebuild_s'], size['build_floor_s'])} "
                         f"| {_n(size.get('rebuild_first_s'), ' s')} "
                         f"| {_ratio(size.get('rebuild_first_s'), size['build_floor_s'])} "
                         f"| {_n(size.get('validate_warm_s'), ' s')} ({_n(size['validate_floor_s'], ' s')}) "
                         f"| {_ratio(size.get('validate_warm_s'), size['validate_floor_s'])} |")
        rows.append("\n".join(lines) + "\n")
        kinds = sorted({kind for size in sizes for kind in (size.get("largest_by_kind") or {})})
        if kinds:
            lines = ["| largest page, KB | " + " | ".join(html.escape(kind) for kind in kinds) + " |",
                     "|---:|" + "---:|" * len(kinds)]
            for size in sizes:
                found = size.get("largest_by_kind") or {}
                lines.append(f"| {size['events']:,} | "
                             + " | ".join(f"{found[kind][0]:,.0f}" if kind in found else "n/a" for kind in kinds) + " |")
            rows.append("\n".join(lines) + "\n")
    for shape, figures in (data.get("budgets") or {}).items():
        largest = ", ".join(f"{html.escape(kind)} {kb:,.0f} KB" for kind, (kb, _) in sorted(figures["largest_by_kind"].items()))
        rows.append(f"Largest page of each kind for a corpus with *{html.escape(shape)}* publishers, places and tags: "
                    f"{largest}; search index {figures['search_index_mb']:.1f} MB.\n")
    for serve in (data.get("serve_sizes") or [])[1:]:
        rows.append(f"`serve` with {serve['events']:,} events: from saving an event file (the server idle) to the "
                    f"rebuilt page, "
                    f"**{serve['save_to_reload_s']:.2f} s** (median); from saving a fix to the page without the "
                    f"problem banner, **{serve['fix_to_clean_s']:.2f} s**.\n")
    return rows


def report(data: dict | None) -> str:
    if not data:
        return "*No benchmark results yet: run `python benchmarks/bench.py --json benchmarks/results.json`.*\n"
    machine = data.get("machine", {})
    serve = data.get("serve") or {}
    lines = [chart(data), table(data)]
    scaling = (data.get("ratios") or {}).get("scaling_build")
    if scaling:
        lines.append(f"Build time at the largest size divided by the smallest: **{scaling:.2f}** "
                     "(linear scaling gives the ratio of the sizes).\n")
    lines += further(data)
    if serve.get("save_to_reload_s"):
        lines.append(f"`serve` with {serve['events']:,} events: from saving an event file (the server idle: the "
                     f"build before has written its data files) to the rebuilt page, "
                     f"**{serve['save_to_reload_s']:.2f} s** (median)"
                     + (f"; from saving the fix of a broken event to the page without the problem banner, "
                        f"**{serve['fix_to_clean_s']:.2f} s**" if serve.get("fix_to_clean_s") else "") + ".\n")
    lines.append(f"Measured {html.escape(str(data.get('generated', '')))} on {machine.get('cpus', '?')} CPUs, "
                 f"Python {html.escape(str(machine.get('python', '?')))}, median of {data.get('runs', '?')} "
                 f"run(s) ({data.get('quick_runs', data.get('runs', '?'))} for validate and the builds after an edit), "
                 f"seed {data.get('seed', '?')}.\n")
    return "\n".join(lines)
