"""The timeline's command line and its MkDocs hook, in one file.

    python build_timeline.py validate        check every event; exit 1 on errors
    python build_timeline.py build           validate, then build site/
    python build_timeline.py serve           preview with live reload

mkdocs.yml lists this file under `hooks:`, so `mkdocs build` and `mkdocs serve`
generate the same pages. MkDocs imports it with its folder on sys.path only during
the import, hence the package import at the top level.
"""
import sys
from pathlib import Path

if __name__ == "__main__":
    from timeline.cli import main

    sys.exit(main(fallback_root=Path(__file__).resolve().parent))
else:
    from timeline.mkdocs_hook import (  # noqa: F401  (MkDocs looks these up)
        on_build_error,
        on_config,
        on_files,
        on_page_content,
        on_page_markdown,
        on_post_build,
        on_post_page,
        on_post_template,
        on_pre_build,
        on_serve,
    )
