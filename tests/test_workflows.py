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


# ------------------------------------------------------------------ ci.yml

def test_ci_runs_on_pull_requests_and_pushes(ci):
    on = triggers(ci)
    assert "pull_request" in on and "push" in on
    assert ci["permissions"] == {"contents": "read"}
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


def test_ci_uploads_the_pull_requests_site_built_for_opening_from_disk(ci):
    preview = [step for step in steps(ci, "check") if "--offline" in step.get("run", "")]
    assert len(preview) == 1 and "build_timeline.py build" in preview[0]["run"]
    assert preview[0]["if"] == "github.event_name == 'pull_request'"
    words = shlex.split(preview[0]["run"])
    site_dir = words[words.index("--site-dir") + 1]
    uploads = [step for step in steps(ci) if step.get("uses", "").startswith("actions/upload-artifact@")
               and step["with"]["name"] != "screenshots"]
    assert len(uploads) == 1
    upload = uploads[0]["with"]
    assert upload["path"].rstrip("/") == site_dir == "site"
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert upload["name"] in template
    assert upload["name"] in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_ci_installs_once(ci):
    """The set-up step makes the .venv that the README's command (in .ci/run) and every later step use."""
    installs = [run for run in runs(ci, "check") if "pip install" in run]
    assert installs == ["python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt"]
    assert installs[0] in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_ci_sets_up_python_and_a_supported_node_with_caches(ci):
    by_action = {step["uses"].split("@")[0]: step.get("with", {}) for step in steps(ci) if "uses" in step}
    assert str(by_action["actions/setup-python"]["python-version"]) == "3.11"
    assert by_action["actions/setup-python"]["cache"] == "pip"
    assert int(str(by_action["actions/setup-node"]["node-version"])) >= 22  # Node 20 is past its end of life
    assert by_action["actions/setup-node"]["cache"] == "npm"
    assert (REPO / "package-lock.json").exists()  # setup-node's npm cache and `npm ci` need it


# The first majors that run on Node 24 (GitHub removed Node 20 from its runners in September 2026).
CURRENT_MAJORS = {"actions/checkout": 6, "actions/setup-python": 6, "actions/setup-node": 6,
                  "actions/upload-artifact": 6, "actions/configure-pages": 6, "actions/upload-pages-artifact": 5,
                  "actions/deploy-pages": 5, "actions/cache": 5}


def test_every_action_is_on_a_current_major(ci):
    for step in steps(ci):
        if "uses" in step:
            action, version = step["uses"].split("@")
            assert action in CURRENT_MAJORS, f"{action}: add it to CURRENT_MAJORS with its first Node 24 major"
            assert int(version.lstrip("v")) >= CURRENT_MAJORS[action], step["uses"]


# ------------------------------------------------------------------ deploying to GitHub Pages

MAIN = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"


def test_pages_are_built_from_main_only_after_every_check(ci):
    commands = [step.get("run", step.get("uses", "")) for step in steps(ci, "check")]
    web = [step for step in steps(ci, "check") if step.get("run", "").startswith("python build_timeline.py build")
           and "--offline" not in step["run"]]
    assert len(web) == 1 and web[0]["if"] == MAIN
    assert "steps.pages.outputs.base_url" in web[0]["env"]["SITE_URL"]  # so the sitemap and feeds link to it
    upload = [step for step in steps(ci, "check") if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1 and upload[0]["if"] == MAIN and upload[0]["with"]["path"].rstrip("/") == "site"
    assert index_of(commands, ".ci/run") < index_of(commands, "fmt --check") < commands.index(web[0]["run"]) \
        < commands.index(upload[0]["uses"])
    configure = [step for step in steps(ci, "check") if step.get("uses", "").startswith("actions/configure-pages@")]
    assert configure[0]["id"] == "pages" and ci["jobs"]["check"]["permissions"]["pages"] == "read"


def test_the_deploy_waits_for_the_checks_and_is_never_cut_short(ci):
    on = triggers(ci)
    assert on["push"]["branches"] == ["main"] and "workflow_dispatch" in on
    deploy = ci["jobs"]["deploy"]
    needs = deploy["needs"] if isinstance(deploy["needs"], list) else [deploy["needs"]]
    assert needs == ["check"] and deploy["if"] == MAIN
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    environment = deploy["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert "pull_request" in ci["concurrency"]["cancel-in-progress"]  # only a pull request's run is superseded
    assert not (WORKFLOWS / "pages.yml").exists()  # one workflow: a deploy cannot run beside failing tests


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


def test_ci_keeps_the_browser_tests_screenshots_even_when_tests_fail(ci):
    shots = [step for step in steps(ci, "check") if step.get("with", {}).get("name") == "screenshots"]
    assert len(shots) == 1 and shots[0]["if"] == "always()"
    assert shots[0]["with"]["path"].rstrip("/") == "screenshots"
    names = [step.get("name") for step in steps(ci, "check")]
    assert names.index(shots[0]["name"]) > names.index("Tests")  # after the tests wrote them


def test_a_weekly_workflow_checks_the_links_and_fails_on_dead_originals():
    links = load(WORKFLOWS / "links.yml")
    on = triggers(links)
    assert "schedule" in on and "workflow_dispatch" in on
    commands = runs(links)
    check = commands[index_of(commands, "check-links")]
    assert "--format github" in check and "GITHUB_STEP_SUMMARY" in check and "exit $status" in check
    assert "--allow-private" not in check  # never in CI: a pull request's url must not reach the runner's network
    cached = [s for s in steps(links) if s.get("uses", "").startswith("actions/cache@")]
    assert cached and cached[0]["with"]["path"] == ".timeline-cache"
    assert ".timeline-cache" in (REPO / ".gitignore").read_text(encoding="utf-8")


def test_ci_has_the_whole_history_and_keeps_published_corrections(ci):
    checkout = next(s for s in steps(ci, "check") if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # a shallow clone has no history to show
    step = next(s for s in steps(ci, "check") if "check-corrections" in s.get("run", ""))
    assert step["if"] == "github.event_name == 'pull_request'" and "origin/$GITHUB_BASE_REF" in step["run"]


def test_ci_keeps_the_build_cache_between_runs_before_it_validates_or_builds(ci):
    """A build after a small change redoes only that change, in CI too: .timeline-cache is restored
    (the newest entry of this branch's) before the first step that reads the events."""
    check = steps(ci, "check")
    cached = [i for i, s in enumerate(check) if s.get("uses", "").startswith("actions/cache@")
              and s["with"]["path"] == ".timeline-cache"]
    first = next(i for i, s in enumerate(check) if "build_timeline.py" in s.get("run", ""))
    assert cached and cached[0] < first
    entry = check[cached[0]]["with"]
    assert "github.run_id" in entry["key"] and entry["restore-keys"] and entry["key"].startswith(entry["restore-keys"])
