"""Running the documented commands as written: `python build_timeline.py …` with whatever Python
the editor's shell finds. Standard library only, since it runs before the requirements are known
to be there.

When a requirement is missing and the project has its own .venv (what the README's set-up makes),
the command runs again with that environment's Python; without one, it says in one line what to
run, and exits 2.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

SETUP = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt"
_AGAIN = "TIMELINE_IN_PROJECT_VENV"  # set on the second run, so that it never loops


def project_python(project: Path) -> Path:
    return project / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run_in_project_venv(script: Path, missing: str) -> NoReturn:
    """Run the command again in the project's .venv if that can help; else explain and exit 2."""
    python = project_python(script.parent)
    here = Path(sys.prefix).resolve() == python.parent.parent.resolve()
    if python.exists() and not here and not os.environ.get(_AGAIN):
        os.environ[_AGAIN] = "1"
        os.execv(str(python), [str(python), str(script), *sys.argv[1:]])
    where = "the project's .venv" if here else "this Python"
    print(f"error: {missing} is not installed in {where}; set the project up with: {SETUP}", file=sys.stderr)
    sys.exit(2)
