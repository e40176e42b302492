"""Test configuration shared by the whole suite.

``pytester`` runs pytest inside tests (the scenario plugin's own tests). The scenario
plugin (``disclosure._pytest_plugin``) is normally loaded through its ``pytest11`` entry
point; when the package was installed without it (an old editable install) or plugin
autoloading is disabled, it is loaded here instead, so scenario files are never silently
skipped.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib.metadata import entry_points

import pytest
from hypothesis import settings

# Hypothesis budgets are chosen by profile, not test by test: `dev` for the edit loop,
# `ci` in .ci/run (CI=true selects it), `thorough` for a long search
# (HYPOTHESIS_PROFILE=thorough python -m pytest -m "slow or not slow"). No deadline: the
# first example of a test pays for preparing a version (compiling, building diagrams),
# which is cached for the rest of the run.
settings.register_profile("dev", max_examples=40, deadline=None)
settings.register_profile("ci", max_examples=100, deadline=None, print_blob=True)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

PLUGIN = "disclosure._pytest_plugin"


def plugin_autoloaded() -> bool:
    """Whether pytest loads the scenario plugin by itself (entry point installed and
    plugin autoloading not disabled)."""
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        return False
    return any(point.value == PLUGIN for point in entry_points(group="pytest11"))


pytest_plugins = ["pytester"] + ([] if plugin_autoloaded() else [PLUGIN])

_CACHE_DIR_VARIABLE = "DISCLOSURE_CACHE_DIR"
#: the session's cache folder, and the variable's value before the session
_CACHE_DIR = pytest.StashKey[tuple[str, str | None]]()


def pytest_configure(config: pytest.Config) -> None:
    """Point the ruleset cache at a temporary folder for the session."""
    folder = tempfile.mkdtemp(prefix="disclosure-test-cache-")
    config.stash[_CACHE_DIR] = (folder, os.environ.get(_CACHE_DIR_VARIABLE))
    os.environ[_CACHE_DIR_VARIABLE] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's cache folder and restore the variable."""
    if _CACHE_DIR not in config.stash:
        return
    folder, previous = config.stash[_CACHE_DIR]
    if previous is None:
        os.environ.pop(_CACHE_DIR_VARIABLE, None)
    else:
        os.environ[_CACHE_DIR_VARIABLE] = previous
    shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` (the large fuzzing budgets) are left out of the default run;
    ``-m slow`` (or any ``-m`` expression) selects them explicitly."""
    if config.getoption("markexpr"):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)
