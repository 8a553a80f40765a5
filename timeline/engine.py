"""The site engine's API, for the glue only: MkDocs 1.6, or ProperDocs (its maintained fork, the
same API under another package name). The core never imports either; the hook asks here for
the classes of whichever engine loaded it."""
from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Engine:
    name: str  # "mkdocs" or "properdocs"
    files: ModuleType  # <engine>.structure.files: File, Files, InclusionLevel
    exceptions: ModuleType  # <engine>.exceptions: PluginError
    plugins: ModuleType  # <engine>.plugins: get_plugin_logger


def running(config: object | None = None) -> Engine:
    """The engine that made `config` (its config class lives in that engine's package); without a
    config, ProperDocs if it is the one loaded, else MkDocs."""
    name = type(config).__module__.split(".")[0] if config is not None else ""
    if name not in ("mkdocs", "properdocs"):
        name = "properdocs" if "properdocs.commands.build" in sys.modules else "mkdocs"
    return Engine(name, *(importlib.import_module(f"{name}.{part}") for part in ("structure.files", "exceptions",
                                                                                  "plugins")))
