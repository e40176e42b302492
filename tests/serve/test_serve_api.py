"""The JSON API answers what the library answers, in its layouts, with the provenance in
headers; the OpenAPI document covers every route."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.routing import Route
from starlette.testclient import TestClient

import disclosure
from disclosure._serve.answers import PROVENANCE
from disclosure._serve.app import ROUTES
from disclosure._serve.openapi import document
from disclosure.cli import cli

from serve_support import example

SERVICE_MEMBERS = ("next_question", "explanation")


def without_service_members(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k not in SERVICE_MEMBERS}


def plain(value: Any) -> Any:
    """A library document as it reads back from JSON."""
    return json.loads(json.dumps(value))


def test_evaluate_answers_the_prosecutor_example_as_the_library_does(client: TestClient) -> None:
    facts = example("prosecutor-written-request")
    response = client.post("/v1/evaluate", json={"facts": facts})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    assert answer["schema"] == "disclosure.decision/1"
    assert answer["outcome"] == "obliged"
    assert answer["next_question"] is None
    assert without_service_members(answer) == plain(disclosure.evaluate(facts).to_dict())


def test_every_answer_names_what_answered_in_headers(client: TestClient) -> None:
    facts = example("prosecutor-written-request")
    answer = client.post("/v1/evaluate", json={"facts": facts})
    receipt = answer.json()["receipt"]
    assert answer.headers["Disclosure-Library-Version"] == disclosure.__version__
    assert answer.headers["Disclosure-Ruleset"] == receipt["family"] == "be-professional-secrecy"
    assert answer.headers["Disclosure-Version"] == receipt["version"]
    assert answer.headers["Disclosure-Content-SHA256"] == receipt["content_sha256"]

    compared = client.post(
        "/v1/compare", json={"facts": facts, "versions": ["prior", "2019-03-14"]}
    )
    receipts = [side["decision"]["receipt"] for side in compared.json()["sides"]]
    assert compared.headers["Disclosure-Version"] == ", ".join(r["version"] for r in receipts)
    assert compared.headers["Disclosure-Content-SHA256"].split(", ") == [
        r["content_sha256"] for r in receipts
    ]

    diffed = client.get("/v1/diff", params={"a": "prior", "b": "terrorism-2017"})
    sides = diffed.json()["sides"]
    assert (
        diffed.headers["Disclosure-Version"] == f"{sides['a']['version']}, {sides['b']['version']}"
    )

    for path in ("/v1/versions", "/v1/vocabulary", "/healthz", "/openapi.json", "/", "/nowhere"):
        response = client.get(path)
        assert response.headers["Disclosure-Library-Version"] == disclosure.__version__, path
        assert response.headers["Disclosure-Ruleset"] == "be-professional-secrecy", path


def test_an_undetermined_decision_asks_the_typed_next_question(client: TestClient) -> None:
    facts = example("partial-intake")
    answer = client.post("/v1/evaluate", json={"facts": facts}).json()
    library = disclosure.evaluate(facts)
    assert answer["outcome"] is None
    assert answer["missing_facts"] == list(library.missing_facts)
    question = answer["next_question"]
    name = library.missing_facts[0]
    assert question["fact"] == name
    assert question["then"] == list(library.missing_facts[1:])
    fact = disclosure.load().vocabulary[name]
    assert question["question"] == fact.meaning.as_dict()
    assert [v["value"] for v in question["values"]] == list(fact.values)
    assert all(set(v["label"]) == {"fr", "nl", "en"} for v in question["values"])
    waiting = {t.rule for t in library.trace if t.status == "unknown" and name in t.missing}
    assert {item["rule"] for item in question["needed_by"]} == waiting
    assert waiting, "the next question is asked because some rule waits for it"


def test_a_language_adds_the_explanation_in_it(client: TestClient) -> None:
    facts = example("police-phone-call")
    answer = client.post("/v1/evaluate", json={"facts": facts, "lang": "nl"}).json()
    assert answer["explanation"] == disclosure.evaluate(facts).explain("nl")
    compared = client.post("/v1/compare", json={"facts": facts, "lang": "fr"}).json()
    assert compared["explanation"] == disclosure.compare(facts).explain("fr")


def test_evaluate_takes_on_known_on_version_and_readings(client: TestClient) -> None:
    report = example("own-initiative-report-2018")
    as_then = client.post("/v1/evaluate", json={"facts": report, "known_on": "2018-06-15"})
    assert as_then.json()["outcome"] == "obliged"
    assert client.post("/v1/evaluate", json={"facts": report}).json()["outcome"] == "forbidden"

    federal = example("federal-prosecutor-request")
    included = {"federal_prosecutor": "included"}
    answer = client.post("/v1/evaluate", json={"facts": federal, "readings": included}).json()
    assert answer["outcome"] == "obliged"
    assert answer["receipt"]["readings"]["federal_prosecutor"] == "included"

    undated = {k: v for k, v in federal.items() if k != "date"}
    named = client.post(
        "/v1/evaluate", json={"facts": undated, "version": "prior", "on": "2017-08-10"}
    ).json()
    library = disclosure.evaluate(undated, version="prior", on="2017-08-10")
    assert without_service_members(named) == plain(library.to_dict())


def test_compare_is_the_library_comparison(client: TestClient) -> None:
    facts = example("own-initiative-report-2018")
    versions = ["terrorism-2017@2018-06-15", "terrorism-2017@today", "post-annulment"]
    answer = client.post("/v1/compare", json={"facts": facts, "versions": versions}).json()
    library = disclosure.compare(facts, versions)
    assert answer == plain(library.to_dict())
    everything = client.post("/v1/compare", json={"facts": facts}).json()
    assert [s["label"] for s in everything["sides"]] == [
        s.label for s in disclosure.compare(facts).sides
    ]


def test_diff_is_the_library_diff_in_json_and_html(client: TestClient) -> None:
    answer = client.get("/v1/diff", params={"a": "prior", "b": "terrorism-2017"})
    library = disclosure.diff("prior", "terrorism-2017").to_dict()
    got = answer.json()
    assert got.pop("seconds") >= 0
    library.pop("seconds")
    assert got == plain(library)

    html = client.get(
        "/v1/diff", params={"a": "prior", "b": "terrorism-2017", "format": "html", "lang": "fr"}
    )
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert html.text.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in html.text
    # the report's own inline style is allowed, nothing else, and never in a frame
    policy = html.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy

    dated = client.get(
        "/v1/diff", params={"a": "terrorism-2017@2018-06-01", "b": "terrorism-2017@today"}
    )
    assert dated.status_code == 200
    assert dated.json()["changed"] > 0


def test_versions_is_what_the_command_line_lists(client: TestClient) -> None:
    answer = client.get("/v1/versions").json()
    printed = CliRunner().invoke(cli, ["versions", "--format", "json"])
    assert printed.exit_code == 0
    assert answer == json.loads(printed.output)


def test_the_vocabulary_is_what_the_command_line_prints(client: TestClient) -> None:
    answer = client.get("/v1/vocabulary").json()
    printed = CliRunner().invoke(cli, ["vocabulary", "--format", "json"])
    assert printed.exit_code == 0
    assert answer == json.loads(printed.output)
    family = disclosure.load()
    assert [f["name"] for f in answer["facts"]] == list(family.vocabulary.names)
    assert [p["id"] for p in answer["contested"]] == [p.id for p in family.contested]


def test_healthz(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert answer.json()["busy"] == 0


def test_the_page_and_its_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for name, kind in (
        ("app.js", "text/javascript"),
        ("style.css", "text/css"),
        ("icon.svg", "image/svg+xml"),
    ):
        assert f"/static/{name}" in page.text
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(kind)
    assert client.get("/static/nothing.js").status_code == 404
    assert client.get("/static/..%2Fapp.py").status_code == 404


def test_the_page_loads_nothing_from_elsewhere_and_has_no_inline_code(client: TestClient) -> None:
    page = client.get("/").text
    assert "http://" not in page
    assert "https://" not in page
    assert "<style" not in page
    assert " style=" not in page
    assert "<script>" not in page.replace('<script src="/static/app.js" defer></script>', "")
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", page), "an inline event handler"
    script = client.get("/static/app.js").text
    assert "innerHTML" not in script
    assert "eval(" not in script


def test_openapi_document_lists_every_route_and_method(client: TestClient, app: Any) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert spec == json.loads(json.dumps(document(disclosure.load())))
    served = {
        (route.path, method.lower())
        for route in app.app.routes
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    }
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert served == documented
    assert {(path, method.lower()) for path, method, _ in ROUTES} == documented
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert operation["responses"], (path, method)
            assert operation["operationId"]


def test_openapi_document_is_valid_openapi_3_1(client: TestClient) -> None:
    validator = pytest.importorskip(
        "openapi_spec_validator", reason="openapi-spec-validator is not installed"
    )
    validator.validate(client.get("/openapi.json").json())


def test_openapi_facts_schema_is_the_vocabulary(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    facts = spec["components"]["schemas"]["Facts"]
    family = disclosure.load()
    assert list(facts["properties"]) == list(family.vocabulary.names)
    assert facts["additionalProperties"] is False
    holder = facts["properties"]["holder"]["anyOf"][0]
    assert holder["enum"] == list(family.vocabulary["holder"].values)
    readings = spec["components"]["schemas"]["Readings"]["properties"]
    assert list(readings) == [p.id for p in family.contested]


@pytest.mark.parametrize("header", PROVENANCE)
def test_provenance_headers_are_documented(client: TestClient, header: str) -> None:
    spec = client.get("/openapi.json").json()
    assert header in spec["components"]["headers"]
