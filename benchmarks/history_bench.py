"""What the events' history costs a build: a synthetic project of N events in a git repository of
C commits (written with `git fast-import`: the first adds every event, each later one edits one
event, renaming or deleting now and then), built with and without history, side by side.

    python benchmarks/history_bench.py                       # 10,000 events, 20,000 commits
    python benchmarks/history_bench.py --events 300 --commits 600 --json out.json
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from synth import write_project  # noqa: E402

from timeline.history import read_history  # noqa: E402


def fast_import(root: Path, commits: int, seed: int) -> None:
    """The project's files as the first commit, then `commits - 1` commits each changing one event."""
    rng = random.Random(seed)
    files = sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    events = sorted(p.relative_to(root).as_posix() for p in files if p.suffix == ".md" and "events" in p.parts)
    texts = {path: (root / path).read_text(encoding="utf-8") for path in events}  # each event as last committed
    stream = []

    def blob(data: bytes) -> None:
        stream.append(b"data %d\n" % len(data) + data + b"\n")

    def commit(number: int, message: str, changes: list[bytes]) -> None:
        when = 1_700_000_000 + number * 600
        stream.append(b"commit refs/heads/main\n")
        stream.append(b"committer Editor <editor@example.org> %d +0000\n" % when)
        blob(message.encode())
        stream.extend(changes)

    initial = []
    for path in files:
        data = path.read_bytes()
        initial.append(b"M 100644 inline " + path.relative_to(root).as_posix().encode() + b"\n")
        initial.append(b"data %d\n" % len(data) + data + b"\n")
    commit(0, "Add the timeline", initial)
    for number in range(1, commits):
        path = rng.choice(events)
        if number % 97 == 0 and len(events) > 10:  # now and then a rename, or a deletion
            events.remove(path)
            text = texts.pop(path)
            if number % 2:
                new = path.replace(".md", f"-{number}.md")
                events.append(new)
                texts[new] = text
                commit(number, f"Rename {path}", [f"R {path} {new}\n".encode()])
            else:
                commit(number, f"Withdraw {path}", [f"D {path}\n".encode()])
            continue
        texts[path] = text = texts[path].replace("---\n", f"---\n# revision {number}\n", 1)
        data = text.encode()
        commit(number, f"Edit {path}", [b"M 100644 inline " + path.encode() + b"\n", b"data %d\n" % len(data) + data + b"\n"])
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True)


def build_seconds(root: Path, history: bool) -> float:
    env = {**os.environ, "TIMELINE_HISTORY": "" if history else "off"}
    started = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "build_timeline.py"), "build", "-q", "--no-strict",
                    "--site-dir", str(root / ("site-h" if history else "site-n"))],
                   cwd=root, check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, default=10_000)
    p.add_argument("--commits", type=int, default=20_000)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--json")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        write_project(root, args.events, 7, REPO)
        fast_import(root, args.commits, 7)
        started = time.perf_counter()
        history = read_history(root)
        read_s = time.perf_counter() - started
        without, with_history = [], []
        for _ in range(args.runs):  # interleaved, so that the machine's noise falls on both
            without.append(build_seconds(root, False))
            with_history.append(build_seconds(root, True))
    a, b = statistics.median(without), statistics.median(with_history)
    figures = {"events": args.events, "commits": args.commits, "read_history_s": round(read_s, 2),
               "revisions": sum(len(r) for r in history.events.values()), "build_s": round(a, 2),
               "build_with_history_s": round(b, 2), "ratio": round(b / a, 3)}
    print(f"history: {args.events:,} events, {args.commits:,} commits: read in {read_s:.2f} s "
          f"({figures['revisions']:,} revisions)")
    print(f"  build without history {a:.1f} s, with {b:.1f} s: ratio {b / a:.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
