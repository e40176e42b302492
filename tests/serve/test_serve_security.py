"""The guard: bearer token, security headers on every response, no CORS unless asked, no
fact in any log, 503 with Retry-After when overloaded or too slow."""

from __future__ import annotations

import asyncio
import hmac
import logging
import threading
import time
from pathlib import Path
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

import disclosure
from disclosure._cli.serve import ServeConfig, read_token
from disclosure._serve.app import create_app

from serve_support import LiveServer, example

TOKEN = "s3cret-token-0123456789abcdef"


@pytest.fixture
def token_file(tmp_path: Path) -> str:
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n", "utf-8")
    return str(path)


@pytest.fixture
def guarded(token_file: str) -> Any:
    with TestClient(create_app(ServeConfig(token_file=token_file))) as client:
        yield client


def test_with_a_token_every_request_needs_it(guarded: TestClient) -> None:
    body = {"facts": example("police-phone-call")}
    for request in (
        lambda **k: guarded.post("/v1/evaluate", json=body, **k),
        lambda **k: guarded.post("/v1/compare", json=body, **k),
        lambda **k: guarded.get("/v1/diff", params={"a": "prior", "b": "pre-2017"}, **k),
        lambda **k: guarded.get("/v1/versions", **k),
        lambda **k: guarded.get("/v1/vocabulary", **k),
        lambda **k: guarded.get("/openapi.json", **k),
        lambda **k: guarded.get("/healthz", **k),
        lambda **k: guarded.get("/nowhere", **k),
    ):
        refused = request()
        assert refused.status_code == 401
        assert refused.json()["error"]["type"] == "unauthorized"
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert request(headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert request(headers={"Authorization": TOKEN}).status_code == 401
        assert request(headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
        accepted = request(headers={"Authorization": f"Bearer {TOKEN}"})
        assert accepted.status_code in (200, 404)
        assert request(headers={"Authorization": f"bearer {TOKEN}"}).status_code != 401


def test_the_page_opens_without_the_token_and_asks_for_it(guarded: TestClient) -> None:
    """The page's own files carry no data, and a browser cannot attach a bearer token to a
    page it opens; the page asks for the token and sends it with every API request."""
    assert guarded.get("/").status_code == 200
    assert guarded.get("/static/app.js").status_code == 200
    assert guarded.post("/").status_code == 401  # only reading the page is open
    assert 'id="token"' in guarded.get("/").text


def test_the_token_is_compared_in_constant_time(
    guarded: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    guarded.get("/healthz", headers={"Authorization": "Bearer nope"})
    guarded.get("/healthz", headers={"Authorization": f"Bearer {TOKEN}"})
    assert calls == [(b"nope", TOKEN.encode()), (TOKEN.encode(), TOKEN.encode())]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("", "at least 16"), ("short\n", "at least 16"), ("\n" + TOKEN, "at least 16")],
)
def test_a_bad_token_file_is_refused_at_start(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "token"
    path.write_text(content, "utf-8")
    with pytest.raises(disclosure.DisclosureError, match=fragment):
        read_token(str(path))
    with pytest.raises(disclosure.DisclosureError, match="cannot read"):
        read_token(str(tmp_path / "missing"))


SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def test_security_headers_on_every_response(client: TestClient) -> None:
    responses = [
        client.get("/"),
        client.get("/static/app.js"),
        client.get("/static/none.css"),
        client.get("/healthz"),
        client.get("/openapi.json"),
        client.get("/v1/versions"),
        client.get("/v1/vocabulary"),
        client.get("/v1/diff", params={"a": "prior", "b": "pre-2017"}),
        client.get("/v1/diff", params={"a": "prior", "b": "pre-2017", "format": "html"}),
        client.get("/v1/diff"),
        client.post("/v1/evaluate", json={"facts": example("police-phone-call")}),
        client.post("/v1/evaluate", content=b"{", headers={"content-type": "application/json"}),
        client.post("/v1/compare", json={"facts": {}}),
        client.get("/nowhere"),
        client.put("/v1/evaluate"),
    ]
    for response in responses:
        where = f"{response.request.method} {response.request.url}"
        for name, value in SECURITY.items():
            assert response.headers.get(name) == value, where
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, where
        assert "default-src 'self'" in policy or "default-src 'none'" in policy, where
        assert "unsafe-inline" not in policy or "format=html" in where, where
        assert "unsafe-eval" not in policy, where
        assert response.headers["cache-control"] in ("no-store", "no-cache"), where
        assert "access-control-allow-origin" not in response.headers, where
        assert "server" not in response.headers or "uvicorn" not in response.headers["server"]


def test_no_cors_unless_configured(client: TestClient) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    assert "access-control-allow-origin" not in client.get("/v1/versions", headers=origin).headers
    preflight = client.options(
        "/v1/evaluate",
        headers={**origin, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_for_the_configured_origins_only(token_file: str) -> None:
    config = ServeConfig(cors_origins=("https://cpas.example",), token_file=token_file)
    with TestClient(create_app(config)) as client:
        preflight = client.options(
            "/v1/evaluate",
            headers={
                "Origin": "https://cpas.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 200  # no token on a preflight: browsers send none
        assert preflight.headers["access-control-allow-origin"] == "https://cpas.example"
        answer = client.get(
            "/v1/versions",
            headers={"Origin": "https://cpas.example", "Authorization": f"Bearer {TOKEN}"},
        )
        assert answer.headers["access-control-allow-origin"] == "https://cpas.example"
        assert "Disclosure-Version" in answer.headers["access-control-expose-headers"]
        other = client.get(
            "/v1/versions",
            headers={"Origin": "https://evil.example", "Authorization": f"Bearer {TOKEN}"},
        )
        assert "access-control-allow-origin" not in other.headers


# -- facts never logged ----------------------------------------------------------------------

SECRET = "Zq-client-confided-7781"


def _secret_requests(url: str) -> None:
    facts = example("prosecutor-written-request")
    with httpx2.Client(base_url=url, timeout=30) as http:
        http.post("/v1/evaluate", json={"facts": facts})  # valid facts: their values
        http.post("/v1/evaluate", json={"facts": {**facts, "information": SECRET}})
        http.post("/v1/evaluate", json={"facts": {SECRET: True}})
        http.post("/v1/evaluate", json={"facts": {"note": SECRET}, "lang": SECRET})
        http.post("/v1/compare", json={"facts": facts, "versions": [SECRET]})
        http.post("/v1/evaluate", content=f'{{"facts": {SECRET}'.encode())
        http.get("/v1/diff", params={"a": SECRET, "b": "prior"})
        http.get(f"/v1/{SECRET}")
        http.get("/v1/versions", params={"holder": SECRET})
        http.get("/healthz", headers={"Authorization": f"Bearer {SECRET}", "X-Note": SECRET})


def test_facts_never_appear_in_the_logs(
    app: Any, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.DEBUG), LiveServer(app) as server:
        _secret_requests(server.url)
    server_side = ("disclosure", "uvicorn", "starlette", "asyncio")
    logged = "\n".join(
        record.getMessage() for record in caplog.records if record.name.startswith(server_side)
    )
    out, err = capfd.readouterr()
    assert '"POST /v1/evaluate" 200' in logged  # the access log is there...
    for text in (logged, out, err):
        assert SECRET not in text  # ...without a fact, a query, a path or a header value
        assert "terrorist_offence" not in text
        assert "procureur_du_roi" not in text
    assert "(other path)" in logged


# -- overload and time limits ----------------------------------------------------------------


def test_overload_gets_a_503_with_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    started = threading.Event()
    real = disclosure.evaluate

    def slow(*args: Any, **kwargs: Any) -> Any:
        started.set()
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(disclosure, "evaluate", slow)
    app = create_app(ServeConfig(max_in_flight=1, threads=1))
    body = {"facts": example("police-phone-call")}

    async def scenario() -> tuple[int, httpx2.Response, int]:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://test") as http:
            first = asyncio.create_task(http.post("/v1/evaluate", json=body))
            while not started.is_set():
                await asyncio.sleep(0.01)
            second = await http.post("/v1/evaluate", json=body)
            busy = (await http.get("/healthz")).json()["busy"]
            release.set()
            return (await first).status_code, second, busy

    first, second, busy = asyncio.run(scenario())
    assert first == 200
    assert second.status_code == 503
    assert second.json()["error"]["type"] == "overloaded"
    assert second.headers["retry-after"] == "1"
    assert busy == 1


def test_a_slow_answer_gets_a_503_and_keeps_its_place_until_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = disclosure.evaluate

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.6)
        return real(*args, **kwargs)

    monkeypatch.setattr(disclosure, "evaluate", slow)
    config = ServeConfig(timeout=0.2, max_in_flight=1, threads=1)
    with TestClient(create_app(config)) as client:
        body = {"facts": example("police-phone-call")}
        late = client.post("/v1/evaluate", json=body)
        assert late.status_code == 503
        assert late.json()["error"]["type"] == "timeout"
        assert late.headers["retry-after"] == "1"
        # the slow work still runs: it counts against the bound until it ends
        assert client.post("/v1/evaluate", json=body).json()["error"]["type"] == "overloaded"
        time.sleep(0.8)
        assert client.get("/healthz").json()["busy"] == 0
