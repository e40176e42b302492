"""Fixtures of the service's tests: the application in process (Starlette's TestClient),
a real uvicorn server on a free loopback port, and a headless chromium for the page (see
serve_support.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest

if any(importlib.util.find_spec(name) is None for name in ("starlette", "uvicorn", "httpx2")):
    # the service's extra is not installed: nothing here can run (the 'test' extra has it)
    collect_ignore_glob = ["test_*.py"]
else:
    from starlette.testclient import TestClient

    from disclosure._cli.serve import ServeConfig
    from disclosure._serve.app import create_app

    from serve_support import LiveServer, new_browser


@pytest.fixture(scope="session")
def app() -> Any:
    """The application with the default settings (the bundled family)."""
    return create_app(ServeConfig())


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = new_browser()
    try:
        yield driver
    finally:
        driver.quit()
