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


#: markers left out of the default run, and how to select them
_OPT_IN = {
    "slow": "slow: the large fuzzing and property budgets; run with -m slow",
    "docs": "docs: builds the documentation site and runs its shell steps; run with -m docs",
    "fuzz": "fuzz: the fuzzing of ruleset files and situations; run with -m fuzz",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The fast default loop leaves out the tests marked ``slow``, ``docs`` and ``fuzz``
    (everything under tests/fuzz/ is marked ``fuzz``); any ``-m`` expression selects
    explicitly (CI runs ``-m "docs or fuzz"`` after the default loop)."""
    for item in items:
        if "fuzz" in item.path.parts and item.path.parent.name == "fuzz":
            item.add_marker(pytest.mark.fuzz)
    if config.getoption("markexpr"):
        return
    for item in items:
        for marker, reason in _OPT_IN.items():
            if item.get_closest_marker(marker) is not None:
                item.add_marker(pytest.mark.skip(reason=reason))
                break
