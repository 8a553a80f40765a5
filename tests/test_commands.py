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
