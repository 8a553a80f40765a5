"""CI, Pages and pre-commit run the commands the README and the CLI promise, in the right order."""
from __future__ import annotations

import re
import shlex

import pytest
import yaml
from conftest import REPO
from test_repo import readme_commands

from timeline import cli

WORKFLOWS = REPO / ".github" / "workflows"
PRE_COMMIT = REPO / ".pre-commit-config.yaml"
COMMAND = re.compile(r"python\s+build_timeline\.py\s+([^\n&|;]*)")


def load(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    """`on:` is YAML 1.1's boolean true to PyYAML."""
    on = workflow["on"] if "on" in workflow else workflow[True]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on


def steps(workflow: dict, job: str | None = None) -> list[dict]:
    jobs = [workflow["jobs"][job]] if job else workflow["jobs"].values()
    return [step for j in jobs for step in j.get("steps", [])]


def runs(workflow: dict, job: str | None = None) -> list[str]:
    return [step["run"] for step in steps(workflow, job) if "run" in step]


def index_of(commands: list[str], needle: str) -> int:
    found = [i for i, run in enumerate(commands) if needle in run]
    assert found, f"no step runs {needle!r} in {commands}"
    return found[0]


def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for repo in load(PRE_COMMIT)["repos"] for hook in repo["hooks"]}


@pytest.fixture(scope="module")
def ci() -> dict:
    return load(WORKFLOWS / "ci.yml")


@pytest.fixture(scope="module")
def pages() -> dict:
    return load(WORKFLOWS / "pages.yml")


# ------------------------------------------------------------------ ci.yml

def test_ci_runs_on_pull_requests_and_pushes(ci):
    on = triggers(ci)
    assert "pull_request" in on and "push" in on
    assert ci["permissions"] == {"contents": "read"}
    assert ci["concurrency"]["cancel-in-progress"] is True
    assert "github.ref" in ci["concurrency"]["group"]


def test_ci_runs_every_check_annotations_first(ci):
    commands = runs(ci)
    install = index_of(commands, "pip install -r requirements-dev.txt")
    validate = index_of(commands, "build_timeline.py validate --format github")
    tests = index_of(commands, ".ci/run")
    fmt = index_of(commands, "build_timeline.py fmt --check")
    build = index_of(commands, "build_timeline.py build")
    assert install < validate < tests < fmt < build


def test_ci_tests_are_the_readme_test_command(ci):
    assert any(re.search(r"(^|\s)(bash\s+)?\.ci/run\b", run) for run in runs(ci))
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci_run.splitlines()


def test_ci_installs_what_the_readme_installs(ci):
    readme_install = re.search(r"pip install -r \S+", readme_commands()[1]).group(0)
    assert readme_install == "pip install -r requirements-dev.txt"
    assert any(readme_install in run for run in runs(ci))


def test_ci_uploads_the_built_site_as_a_preview(ci):
    commands = runs(ci)
    build = [run for run in commands if "build_timeline.py build" in run][0]
    site_dir = shlex.split(build)[shlex.split(build).index("--site-dir") + 1]
    uploads = [step for step in steps(ci) if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(uploads) == 1
    upload = uploads[0]["with"]
    assert upload["path"].rstrip("/") == site_dir == "site"
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert upload["name"] in template
    assert upload["name"] in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_ci_sets_up_python_and_node_with_caches(ci):
    by_action = {step["uses"].split("@")[0]: step.get("with", {}) for step in steps(ci) if "uses" in step}
    assert str(by_action["actions/setup-python"]["python-version"]) == "3.11"
    assert by_action["actions/setup-python"]["cache"] == "pip"
    assert str(by_action["actions/setup-node"]["node-version"]) == "20"
    assert by_action["actions/setup-node"]["cache"] == "npm"
    assert (REPO / "package-lock.json").exists()  # setup-node's npm cache and `npm ci` need it


# ------------------------------------------------------------------ pages.yml

def test_pages_deploys_only_from_main_after_a_validated_build(pages):
    on = triggers(pages)
    assert on["push"]["branches"] == ["main"] and "workflow_dispatch" in on
    assert pages["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    jobs = pages["jobs"]
    build_job = [name for name, job in jobs.items()
                 if any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in job["steps"])]
    assert len(build_job) == 1
    commands = runs(pages, build_job[0])
    assert index_of(commands, "pip install -r requirements.txt") < index_of(commands, "build_timeline.py validate") \
        < index_of(commands, "build_timeline.py build")
    upload = [s for s in steps(pages, build_job[0]) if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload[0]["with"]["path"].rstrip("/") == "site"

    deploy = jobs["deploy"]
    needs = deploy["needs"] if isinstance(deploy["needs"], list) else [deploy["needs"]]
    assert build_job[0] in needs
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    environment = deploy["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


# ------------------------------------------------------------------ pre-commit

def test_pre_commit_hooks_validate_and_check_the_format():
    found = hooks()
    assert found["validate"]["entry"] == "python build_timeline.py validate"
    assert found["fmt-check"]["entry"] == "python build_timeline.py fmt --check"
    for hook in found.values():
        assert hook["language"] == "system" and hook["pass_filenames"] is True
    validated = re.compile(found["validate"]["files"])
    for path in ("events/2020/2020-02-03-clash.md", "places.yml", "periods.yml"):
        assert validated.search(path), path
    assert not validated.search("docs/editing.md")
    assert re.compile(found["fmt-check"]["files"]).search("events/2020/2020-02-03-clash.md")
    assert not re.compile(found["fmt-check"]["files"]).search("places.yml")


# ------------------------------------------------------------------ all of them

def every_command() -> list[tuple[str, str]]:
    """(where, arguments after build_timeline.py) for every CLI call in a workflow or hook."""
    found = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for run in runs(load(path)):
            found += [(path.name, m.group(1).strip()) for m in COMMAND.finditer(run)]
    for hook in hooks().values():
        found += [(PRE_COMMIT.name, m.group(1).strip()) for m in COMMAND.finditer(hook["entry"])]
    return found


def test_every_cli_call_names_a_real_subcommand_and_options():
    calls = every_command()
    assert {args.split()[0] for _, args in calls} >= {"validate", "fmt", "build"}
    subcommands = cli.parser()._subparsers._group_actions[0].choices
    for where, args in calls:
        words = shlex.split(args)
        assert words[0] in subcommands, f"{where}: `build_timeline.py {args}`: no such subcommand"
        try:
            cli.parser().parse_args([*words, *(["events/x.md"] if where == PRE_COMMIT.name else [])])
        except SystemExit:
            pytest.fail(f"{where}: `build_timeline.py {args}` is not accepted by the CLI")


def test_every_action_is_pinned_to_a_major_version():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for step in steps(load(path)):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@v\d+", step["uses"]), f"{path.name}: {step['uses']}"


def test_contributing_gives_the_readme_test_command_and_the_editing_guide():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert readme_commands()[1] in text
    assert "docs/editing.md" in text and (REPO / "docs" / "editing.md").exists()
