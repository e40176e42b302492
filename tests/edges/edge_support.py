"""Helpers shared by the tests of the edges (issue 12): run the command line in-process
the way a user's shell would, read its one-line refusals, and prove that nothing on disk
was lost or overwritten.

The command line is run through its public entry point, :func:`disclosure.cli.main`,
with standard input, output and error swapped for byte buffers. An exception that
escapes ``main`` is what a user would see as a traceback: the helper reports it as such
(with a bounded excerpt of its message) instead of letting it pass for a test error.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosure.cli import main

#: the longest refusal accepted as "short" (a version listing or a list of known facts
#: with a did-you-mean fits well within it)
MAX_MESSAGE = 400

#: complete, possible situations (as `disclosure sample --seed 1` writes them)
GOOD_LINES = (
    b'{"date":"2016-12-28","holder":"other_professional","learned_through_profession":true,'
    b'"channel":"request","authority":"procureur_du_roi","request_form":"oral",'
    b'"offence":"radicalisation_only","information":"confidence","serious_indications":false,'
    b'"danger":"grave_imminent","only_means":true,"safe_to_act":true,'
    b'"victim_vulnerable":false,"consultation_basis":"none","consultation_purpose":"none"}',
    b'{"date":"2024-02-12","holder":"cpas_staff","learned_through_profession":true,'
    b'"channel":"hearing","authority":"trial_court","request_form":"written_unreasoned",'
    b'"offence":"offence_against_vulnerable","information":"confidence",'
    b'"serious_indications":false,"danger":"none","only_means":false,"safe_to_act":false,'
    b'"victim_vulnerable":true,"consultation_basis":"none","consultation_purpose":"none"}',
    b'{"date":"2019-05-13","holder":"cpas_staff","learned_through_profession":true,'
    b'"channel":"request","authority":"police","request_form":"oral",'
    b'"offence":"terrorist_offence","information":"medical","serious_indications":false,'
    b'"danger":"none","only_means":false,"safe_to_act":true,"victim_vulnerable":false,'
    b'"consultation_basis":"none","consultation_purpose":"none"}',
)
GOOD_JSONL = b"\n".join(GOOD_LINES) + b"\n"
GOOD_CSV = (
    b"date,holder,learned_through_profession,channel,authority,request_form,offence,"
    b"information,serious_indications,danger,only_means,safe_to_act,victim_vulnerable,"
    b"consultation_basis,consultation_purpose\n"
    b"2016-12-28,other_professional,true,request,procureur_du_roi,oral,radicalisation_only,"
    b"confidence,false,grave_imminent,true,true,false,none,none\n"
    b"2024-02-12,cpas_staff,true,hearing,trial_court,written_unreasoned,"
    b"offence_against_vulnerable,confidence,false,none,false,false,true,none,none\n"
    b"2019-05-13,cpas_staff,true,request,police,oral,terrorist_offence,medical,false,none,"
    b"false,true,false,none,none\n"
)
#: a written, reasoned request of the procureur du Roi for an address (obliged in 2024)
PROSECUTOR = (
    b'{"date": "2024-03-12", "holder": "cpas_staff", "learned_through_profession": true,'
    b' "channel": "request", "authority": "procureur_du_roi",'
    b' "request_form": "written_reasoned", "offence": "terrorist_offence",'
    b' "information": "administrative", "serious_indications": false, "danger": "none",'
    b' "only_means": false, "victim_vulnerable": false, "consultation_basis": "none",'
    b' "consultation_purpose": "none"}'
)


@dataclass(frozen=True)
class Ran:
    """What one run of the command line left: its exit status and its two streams."""

    code: int
    stdout: bytes
    stderr: bytes

    @property
    def err_lines(self) -> list[str]:
        """The non-empty lines of standard error."""
        text = self.stderr.decode("utf-8", "replace")
        return [line for line in text.splitlines() if line.strip()]

    def show(self) -> str:
        """A bounded account of the run, for assertion messages."""
        err = self.stderr.decode("utf-8", "replace")
        out = self.stdout.decode("utf-8", "replace")
        return f"exit {self.code}; stderr {err[:600]!r}; stdout {out[:300]!r}"


def excerpt(text: str, size: int = 300) -> str:
    return text if len(text) <= size else f"{text[:size]}… ({len(text):,} characters)"


def run_cli(
    argv: Sequence[str],
    stdin: bytes | None = None,
    env: Mapping[str, str | None] | None = None,
) -> Ran:
    """Run ``disclosure ARGV`` in this process as a shell would, and report how it ended.

    An exception other than :class:`SystemExit` escaping the entry point fails the test
    as "a traceback" (a user would see one)."""
    runner = CliRunner()
    with runner.isolation(input=stdin if stdin is not None else b"", env=env) as streams:
        out, err = streams[0], streams[1]
        code = 0
        try:
            main(list(argv))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except BaseException as error:  # what a user would see as a traceback
            pytest.fail(
                f"disclosure {' '.join(a[:80] for a in argv)[:300]}: a traceback "
                f"({type(error).__name__}: {excerpt(str(error))})",
                pytrace=False,
            )
        return Ran(code, out.getvalue(), err.getvalue())


def assert_refused(ran: Ran, code: int = 2) -> str:
    """The run refused its input as the contract says: exit ``code``, exactly one short
    line on standard error (``disclosure: ...``), no traceback. Gives that line."""
    assert ran.code == code, ran.show()
    lines = ran.err_lines
    assert len(lines) == 1, ran.show()
    line = lines[0]
    assert "Traceback" not in line, ran.show()
    assert line.startswith("disclosure: "), ran.show()
    assert len(line) <= MAX_MESSAGE, f"{len(line):,} characters: {excerpt(line)}"
    return line


Snapshot = dict[str, tuple[str, str, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every entry under ``folder``: its kind, and its content digest and inode (a
    link: its target)."""
    found: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = ("link", os.readlink(path), 0)
        elif path.is_dir():
            found[name] = ("dir", "", 0)
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[name] = ("file", digest, path.stat().st_ino)
    return found


def assert_nothing_lost(before: Snapshot, after: Snapshot, created: Sequence[str] = ()) -> None:
    """Every entry that existed before is still there with the same content, and the
    only new entries are those the run was asked to create (no temporary leftovers)."""
    for name, (kind, digest, _) in before.items():
        assert name in after, f"{name} was removed"
        assert after[name][:2] == (kind, digest), f"{name} was overwritten"
    new = sorted(set(after) - set(before))
    assert all(name in created for name in new), f"unexpected new files: {new}"
