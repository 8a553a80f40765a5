#!/usr/bin/env python3
"""Benchmark: the timeline tool against floors, measured in the same run on the same machine.

    python benchmarks/bench.py                          # sizes 1000,10000; median of 3 runs
    python benchmarks/bench.py --sizes 1000 --runs 1 --json results.json

For each size N it writes a synthetic project (benchmarks/synth.py) and measures:

- validate: `timeline.check.check_project` in-process, against reading every event file
  and composing its front matter with libyaml (the floor); and the CLI, interpreter start included;
- build: `python build_timeline.py build` in a subprocess (wall time, peak memory), against a
  plain `mkdocs build` of the same N pages as Markdown with the same theme, plugins and extensions;
- the sites: total size, the largest HTML page, the search index;
- serve: from saving an event file (the server idle) to the served page showing the change;
- hugo, if installed: the same N pages with a minimal layout.

The machine is noisy, so the table leads with ratios (ours / floor) rather than seconds.
Sizes are in MiB and KiB (printed MB, KB).
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import synth  # noqa: E402

from timeline import buildcache  # noqa: E402
from timeline import check as core  # noqa: E402

MB = 1024 * 1024
KB = 1024
BUILD_TIMEOUT = 3600          # seconds, for one build of the largest size
FIRST_SERVE_TIMEOUT = 1200    # seconds, for `serve` to answer with the first build
EDIT_TIMEOUT = 600            # seconds, from a save to the page showing it
POLL = 0.05                   # seconds between polls of the served page


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


# ---------------------------------------------------------------- validate

def check_project(root: Path, count: int) -> None:
    """The generated project must validate with no error, and every event must make it through."""
    timeline, problems = core.check_project(root)
    errors = [p for p in problems if p.is_error]
    if errors:
        shown = "\n".join(p.format() for p in errors[:20])
        raise SystemExit(f"error: the synthetic project {root} has {len(errors)} validation errors:\n{shown}")
    if len(timeline.events) != count:
        raise SystemExit(f"error: {root}: {len(timeline.events)} valid events, expected {count}")
    if problems:
        log(f"  note: {len(problems)} warnings in the synthetic project, e.g. {problems[0].format()}")


def validate_floor(root: Path) -> int:
    """The least any validator must do: read every event file and compose its front matter."""
    count = 0
    for folder, dirnames, filenames in os.walk(root / "events"):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            text = Path(folder, name).read_text(encoding="utf-8")
            loader = yaml.CSafeLoader(text[4:text.index("\n---\n", 3)])
            try:
                loader.get_single_node()
            finally:
                loader.dispose()
            count += 1
    return count


def quick_runs(runs: int) -> int:
    """Runs of the measurements that take seconds (validate, a build after one edit): at least 3,
    since one sample on a noisy 2-core machine can be off by a quarter."""
    return max(3, runs)


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def time_validate(root: Path, count: int, runs: int) -> tuple[float, float]:
    """Median seconds of ours and of the floor, alternating, both with the files in the page cache."""
    ours, floor = [], []
    for _ in range(runs):
        ours.append(timed(core.check_project, root))  # no cache: a cold validation, as a fresh `validate` run does
        floor.append(timed(validate_floor, root))
    if validate_floor(root) != count:
        raise SystemExit(f"error: the validate floor did not find {count} event files in {root}")
    return median(ours), median(floor)


def time_validate_cli(root: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(REPO / "build_timeline.py"), "validate"], cwd=root,
                                capture_output=True, text=True, timeout=BUILD_TIMEOUT)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"error: `build_timeline.py validate` failed in {root}:\n{result.stderr[-3000:]}")
    return median(times)


# ---------------------------------------------------------------- build

# Runs one command and reports its wall time and the peak resident memory of that child alone.
WRAPPER = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
result = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": result.returncode, "wall": wall, "maxrss_kb": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "stderr": result.stderr.decode("utf-8", "replace")[-3000:]}))
"""


def run_measured(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, peak MB, CPU seconds) of one command, which must succeed. CPU time (user + system)
    says how much of the wall time was work, on a machine other processes share."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *command], cwd=cwd, capture_output=True, text=True,
                         timeout=BUILD_TIMEOUT)
    if out.returncode != 0:
        raise SystemExit(f"error: the measuring wrapper failed:\n{out.stderr[-3000:]}")
    report = json.loads(out.stdout)
    if report["rc"] != 0:
        raise SystemExit(f"error: `{' '.join(command)}` failed in {cwd} (exit {report['rc']}):\n{report['stderr']}")
    return report["wall"], report["maxrss_kb"] / KB, report["cpu"]


def build_ours(project: Path, site: Path, fresh: bool = True) -> tuple[float, float, float]:
    """`fresh`: a cold build (no site before it, no build cache); else a build again, as after an edit."""
    if fresh:
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(site.parent / f".{site.name}.builds", ignore_errors=True)
        shutil.rmtree(project / buildcache.FOLDER, ignore_errors=True)
    return run_measured([sys.executable, str(REPO / "build_timeline.py"), "build", "-q", "--site-dir", str(site)],
                        project)


def time_warm_validate(root: Path, runs: int) -> float:
    """Median seconds of `validate`'s check with the build cache a first run left, nothing changed since."""
    version = buildcache.code_version()
    shutil.rmtree(root / buildcache.FOLDER, ignore_errors=True)
    kept = buildcache.read(root, version)
    buildcache.check_project(root, kept, need_timeline=False)
    buildcache.write(root, kept)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        kept = buildcache.read(root, version)
        buildcache.check_project(root, kept, need_timeline=False)
        buildcache.write(root, kept)
        times.append(time.perf_counter() - start)
    return median(times)


def build_floor(project: Path, site: Path) -> tuple[float, float, float]:
    shutil.rmtree(site, ignore_errors=True)
    return run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(site)], project)


def build_hugo(project: Path, site: Path) -> float:
    shutil.rmtree(site, ignore_errors=True)
    return run_measured(["hugo", "--quiet", "--destination", str(site)], project)[0]


# ---------------------------------------------------------------- site figures

def page_kind(rel: str) -> str:
    """events, places, tags, sources, timeline (the years and months), changes, or other."""
    top = rel.split("/", 1)[0]
    return top if top in ("events", "places", "tags", "sources", "timeline", "changes") and "/" in rel else "other"


def site_figures(site: Path) -> dict:
    total, largest, largest_page = 0, 0, ""
    kinds: dict[str, tuple[float, str]] = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            if size > largest:
                largest, largest_page = size, rel
            kind = page_kind(rel)
            if size / KB > kinds.get(kind, (0.0, ""))[0]:
                kinds[kind] = (round(size / KB, 1), rel)
    index = site / "search" / "search_index.json"
    return {"mb": total / MB, "largest_kb": largest / KB, "largest_page": largest_page, "kinds": kinds,
            "search_mb": index.stat().st_size / MB if index.exists() else 0.0}


# ---------------------------------------------------------------- serve

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Loopback only: never through a proxy the environment may name.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str, timeout: float) -> str:
    """The page's text, or "" while the server is not up or the page not built yet."""
    try:
        with _OPENER.open(url, timeout=max(timeout, 1.0)) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return ""


def wait_for_text(url: str, text: str, timeout: float, server: subprocess.Popen, server_log: Path) -> float:
    """Seconds until the page at `url` contains `text`, polling every POLL seconds."""
    start = time.perf_counter()
    deadline = start + timeout
    while True:
        if text in fetch(url, deadline - time.perf_counter()):
            return time.perf_counter() - start
        if server.poll() is not None:
            raise SystemExit(f"error: the server stopped (exit {server.returncode}):\n{tail(server_log)}")
        if time.perf_counter() > deadline:
            raise SystemExit(f"error: {url} did not show {text!r} within {timeout:.0f} s:\n{tail(server_log)}")
        time.sleep(POLL)


def tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a running process so far (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def wait_until_idle(pid: int, timeout: float = 180.0) -> float:
    """Seconds until the server has used under 5 % of a core for half a second: the build before
    finished (a preview writes its data files and cache after serving the page), as when an editor
    reads the page before saving again."""
    start = time.perf_counter()
    before = cpu_seconds(pid)
    if before is None:  # no /proc: wait as long as a large build's rest takes
        time.sleep(5)
        return time.perf_counter() - start
    while time.perf_counter() - start < timeout:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        if now is None or now - before < 0.025:
            return time.perf_counter() - start
        before = now
    log(f"  serve: still busy after {timeout:.0f} s; saving anyway")
    return time.perf_counter() - start


def wait_until_gone(url: str, text: str, timeout: float, server: subprocess.Popen, server_log: Path) -> float:
    """Seconds until the page at `url` answers without `text` (and answers at all)."""
    start = time.perf_counter()
    while True:
        page = fetch(url, start + timeout - time.perf_counter())
        if page and text not in page:
            return time.perf_counter() - start
        if server.poll() is not None:
            raise SystemExit(f"error: the server stopped (exit {server.returncode}):\n{tail(server_log)}")
        if time.perf_counter() > start + timeout:
            raise SystemExit(f"error: {url} still showed {text!r} after {timeout:.0f} s:\n{tail(server_log)}")
        time.sleep(POLL)


def set_date(file: Path, date: str) -> str:
    """Write `date` in place of the file's date; the date it had."""
    text = file.read_text(encoding="utf-8")
    before = re.search(r"(?m)^date: (.*)$", text)
    assert before, file
    file.write_text(text[:before.start(1)] + date + text[before.end(1):], encoding="utf-8")
    return before.group(1)


def set_title(file: Path, title: str) -> None:
    text = file.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^title: .*$", f"title: {title}", text, count=1)
    assert count == 1, file
    file.write_text(text, encoding="utf-8")


def measure_serve(root: Path, events: list[synth.SynthEvent], samples: int,
                  server_log: Path) -> tuple[list[float], list[float], list[float]]:
    """Start `serve`, then edit one event's title `samples` times, each once the server is idle: seconds
    from each save to the page showing it, and the server's CPU seconds over the same interval (empty
    where /proc is not available); then break an event's date and fix it `samples` times: seconds
    from saving the fix to the banner gone."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/events/{{}}/"
    targets = [events[(i * 7919 + 1) % len(events)] for i in range(samples)]
    with open(server_log, "w", encoding="utf-8") as out:
        server = subprocess.Popen([sys.executable, str(REPO / "build_timeline.py"), "serve",
                                   "--dev-addr", f"127.0.0.1:{port}"], cwd=root, stdout=out, stderr=subprocess.STDOUT)
    try:
        first = wait_for_text(url.format(targets[0].id), html.escape(targets[0].title), FIRST_SERVE_TIMEOUT,
                              server, server_log)
        log(f"  serve: first build answered after {first:.1f} s")
        times, cpu = [], []
        for number, event in enumerate(targets, 1):
            title = f"Edited for the benchmark number {number}"
            log(f"  serve: idle after {wait_until_idle(server.pid):.1f} s")
            cpu_before = cpu_seconds(server.pid)
            set_title(root / event.relpath, title)
            times.append(wait_for_text(url.format(event.id), title, EDIT_TIMEOUT, server, server_log))
            cpu_after = cpu_seconds(server.pid)
            if cpu_before is not None and cpu_after is not None:
                cpu.append(cpu_after - cpu_before)
            log(f"  serve: edit {number}: {times[-1]:.2f} s" + (f" (server CPU {cpu[-1]:.1f} s)" if cpu else ""))
            time.sleep(0.5)  # let the watcher settle before the next save
        fixes = []  # a typo, then its fix: seconds from saving the fix to a page without the problem banner
        for number, event in enumerate(targets, 1):
            date = set_date(root / event.relpath, "8 Feb 2020")
            wait_for_text(url.format(event.id), "tl-problems", EDIT_TIMEOUT, server, server_log)
            wait_until_idle(server.pid)
            set_date(root / event.relpath, date)
            fixes.append(wait_until_gone(url.format(event.id), "tl-problems", EDIT_TIMEOUT, server, server_log))
            log(f"  serve: fix {number}: banner gone after {fixes[-1]:.2f} s")
            time.sleep(0.5)
        return times, cpu, fixes
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


# ---------------------------------------------------------------- one size

def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def generate(project: Path, count: int, args, shape: str | None = None) -> list:
    if args.generator == "synth":
        return synth.write_project(project, count, args.seed, REPO)
    return corpus.write(project, count, shape or args.shape, args.seed, REPO)


def measure_size(count: int, args, workdir: Path) -> dict:
    log(f"{count} events: generating ({args.generator}, {args.shape})")
    project = fresh(workdir / f"timeline-{count}")
    floor = fresh(workdir / f"floor-{count}")
    events = generate(project, count, args)
    synth.write_floor_project(floor, events, REPO)
    check_project(project, count)

    log(f"{count} events: validate")
    quick = quick_runs(args.runs)
    validate_s, validate_floor_s = time_validate(project, count, quick)
    validate_warm_s = time_warm_validate(project, quick)
    validate_cli_s = time_validate_cli(project, quick)

    site, floor_site = workdir / f"site-{count}", workdir / f"site-floor-{count}"
    builds, floor_builds = [], []
    for run in range(1, args.runs + 1):
        log(f"{count} events: build, run {run} of {args.runs}")
        builds.append(build_ours(project, site))
        floor_builds.append(build_floor(floor, floor_site))
        log(f"  ours {builds[-1][0]:.1f} s {builds[-1][1]:.0f} MB, floor {floor_builds[-1][0]:.1f} s "
            f"{floor_builds[-1][1]:.0f} MB")
    # After the last cold build: one event's title changed, then build, again and again. The first
    # such build has only the cold build beside it; each later one also has the build before that,
    # whose folders it is made from (sitedir.recycle): an editor's usual case, reported apart.
    rebuilds = []
    for run in range(quick + 1):
        target = events[((run + 1) * 7919) % len(events)]
        set_title(project / target.relpath, f"Retitled for the benchmark, run {run}")
        rebuilds.append(build_ours(project, site, fresh=False))
        log(f"  build again after one edit{' (the first)' if run == 0 else f', run {run}'}: "
            f"{rebuilds[-1][0]:.2f} s {rebuilds[-1][1]:.0f} MB")
    first_rebuild, rebuilds = rebuilds[0], rebuilds[1:]
    ours_site, floor_site_figures = site_figures(site), site_figures(floor_site)

    hugo_s = None
    if not args.no_hugo and shutil.which("hugo"):
        log(f"{count} events: hugo")
        hugo_project = fresh(workdir / f"hugo-{count}")
        synth.write_hugo_project(hugo_project, events)
        hugo_s = median([build_hugo(hugo_project, workdir / f"site-hugo-{count}") for _ in range(args.runs)])

    return {
        "events": count,
        "validate_s": round(validate_s, 4),
        "validate_floor_s": round(validate_floor_s, 4),
        "validate_warm_s": round(validate_warm_s, 4),
        "validate_cli_s": round(validate_cli_s, 3),
        "rebuild_s": round(median([b[0] for b in rebuilds]), 3),
        "rebuild_first_s": round(first_rebuild[0], 3),
        "rebuild_peak_mb": round(median([b[1] for b in rebuilds]), 1),
        "build_s": round(median([b[0] for b in builds]), 3),
        "build_floor_s": round(median([b[0] for b in floor_builds]), 3),
        "peak_mb": round(median([b[1] for b in builds]), 1),
        "peak_floor_mb": round(median([b[1] for b in floor_builds]), 1),
        "site_mb": round(ours_site["mb"], 2),
        "site_floor_mb": round(floor_site_figures["mb"], 2),
        "largest_html_kb": round(ours_site["largest_kb"], 1),
        "largest_html_page": ours_site["largest_page"],
        "largest_by_kind": ours_site["kinds"],
        "search_index_mb": round(ours_site["search_mb"], 3),
        "search_index_floor_mb": round(floor_site_figures["search_mb"], 3),
        "hugo_s": round(hugo_s, 3) if hugo_s is not None else None,
        # For the table only (not in the JSON): the floor's largest page.
        "_floor_largest": (round(floor_site_figures["largest_kb"], 1), floor_site_figures["largest_page"]),
        "_build_cpu": (median([b[2] for b in builds]), median([b[2] for b in floor_builds])),
    }


def measure_budgets(count: int, args, workdir: Path) -> dict:
    """The largest page of each kind, built from corpora of each shape (few publishers make long source
    pages; many tags and places, long indexes)."""
    out = {}
    for shape in args.budget_shapes:
        log(f"page budgets: {count} events, shape {shape}")
        project = fresh(workdir / f"budget-{shape}-{count}")
        corpus.write(project, count, shape, args.seed, REPO)
        site = workdir / f"site-budget-{shape}-{count}"
        build_ours(project, site)
        figures = site_figures(site)
        out[shape] = {"largest_by_kind": figures["kinds"], "search_index_mb": round(figures["search_mb"], 3)}
        log(f"  largest: {max(figures['kinds'].values())}")
    return out


def measure_serve_size(count: int, args, workdir: Path) -> dict:
    log(f"serve: {count} events")
    project = fresh(workdir / f"serve-{count}")
    events = generate(project, count, args)
    check_project(project, count)
    samples, cpu, fixes = measure_serve(project, events, max(3, args.runs), workdir / f"serve-{count}.log")
    return {"events": count, "save_to_reload_s": round(median(samples), 3), "samples": [round(s, 3) for s in samples],
            "fix_to_clean_s": round(median(fixes), 3), "fix_samples": [round(s, 3) for s in fixes],
            "_cpu_s": median(cpu) if cpu else None}


# ---------------------------------------------------------------- report

def ratio(ours: float | None, floor: float | None) -> float | None:
    return round(ours / floor, 2) if ours and floor else None


def results(sizes: list[dict], serve: dict | None, args, budgets: dict | None = None) -> dict:
    public = [{k: v for k, v in size.items() if not k.startswith("_")} for size in sizes]
    scaling = round(sizes[-1]["build_s"] / sizes[0]["build_s"], 2) if len(sizes) > 1 else None
    return {
        "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": args.runs,
        "quick_runs": quick_runs(args.runs),
        "seed": args.seed,
        "sizes": public,
        "serve": {k: v for k, v in serve.items() if not k.startswith("_")} if serve else None,
        "ratios": {
            "validate": [ratio(s["validate_s"], s["validate_floor_s"]) for s in sizes],
            "build": [ratio(s["build_s"], s["build_floor_s"]) for s in sizes],
            "peak": [ratio(s["peak_mb"], s["peak_floor_mb"]) for s in sizes],
            "rebuild": [ratio(s["rebuild_s"], s["build_floor_s"]) for s in sizes],
            "rebuild_first": [ratio(s["rebuild_first_s"], s["build_floor_s"]) for s in sizes],
            "validate_warm": [ratio(s["validate_warm_s"], s["validate_floor_s"]) for s in sizes],
            "scaling_build": scaling,
        },
        "budgets": budgets,
        "generator": args.generator if args.generator == "synth" else f"corpus ({args.shape})",
    }


def ratio_text(ours: float | None, floor: float | None) -> str:
    value = ratio(ours, floor)
    return "n/a" if value is None else f"{value:.2f}"


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def hugo_cell(size: dict, args) -> str:
    if args.no_hugo:
        return "skipped"
    if size["hugo_s"] is None:
        return "not installed"
    return f"{seconds(size['hugo_s'])} (ours ×{ratio_text(size['build_s'], size['hugo_s'])})"


def table_rows(sizes: list[dict], args) -> list[list[str]]:
    rows = []
    for s in sizes:
        rows.append([
            str(s["events"]),
            seconds(s["validate_s"]), seconds(s["validate_floor_s"]),
            ratio_text(s["validate_s"], s["validate_floor_s"]),
            seconds(s["build_s"]), seconds(s["build_floor_s"]), ratio_text(s["build_s"], s["build_floor_s"]),
            f"{s['peak_mb']:.0f}", f"{s['peak_floor_mb']:.0f}", ratio_text(s["peak_mb"], s["peak_floor_mb"]),
            f"{s['site_mb']:.1f} ({s['site_floor_mb']:.1f})",
            f"{s['largest_html_kb']:.0f} KB {s['largest_html_page']}",
            f"{s['search_index_mb']:.1f} MB ({s['search_index_floor_mb']:.1f})",
            hugo_cell(s, args),
        ])
    return rows


HEADER = ["events", "validate", "floor", "ratio", "build", "floor", "ratio", "peak MB", "floor", "ratio",
          "site MB (floor)", "largest page", "search index (floor)", "hugo"]
GROUP_ENDS = {3, 6, 9, 10, 11, 12}  # a " | " after these columns


def format_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(len(HEADER))]
    lines = []
    for row in [HEADER, *rows]:
        cells = []
        for i, cell in enumerate(row):
            cells.append(cell.ljust(widths[i]) + (" | " if i in GROUP_ENDS else "  "))
        lines.append("".join(cells).rstrip(" |"))
    return "\n".join(lines)


def report(data: dict, sizes: list[dict], serve: dict | None, args, serves: list[dict] | None = None) -> str:
    lines = [format_table(table_rows(sizes, args))]
    lines.append("build again after one edit (cache and last site kept) / cold floor: " + ", ".join(
        f"{seconds(s['rebuild_s'])} vs {seconds(s['build_floor_s'])} (ratio {ratio_text(s['rebuild_s'], s['build_floor_s'])}"
        f", peak {s['rebuild_peak_mb']:.0f} MB) at {s['events']} events" for s in sizes))
    lines.append("the first build after one edit that follows a cold build (no older build to make its folder from) "
                 "/ cold floor: " + ", ".join(
                     f"{seconds(s['rebuild_first_s'])} (ratio {ratio_text(s['rebuild_first_s'], s['build_floor_s'])}) "
                     f"at {s['events']} events" for s in sizes))
    lines.append("validate, warm (nothing changed) / floor: " + ", ".join(
        f"{seconds(s['validate_warm_s'])} vs {seconds(s['validate_floor_s'])} "
        f"(ratio {ratio_text(s['validate_warm_s'], s['validate_floor_s'])}) at {s['events']} events" for s in sizes))
    for s in sizes:
        lines.append(f"largest page per kind at {s['events']} events: " + ", ".join(
            f"{kind} {kb:.0f} KB ({page})" for kind, (kb, page) in sorted(s["largest_by_kind"].items())))
    for shape, figures in (data.get("budgets") or {}).items():
        lines.append(f"largest page per kind, corpus '{shape}' ({corpus.SHAPES[shape]} publishers, places, tags): "
                     + ", ".join(f"{kind} {kb:.0f} KB" for kind, (kb, _) in sorted(figures["largest_by_kind"].items()))
                     + f"; search index {figures['search_index_mb']:.1f} MB")
    for extra in (serves or [])[1:]:
        lines.append(f"serve ({extra['events']} events): save → reloaded page {seconds(extra['save_to_reload_s'])} "
                     f"(median of {len(extra['samples'])}: {', '.join(f'{x:.2f}' for x in extra['samples'])}); "
                     f"fix → no banner {seconds(extra['fix_to_clean_s'])}"
                     + (f"; server CPU per rebuild {seconds(extra['_cpu_s'])}" if extra["_cpu_s"] is not None else ""))
    lines.append("validate CLI (interpreter start included): " +
                 ", ".join(f"{seconds(s['validate_cli_s'])} at {s['events']} events" for s in sizes))
    lines.append("build CPU time (user + system): " +
                 ", ".join(f"{seconds(s['_build_cpu'][0])} vs floor {seconds(s['_build_cpu'][1])} "
                           f"(ratio {ratio_text(*s['_build_cpu'])}) at {s['events']} events" for s in sizes))
    lines.append("floor's largest page: " +
                 ", ".join(f"{s['_floor_largest'][0]:.0f} KB {s['_floor_largest'][1]} at {s['events']} events"
                           for s in sizes))
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        floor_scaling = last["build_floor_s"] / first["build_floor_s"]
        lines.append(f"scaling: build({last['events']})/build({first['events']}) = {data['ratios']['scaling_build']:.2f} "
                     f"(floor {floor_scaling:.2f}; events ×{last['events'] / first['events']:g})")
    if serve:
        line = (f"serve ({serve['events']} events): save → reloaded page {seconds(serve['save_to_reload_s'])} "
                f"(median of {len(serve['samples'])}: {', '.join(f'{s:.2f}' for s in serve['samples'])})")
        same = [s for s in sizes if s["events"] == serve["events"]]
        if same:
            line += f"; a full build of {serve['events']} events takes {seconds(same[0]['build_s'])}"
        if serve["_cpu_s"] is not None:
            line += f"; server CPU per rebuild {seconds(serve['_cpu_s'])}"
        lines.append(line)
        lines.append(f"serve ({serve['events']} events): fix saved → page without the problem banner "
                     f"{seconds(serve['fix_to_clean_s'])} (median of {len(serve['fix_samples'])}: "
                     f"{', '.join(f'{s:.2f}' for s in serve['fix_samples'])})")
    else:
        lines.append("serve: skipped (--serve-events 0)")
    lines.append(f"median of {args.runs} run(s) ({quick_runs(args.runs)} for validate and builds after an edit); "
                 f"seed {args.seed}; {os.cpu_count()} CPUs; "
                 f"Python {platform.python_version()}; sizes in MiB/KiB")
    return "\n".join(lines)


# ---------------------------------------------------------------- main

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark validate, build and serve against floors, in one run.")
    p.add_argument("--sizes", default="1000,10000", help="numbers of events, comma-separated (default 1000,10000)")
    p.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported (default 3)")
    p.add_argument("--seed", type=int, default=1, help="seed of the synthetic projects (default 1)")
    p.add_argument("--serve-events", default="1000,10000",
                   help="events in the serve projects, comma-separated (0 = skip serve; default 1000,10000)")
    p.add_argument("--generator", choices=("corpus", "synth"), default="corpus",
                   help="corpus.py (default; its --shape sets how many publishers, places and tags) or synth.py")
    p.add_argument("--shape", choices=sorted(corpus.SHAPES), default="mixed", help="the corpus's shape (default mixed)")
    p.add_argument("--budget-events", type=int, default=0,
                   help="events in the page-budget corpora (default: the largest of --sizes)")
    p.add_argument("--budget-shapes", default="few,many",
                   help="corpora built for the page budgets at the largest size (comma-separated; '' to skip)")
    p.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    p.add_argument("--keep", metavar="DIR",
                   help="generate into DIR and keep the projects, sites and serve log "
                        "(its timeline-N, floor-N… folders are replaced)")
    p.add_argument("--json", metavar="PATH", help="write the figures as JSON to PATH ('-' for standard output)")
    args = p.parse_args(argv)
    try:
        args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        p.error("--sizes: numbers separated by commas, e.g. 1000,10000")
    if not args.sizes or min(args.sizes) < 3:
        p.error("--sizes: at least 3 events per size")
    if args.runs < 1:
        p.error("--runs: at least 1")
    try:
        args.serve_events = sorted({int(x) for x in str(args.serve_events).split(",") if x.strip() and int(x)})
    except ValueError:
        p.error("--serve-events: numbers separated by commas, e.g. 1000,10000")
    if any(n < 3 for n in args.serve_events):
        p.error("--serve-events: 0, or at least 3")
    args.budget_shapes = [x for x in args.budget_shapes.split(",") if x.strip()]
    if any(x not in corpus.SHAPES for x in args.budget_shapes):
        p.error(f"--budget-shapes: some of {', '.join(corpus.SHAPES)}")
    return args


def run(args, workdir: Path) -> tuple[dict, list[dict], list[dict]]:
    sizes = [measure_size(count, args, workdir) for count in args.sizes]
    serves = [measure_serve_size(count, args, workdir) for count in args.serve_events]
    budgets = measure_budgets(args.budget_events or args.sizes[-1], args, workdir) if args.budget_shapes else {}
    data = results(sizes, serves[0] if serves else None, args, budgets)
    data["serve_sizes"] = [{k: v for k, v in s.items() if not k.startswith("_")} for s in serves]
    return data, sizes, serves


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.keep:
        workdir = Path(args.keep).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        data, sizes, serves = run(args, workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="timeline-bench-") as temp:
            data, sizes, serves = run(args, Path(temp))
    text = report(data, sizes, serves[0] if serves else None, args, serves)
    print(text, file=sys.stderr if args.json == "-" else sys.stdout, flush=True)
    if args.json == "-":
        print(json.dumps(data, indent=2))
    elif args.json:
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
