"""Bad requests get a 4xx with a JSON error naming the JSON path of what was wrong; no
input ever gets a 500; a genuine bug gets a generic 500 that tells nothing inside."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

import disclosure
from disclosure._cli.serve import ServeConfig
from disclosure._serve.app import create_app
from disclosure.strategies import invalid_values, partial_situations

from serve_support import example
from support import budget

FAMILY = disclosure.load()


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert error["status"] == status
    assert "Traceback" not in error["message"]
    return error


def post(client: TestClient, path: str, body: bytes, kind: str = "application/json") -> Any:
    return client.post(path, content=body, headers={"content-type": kind})


# -- the JSON path of what was wrong -----------------------------------------------------


def test_an_unknown_fact_is_named_with_its_path_and_the_likely_one(client: TestClient) -> None:
    error = error_of(client.post("/v1/evaluate", json={"facts": {"holdr": "cpas_staff"}}), 422)
    assert error["message"] == "$.facts.holdr: unknown fact; did you mean 'holder'?"
    assert error["path"] == "$.facts.holdr"
    assert error["type"] == "unknown_fact"
    assert error["suggestion"] == "holder"
    assert "holder" in error["allowed"]


def test_an_unknown_value_is_named_with_its_path_and_the_likely_one(client: TestClient) -> None:
    facts = {**example("prosecutor-written-request"), "authority": "procureur_du_roy"}
    error = error_of(client.post("/v1/evaluate", json={"facts": facts}), 422)
    assert error["path"] == "$.facts.authority"
    assert error["type"] == "bad_value"
    assert error["suggestion"] == "procureur_du_roi"
    assert error["message"].startswith("$.facts.authority: 'procureur_du_roy' is not a value")
    assert error["allowed"] == list(FAMILY.vocabulary["authority"].values)


@pytest.mark.parametrize(
    ("facts", "path", "kind"),
    [
        ({"learned_through_profession": "yes"}, "$.facts.learned_through_profession", "bad_value"),
        ({"date": "2024-02-30"}, "$.facts.date", "bad_value"),
        ({"holder": ["cpas_staff"]}, "$.facts.holder", "bad_value"),
        ({"holder": {"a": 1}}, "$.facts.holder", "bad_value"),
        ({"holder": 3}, "$.facts.holder", "bad_value"),
        ({"date": "2010-01-01"}, "$.facts.date", "no_version"),
        ({"channel": "own_initiative", "request_form": "oral"}, "$.facts", "impossible_facts"),
        ({"odd key!": 1}, "$.facts['odd key!']", "unknown_fact"),
    ],
)
def test_bad_facts(client: TestClient, facts: dict[str, Any], path: str, kind: str) -> None:
    error = error_of(client.post("/v1/evaluate", json={"facts": facts}), 422)
    assert (error["path"], error["type"]) == (path, kind)
    assert error["message"].startswith(path + ": ")


@pytest.mark.parametrize(
    ("body", "status", "path", "kind"),
    [
        ({"facts": {}, "version": "prio"}, 422, "$.version", "unknown_version"),
        ({"facts": {}, "version": 7}, 400, "$.version", "bad_request"),
        ({"facts": {}, "on": "12/03/2024"}, 422, "$.on", "bad_value"),
        ({"facts": {}, "known_on": "2024-02-30"}, 422, "$.known_on", "bad_value"),
        ({"facts": {"date": "2024-03-12"}, "on": "2024-03-13"}, 422, "$.facts.date", "bad_value"),
        ({"facts": {}, "readings": {"federal": "included"}}, 422, "$.readings.federal", None),
        ({"facts": {}, "readings": {"federal_prosecutor": "in"}}, 422, None, "unknown_reading"),
        ({"facts": {}, "readings": ["a"]}, 400, "$.readings", "bad_request"),
        ({"facts": {}, "readings": {"federal_prosecutor": 1}}, 400, None, "bad_request"),
        ({"facts": {}, "lang": "de"}, 422, "$.lang", "bad_value"),
        ({"facts": []}, 400, "$.facts", "bad_request"),
        ({"facts": "holder=cpas_staff"}, 400, "$.facts", "bad_request"),
        ({}, 400, "$.facts", "missing_field"),
        ({"fact": {}}, 400, "$.fact", "unknown_field"),
        ({"holder": "cpas_staff"}, 400, "$.holder", "unknown_field"),
        ([1, 2], 400, "$", "bad_request"),
        ("facts", 400, "$", "bad_request"),
    ],
)
def test_bad_evaluate_requests(
    client: TestClient, body: Any, status: int, path: str | None, kind: str | None
) -> None:
    error = error_of(client.post("/v1/evaluate", json=body), status)
    if path is not None:
        assert error["path"] == path
    else:
        assert error["path"].startswith("$.readings.")
    if kind is not None:
        assert error["type"] == kind


def test_a_fact_at_the_top_level_is_pointed_inside_facts(client: TestClient) -> None:
    error = error_of(client.post("/v1/evaluate", json={"holder": "cpas_staff"}), 400)
    assert "facts go inside $.facts" in error["message"]
    misspelt = error_of(client.post("/v1/evaluate", json={"fact": {}}), 400)
    assert misspelt["suggestion"] == "facts"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"facts": {}, "versions": ["prior", "terrorism-2071"]}, "$.versions[1]"),
        ({"facts": {}, "versions": ["prior@2018-02-30"]}, "$.versions[0]"),
        ({"facts": {}, "versions": []}, "$.versions"),
        ({"facts": {}, "versions": "prior"}, "$.versions"),
        ({"facts": {}, "versions": ["prior", 3]}, "$.versions[1]"),
        ({"facts": {}, "versions": ["prior"] * 33}, "$.versions"),
        ({"facts": {}, "known_on": "yesterday"}, "$.known_on"),
        ({"facts": {"holder": "x"}}, "$.facts.holder"),
        ({"facts": {}, "version": "prior"}, "$.version"),
    ],
)
def test_bad_compare_requests(client: TestClient, body: Any, path: str) -> None:
    response = client.post("/v1/compare", json=body)
    assert response.status_code in (400, 422), response.text
    assert response.json()["error"]["path"] == path


def test_an_unknown_version_in_a_comparison_gets_did_you_mean(client: TestClient) -> None:
    body = {"facts": {}, "versions": ["prior", "terrorism-2071"]}
    error = error_of(client.post("/v1/compare", json=body), 422)
    assert error["suggestion"] == "terrorism-2017"


@pytest.mark.parametrize(
    ("query", "status", "path"),
    [
        ({"a": "prior"}, 400, "query.b"),
        ({"a": "prior", "b": "terorism-2017"}, 422, "query.b"),
        ({"a": "rulesets/be-professional-secrecy", "b": "prior"}, 422, "query.a"),
        ({"a": "/etc/passwd", "b": "prior"}, 422, "query.a"),
        ({"a": "prior", "b": "terrorism-2017@2018-13-01"}, 422, "query.b"),
        ({"a": "prior", "b": "terrorism-2017", "format": "pdf"}, 422, "query.format"),
        ({"a": "prior", "b": "terrorism-2017", "lang": "de"}, 422, "query.lang"),
        ({"a": "prior", "b": "terrorism-2017", "known_on": "x"}, 422, "query.known_on"),
        ({"a": "prior", "b": "terrorism-2017", "where": "x"}, 400, "query.where"),
    ],
)
def test_bad_diff_requests(
    client: TestClient, query: dict[str, str], status: int, path: str
) -> None:
    error = error_of(client.get("/v1/diff", params=query), status)
    assert error["path"] == path


def test_a_diff_never_reads_a_path_from_the_request(client: TestClient) -> None:
    """The library's diff also takes a folder or a version file; a request may not."""
    folder = "rulesets/be-professional-secrecy"
    assert disclosure.diff(folder, "prior").b.version.id  # the library reads it...
    error = error_of(client.get("/v1/diff", params={"a": folder, "b": "prior"}), 422)
    assert error["type"] == "unknown_version"  # ...the service refuses it


# -- malformed, too deep, too large --------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"", "empty"),
        (b"{", "not valid JSON (line 1, column 2)"),
        (b'{"facts": {}} x', "not valid JSON"),
        (b'{"facts": {"holder": "\xe9"}}', "not UTF-8"),
        (b'{"facts": {}, "facts": {}}', "given twice"),
        (b'{"facts": {"holder": NaN}}', "NaN is not a number JSON allows"),
        (b'{"facts": {"holder": Infinity}}', "Infinity is not a number JSON allows"),
    ],
)
def test_malformed_json(client: TestClient, body: bytes, fragment: str) -> None:
    for path in ("/v1/evaluate", "/v1/compare"):
        error = error_of(post(client, path, body), 400)
        assert error["type"] == "malformed_json"
        assert fragment in error["message"]


def test_a_byte_order_mark_is_read_as_at_every_door(client: TestClient) -> None:
    body = b'\xef\xbb\xbf{"facts": {"holder": "cpas_staff"}}'
    assert post(client, "/v1/evaluate", body).status_code == 200


def test_too_deep(client: TestClient) -> None:
    nested: Any = "x"
    for _ in range(40):
        nested = {"a": nested}
    error = error_of(client.post("/v1/evaluate", json={"facts": nested}), 400)
    assert error["type"] == "too_deep"
    very = b"[" * 30_000 + b"]" * 30_000
    assert error_of(post(client, "/v1/evaluate", very), 400)["type"] == "too_deep"


def test_too_large_is_a_413_with_the_cap_and_the_cap_is_configurable() -> None:
    body = json.dumps({"facts": {"holder": "x" * 2_000}}).encode()
    with TestClient(create_app(ServeConfig(max_body=1_000))) as small:
        error = error_of(post(small, "/v1/evaluate", body), 413)
        assert error["type"] == "too_large"
        assert "1,000 bytes" in error["message"]
        # announced or not: a streamed body without Content-Length is counted as it comes
        streamed = small.post(
            "/v1/evaluate",
            content=iter([body[:600], body[600:]]),
            headers={"content-type": "application/json"},
        )
        assert streamed.status_code == 413
    with TestClient(create_app(ServeConfig(max_body=10_000))) as larger:
        refused = post(larger, "/v1/evaluate", body)  # read, then refused: a long value
        assert error_of(refused, 400)["type"] == "too_long"


def test_a_long_value_is_quoted_short(client: TestClient) -> None:
    error = error_of(client.post("/v1/evaluate", json={"facts": {"holder": "x" * 30_000}}), 400)
    assert error["type"] == "too_long"  # beyond the edge's length of a value
    assert len(error["message"]) < 300
    assert "(30,000 characters)" in error["message"]
    error = error_of(client.post("/v1/evaluate", json={"facts": {"holder": "x" * 900}}), 422)
    assert "(900 characters)" in error["message"]
    assert len(error["message"]) < 300
    long_name = "y" * 20_000
    error = error_of(client.post("/v1/evaluate", json={"facts": {long_name: 1}}), 400)
    assert error["type"] == "too_long"
    assert len(error["path"]) < 100
    assert len(error["message"]) < 300
    for body in (
        {"facts": {}, "version": "v" * 30_000},
        {"facts": {}, "readings": {"p" * 30_000: "x"}},
        {"facts": {}, "readings": {"federal_prosecutor": "r" * 30_000}},
        {"facts": {}, "lang": "l" * 30_000},
        {"facts": {}, "f" * 30_000: 1},
    ):
        error = client.post("/v1/evaluate", json=body).json()["error"]
        assert len(error["message"]) < 700, body.keys()
    diffed = client.get("/v1/diff", params={"a": "a" * 20_000, "b": "prior"}).json()["error"]
    assert len(diffed["message"]) < 700


def test_a_body_that_is_not_json_gets_a_415(client: TestClient) -> None:
    error = error_of(post(client, "/v1/evaluate", b"holder=cpas_staff", "text/plain"), 415)
    assert error["type"] == "unsupported_media_type"
    form = post(client, "/v1/evaluate", b"a=b", "application/x-www-form-urlencoded")
    assert form.status_code == 415
    charset = post(client, "/v1/evaluate", b'{"facts": {}}', "application/json; charset=utf-8")
    assert charset.status_code == 200


def test_unknown_routes_and_methods(client: TestClient) -> None:
    assert error_of(client.get("/v2/evaluate"), 404)["type"] == "not_found"
    refused = client.get("/v1/evaluate")
    assert error_of(refused, 405)["type"] == "method_not_allowed"
    assert refused.headers["allow"] == "POST"
    assert error_of(client.delete("/v1/versions"), 405)["type"] == "method_not_allowed"


# -- never a 500 from input ----------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
field_names = st.sampled_from(
    ["facts", "on", "known_on", "version", "versions", "readings", "lang", "extra"]
)


@budget(1.5, slow_generation=True)
@given(body=st.dictionaries(field_names, json_values, max_size=5) | json_values)
def test_no_json_body_gets_a_500(client: TestClient, body: Any) -> None:
    for path in ("/v1/evaluate", "/v1/compare"):
        response = client.post(path, json=body)
        assert response.status_code < 500, (path, body, response.text)
        if response.status_code >= 400:
            assert response.json()["error"]["message"]


@budget(1, slow_generation=True)
@given(
    situation=partial_situations(FAMILY),
    bad=invalid_values(FAMILY),
    version=st.sampled_from(["prior", "terrorism-2017", "post-annulment"]),
)
def test_invalid_values_are_refused_with_their_path(
    client: TestClient, situation: dict[str, Any], bad: tuple[str, Any], version: str
) -> None:
    name, value = bad
    try:
        json.dumps(value)
    except TypeError:
        return  # not representable in JSON: cannot arrive over HTTP
    body = {"facts": {**situation, name: value}, "version": version}
    error = error_of(client.post("/v1/evaluate", json=body), 422)
    assert error["path"] is not None
    assert error["path"].startswith("$.facts")


@budget(1, slow_generation=True)
@given(raw=st.binary(max_size=200))
def test_no_bytes_get_a_500(client: TestClient, raw: bytes) -> None:
    for path in ("/v1/evaluate", "/v1/compare"):
        assert post(client, path, raw).status_code < 500


@budget(1, slow_generation=True)
@given(
    query=st.dictionaries(
        st.sampled_from(["a", "b", "format", "lang", "known_on", "x"]),
        st.text(max_size=30),
        max_size=5,
    )
)
def test_no_diff_query_gets_a_500(client: TestClient, query: dict[str, str]) -> None:
    assert client.get("/v1/diff", params=query).status_code < 500


# -- a genuine bug: a generic 500 ------------------------------------------------------------


def test_a_bug_gets_a_generic_json_500_without_internals(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("internal detail: holder=cpas_staff at /srv/secret/path")

    monkeypatch.setattr(disclosure, "evaluate", broken)
    with (
        TestClient(create_app(), raise_server_exceptions=False) as client,
        caplog.at_level(logging.INFO),
    ):
        response = client.post("/v1/evaluate", json={"facts": {"holder": "cpas_staff"}})
    error = error_of(response, 500)
    assert error["type"] == "internal"
    assert "internal detail" not in response.text
    assert "RuntimeError" not in response.text
    assert "/srv/secret" not in response.text
    reference = error["message"].split("reference ")[1].split(")")[0]
    # the log has the reference, the type and the place, never the message
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert reference in logged
    assert "RuntimeError" in logged
    assert "internal detail" not in logged
    assert "cpas_staff" not in logged
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]
