"""Checking files on two cores (timeline/parallel.py): the same results, in the same order, as one
process; a child that fails or dies only means the parent does its part; no fork where it is not
safe. The fork runs in a fresh interpreter (a subprocess), as in `validate`: pytest may hold threads."""
from __future__ import annotations

import json
import subprocess
import sys
import threading

from conftest import REPO, event_text

from timeline import parallel


def run_python(code: str, env: dict | None = None) -> dict:
    import os
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "TIMELINE_PROCESSES": "", **(env or {})})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


MAP = """
import json, os, sys
from timeline import parallel
parent = os.getpid()
def work(n):
    {body}
    return (n * n, os.getpid() == parent)
out = parallel.map_in_two(work, list(range(3000)))
print(json.dumps({{"values": [v for v, _ in out], "in_parent": sum(p for _, p in out)}}))
"""


def test_the_later_part_is_made_in_a_child_and_the_order_kept():
    out = run_python(MAP.format(body="sum(range(20000))"))  # work (0.5 s in all): the child takes part
    assert out["values"] == [n * n for n in range(3000)]
    assert 0 < out["in_parent"] <= 3000 - parallel.STEP  # the child made one step at least


def test_the_faster_process_takes_more():
    """Where the two meet depends on how fast each goes: a child slowed down leaves most to the parent,
    a parent slowed down leaves most to the child; the results are the same, in order, either way."""
    slow_child = run_python(MAP.format(body="if os.getpid() != parent: __import__('time').sleep(0.001)"))
    slow_parent = run_python(MAP.format(body="if os.getpid() == parent: __import__('time').sleep(0.001)"))
    for out in (slow_child, slow_parent):
        assert out["values"] == [n * n for n in range(3000)]
    assert slow_child["in_parent"] > 2400
    assert slow_parent["in_parent"] < 600


def test_a_child_that_fails_or_dies_leaves_its_part_to_the_parent():
    for failure in ("raise ValueError('in the child')", "os._exit(3)", "os.kill(os.getpid(), 9)",
                    "n == 2900 and os.kill(os.getpid(), 9)"):  # (the last: a few steps in)
        out = run_python(MAP.format(body=f"if os.getpid() != parent: {failure}"))
        assert out["values"] == [n * n for n in range(3000)], failure
        assert out["in_parent"] == 3000, failure


def test_no_fork_when_switched_off_or_too_few():
    assert run_python(MAP.format(body="pass"), {"TIMELINE_PROCESSES": "1"})["in_parent"] == 3000
    few = MAP.format(body="pass").replace("range(3000)", f"range({parallel.AT_LEAST - 1})")
    assert run_python(few)["in_parent"] == parallel.AT_LEAST - 1


def test_no_fork_beside_another_thread():
    """A thread holding a lock at the fork would leave it held in the child (serve has threads)."""
    done = threading.Event()
    thread = threading.Thread(target=done.wait)
    thread.start()
    try:
        assert not parallel.worth_forking(10 * parallel.AT_LEAST)
        assert parallel.map_in_two(lambda n: n + 1, list(range(parallel.AT_LEAST))) == list(
            range(1, parallel.AT_LEAST + 1))
    finally:
        done.set()
        thread.join()


def test_validate_on_two_cores_says_what_one_says(project):
    """Errors in files checked by the child and by the parent, reported in one order, one exit code."""
    count = parallel.AT_LEAST + 200
    for n in range(count):
        day = f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}"
        bad = {7: {"place": "Atlantis"}, count - 3: {"date": "2020-02-30"}, count // 2: {"title": ""}}.get(n, {})
        project.write(f"events/{n:05d}-event.md", event_text(**{"date": day, "title": f"Event {n}", **bad}))
    import os
    import shutil
    results = {}
    for mode in ("1", ""):  # each cold: the build cache of the run before removed
        shutil.rmtree(project.root / ".timeline-cache", ignore_errors=True)
        results[mode] = subprocess.run([sys.executable, str(REPO / "build_timeline.py"), "validate"],
                                       cwd=project.root, capture_output=True, text=True, timeout=300,
                                       env={**os.environ, "TIMELINE_PROCESSES": mode})
    one, two = results["1"], results[""]
    assert one.returncode == two.returncode == 1
    assert (one.stdout, one.stderr) == (two.stdout, two.stderr)
    for name in ("00007-event.md", f"{count - 3:05d}-event.md", f"{count // 2:05d}-event.md"):
        assert f"events/{name}:" in one.stdout + one.stderr


def test_the_collector_is_left_as_it_was():
    import gc
    seen = []
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            parallel.map_in_two(lambda n: seen.append(gc.isenabled()), [1, 2, 3])
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
    assert seen == [False] * 6  # none while the items are made


CHECK_BOTH_WAYS = """
import json, os, sys
from pathlib import Path
from timeline import check, parallel, project
root, log = Path(sys.argv[1]), sys.argv[2]
read_file = project.read_file
def logged(root, path, rel, *args, **kwargs):  # which process reads which event file (O_APPEND: both can)
    if rel.startswith("events/"):
        descriptor = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.write(descriptor, f"{os.getpid()} {rel}\\n".encode())
        os.close(descriptor)
    return read_file(root, path, rel, *args, **kwargs)
out = {"parent": os.getpid()}
for name, cache in (("cold", None), ("cached", check.CheckCache())):
    project.read_file = logged if cache is None else read_file
    timeline, problems = check.check_project(root, cache)
    out[name] = {"events": [e.id for e in timeline.events], "problems": [p.format() for p in problems]}
print(json.dumps(out))
"""


def check_both_ways(root, tmp_path) -> tuple[dict, list[tuple[int, str]]]:
    log = tmp_path / "reads.log"
    result = subprocess.run([sys.executable, "-c", CHECK_BOTH_WAYS, str(root), str(log)], cwd=REPO,
                            capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "TIMELINE_PROCESSES": ""})
    assert result.returncode == 0, result.stderr
    reads = [(int(pid), rel) for pid, rel in (line.split(" ", 1) for line in log.read_text().splitlines())] \
        if log.exists() else []
    return json.loads(result.stdout), reads


def test_a_cold_check_reads_each_file_where_it_is_checked_and_says_what_a_cached_one_says(project, tmp_path):
    """A cold check (no cache: `check.check_project`, as the benchmark times it) reads the files in
    whichever of the two processes checks them. A file that cannot be read there is reported as when
    it is read beforehand, and is no event: no duplicate id with its namesake."""
    count = parallel.AT_LEAST + 200
    for n in range(count):
        project.write(f"events/{n:05d}-event.md", event_text(date=f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}",
                                                             title=f"Event {n}"))
    too_large = event_text(title="Too large") + "x" * 1_000_001
    size = f"{len(too_large.encode()):,}"
    project.write("events/0/00003-event.md", too_large)  # sorted first: read by the parent …
    project.write(f"events/{count:05d}-late.md", too_large)  # … and last but one: by the child
    project.write("events/z/0-bad-date.md", event_text(date="2020-02-30"))
    out, reads = check_both_ways(project.root, tmp_path)
    assert out["cold"] == out["cached"]
    problems = out["cold"]["problems"]
    assert [p for p in problems if "[file-too-large]" in p] == [
        f"events/{name}:1: error: file is {size} bytes; the limit is 1,000,000 [file-too-large]"
        for name in ("0/00003-event.md", f"{count:05d}-late.md")]
    assert not [p for p in problems if "duplicate" in p]
    assert any("events/z/0-bad-date.md:3: error:" in p for p in problems)
    assert len(out["cold"]["events"]) == count  # the files with errors are no events
    # Every file read in the cold check, by the process that checked it: the first by the parent, the
    # last by the child (the step where the two met may be read by both).
    readers = dict((rel, pid) for pid, rel in reversed(reads))
    assert set(readers) == {f"events/{n:05d}-event.md" for n in range(count)} | {
        "events/0/00003-event.md", f"events/{count:05d}-late.md", "events/z/0-bad-date.md"}
    assert readers["events/0/00003-event.md"] == out["parent"] != readers["events/z/0-bad-date.md"]
    assert len(reads) <= len(readers) + 2 * parallel.STEP


def test_no_event_file_read_and_no_places_yml_is_one_problem_cold_or_cached(tmp_path):
    """A project whose only event file cannot be read has no event: places.yml is not asked for."""
    (tmp_path / "p" / "events").mkdir(parents=True)
    (tmp_path / "p" / "events" / "big.md").write_text(event_text() + "x" * 1_000_001, encoding="utf-8")
    out, _ = check_both_ways(tmp_path / "p", tmp_path)
    assert out["cold"] == out["cached"]
    assert [p.split(" [")[-1] for p in out["cold"]["problems"]] == ["file-too-large]"]
