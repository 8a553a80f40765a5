"""The timeline's command line and its MkDocs hook, in one file.

    python build_timeline.py validate        check every event; exit 1 on errors
    python build_timeline.py build           validate, then build site/
    python build_timeline.py serve           preview with live reload

mkdocs.yml lists this file under `hooks:`, so `mkdocs build` and `mkdocs serve`
generate the same pages. MkDocs imports it with its folder on sys.path only during
the import, hence the package import at the top level.
"""
from pathlib import Path

if __name__ == "__main__":
    try:
        from timeline.cli import hard_exit, main
    except ModuleNotFoundError as missing:  # run outside the project's .venv: use it, or say how to make it
        from timeline.venv import run_in_project_venv

        run_in_project_venv(Path(__file__).resolve(), missing.name or "a requirement")
    hard_exit(main(fallback_root=Path(__file__).resolve().parent, script=True))
else:
    from timeline.mkdocs_hook import TimelineHook

    # One hook object per loaded hook module: MkDocs keeps this module across serve's rebuilds.
    _hook = TimelineHook()
    on_startup = _hook.on_startup
    on_config = _hook.on_config
    on_pre_build = _hook.on_pre_build
    on_files = _hook.on_files
    on_env = _hook.on_env
    on_pre_page = _hook.on_pre_page
    on_page_markdown = _hook.on_page_markdown
    on_page_content = _hook.on_page_content
    on_page_context = _hook.on_page_context
    on_post_page = _hook.on_post_page
    on_post_template = _hook.on_post_template
    on_post_build = _hook.on_post_build
    on_build_error = _hook.on_build_error
    on_serve = _hook.on_serve
    on_shutdown = _hook.on_shutdown
