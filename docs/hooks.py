"""MkDocs hooks: pages and pictures generated from the library at build time, so that the
site cannot drift from the rulesets and the code.

* ``reference/vocabulary.md``: the bundled family's facts, values, impossible
  combinations, contested points and research sources, from ``family.yaml`` (through
  :func:`disclosure.load`, never by reading YAML here); a copy is kept in the repository,
  so that the page reads there too (``python docs/hooks.py`` prints it);
* ``assets/timeline.svg``: the versions of the law (``disclosure timeline --format svg``);
* ``assets/site.css``: colours for the highlighted code blocks (no network resource) and
  tables that wrap;
* ``<!-- json-example: NAME -->`` in a page is replaced by real JSON output (see
  :data:`EXAMPLES`), so the reference shows what the code produces today.

This file is listed under ``hooks:`` in mkdocs.yml and excluded from the site.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "docs" / "examples"


# -- the vocabulary page ----------------------------------------------------------------


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def describe_condition(condition: Any, top: bool = True) -> str:
    """A condition of the IR as a short readable formula (``a = x and b ∈ {y, z}``)."""
    from disclosure._ir.conditions import All, Any_, FactTest, Not

    if isinstance(condition, FactTest):
        values = sorted(_value(v) for v in condition.values)
        if len(values) == 1:
            return f"{condition.fact} = {values[0]}"
        return f"{condition.fact} ∈ {{{', '.join(values)}}}"
    if isinstance(condition, Not):
        inner = condition.item
        if isinstance(inner, FactTest):
            values = sorted(_value(v) for v in inner.values)
            if len(values) == 1:
                return f"{inner.fact} ≠ {values[0]}"
            return f"{inner.fact} ∉ {{{', '.join(values)}}}"
        return f"not ({describe_condition(inner, top=False)})"
    if isinstance(condition, All | Any_):
        if not condition.items:
            return "always" if isinstance(condition, All) else "never"
        joiner = " and " if isinstance(condition, All) else " or "
        text = joiner.join(describe_condition(item, top=False) for item in condition.items)
        return text if top or len(condition.items) == 1 else f"({text})"
    return repr(condition)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_vocabulary(family: Any) -> str:
    """The vocabulary reference page of ``family`` (Markdown)."""
    vocabulary = family.vocabulary
    out: list[str] = [
        f"# Vocabulary: `{family.id}`",
        "",
        "<!-- Generated from the bundled family by docs/hooks.py, at build time and in "
        "the repository (a test keeps the two the same: regenerate with "
        "`python docs/hooks.py > docs/reference/vocabulary.md`). Do not edit: edit "
        "rulesets/" + family.id + "/family.yaml. -->",
        "",
        f"*{family.title.en}*",
        "",
        "The facts a situation may give, their values, the combinations that cannot occur, "
        "and the points the law leaves open. This page is generated from "
        f"`rulesets/{family.id}/family.yaml` (also on the command line: "
        "`disclosure vocabulary`); "
        "names and values are a contract (they are extended, never renamed). "
        "Every fact may be left out of a situation: see "
        "[missing facts](../tutorial/read-the-decision.md#when-facts-are-missing).",
        "",
        "## Facts",
        "",
        "| fact | type | values | meaning |",
        "|---|---|---|---|",
    ]
    for fact in vocabulary.facts:
        if fact.kind == "date":
            values = "ISO date (`YYYY-MM-DD`)"
        elif fact.kind == "bool":
            values = "`true`, `false`"
        else:
            values = ", ".join(f"`{v}`" for v in fact.values)
        out.append(
            f"| [`{fact.name}`](#{fact.name}) | {fact.kind} | {values} | {_cell(fact.meaning.en)} |"
        )
    out.append("")
    out.append(
        f"Raw combinations of the values (impossible ones included): {vocabulary.raw_size:,}."
    )
    for fact in vocabulary.facts:
        out += ["", f"### `{fact.name}` {{#{fact.name}}}", ""]
        out.append(f"- **en**: {fact.meaning.en}")
        out.append(f"- **fr**: {fact.meaning.fr}")
        out.append(f"- **nl**: {fact.meaning.nl}")
        meanings = fact.value_meanings
        if meanings:
            out += ["", "| value | meaning |", "|---|---|"]
            for value in fact.values:
                text = meanings.get(value)
                out.append(f"| `{_value(value)}` | {_cell(text.en) if text else ''} |")
    out += [
        "",
        "## Impossible combinations",
        "",
        "A situation that matches one of these is rejected with a "
        "[`FactError`](errors.md#facterror); diffs, checks and strategies never produce one.",
        "",
        "| id | when | why |",
        "|---|---|---|",
    ]
    for impossible in vocabulary.impossible:
        out.append(
            f"| `{impossible.id}` | `{_cell(describe_condition(impossible.when))}` | "
            f"{_cell(impossible.reason.en)} |"
        )
    out += [
        "",
        "## Contested points",
        "",
        "Points the law leaves open. Each has a default reading; choose another with "
        "`readings={point: reading}` in Python or `--reading point=reading` on the command "
        "line. A decision names the contested points it depended on "
        "(`decision.contested`). See [the legal model](../explanation/legal-model.md).",
    ]
    for point in family.contested:
        brief = f" (brief {point.brief_ref})" if point.brief_ref else ""
        out += ["", f"### `{point.id}`{brief} {{#point-{point.id}}}", "", point.question.en, ""]
        out += ["| reading | summary | sources |", "|---|---|---|"]
        for reading in point.readings:
            name = f"`{reading.id}`" + (" (default)" if reading.id == point.default else "")
            sources = ", ".join(reading.authorities)
            out.append(f"| {name} | {_cell(reading.summary.en)} | {sources} |")
    out += [
        "",
        "## Research sources",
        "",
        "The public sources the rules and readings cite (the legal brief's `[S#]`).",
        "",
        "| id | source |",
        "|---|---|",
    ]
    for source_id, source in family.sources.items():
        title = _cell(str(source.get("title", "")))
        url = source.get("url")
        text = f"[{title}]({url})" if url else title
        note = source.get("note")
        if note:
            text += f" — {_cell(str(note))}"
        out.append(f"| {source_id} | {text} |")
    return "\n".join(out) + "\n"


# -- JSON examples ------------------------------------------------------------------------


def _example_facts(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES_DIR / f"{name}.json").read_text("utf-8"))
    return loaded


def _decision_example() -> Any:
    import disclosure

    facts = _example_facts("prosecutor-written-request")
    return disclosure.evaluate(facts, known_on="2024-06-01").to_dict()


def _comparison_example() -> Any:
    import disclosure

    facts = _example_facts("own-initiative-report-2018")
    comparison = disclosure.compare(
        facts, ["terrorism-2017@2018-06-01", "terrorism-2017@2019-06-01"]
    )
    return comparison.to_dict()


def _diff_example() -> Any:
    import disclosure

    return disclosure.diff("terrorism-2017", "post-annulment").to_dict()


EXAMPLES: dict[str, Callable[[], Any]] = {
    "decision": _decision_example,
    "comparison": _comparison_example,
    "diff": _diff_example,
}


def _shorten(value: Any) -> Any:
    """Keep examples readable: long lists are cut to their first items."""
    if isinstance(value, list):
        head = [_shorten(v) for v in value[:3]]
        if len(value) > 3:
            head.append(f"... {len(value) - 3} more")
        return head
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    return value


def _json_block(name: str) -> str:
    if name not in EXAMPLES:
        raise ValueError(f"unknown json-example {name!r}; known: {', '.join(EXAMPLES)}")
    text = json.dumps(_shorten(EXAMPLES[name]()), indent=2, ensure_ascii=False)
    return f"```json\n{text}\n```"


# -- tables of the bundled family, for the explanation pages -------------------------------


def versions_table(family: Any) -> str:
    """The versions with their dates, aliases and confidence (as ``disclosure versions``)."""
    rows = [
        "| version | aliases | governs from | until | known from | confidence | title |",
        "|---|---|---|---|---|---|---|",
    ]
    for version in family.versions:
        rows.append(
            f"| `{version.id}` | {', '.join(f'`{a}`' for a in version.aliases)} | "
            f"{version.valid_from} | {version.valid_until or 'open'} | "
            f"{version.known_from or version.valid_from} | {version.confidence} | "
            f"{_cell(version.title.en)} |"
        )
    return "\n".join(rows)


def contested_table(family: Any) -> str:
    """The contested points with their default reading and the others."""
    rows = ["| point | brief | question | default | other readings |", "|---|---|---|---|---|"]
    for point in family.contested:
        others = ", ".join(f"`{r}`" for r in point.reading_ids if r != point.default)
        rows.append(
            f"| [`{point.id}`](../reference/vocabulary.md#point-{point.id}) | "
            f"{point.brief_ref or ''} | {_cell(point.question.en)} | `{point.default}` | "
            f"{others} |"
        )
    return "\n".join(rows)


def annulments_list(family: Any) -> str:
    """The annulments recorded in the family, one line per judgment."""
    from disclosure._analysis.timeline import timeline_columns

    lines = []
    for column in timeline_columns(family):
        for group in column.annulments:
            rules = ", ".join(f"`{rule}`" for rule in group.rules)
            how = "retroactively" if group.retroactive else "from that day on"
            lines.append(
                f"- {group.label}, {group.decided_on}: {rules} annulled {how} "
                f"(recorded in version `{column.version.name}`)."
            )
    return "\n".join(lines) or "- none"


def api_rest(markdown: str) -> str:
    """``::: disclosure.NAME`` for every public name the API page does not document yet,
    so that a name added to ``disclosure.__all__`` is never missing from the reference."""
    import disclosure

    documented = set(re.findall(r"^::: disclosure\.(\w+)", markdown, re.MULTILINE))
    documented |= set(re.findall(r"\[`(\w+)`\]\(errors\.md", markdown))
    rest = [n for n in disclosure.__all__ if n not in documented and not n.startswith("_")]
    if not rest:
        return "Everything public is documented above."
    return "\n\n".join(f"::: disclosure.{name}" for name in rest)


TABLES: dict[str, Callable[[Any], str]] = {
    "versions-table": versions_table,
    "contested-table": contested_table,
    "annulments": annulments_list,
}

_PLACEHOLDER = re.compile(r"^<!-- (json-example|generated): ([a-z-]+) -->$", re.MULTILINE)


def expand_placeholders(markdown: str, family: Any) -> str:
    """Replace ``<!-- json-example: NAME -->`` and ``<!-- generated: NAME -->`` lines."""

    def replace(match: re.Match[str]) -> str:
        kind, name = match.groups()
        if kind == "json-example":
            return _json_block(name)
        if name == "api-rest":
            return api_rest(markdown)
        if name not in TABLES:
            raise ValueError(f"unknown generated block {name!r}; known: {', '.join(TABLES)}")
        return TABLES[name](family)

    return _PLACEHOLDER.sub(replace, markdown)


# -- MkDocs events ------------------------------------------------------------------------

#: Tables wrap their text (the theme keeps each cell on one line, which hides meanings), and
#: pictures fit the page.
SITE_CSS = """\
.wy-table-responsive table td, .wy-table-responsive table th { white-space: normal; }
.wy-table-responsive { overflow: visible; }
.rst-content img { max-width: 100%; height: auto; }
"""


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File
    from pygments.formatters import HtmlFormatter  # type: ignore[import-untyped]

    import disclosure
    from disclosure._render.timeline_svg import timeline_svg

    family = disclosure.load()
    generated = {
        "reference/vocabulary.md": render_vocabulary(family),
        "assets/timeline.svg": timeline_svg(family),
        "assets/site.css": SITE_CSS + HtmlFormatter(style="default").get_style_defs(".codehilite"),
    }
    for uri, content in generated.items():
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    import disclosure

    return expand_placeholders(markdown, disclosure.load())


_ROLE = re.compile(r":(?:class|func|meth|data|mod|attr|exc|obj):(<code>)")


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Docstrings use reStructuredText roles (``:class:`X```) and ``::`` before literal
    blocks; show the roles as plain code and the ``::`` as one colon."""
    return _ROLE.sub(r"\1", html).replace("::</p>", ":</p>")


if __name__ == "__main__":  # the copy of the vocabulary page kept in the repository
    import sys

    import disclosure

    sys.stdout.write(render_vocabulary(disclosure.load()))
