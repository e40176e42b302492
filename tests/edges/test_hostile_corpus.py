"""A corpus of hostile or mistaken inputs, one row each (issue 12, the edges contract of
the design): every door refuses bad input the same way, with one short line and never a
traceback, and nothing on disk is ever lost or overwritten.

Each command-line case runs ``disclosure ARGV`` in a folder of its own, with the files it
needs, and asserts the exit status (2: could not run; 1: some batch lines failed, each
reported in place; 0: answered), exactly one short line on standard error (none for an
answer, unless a warning is expected), no traceback, and that every file that was there
before is still there, unchanged, with no new file but the ones asked for (no temporary
file left behind). Library cases assert the :class:`disclosure.DisclosureError` subclass
and a short, one-line message.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from edge_support import (
    GOOD_CSV,
    GOOD_JSONL,
    GOOD_LINES,
    MAX_MESSAGE,
    PROSECUTOR,
    Ran,
    assert_nothing_lost,
    assert_refused,
    excerpt,
    run_cli,
    snapshot,
)

import disclosure
from disclosure.errors import DisclosureError, FactError, ReadingError, VersionError

Files = Mapping[str, bytes | Callable[[], bytes]]


@dataclass(frozen=True)
class Case:
    """One hostile or mistaken run of the command line."""

    id: str
    argv: tuple[str, ...]
    files: Files = field(default_factory=dict)
    stdin: bytes | None = None
    code: int = 2
    #: each must appear in the stderr line (case-insensitive)
    says: tuple[str, ...] = ()
    #: none may appear in it
    never: tuple[str, ...] = ()
    #: new files the run may leave (its output)
    creates: tuple[str, ...] = ()
    #: links made before the run: name -> ("symlink" | "hardlink", target)
    links: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: lines expected on stderr when the run answers (exit 0): warnings
    warns: int = 0
    check: Callable[[Ran, Path], None] | None = None
    env: Mapping[str, str] = field(default_factory=dict)


def jsonl_records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def errors_at(*lines: int, total: int, first: int = 1) -> Callable[[Ran, Path], None]:
    """The batch wrote one record per input line, in order (numbered from ``first``: a
    CSV file's first row is its line 2), errors exactly at ``lines``, each with a short
    message (no offending value echoed whole)."""

    def check(ran: Ran, folder: Path) -> None:
        records = jsonl_records(folder / "out.jsonl")
        assert [r["line"] for r in records] == list(range(first, first + total))
        assert [r["line"] for r in records if "error" in r] == list(lines)
        for record in records:
            assert len(json.dumps(record)) <= 2 * MAX_MESSAGE, excerpt(json.dumps(record))

    return check


def decision_facts(ran: Ran, folder: Path) -> dict[str, Any]:
    return dict(json.loads(ran.stdout)["facts"])


def facts_with(**expected: Any) -> Callable[[Ran, Path], None]:
    def check(ran: Ran, folder: Path) -> None:
        facts = decision_facts(ran, folder)
        for name, value in expected.items():
            if value is None:
                assert name not in facts, facts
            else:
                assert facts.get(name) == value, facts

    return check


def outcome_is(outcome: str) -> Callable[[Ran, Path], None]:
    def check(ran: Ran, folder: Path) -> None:
        assert json.loads(ran.stdout)["outcome"] == outcome, ran.show()

    return check


def deep_array(depth: int) -> Callable[[], bytes]:
    return lambda: b"[" * depth + b"]" * depth


def deep_object(depth: int) -> Callable[[], bytes]:
    return lambda: b'{"a":' * depth + b"1" + b"}" * depth


def long_value(size: int, name: str = "holder") -> Callable[[], bytes]:
    return lambda: b'{"' + name.encode() + b'": "' + b"x" * size + b'"}'


def long_name(size: int) -> Callable[[], bytes]:
    return lambda: b'{"' + b"n" * size + b'": "cpas_staff"}'


def padded(size: int) -> Callable[[], bytes]:
    """A valid facts file made large by whitespace (valid JSON, a few facts)."""
    return lambda: PROSECUTOR[:-1] + b" " * size + b"}"


LATIN1 = '{"holder": "cpas_staff", "channel": "requête"}'.encode("latin-1")
BINARY = bytes(range(256)) * 4
UTF16 = '{"holder": "cpas_staff"}'.encode("utf-16")
FACTS = {"facts.json": PROSECUTOR}
#: a CSV file whose second row is not UTF-8
CSV_LATIN1_ROW = GOOD_CSV.replace(b"2024-02-12,cpas_staff", b"2024-02-12,cpas_st\xe9ff")
JSONL_WITH = b"\n".join


CASES: list[Case] = [
    # -- evaluate: the facts document ---------------------------------------------------
    Case("evaluate-latin1", ("evaluate", "bad.json"), {"bad.json": LATIN1}, says=("UTF-8",)),
    Case("evaluate-binary", ("evaluate", "bad.json"), {"bad.json": BINARY}),
    Case("evaluate-utf16", ("evaluate", "bad.json"), {"bad.json": UTF16}, says=("UTF-8",)),
    Case(
        "evaluate-bom-is-read-as-utf8",
        ("evaluate", "bom.json", "--format", "json"),
        {"bom.json": b"\xef\xbb\xbf" + PROSECUTOR},
        code=0,
        check=outcome_is("obliged"),
    ),
    Case("evaluate-array", ("evaluate", "bad.json"), {"bad.json": b"[1, 2]"}, says=("object",)),
    Case("evaluate-bare-string", ("evaluate", "bad.json"), {"bad.json": b'"abc"'}),
    Case("evaluate-bare-number", ("evaluate", "bad.json"), {"bad.json": b"3"}),
    Case("evaluate-null", ("evaluate", "bad.json"), {"bad.json": b"null"}),
    Case("evaluate-empty-file", ("evaluate", "bad.json"), {"bad.json": b""}),
    Case("evaluate-whitespace-file", ("evaluate", "bad.json"), {"bad.json": b" \n\t\n"}),
    Case("evaluate-facts-number", ("evaluate", "bad.json"), {"bad.json": b'{"facts": 3}'}),
    Case("evaluate-facts-list", ("evaluate", "bad.json"), {"bad.json": b'{"facts": [1, 2]}'}),
    Case("evaluate-facts-string", ("evaluate", "bad.json"), {"bad.json": b'{"facts": "abc"}'}),
    Case(
        "evaluate-facts-beside-unknown-key",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"facts": {"holder": "cpas_staff"}, "on": "2018-01-01"}'},
    ),
    Case(
        "evaluate-duplicate-key",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"holder": "cpas_staff", "holder": "other_professional"}'},
        says=("holder",),
    ),
    Case(
        "evaluate-duplicate-key-in-facts",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"facts": {"danger": "none", "danger": "grave_imminent"}}'},
        says=("danger",),
    ),
    Case("evaluate-nan", ("evaluate", "bad.json"), {"bad.json": b'{"only_means": NaN}'}),
    Case("evaluate-infinity", ("evaluate", "bad.json"), {"bad.json": b'{"only_means": Infinity}'}),
    Case(
        "evaluate-minus-infinity",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"only_means": -Infinity}'},
    ),
    Case("evaluate-deep-array", ("evaluate", "bad.json"), {"bad.json": deep_array(100_000)}),
    Case("evaluate-deep-object", ("evaluate", "bad.json"), {"bad.json": deep_object(100_000)}),
    Case(
        "evaluate-deep-value",
        ("evaluate", "bad.json"),
        {"bad.json": lambda: b'{"holder": ' + deep_array(50)() + b"}"},
    ),
    Case(
        "evaluate-trailing-garbage",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"holder": "cpas_staff"} and more'},
    ),
    Case(
        "evaluate-over-the-size-limit",
        ("evaluate", "big.json"),
        {"big.json": long_value(3_000_000)},
        says=("limit", "DISCLOSURE_MAX_INPUT_BYTES"),
    ),
    Case(
        "evaluate-over-the-size-limit-on-stdin",
        ("evaluate", "-"),
        stdin=long_value(3_000_000)(),
        says=("limit", "DISCLOSURE_MAX_INPUT_BYTES"),
    ),
    Case(
        "evaluate-long-value",
        ("evaluate", "long.json"),
        {"long.json": long_value(500_000)},
        says=("500,000 characters",),
    ),
    Case(
        "evaluate-long-name",
        ("evaluate", "long.json"),
        {"long.json": long_name(500_000)},
        says=("500,000 characters",),
    ),
    Case(
        "evaluate-lone-surrogate",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"holder": "\\ud800"}'},
    ),
    Case(
        "evaluate-terminal-escape-in-value",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"holder": "\\u001b[2J\\u001b[31mcpas"}'},
        never=("\x1b",),
    ),
    Case(
        "evaluate-newline-in-value",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"holder": "cpas\\nstaff\\nmore"}'},
    ),
    Case(
        "evaluate-unknown-fact",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"holdr": "cpas_staff"}'},
        says=("did you mean 'holder'",),
    ),
    Case(
        "evaluate-unknown-value",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"holder": "cpas_stafff"}'},
        says=("did you mean 'cpas_staff'",),
    ),
    Case(
        "evaluate-bool-as-string",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"only_means": "yes"}'},
        says=("only_means",),
    ),
    Case(
        "evaluate-date-that-does-not-exist",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"date": "2018-02-30", "holder": "cpas_staff"}'},
        says=("2018-02-30",),
    ),
    Case(
        "evaluate-date-not-iso",
        ("evaluate", "bad.json"),
        {"bad.json": b'{"date": "30/01/2018", "holder": "cpas_staff"}'},
    ),
    Case("evaluate-on-not-a-day", ("evaluate", "facts.json", "--on", "2018-02-30"), FACTS),
    Case(
        "evaluate-known-on-not-a-day",
        ("evaluate", "facts.json", "--known-on", "2019-13-01"),
        FACTS,
    ),
    Case(
        "evaluate-on-and-date-disagree",
        ("evaluate", "facts.json", "--on", "2019-01-01"),
        FACTS,
    ),
    Case(
        "evaluate-on-before-every-version",
        ("evaluate", "--fact", "holder=cpas_staff", "--on", "1999-01-01"),
        says=("before",),
        never=("gap",),
    ),
    Case(
        "evaluate-known-on-before-any-version-was-known",
        ("evaluate", "--fact", "holder=cpas_staff", "--known-on", "1900-01-01"),
        says=("1900-01-01",),
        never=("gap",),
    ),
    Case(
        "evaluate-version-not-yet-known",
        (
            "evaluate",
            "--fact",
            "holder=cpas_staff",
            "--version",
            "terrorism-2017",
            "--known-on",
            "1900-01-01",
        ),
        says=("terrorism-2017", "1900-01-01"),
    ),
    Case(
        "evaluate-version-not-yet-known-days-before",
        (
            "evaluate",
            "--fact",
            "holder=cpas_staff",
            "--version",
            "prior",
            "--known-on",
            "2017-07-10",
        ),
        says=("prior", "2017-07-10"),
    ),
    Case(
        "evaluate-misspelt-version",
        ("evaluate", "facts.json", "--version", "terorism-2017"),
        FACTS,
        says=("did you mean 'terrorism-2017'",),
    ),
    Case(
        "evaluate-long-version-name",
        ("evaluate", "facts.json", "--version", "v" * 100_000),
        FACTS,
        says=("100,000 characters",),
    ),
    # -- evaluate: --fact and --reading ------------------------------------------------
    Case("fact-without-equals", ("evaluate", "--fact", "danger")),
    Case("fact-without-name", ("evaluate", "--fact", "=cpas_staff")),
    Case("fact-empty-value", ("evaluate", "--fact", "holder=")),
    Case(
        "fact-given-twice",
        ("evaluate", "--fact", "holder=cpas_staff", "--fact", "holder=other_professional"),
        says=("holder",),
    ),
    Case("fact-bool-not-a-bool", ("evaluate", "--fact", "only_means=yes")),
    Case(
        "fact-long-value",
        ("evaluate", "--fact", "holder=" + "x" * 100_000),
        says=("100,000 characters",),
    ),
    Case(
        "fact-none-is-a-value",
        ("evaluate", "--fact", "danger=none", "--fact", "channel=request", "--format", "json"),
        code=0,
        check=facts_with(danger="none", channel="request"),
    ),
    Case(
        "fact-request-form-none-is-impossible-with-a-request",
        ("evaluate", "--fact", "channel=request", "--fact", "request_form=none"),
        says=("impossible",),
    ),
    Case(
        "fact-null-is-unknown",
        ("evaluate", "--fact", "danger=null", "--fact", "channel=request", "--format", "json"),
        code=0,
        check=facts_with(danger=None, channel="request"),
    ),
    Case(
        "reading-unknown-point",
        ("evaluate", "facts.json", "--reading", "federal_prosecuter=included"),
        FACTS,
        says=("did you mean 'federal_prosecutor'",),
    ),
    Case("reading-without-equals", ("evaluate", "facts.json", "--reading", "x"), FACTS),
    Case("evaluate-missing-file", ("evaluate", "nowhere.json")),
    Case("evaluate-folder", ("evaluate", "folder"), {"folder/keep.txt": b"kept"}),
    Case("evaluate-no-facts", ("evaluate",)),
    Case("evaluate-unknown-engine", ("evaluate", "facts.json", "--engine", "nope"), FACTS),
    Case("evaluate-unknown-format", ("evaluate", "facts.json", "--format", "xml"), FACTS),
    Case("evaluate-unknown-option", ("evaluate", "facts.json", "--colour"), FACTS),
    Case("unknown-command", ("evalute", "facts.json"), FACTS, says=("evaluate",)),
    # -- compare ------------------------------------------------------------------------
    Case(
        "compare-version-not-yet-known",
        ("compare", "facts.json", "--versions", "prior,terrorism-2017@1900-01-01"),
        FACTS,
        says=("terrorism-2017", "1900-01-01"),
    ),
    Case(
        "compare-unknown-version",
        ("compare", "facts.json", "--versions", "prior,terorism-2017"),
        FACTS,
        says=("did you mean 'terrorism-2017'",),
    ),
    Case(
        "compare-side-date-not-a-day",
        ("compare", "facts.json", "--versions", "prior@2018-02-30"),
        FACTS,
    ),
    Case("compare-latin1", ("compare", "bad.json"), {"bad.json": LATIN1}, says=("UTF-8",)),
    Case(
        "compare-known-on-before-any-version-was-known",
        ("compare", "facts.json", "--known-on", "1900-01-01"),
        FACTS,
    ),
    # -- diff ---------------------------------------------------------------------------
    Case(
        "diff-side-not-yet-known",
        ("diff", "terrorism-2017@1900-01-01", "prior"),
        says=("terrorism-2017", "1900-01-01"),
    ),
    Case(
        "diff-known-on-before-any-version-was-known",
        ("diff", "prior", "terrorism-2017", "--known-on", "1900-01-01"),
    ),
    Case("diff-unknown-version", ("diff", "prior", "terorism-2017"), says=("did you mean",)),
    Case(
        "diff-where-unknown-fact",
        ("diff", "prior", "terrorism-2017", "--where", "holdr=cpas_staff"),
        says=("did you mean 'holder'",),
    ),
    Case(
        "diff-where-unknown-value",
        ("diff", "prior", "terrorism-2017", "--where", "holder=cpas_stafff"),
        says=("did you mean 'cpas_staff'",),
    ),
    Case(
        "diff-known-on-not-a-day",
        ("diff", "prior", "terrorism-2017", "--known-on", "2018-02-30"),
    ),
    Case(
        "diff-failure-leaves-the-report-untouched",
        ("diff", "prior", "terorism-2017", "--format", "md", "-o", "report.md"),
        {"report.md": b"# the report of yesterday\n"},
    ),
    Case(
        "diff-output-in-a-missing-folder",
        ("diff", "prior", "terrorism-2017", "-o", "missing/report.md"),
    ),
    Case(
        "diff-family-file-not-utf8",
        ("diff", "prior", "edited"),
        {"edited/family.yaml": b"format: 1\nid: caf\xe9\n", "edited/versions/keep": b""},
        says=("UTF-8",),
    ),
    Case(
        "diff-family-file-deeply-nested",
        ("diff", "prior", "edited"),
        {
            "edited/family.yaml": lambda: b"format: " + b"[" * 20_000 + b"]" * 20_000 + b"\n",
            "edited/versions/keep": b"",
        },
    ),
    # -- batch --------------------------------------------------------------------------
    Case(
        "batch-output-is-the-input",
        ("batch", "same.jsonl", "-o", "same.jsonl"),
        {"same.jsonl": GOOD_JSONL},
    ),
    Case(
        "batch-output-is-the-input-spelt-otherwise",
        ("batch", "same.jsonl", "-o", "./sub/../same.jsonl"),
        {"same.jsonl": GOOD_JSONL, "sub/keep.txt": b"kept"},
    ),
    Case(
        "batch-output-is-a-symlink-to-the-input",
        ("batch", "in.jsonl", "-o", "link.jsonl"),
        {"in.jsonl": GOOD_JSONL},
        links={"link.jsonl": ("symlink", "in.jsonl")},
    ),
    Case(
        "batch-output-is-a-hard-link-to-the-input",
        ("batch", "in.jsonl", "-o", "link.jsonl"),
        {"in.jsonl": GOOD_JSONL},
        links={"link.jsonl": ("hardlink", "in.jsonl")},
    ),
    Case(
        "batch-csv-unknown-header",
        ("batch", "in.csv", "-o", "out.jsonl"),
        {"in.csv": b"holdr,channel\ncpas_staff,request\n"},
        says=("did you mean 'holder'",),
    ),
    Case(
        "batch-csv-duplicate-header",
        ("batch", "in.csv", "-o", "out.jsonl"),
        {"in.csv": b"holder,channel,holder\ncpas_staff,request,cpas_staff\n"},
        says=("holder",),
    ),
    Case(
        "batch-csv-header-not-utf8",
        ("batch", "in.csv", "-o", "out.jsonl"),
        {"in.csv": b"hold\xe9r,channel\ncpas_staff,request\n"},
        says=("UTF-8",),
    ),
    Case(
        "batch-csv-row-not-utf8",
        ("batch", "in.csv", "-o", "out.jsonl"),
        {"in.csv": CSV_LATIN1_ROW},
        code=1,
        creates=("out.jsonl",),
        check=errors_at(3, total=3, first=2),
    ),
    Case(
        "batch-line-nested-deep",
        ("batch", "in.jsonl", "-o", "out.jsonl"),
        {"in.jsonl": lambda: JSONL_WITH([GOOD_LINES[0], deep_array(5_000)(), GOOD_LINES[1]])},
        code=1,
        creates=("out.jsonl",),
        check=errors_at(2, total=3),
    ),
    Case(
        "batch-line-nested-very-deep",
        ("batch", "in.jsonl", "-o", "out.jsonl"),
        {"in.jsonl": lambda: JSONL_WITH([GOOD_LINES[0], deep_object(100_000)(), GOOD_LINES[1]])},
        code=1,
        creates=("out.jsonl",),
        check=errors_at(2, total=3),
    ),
    Case(
        "batch-line-not-utf8",
        ("batch", "in.jsonl", "-o", "out.jsonl"),
        {"in.jsonl": JSONL_WITH([GOOD_LINES[0], LATIN1, GOOD_LINES[2]])},
        code=1,
        creates=("out.jsonl",),
        check=errors_at(2, total=3),
    ),
    Case(
        "batch-line-bare-value",
        ("batch", "in.jsonl", "-o", "out.jsonl"),
        {"in.jsonl": JSONL_WITH([b"3", GOOD_LINES[1], b'"abc"', b"null"])},
        code=1,
        creates=("out.jsonl",),
        check=errors_at(1, 3, 4, total=4),
    ),
    Case(
        "batch-line-too-long",
        ("batch", "in.jsonl", "-o", "out.jsonl"),
        {"in.jsonl": lambda: JSONL_WITH([GOOD_LINES[0], long_value(3_000_000)(), GOOD_LINES[1]])},
        code=1,
        creates=("out.jsonl",),
        check=errors_at(2, total=3),
    ),
    Case(
        "batch-line-long-value",
        ("batch", "in.jsonl", "-o", "out.jsonl"),
        {"in.jsonl": lambda: JSONL_WITH([GOOD_LINES[0], long_value(500_000)(), GOOD_LINES[1]])},
        code=1,
        creates=("out.jsonl",),
        check=errors_at(2, total=3),
    ),
    Case(
        "batch-line-duplicate-key",
        ("batch", "in.jsonl", "-o", "out.jsonl"),
        {
            "in.jsonl": JSONL_WITH(
                [GOOD_LINES[0], GOOD_LINES[1][:-1] + b',"danger":"grave_imminent"}', GOOD_LINES[2]]
            )
        },
        code=1,
        creates=("out.jsonl",),
        check=errors_at(2, total=3),
    ),
    Case(
        "batch-line-nan",
        ("batch", "in.jsonl", "-o", "out.jsonl"),
        {"in.jsonl": JSONL_WITH([GOOD_LINES[0], b'{"only_means": NaN}', GOOD_LINES[2]])},
        code=1,
        creates=("out.jsonl",),
        check=errors_at(2, total=3),
    ),
    Case(
        "batch-every-line-fails",
        ("batch", "in.jsonl", "-o", "out.jsonl"),
        {"in.jsonl": b'{"holdr": 1}\n{"holdr": 2}\n'},
        code=1,
        creates=("out.jsonl",),
        check=errors_at(1, 2, total=2),
    ),
    Case(
        "batch-on-that-no-line-fits",
        ("batch", "in.jsonl", "-o", "out.jsonl", "--on", "2018-01-01"),
        {"in.jsonl": GOOD_JSONL},
        code=1,
        creates=("out.jsonl",),
        check=errors_at(1, 2, 3, total=3),
    ),
    Case(
        "batch-on-before-every-version",
        ("batch", "in.jsonl", "-o", "out.jsonl", "--on", "1999-01-01"),
        {"in.jsonl": b'{"holder": "cpas_staff"}\n'},
    ),
    Case(
        "batch-known-on-before-any-version-was-known",
        ("batch", "in.jsonl", "-o", "out.jsonl", "--known-on", "1900-01-01"),
        {"in.jsonl": GOOD_JSONL},
    ),
    Case(
        "batch-version-not-yet-known",
        (
            "batch",
            "in.jsonl",
            "-o",
            "out.jsonl",
            "--version",
            "terrorism-2017",
            "--known-on",
            "1900-01-01",
        ),
        {"in.jsonl": GOOD_JSONL},
        says=("terrorism-2017",),
    ),
    Case(
        "batch-failure-leaves-earlier-output-untouched",
        ("batch", "in.jsonl", "-o", "out.jsonl", "--version", "terorism-2017"),
        {"in.jsonl": GOOD_JSONL, "out.jsonl": b'{"line":1,"outcome":"obliged"}\n'},
        says=("did you mean 'terrorism-2017'",),
    ),
    Case("batch-missing-input", ("batch", "nowhere.jsonl", "-o", "out.jsonl")),
    Case("batch-input-is-a-folder", ("batch", "folder", "-o", "out.jsonl"), {"folder/k": b"k"}),
    Case(
        "batch-output-in-a-missing-folder",
        ("batch", "in.jsonl", "-o", "missing/out.jsonl"),
        {"in.jsonl": GOOD_JSONL},
    ),
    Case(
        "batch-compare-one-version",
        ("batch", "in.jsonl", "-o", "out.jsonl", "--compare", "prior"),
        {"in.jsonl": GOOD_JSONL},
    ),
    Case(
        "batch-compare-unknown-version",
        ("batch", "in.jsonl", "-o", "out.jsonl", "--compare", "prior,terorism-2017"),
        {"in.jsonl": GOOD_JSONL},
        says=("did you mean 'terrorism-2017'",),
    ),
    Case(
        "batch-id-field-no-line-has",
        ("batch", "in.jsonl", "-o", "out.jsonl", "--id-field", "case_id"),
        {"in.jsonl": GOOD_JSONL},
        code=0,
        creates=("out.jsonl",),
        warns=1,
    ),
    Case(
        "batch-empty-input",
        ("batch", "in.jsonl", "-o", "out.jsonl"),
        {"in.jsonl": b""},
        code=0,
        creates=("out.jsonl",),
    ),
    # -- check --------------------------------------------------------------------------
    Case("check-missing-folder", ("check", "nowhere")),
    Case("check-a-file", ("check", "facts.json"), FACTS),
    Case(
        "check-family-not-utf8",
        ("check", "family"),
        {"family/family.yaml": b"format: 1\nid: caf\xe9\n", "family/versions/keep": b""},
        says=("UTF-8",),
    ),
    Case(
        "check-family-deeply-nested",
        ("check", "family"),
        {"family/family.yaml": lambda: b"format: 1\nid: " + b"[" * 20_000 + b"]" * 20_000},
    ),
    Case("check-unknown-method", ("check", "--method", "nope")),
    # -- timeline -----------------------------------------------------------------------
    Case("timeline-unknown-version", ("timeline", "--versions", "prior,terorism-2017")),
    Case("timeline-narrow", ("timeline", "--format", "svg", "--width", "10")),
    Case("timeline-missing-rulesets", ("timeline", "--rulesets", "nowhere")),
    Case(
        "timeline-failure-leaves-the-picture-untouched",
        ("timeline", "--format", "svg", "-o", "t.svg", "--versions", "nope"),
        {"t.svg": b"<svg>the picture of yesterday</svg>\n"},
    ),
    Case("timeline-output-in-a-missing-folder", ("timeline", "-o", "missing/t.txt")),
]


def _materialise(case: Case, folder: Path) -> None:
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content() if callable(content) else content)
    for name, (kind, target) in case.links.items():
        if kind == "symlink":
            (folder / name).symlink_to(target)
        else:
            os.link(folder / target, folder / name)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _materialise(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    ran = run_cli(case.argv, stdin=case.stdin, env=dict(case.env) or None)
    if case.code == 0:
        assert ran.code == 0, ran.show()
        assert len(ran.err_lines) == case.warns, ran.show()
        assert all(len(line) <= MAX_MESSAGE for line in ran.err_lines), ran.show()
    else:
        line = assert_refused(ran, case.code).lower()
        for expected in case.says:
            assert expected.lower() in line, f"{expected!r} not in {line!r}"
        for unwanted in case.never:
            assert unwanted.lower() not in line, f"{unwanted!r} in {line!r}"
    assert_nothing_lost(before, snapshot(tmp_path), case.creates)
    if case.code == 2:
        assert not set(snapshot(tmp_path)) - set(before), "a refused run left a file"
    if case.check is not None:
        case.check(ran, tmp_path)


def test_the_corpus_is_large_and_covers_every_command() -> None:
    commands = {case.argv[0] for case in CASES}
    assert len(CASES) + len(LIBRARY_CASES) >= 60
    assert {"evaluate", "compare", "diff", "batch", "check", "timeline"} <= commands


def test_a_raised_limit_lets_a_large_document_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size limit is documented with how to raise it, and raising it works."""
    monkeypatch.chdir(tmp_path)
    Path("big.json").write_bytes(padded(2_000_000)())
    refused = assert_refused(run_cli(("evaluate", "big.json")))
    assert "DISCLOSURE_MAX_INPUT_BYTES" in refused
    ran = run_cli(
        ("evaluate", "big.json", "--format", "json"),
        env={"DISCLOSURE_MAX_INPUT_BYTES": "3000000"},
    )
    assert ran.code == 0, ran.show()
    assert json.loads(ran.stdout)["outcome"] == "obliged"


def test_a_bad_limit_setting_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("facts.json").write_bytes(PROSECUTOR)
    ran = run_cli(("evaluate", "facts.json"), env={"DISCLOSURE_MAX_INPUT_BYTES": "lots"})
    assert "DISCLOSURE_MAX_INPUT_BYTES" in assert_refused(ran)


# -- the library ----------------------------------------------------------------------

COMPLETE = json.loads(PROSECUTOR)


@dataclass(frozen=True)
class LibraryCase:
    id: str
    call: Callable[[], object]
    raises: type[DisclosureError]
    says: tuple[str, ...] = ()


LIBRARY_CASES: list[LibraryCase] = [
    LibraryCase(
        "long-value",
        lambda: disclosure.evaluate({"holder": "x" * 10_000_000}),
        FactError,
        ("10,000,000 characters",),
    ),
    LibraryCase(
        "long-name",
        lambda: disclosure.evaluate({"n" * 1_000_000: "cpas_staff"}),
        FactError,
        ("1,000,000 characters",),
    ),
    LibraryCase("not-a-mapping", lambda: disclosure.evaluate(3), FactError),
    LibraryCase("a-list", lambda: disclosure.evaluate(["holder", "cpas_staff"]), FactError),
    LibraryCase("key-not-a-string", lambda: disclosure.evaluate({1: "cpas_staff"}), FactError),
    LibraryCase(
        "unhashable-value", lambda: disclosure.evaluate({"holder": ["cpas_staff"]}), FactError
    ),
    LibraryCase("mapping-value", lambda: disclosure.evaluate({"holder": {"a": 1}}), FactError),
    LibraryCase(
        "huge-nested-value",
        lambda: disclosure.evaluate({"holder": [list(range(100_000))] * 100}),
        FactError,
    ),
    LibraryCase("nan", lambda: disclosure.evaluate({"only_means": float("nan")}), FactError),
    LibraryCase("one-for-true", lambda: disclosure.evaluate({"only_means": 1}), FactError),
    LibraryCase(
        "newline-in-value",
        lambda: disclosure.evaluate({"holder": "a" * 100 + "\n" + "b" * 100}),
        FactError,
    ),
    LibraryCase(
        "date-that-does-not-exist",
        lambda: disclosure.evaluate({"date": "2018-02-30", "holder": "cpas_staff"}),
        FactError,
        ("2018-02-30",),
    ),
    LibraryCase("on-not-a-day", lambda: disclosure.evaluate(COMPLETE, on="2018-02-30"), FactError),
    LibraryCase("on-a-number", lambda: disclosure.evaluate(COMPLETE, on=20180101), FactError),
    LibraryCase(
        "known-on-a-long-text",
        lambda: disclosure.evaluate(COMPLETE, known_on="9" * 1_000_000),
        FactError,
        ("1,000,000 characters",),
    ),
    LibraryCase(
        "known-on-before-any-version-was-known",
        lambda: disclosure.evaluate({"holder": "cpas_staff"}, known_on="1900-01-01"),
        VersionError,
        ("1900-01-01",),
    ),
    LibraryCase(
        "version-not-yet-known",
        lambda: disclosure.evaluate(
            {"holder": "cpas_staff"}, version="terrorism-2017", known_on="1900-01-01"
        ),
        VersionError,
        ("terrorism-2017", "1900-01-01"),
    ),
    LibraryCase(
        "version-not-yet-known-days-before",
        lambda: disclosure.evaluate(
            {"holder": "cpas_staff"}, version="prior", known_on="2017-07-10"
        ),
        VersionError,
        ("prior",),
    ),
    LibraryCase(
        "diff-side-not-yet-known",
        lambda: disclosure.diff("terrorism-2017@1900-01-01", "prior"),
        VersionError,
        ("terrorism-2017", "1900-01-01"),
    ),
    LibraryCase(
        "diff-known-on-before-any-version-was-known",
        lambda: disclosure.diff("prior", "terrorism-2017", known_on="1900-01-01"),
        VersionError,
    ),
    LibraryCase(
        "compare-side-not-yet-known",
        lambda: disclosure.compare(COMPLETE, ["prior", "terrorism-2017@1900-01-01"]),
        VersionError,
        ("terrorism-2017", "1900-01-01"),
    ),
    LibraryCase(
        "long-version-name",
        lambda: disclosure.evaluate(COMPLETE, version="v" * 1_000_000),
        VersionError,
        ("1,000,000 characters",),
    ),
    LibraryCase(
        "long-reading-point",
        lambda: disclosure.evaluate(COMPLETE, readings={"p" * 1_000_000: "included"}),
        ReadingError,
        ("1,000,000 characters",),
    ),
    LibraryCase(
        "long-reading",
        lambda: disclosure.evaluate(COMPLETE, readings={"federal_prosecutor": "r" * 1_000_000}),
        ReadingError,
        ("1,000,000 characters",),
    ),
    LibraryCase(
        "readings-not-a-mapping",
        lambda: disclosure.evaluate(COMPLETE, readings="abc"),
        ReadingError,
    ),
    LibraryCase(
        "compare-versions-a-string",
        lambda: disclosure.compare(COMPLETE, "prior"),  # type: ignore[arg-type]
        VersionError,
    ),
]


@pytest.mark.parametrize("case", LIBRARY_CASES, ids=[case.id for case in LIBRARY_CASES])
def test_library_refuses_with_a_short_typed_error(case: LibraryCase) -> None:
    with pytest.raises(DisclosureError) as caught:
        case.call()
    error = caught.value
    assert isinstance(error, case.raises), f"{type(error).__name__}: {excerpt(str(error))}"
    message = str(error)
    assert "\n" not in message, excerpt(message)
    assert len(message) <= MAX_MESSAGE, f"{len(message):,} characters: {excerpt(message)}"
    for expected in case.says:
        assert expected in message, f"{expected!r} not in {message!r}"


def test_a_bulk_error_is_short_too() -> None:
    """Each bad situation of evaluate_many gets its error in place, as short as ever."""
    results = list(
        disclosure.evaluate_many(
            [COMPLETE, {"holder": "x" * 10_000_000}, {"x" * 1_000_000: 1}], detail="outcome"
        )
    )
    assert results[0] is disclosure.Outcome.OBLIGED
    for error in results[1:]:
        assert isinstance(error, disclosure.BulkError), error
        assert len(error.message) <= MAX_MESSAGE, excerpt(error.message)
        assert "characters" in error.message
