"""The commands as the guides write them, `python build_timeline.py …`, with whatever Python is
first on the editor's PATH: a bare one finds the project's .venv, or says in one line what to run."""
from __future__ import annotations

import shutil
import subprocess
import venv

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory):
    """A Python with nothing installed, as on a fresh machine before set-up."""
    folder = tmp_path_factory.mktemp("bare")
    venv.EnvBuilder(with_pip=False).create(folder)
    return folder / "bin" / "python"


def test_a_bare_python_without_the_project_venv_says_what_to_run(bare_python, tmp_path):
    clone = tmp_path / "clone"  # the tool, with no .venv beside it
    clone.mkdir()
    shutil.copytree(REPO / "timeline", clone / "timeline")
    shutil.copy(REPO / "build_timeline.py", clone)
    result = subprocess.run([str(bare_python), str(clone / "build_timeline.py"), "validate"], cwd=clone,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == ("error: yaml is not installed in this Python; set the project up with: "
                             "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt\n")


def test_a_bare_python_uses_the_project_venv(bare_python, project):
    if not (REPO / ".venv" / "bin" / "python").exists():
        pytest.skip("no .venv in the repository (the README's set-up makes one)")
    project.event("e")
    result = subprocess.run([str(bare_python), str(REPO / "build_timeline.py"), "validate"], cwd=project.root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "OK: 1 event, no problems\n"


def test_the_pre_commit_hooks_run_the_same_commands():
    import yaml
    hooks = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert {h["entry"] for h in hooks} == {"python build_timeline.py validate", "python build_timeline.py fmt --check"}
    assert all(h["language"] == "system" for h in hooks)  # the editor's python: build_timeline.py finds .venv


def test_a_build_on_a_terminal_shows_its_progress_and_ends_with_one_summary_line(tmp_path):
    """In CI (no terminal) one summary line; on a terminal, a line rewritten in place as it goes."""
    import io

    from timeline.progress import Progress
    log = io.StringIO()
    progress = Progress(log, live=True)
    progress.step("checked 3 events")
    progress.planned(10, 7)
    progress.page_written()
    progress.done()
    shown = log.getvalue()
    assert "\r\x1b[Kchecked 3 events (" in shown and "planned 10 pages, 7 reused from the last build (" in shown
    assert shown.endswith("\r\x1b[K")  # the line is cleared before whatever comes next
    assert progress.summary().startswith("10 pages, 7 of them reused from the last build, in ")
    quiet = io.StringIO()
    silent = Progress(quiet, live=False)
    silent.step("checked 3 events")
    silent.done()
    assert quiet.getvalue() == ""


def test_a_build_called_in_this_process_freezes_no_objects(project):
    """The script freezes the checked timeline for the collector (the process ends after it); a
    caller's process, which goes on, keeps its collector as it was."""
    import gc
    project.event("e")
    before = gc.get_freeze_count()
    assert project.run("build", "-q")[0] == 0
    assert gc.get_freeze_count() == before
