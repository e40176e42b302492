"""The pytest plugin's mutation-testing option: ``pytest --disclosure-mutation``.

After the run, the rule family of every scenario file collected is mutated (see
:func:`disclosure.mutate`) and checked against those scenario files; the terminal
summary gives each family's mutation score and its surviving mutants. With
``--disclosure-mutation-min-score X`` a score below X fails the run (exit status 1).
Loaded by :mod:`disclosure._pytest_plugin` (its ``pytest_plugins``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

__all__ = ["pytest_addoption", "pytest_sessionfinish", "pytest_terminal_summary"]

#: survivors listed in the terminal summary, per family (the rest are counted)
SHOWN = 10

_reports_key = pytest.StashKey[list[Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("disclosure", "disclosure scenario files")
    group.addoption(
        "--disclosure-mutation",
        action="store_true",
        default=False,
        help="after the run, report the mutation score of the rule families of the "
        "scenario files collected: which changes to the law they would miss",
    )
    group.addoption(
        "--disclosure-mutation-min-score",
        type=float,
        default=None,
        metavar="X",
        help="with --disclosure-mutation: fail the run when a family's score is below X",
    )
    group.addoption(
        "--disclosure-mutation-allow",
        default=None,
        metavar="FILE",
        help="with --disclosure-mutation: an allow-list of survivors known and explained",
    )


def _scenario_files(session: pytest.Session) -> dict[str, tuple[Any, list[Path]]]:
    """Family key -> (the family, the scenario files about it) among the items run."""
    from disclosure._pytest_plugin import ScenarioItem

    found: dict[str, tuple[Any, list[Path]]] = {}
    for item in session.items:
        if isinstance(item, ScenarioItem):
            family = item.parsed.family
            key = family.root or family.id
            _, paths = found.setdefault(key, (family, []))
            if item.parsed.path not in paths:
                paths.append(item.parsed.path)
    return found


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if not config.getoption("disclosure_mutation"):
        return
    from disclosure._analysis.mutate import mutate
    from disclosure.errors import DisclosureError

    minimum = config.getoption("disclosure_mutation_min_score")
    allow = config.getoption("disclosure_mutation_allow")
    reports: list[Any] = config.stash.setdefault(_reports_key, [])
    for family, paths in _scenario_files(session).values():
        try:
            report = mutate(family, scenarios=paths, allow=allow)
        except DisclosureError as error:
            reports.append((family.id, error))
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
            continue
        reports.append((family.id, report))
        if minimum is not None and report.score < minimum and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    reports = config.stash.get(_reports_key, None)
    if reports is None:
        return
    write = terminalreporter.write_line
    terminalreporter.write_sep("-", "disclosure mutation testing")
    if not reports:
        write("no scenario file was run: nothing to mutate")
    minimum = config.getoption("disclosure_mutation_min_score")
    for family_id, report in reports:
        if isinstance(report, Exception):
            write(f"{family_id}: cannot mutate: {report}")
            continue
        counts = report.counts
        verdict = ""
        if minimum is not None:
            verdict = (
                " (below the minimum)" if report.score < minimum else " (at or above the minimum)"
            )
        write(
            f"{family_id}: score {report.score:.3f}{verdict}: {counts['killed']} killed, "
            f"{counts['survived']} survived ({counts['allowed']} allowed), "
            f"{counts['equivalent']} equivalent, in {report.seconds:.1f} s"
        )
        survivors = report.unexplained
        for result in survivors[:SHOWN]:
            write(f"  survived: {result.mutant.id}: {result.mutant.description}")
        if len(survivors) > SHOWN:
            write(f"  ... and {len(survivors) - SHOWN} more")
        if survivors:
            write(
                "  `disclosure mutate --scenarios ...` shows where each changes the law, "
                "with a proposed scenario"
            )
