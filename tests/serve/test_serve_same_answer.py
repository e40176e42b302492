"""The same facts get the same answer at every door: the library
(``disclosure.evaluate(...).to_dict()``), the command line (``disclosure evaluate
--format json``) and HTTP (``POST /v1/evaluate``, less the members only the service
adds)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

import disclosure
from disclosure.cli import cli
from disclosure.strategies import partial_situations, versions

from support import budget

FAMILY = disclosure.load()
FIRST_DAY = FAMILY.versions[0].valid_from

readings = st.fixed_dictionaries(
    {},
    optional={point.id: st.sampled_from(point.reading_ids) for point in FAMILY.contested},
)
#: how the version is chosen: by name, or by the date of the facts (as known on a date)
choices = st.one_of(
    st.builds(lambda name: {"version": name}, versions(FAMILY)),
    st.builds(
        lambda on, known_on: {"on": on.isoformat(), "known_on": known_on.isoformat()},
        st.dates(FIRST_DAY, dt.date(2030, 12, 31)),
        st.dates(dt.date(2017, 1, 1), dt.date(2030, 12, 31)),
    ),
    st.builds(lambda on: {"on": on.isoformat()}, st.dates(FIRST_DAY, dt.date(2030, 12, 31))),
)


def by_library(facts: dict[str, Any], choice: dict[str, str], chosen: dict[str, str]) -> Any:
    try:
        decision = disclosure.evaluate(facts, readings=chosen, **choice)
    except disclosure.DisclosureError as error:
        return type(error)
    return json.loads(json.dumps(decision.to_dict()))


def by_command_line(facts: dict[str, Any], choice: dict[str, str], chosen: dict[str, str]) -> Any:
    arguments = ["evaluate", "-", "--format", "json"]
    for name, value in choice.items():
        arguments += [f"--{name.replace('_', '-')}", value]
    for point, reading in chosen.items():
        arguments += ["--reading", f"{point}={reading}"]
    result = CliRunner().invoke(cli, arguments, input=json.dumps(facts))
    if isinstance(result.exception, disclosure.DisclosureError):
        return type(result.exception)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def by_http(
    client: TestClient, facts: dict[str, Any], choice: dict[str, str], chosen: dict[str, str]
) -> Any:
    response = client.post("/v1/evaluate", json={"facts": facts, "readings": chosen, **choice})
    if response.status_code != 200:
        assert 400 <= response.status_code < 500, response.text
        return response.json()["error"]
    answer = response.json()
    assert answer.pop("next_question", None) is None or not answer["determined"]
    return answer


@budget(0.6, slow_generation=True)  # three doors per example
@given(facts=partial_situations(FAMILY), choice=choices, chosen=readings)
def test_library_command_line_and_http_give_the_same_answer(
    client: TestClient, facts: dict[str, Any], choice: dict[str, str], chosen: dict[str, str]
) -> None:
    library = by_library(facts, choice, chosen)
    command_line = by_command_line(facts, choice, chosen)
    http = by_http(client, facts, choice, chosen)
    if isinstance(library, type):  # refused everywhere (e.g. a date no version governs)
        assert command_line is library
        assert isinstance(http, dict)
        assert http["status"] == 422
        return
    assert command_line == library
    assert http == library


@budget(0.2, slow_generation=True)  # 5 versions
@given(facts=partial_situations(FAMILY), chosen=readings)
def test_comparisons_are_the_same_over_http(
    client: TestClient, facts: dict[str, Any], chosen: dict[str, str]
) -> None:
    library = json.loads(json.dumps(disclosure.compare(facts, readings=chosen).to_dict()))
    answer = client.post("/v1/compare", json={"facts": facts, "readings": chosen}).json()
    assert answer == library
    printed = CliRunner().invoke(
        cli,
        ["compare", "-", "--format", "json"]
        + [f"--reading={point}={reading}" for point, reading in chosen.items()],
        input=json.dumps(facts),
    )
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == library
