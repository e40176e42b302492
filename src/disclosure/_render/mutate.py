"""A :class:`~disclosure.MutationReport` as JSON-ready data (layout
``disclosure.mutate/1``), JSON, text and Markdown, and its proposed scenarios as a scenario
file: the formats of the ``"mutation"`` kind in :mod:`disclosure._formats`.

The report is written in English whatever ``lang`` (its words are the ruleset's: rule
ids, fact names, values); the proposed scenarios are in the scenario-file format.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from disclosure._formats import register

if TYPE_CHECKING:
    from disclosure._analysis.mutate import Difference, Killer, MutantResult, MutationReport

__all__ = [
    "proposals_yaml",
    "report_to_dict",
    "report_to_json",
    "report_to_markdown",
    "report_to_text",
]


# --------------------------------------------------------------------------- data


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted((_plain(v) for v in value), key=lambda v: (str(type(v)), str(v)))
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _killer(killer: Killer) -> dict[str, Any]:
    return {
        "file": killer.file,
        "line": killer.line,
        "scenario": killer.scenario,
        "expectation": killer.expectation,
        "problems": list(killer.problems),
    }


def _difference(difference: Difference) -> dict[str, Any]:
    return {
        "version": difference.version,
        "known_on": _plain(difference.known_on),
        "readings": dict(difference.readings),
        "conditions": _plain(difference.conditions),
        "situations": difference.situations,
        "changed": difference.changed,
        "example": _plain(difference.example),
        "original": difference.original,
        "mutant": difference.mutant,
        "proposal": _plain(difference.proposal),
    }


def _result(result: MutantResult) -> dict[str, Any]:
    mutant = result.mutant
    return {
        "id": mutant.id,
        "operator": mutant.operator,
        "version": mutant.version,
        "rule": mutant.rule,
        "location": mutant.location,
        "origin": mutant.origin,
        "description": mutant.description,
        "versions": list(mutant.versions),
        "status": result.status,
        "killed_by": [_killer(k) for k in result.killed_by],
        "allowed": result.allowed,
        "difference": _difference(result.difference) if result.difference else None,
    }


@register("mutation", "dict")
def report_to_dict(report: MutationReport, lang: str = "en") -> dict[str, Any]:
    """JSON-ready data (layout ``disclosure.mutate/1``, documented in the reference)."""
    return {
        "schema": _mutate().MUTATE_SCHEMA,
        "family": report.family,
        "score": report.score,
        "counts": report.counts,
        "seconds": report.seconds,
        "scenario_seconds": report.scenario_seconds,
        "operators": list(report.operators),
        "versions": list(report.versions),
        "scenarios": {
            "files": list(report.scenario_files),
            "expectations": report.expectations,
            "failing": [_killer(k) for k in report.failing],
        },
        "stale_allowances": list(report.stale_allowances),
        "mutants": [_result(r) for r in report.results],
    }


@register("mutation", "json")
def report_to_json(report: MutationReport, lang: str = "en") -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- scenario files

_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"})


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(value: Any) -> str:
    """A value in YAML flow style, as the project's scenario files write it."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _scenario_lines(scenario: Mapping[str, Any]) -> list[str]:
    lines = [f"  - name: {_scalar(scenario['name'])}"]
    for key in ("source", "note"):
        if key in scenario:
            lines.append(f"    {key}: {_scalar(scenario[key])}")
    lines.append(f"    facts: {_flow(scenario['facts'])}")
    if scenario.get("readings"):
        lines.append(f"    readings: {_flow(scenario['readings'])}")
    lines.append("    expect:")
    lines.extend(f"      - {_flow(expect)}" for expect in scenario["expect"])
    return lines


@register("mutation", "scenarios")
def proposals_yaml(report: MutationReport, lang: str = "en", *, allowed: bool = False) -> str:
    """The proposed scenarios of the survivors (those the allow-list does not explain,
    unless ``allowed``) as a scenario file: every expectation is the original's answer,
    and every ``source`` is to be written once the answer is checked against the law."""
    lines = [
        "# Proposed by `disclosure mutate`: each scenario kills a surviving mutant.",
        "# Each expectation is only the current rule's answer: check it against the law,",
        "# cite the source it rests on, and correct it where the law says otherwise.",
        f"family: {_scalar(report.family)}",
        "scenarios:",
    ]
    chosen = [
        r
        for r in report.results
        if r.status == "survived" and r.difference is not None and (allowed or not r.allowed)
    ]
    for index, result in enumerate(chosen):
        assert result.difference is not None
        if index:
            lines.append("")
        lines.extend(_scenario_lines(result.difference.proposal))
    if not chosen:
        lines.append("  []")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- text


def _rel(where: str) -> str:
    """A file (or ``file:line``) shown relative to the current folder when inside it."""
    try:
        relative = os.path.relpath(where)
    except ValueError:  # pragma: no cover - another drive on Windows
        return where
    return where if relative.startswith("..") else relative


def _value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _conditions(conditions: Mapping[str, Any]) -> str:
    parts = []
    for fact, values in conditions.items():
        shown = sorted(_value(v) for v in values)
        parts.append(
            f"{fact}={shown[0]}" if len(shown) == 1 else f"{fact} in {{{', '.join(shown)}}}"
        )
    return ", ".join(parts) or "anywhere"


def _law(difference: Difference) -> str:
    known = (
        f"as known on {difference.known_on}" if difference.known_on is not None else "as enacted"
    )
    readings = ", ".join(f"{k}={v}" for k, v in difference.readings.items())
    return f"version {difference.version} {known}" + (f", readings {readings}" if readings else "")


def _seconds(value: float) -> str:
    if value < 1:
        return f"{value:.3f} s"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def _summary(report: MutationReport) -> list[str]:
    counts = report.counts
    return [
        f"{report.family}: {_count(counts['mutants'], 'mutant')} "
        f"({_count(len(report.operators), 'operator')}, "
        f"{_count(len(report.versions), 'version')})",
        f"score {report.score:.3f}: {counts['killed']} killed, {counts['survived']} survived "
        f"({counts['allowed']} allowed), {counts['equivalent']} equivalent",
        f"time {_seconds(report.seconds)}; the scenarios evaluated once: "
        f"{_seconds(report.scenario_seconds)} ({_count(report.expectations, 'expectation')} "
        f"in {_count(len(report.scenario_files), 'file')})",
    ]


def _by(results: Sequence[MutantResult], status: str) -> list[MutantResult]:
    return [r for r in results if r.status == status]


@register("mutation", "text")
def report_to_text(report: MutationReport, lang: str = "en") -> str:
    lines = [
        f"disclosure mutate: {line}" if i == 0 else line for i, line in enumerate(_summary(report))
    ]
    if report.failing:
        lines += ["", f"expectations the original law fails, left out ({len(report.failing)}):"]
        lines += [
            f"  {_rel(k.where)}: {k.scenario} [{k.expectation}]: {'; '.join(k.problems)}"
            for k in report.failing
        ]
    if report.stale_allowances:
        lines += ["", "allowances that no longer match a survivor:"]
        lines += [f"  {mutant_id}" for mutant_id in report.stale_allowances]
    survivors = [r for r in _by(report.results, "survived") if r.allowed is None]
    if survivors:
        lines += ["", f"survived ({len(survivors)}):"]
        for result in survivors:
            lines += _survivor_text(result)
    allowed = [r for r in _by(report.results, "survived") if r.allowed is not None]
    if allowed:
        lines += ["", f"survived, allowed ({len(allowed)}):"]
        for result in allowed:
            lines += [
                f"  {result.mutant.id}",
                f"    {result.mutant.description}",
                f"    why: {result.allowed}",
            ]
    equivalent = _by(report.results, "equivalent")
    if equivalent:
        lines += ["", f"equivalent ({len(equivalent)}): the law is the same everywhere"]
        lines += [f"  {r.mutant.id}: {r.mutant.description}" for r in equivalent]
    killed = _by(report.results, "killed")
    if killed:
        lines += ["", f"killed ({len(killed)}):"]
        for result in killed:
            killer = result.killed_by[0]
            by = f"{_rel(killer.where)} {killer.scenario!r} [{killer.expectation}]"
            lines.append(f"  {result.mutant.id}: by {by}")
    return "\n".join(lines) + "\n"


def _survivor_text(result: MutantResult) -> list[str]:
    mutant, difference = result.mutant, result.difference
    lines = [f"  {mutant.id}", f"    {mutant.description}"]
    if mutant.origin:
        lines.append(f"    at {_rel(mutant.origin)}")
    if difference is not None:
        lines += [
            f"    under {_law(difference)}: {difference.changed:,} situations change, e.g. "
            f"{difference.situations:,} where {_conditions(difference.conditions)}: "
            f"{difference.original} -> {difference.mutant}",
            "    proposed scenario (the original's answer: check it against the law):",
        ]
        lines += ["    " + line for line in _scenario_lines(difference.proposal)]
    return lines


# --------------------------------------------------------------------------- Markdown


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@register("mutation", "markdown")
def report_to_markdown(report: MutationReport, lang: str = "en") -> str:
    summary = _summary(report)
    lines = [f"# Mutation testing: {report.family}", "", *[f"- {line}" for line in summary[1:]], ""]
    lines += ["| operator | killed | survived | allowed | equivalent |", "|---|---|---|---|---|"]
    for operator in report.operators:
        mine = [r for r in report.results if r.mutant.operator == operator]
        lines.append(
            f"| `{operator}` ({_mutate().OPERATORS[operator]}) | {len(_by(mine, 'killed'))} "
            f"| {len(_by(mine, 'survived'))} | {sum(1 for r in mine if r.allowed)} "
            f"| {len(_by(mine, 'equivalent'))} |"
        )
    if report.failing:
        lines += ["", "## Expectations the original law fails", ""]
        for k in report.failing:
            problems = _cell("; ".join(k.problems))
            lines.append(f"- `{_rel(k.where)}` {_cell(k.scenario)} [{k.expectation}]: {problems}")
    if report.stale_allowances:
        lines += ["", "## Allowances that no longer match a survivor", ""]
        lines += [f"- `{mutant_id}`" for mutant_id in report.stale_allowances]
    survivors = [r for r in _by(report.results, "survived") if r.allowed is None]
    if survivors:
        lines += ["", "## Survived", ""]
        for result in survivors:
            mutant, difference = result.mutant, result.difference
            lines += [f"### `{mutant.id}`", "", _cell(mutant.description), ""]
            if difference is not None:
                lines += [
                    f"Under {_law(difference)}, {difference.changed:,} situations change; "
                    f"{difference.situations:,} of them where "
                    f"{_cell(_conditions(difference.conditions))}: "
                    f"**{difference.original}** becomes **{difference.mutant}**. "
                    "Proposed scenario (the original's answer: check it against the law):",
                    "",
                    "```yaml",
                    *_scenario_lines(difference.proposal),
                    "```",
                    "",
                ]
    allowed = [r for r in _by(report.results, "survived") if r.allowed is not None]
    if allowed:
        lines += ["", "## Survived, allowed", "", "| mutant | change | why |", "|---|---|---|"]
        lines += [
            f"| `{r.mutant.id}` | {_cell(r.mutant.description)} | {_cell(r.allowed or '')} |"
            for r in allowed
        ]
    equivalent = _by(report.results, "equivalent")
    if equivalent:
        lines += ["", "## Equivalent", "", "| mutant | change |", "|---|---|"]
        lines += [f"| `{r.mutant.id}` | {_cell(r.mutant.description)} |" for r in equivalent]
    killed = _by(report.results, "killed")
    if killed:
        lines += ["", "## Killed", "", "| mutant | killed by |", "|---|---|"]
        for result in killed:
            killer = result.killed_by[0]
            by = f"`{_rel(killer.where)}` {_cell(killer.scenario)} [{_cell(killer.expectation)}]"
            lines.append(f"| `{result.mutant.id}` | {by} |")
    return "\n".join(lines).rstrip("\n") + "\n"


def _mutate() -> Any:
    """The mutation-testing module, imported when a report is rendered (a report exists
    only once it has been imported): importing the library stays short."""
    from disclosure._analysis import mutate

    return mutate
