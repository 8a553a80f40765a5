"""The site engine's API, for the glue only (mkdocs_hook.py, and the CLI's build and serve): MkDocs
1.6, or ProperDocs (its maintained fork: the same API under another package name). The core never
imports either."""
from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from types import ModuleType

NAMES = ("mkdocs", "properdocs")


@dataclass(frozen=True)
class Engine:
    name: str  # "mkdocs" or "properdocs": also the name of its logger

    def module(self, part: str) -> ModuleType:
        """<engine>.<part>: structure.files (File, InclusionLevel), exceptions (PluginError,
        MkDocsException), plugins (get_plugin_logger), config (load_config), commands.build (build),
        commands.serve (serve)."""
        return importlib.import_module(f"{self.name}.{part}")

    @property
    def files(self) -> ModuleType:
        return self.module("structure.files")

    @property
    def exceptions(self) -> ModuleType:
        return self.module("exceptions")

    @property
    def plugins(self) -> ModuleType:
        return self.module("plugins")


def running(config: object | None = None) -> Engine:
    """The engine that made `config` (its config class lives in that engine's package); without a
    config, ProperDocs if it is the one loaded, else MkDocs."""
    name = type(config).__module__.split(".")[0] if config is not None else ""
    if name not in NAMES:
        name = "properdocs" if "properdocs.commands.build" in sys.modules else "mkdocs"
    return Engine(name)


def installed() -> Engine | None:
    """The engine the command line builds with: MkDocs where it is installed, else ProperDocs."""
    for name in NAMES:
        if importlib.util.find_spec(name) is not None:
            return Engine(name)
    return None
