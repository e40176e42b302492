"""The `disclosure batch` and `disclosure sample` commands, invoked through click's test
runner: JSON Lines and CSV in and out, errors with their line numbers, the impact table,
the summary, and no progress bar outside a terminal."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import disclosure
from disclosure._cli.batch import batch_command, show_progress
from disclosure._cli.sample import sample_command

from support import MINI

BELGIAN = disclosure.load()


def run(command: Any, *args: str, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(command, list(args), input=stdin, catch_exceptions=False)
    return result


def sample(tmp_path: Path, n: int, seed: int = 1, name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    result = run(sample_command, "--n", str(n), "--seed", str(seed), "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


# -- sample -------------------------------------------------------------------------------


def test_sample_is_reproducible_and_only_possible(tmp_path: Path) -> None:
    first = sample(tmp_path, 300, seed=7, name="a.jsonl")
    second = sample(tmp_path, 300, seed=7, name="b.jsonl")
    other = sample(tmp_path, 300, seed=8, name="c.jsonl")
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    situations = jsonl(first)
    assert len(situations) == 300
    names = set(BELGIAN.vocabulary.names)
    for facts in situations:
        assert set(facts) == names
        BELGIAN.vocabulary.validate(facts)  # valid values, possible combination


def test_sample_spreads_dates_over_the_versions(tmp_path: Path) -> None:
    situations = jsonl(sample(tmp_path, 2000, seed=3))
    versions = Counter(
        BELGIAN.version_on(BELGIAN.vocabulary.validate({"date": s["date"]})["date"]).id
        for s in situations
    )
    assert len(versions) >= 4
    channels = Counter(s["channel"] for s in situations)
    assert channels.most_common(1)[0][0] == "request"


def test_sample_writes_csv_with_a_header(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    assert run(sample_command, "--n", "20", "-o", str(path)).exit_code == 0
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 20
    assert list(rows[0]) == list(BELGIAN.vocabulary.names)


def test_sample_to_stdout() -> None:
    result = run(sample_command, "--n", "3", "--rulesets", MINI)
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert all(json.loads(line)["channel"] for line in lines)


# -- batch --------------------------------------------------------------------------------


def expected_row(facts: Any, **terms: Any) -> tuple[str | None, str | None]:
    try:
        decision = disclosure.evaluate(facts, **terms)
    except disclosure.DisclosureError as error:
        return type(error).__name__, None
    return (decision.outcome.value if decision.outcome else None), decision.receipt.version


def test_batch_jsonl_gives_one_line_per_input_line(tmp_path: Path) -> None:
    source = sample(tmp_path, 500)
    out = tmp_path / "out.jsonl"
    result = run(batch_command, str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = jsonl(out)
    situations = jsonl(source)
    assert [row["line"] for row in rows] == list(range(1, 501))
    for row, facts in zip(rows, situations, strict=True):
        assert (row["outcome"], row["version"]) == expected_row(facts)
    assert "500 lines: 500 evaluated, 0 errors" in result.stdout


def test_batch_reports_errors_with_their_line_numbers(tmp_path: Path) -> None:
    good = json.loads(sample(tmp_path, 1).read_text("utf-8"))
    lines = [
        json.dumps(good),
        "{not json",
        "",
        json.dumps({**good, "holder": "mayor"}),
        json.dumps(["a", "list"]),
        json.dumps({**good, "date": "1850-01-01"}),
        json.dumps(good),
    ]
    source = tmp_path / "bad.jsonl"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    result = run(batch_command, str(source))
    assert result.exit_code == 1  # some lines failed, each reported in place (issue 12)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["line"] for row in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert [row.get("error") for row in rows] == [
        None,
        "InputError",
        "InputError",
        "FactError",
        "InputError",
        "VersionError",
        None,
    ]
    assert "empty line" in rows[2]["message"]
    assert "mayor" in rows[3]["message"]
    assert rows[0]["outcome"] == rows[6]["outcome"] == expected_row(good)[0]
    # the summary goes to stderr when the results go to stdout
    assert "7 lines: 2 evaluated, 5 errors" in result.stderr
    assert "lines:" not in result.stdout


def test_batch_csv_in_and_out(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    assert run(sample_command, "--n", "200", "--seed", "4", "-o", str(source)).exit_code == 0
    with source.open("a", encoding="utf-8") as stream:
        stream.write("2018-01-01,cpas_staff,yes,request" + "," * 11 + "\n")  # 'yes' is no bool
    out = tmp_path / "out.csv"
    result = run(batch_command, str(source), "-o", str(out))
    assert result.exit_code == 1, result.output  # one line failed
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    given = list(csv.DictReader(source.open(encoding="utf-8")))
    assert len(rows) == 201
    assert [int(row["line"]) for row in rows] == list(range(2, 203))
    for row, cells in zip(rows[:200], given[:200], strict=True):
        facts = {k: {"true": True, "false": False}.get(v, v) for k, v in cells.items() if v}
        outcome, version = expected_row(facts)
        assert (row["outcome"], row["version"]) == (outcome, version)
    assert rows[200]["error"] == "FactError"
    assert "learned_through_profession" in rows[200]["message"]


def test_batch_jsonl_in_csv_out_and_back(tmp_path: Path) -> None:
    source = sample(tmp_path, 50)
    result = run(batch_command, str(source), "--output-format", "csv", "--version", "prior")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["version"] for row in rows} == {"2017-08-03"}
    for row, facts in zip(rows, jsonl(source), strict=True):
        assert row["outcome"] == expected_row(facts, version="prior")[0]


def test_batch_reads_standard_input(tmp_path: Path) -> None:
    text = sample(tmp_path, 30).read_text("utf-8")
    by_file = run(batch_command, str(tmp_path / "in.jsonl")).stdout
    by_stdin = run(batch_command, "-", stdin=text).stdout
    assert by_stdin == by_file
    as_csv = run(sample_command, "--n", "5", "--format", "csv").stdout
    result = run(batch_command, "-", "--input-format", "csv", stdin=as_csv)
    assert len(result.stdout.splitlines()) == 5


def test_batch_compare_adds_outcomes_and_prints_the_impact_table(tmp_path: Path) -> None:
    source = sample(tmp_path, 400, seed=9)
    out = tmp_path / "out.jsonl"
    result = run(batch_command, str(source), "-o", str(out), "--compare", "prior,terrorism-2017")
    assert result.exit_code == 0, result.output
    rows = jsonl(out)
    pairs: Counter[tuple[str, str]] = Counter()
    for row, facts in zip(rows, jsonl(source), strict=True):
        before = disclosure.evaluate(facts, version="prior").outcome
        after = disclosure.evaluate(facts, version="terrorism-2017").outcome
        assert row["compare"] == {
            "prior": before.value if before else None,
            "terrorism-2017": after.value if after else None,
        }
        pairs[(str(before), str(after))] += 1
    assert "impact: prior → terrorism-2017" in result.stdout
    changed = sum(n for (a, b), n in pairs.items() if a != b)
    assert f"changed: {changed:,} of 400 ({100 * changed / 400:.1f}%)" in result.stdout
    for (a, b), n in pairs.items():
        line = next(
            text
            for text in result.stdout.splitlines()
            if a in text and f" {b} " in text and f"{n:,}" in text
        )
        assert f"{100 * n / 400:.1f}%" in line


def test_batch_compare_needs_two_versions(tmp_path: Path) -> None:
    source = sample(tmp_path, 3)
    result = CliRunner().invoke(batch_command, [str(source), "--compare", "prior"])
    assert result.exit_code == 2
    assert "two versions" in result.output


def test_batch_detail_decision_writes_whole_decisions(tmp_path: Path) -> None:
    source = sample(tmp_path, 40, seed=2)
    text = source.read_text("utf-8")
    source.write_text(text + text, "utf-8")  # the second half repeats the first
    result = run(batch_command, str(source), "--detail", "decision")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    for row, facts in zip(rows, jsonl(source), strict=True):
        decision = disclosure.evaluate(facts)
        assert row == {
            "line": row["line"],
            "version": decision.receipt.version,
            **decision.to_dict(),
        }


def test_batch_detail_decision_as_csv(tmp_path: Path) -> None:
    source = sample(tmp_path, 20, seed=2)
    result = run(batch_command, str(source), "--detail", "decision", "--output-format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    for row, facts in zip(rows, jsonl(source), strict=True):
        decision = disclosure.evaluate(facts)
        assert row["winners"] == ";".join(decision.winners)
        assert row["basis"] == ";".join(c.label for c in decision.basis)


def test_batch_id_field_is_carried_over_not_evaluated(tmp_path: Path) -> None:
    facts = jsonl(sample(tmp_path, 5))
    source = tmp_path / "ids.jsonl"
    source.write_text(
        "".join(json.dumps({"case": f"C-{i}", **f}) + "\n" for i, f in enumerate(facts)), "utf-8"
    )
    result = run(batch_command, str(source), "--id-field", "case")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == [f"C-{i}" for i in range(5)]
    assert all("error" not in row for row in rows)
    without = run(batch_command, str(source))
    assert all(json.loads(line)["error"] == "FactError" for line in without.stdout.splitlines())


def test_batch_with_on_and_known_on(tmp_path: Path) -> None:
    facts = jsonl(sample(tmp_path, 50))
    source = tmp_path / "undated.jsonl"
    source.write_text("".join(json.dumps({**f, "date": None}) + "\n" for f in facts), "utf-8")
    result = run(batch_command, str(source), "--on", "2018-06-01", "--known-on", "2018-06-01")
    for line, f in zip(result.stdout.splitlines(), facts, strict=True):
        row = json.loads(line)
        f = {**f, "date": None}
        assert (row["outcome"], row["version"]) == expected_row(
            f, on="2018-06-01", known_on="2018-06-01"
        )


def test_batch_on_another_family(tmp_path: Path) -> None:
    source = tmp_path / "mini.jsonl"
    source.write_text(
        '{"channel": "request", "request_form": "written", "danger": false}\n'
        '{"channel": "own_initiative", "request_form": "oral", "danger": false}\n',
        "utf-8",
    )
    result = run(batch_command, str(source), "--rulesets", MINI, "--version", "2010-01-01")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert "outcome" in rows[0]
    assert rows[1]["error"] == "FactError"


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    source = sample(tmp_path, 2)
    runner = CliRunner()
    assert runner.invoke(batch_command, [str(tmp_path / "missing.jsonl")]).exit_code == 2
    bad_version = runner.invoke(batch_command, [str(source), "--version", "nope"])
    assert bad_version.exit_code != 0
    assert isinstance(bad_version.exception, disclosure.VersionError)
    assert runner.invoke(batch_command, [str(source), "--reading", "x"]).exit_code == 2


def test_no_progress_bar_outside_a_terminal(tmp_path: Path) -> None:
    source = sample(tmp_path, 50)
    result = run(batch_command, str(source), "-o", str(tmp_path / "out.jsonl"))
    assert "evaluating" not in result.output
    assert "\x1b[" not in result.output  # no terminal control sequence
    assert show_progress(None) is False  # the runner's stderr is no terminal


@pytest.mark.parametrize(
    ("env", "tty", "shown"),
    [({}, True, True), ({"CI": "true"}, True, False), ({}, False, False)],
)
def test_progress_only_on_a_terminal_and_never_under_ci(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tty: bool, shown: bool
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr("sys.stderr.isatty", lambda: tty, raising=False)
    assert show_progress(None) is shown
    assert show_progress(False) is False


def test_forced_progress_bar_runs_and_is_cleared(tmp_path: Path) -> None:
    source = sample(tmp_path, 30)
    result = run(batch_command, str(source), "-o", str(tmp_path / "o.jsonl"), "--progress")
    assert result.exit_code == 0
    assert len(jsonl(tmp_path / "o.jsonl")) == 30


# -- batch: the path of remembered lines --------------------------------------------------


def _varied_lines(tmp_path: Path) -> list[str]:
    """Sample lines, repeated, then the same situations written every other way a batch
    can meet them, and lines that must not be taken for the ones they resemble."""
    base = sample(tmp_path, 300, seed=11).read_text("utf-8").splitlines()
    situations = [json.loads(line) for line in base[:40]]
    good = situations[0]
    rest = json.dumps({k: v for k, v in good.items() if k != "date"}, separators=(",", ":"))
    tail = rest[1:]  # the rest of a sample line after its date, with its closing brace
    odd = [
        json.dumps(dict(reversed(list(situations[1].items())))),  # the date last
        json.dumps(situations[2]),  # spaces after the separators
        '{ "date":"' + good["date"] + '",' + tail,  # a space before the date
        '{"date":"' + good["date"] + '" ,' + tail,  # a space after it
        '{"date":"2016-02-30",' + tail,  # no such day
        '{"date":"1850-01-01",' + tail,  # before the first version
        '{"date":"2016-02-10T00:00",' + tail,  # not a date alone
        '{"date":"","date":"2016-02-10",' + tail,  # the date twice, first empty
        '{"date":"2016-02-10","date":"2019-05-05",' + tail,  # twice: the last one counts
        '{"date":"2019-05-05",' + tail[:-1] + ',"date":"2013-03-03"}',  # twice, far apart
        '{"date":"2019-05-05",' + tail.replace('"holder"', '"holder":"mayor","holder"'),
        '{"date":"2019-05-05",' + tail.replace('"holder":"', '"holder":"mayor","x":"'),
        '{"date":"2019-05-05",' + tail.replace("true", "1", 1),  # 1 for true
        '{"date":"2019-05-05",' + tail.replace('"cpas_staff"', '"cpas\\u005fstaff"'),
        '{"date":"2019-05-05",' + tail.replace('"holder":', '"holder" :'),
        '{"date":"2019-05-05","nested":{"date":"2013-03-03"},' + tail,
        '{"date":"2019-05-05",' + tail + " ",  # trailing space
        '{"date":"2019-05-05",' + tail + "\r",  # a Windows line end
        '{"date":"2019-05-05",' + tail + "{}",  # two values on a line
        '{"date":"2019-05-05"' + tail[tail.index(",", 2) :],  # a fact missing
        "{not json",
        "",
        "   ",
        "[1, 2]",
        json.dumps({k: v for k, v in good.items() if k != "date"}),  # no date
        rest,
        rest,
    ]
    return base + base + odd + base[:50] + odd[::-1] + [rest, rest, base[0]]


def _batch_output(
    monkeypatch: pytest.MonkeyPatch, source: Path, *args: str, remembered: bool, block: int
) -> tuple[bytes, list[str]]:
    from disclosure._cli import batch as _cli_batch
    from disclosure._cli.batch_io import JsonLinesReader
    from disclosure._decide import bulk as _bulk

    with monkeypatch.context() as patch:
        patch.setattr(_cli_batch, "BLOCK", block)
        patch.setattr(_bulk, "_tables", {})  # cold: nothing known from the runs before
        patch.setattr(_bulk, "_plans", {})
        if not remembered:  # the lines as the stream yields them, evaluated as before
            patch.setattr(JsonLinesReader, "blocks", lambda self, size: iter(()))
        out = source.parent / "out.txt"
        result = run(batch_command, str(source), "-o", str(out), *args)
    assert result.exit_code in (0, 1), result.output  # 1: some of the odd lines failed
    summary = result.stdout.splitlines()
    assert " in " in summary[0]
    return out.read_bytes(), [summary[0].split(" in ")[0], *summary[1:]]


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--compare", "prior,terrorism-2017"),
        ("--version", "terrorism-2017"),
        ("--on", "2018-01-01"),
        ("--known-on", "2017-01-01"),
        ("--output-format", "csv"),
    ],
)
def test_remembered_lines_write_what_the_usual_path_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    lines = _varied_lines(tmp_path)
    source = tmp_path / "varied.jsonl"
    source.write_bytes(("\n".join(lines)).encode("utf-8"))  # the last line has no newline
    expected = _batch_output(monkeypatch, source, *args, remembered=False, block=1 << 18)
    assert expected[0].count(b"\n") == len(lines) + (args == ("--output-format", "csv"))
    for block in (1 << 18, 4096, 100):  # one block; a few lines each; lines longer
        found = _batch_output(monkeypatch, source, *args, remembered=True, block=block)
        assert found == expected


def test_remembered_lines_stay_bounded_and_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from disclosure._decide import lines as _lines
    from disclosure._decide.lines import RememberedLines

    lines = _varied_lines(tmp_path)
    source = tmp_path / "varied.jsonl"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    expected = _batch_output(monkeypatch, source, remembered=False, block=1 << 18)
    seen: list[RememberedLines] = []
    original = RememberedLines.__init__

    def spy(self: RememberedLines, *args: Any) -> None:
        original(self, *args)
        seen.append(self)

    monkeypatch.setattr(RememberedLines, "__init__", spy)
    monkeypatch.setattr(_lines, "MAX_LINES", 7)
    monkeypatch.setattr(_lines, "MAX_DATES", 5)
    monkeypatch.setattr(_lines, "_EXTRA_TABLES", -3)  # two tables at most: forgotten
    assert _batch_output(monkeypatch, source, remembered=True, block=2048) == expected
    remembered = seen[-1]
    assert len(remembered.keys) <= 7
    assert len(remembered.undated) <= 7
    assert len(remembered.date_slots) <= 5
    assert len(remembered.slots) <= 2
    assert remembered.resets > 0


def test_remembered_lines_read_standard_input(tmp_path: Path) -> None:
    source = sample(tmp_path, 200, seed=12)
    once = [json.loads(line) for line in run(batch_command, str(source)).stdout.splitlines()]
    text = source.read_text("utf-8") * 2
    twice = [json.loads(line) for line in run(batch_command, "-", stdin=text).stdout.splitlines()]
    assert [row["line"] for row in twice] == list(range(1, 401))
    assert twice[:200] == once == [{**row, "line": row["line"] - 200} for row in twice[200:]]
