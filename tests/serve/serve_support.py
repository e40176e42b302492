"""Helpers of the service's tests: the example facts, a real uvicorn server on a free
loopback port, and a headless chromium for the page.

The browser is Debian's chromium driven through Debian's chromedriver by Selenium, with
both paths given explicitly, so Selenium never downloads a driver or a browser; the
browser tests are skipped, saying why, when either is absent.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from support import ROOT

EXAMPLES = ROOT / "docs" / "examples"


def example(name: str) -> dict[str, Any]:
    """The facts of one of docs/examples/*.json."""
    facts: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return facts


class LiveServer:
    """uvicorn serving ``app`` in a thread, on a free port of 127.0.0.1."""

    def __init__(self, app: Any) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port: int = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(20)
        self.socket.close()


def browser_paths() -> tuple[str, str] | str:
    """The paths of chromium and chromedriver, or why the browser tests cannot run."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if driver is None and Path("/usr/bin/chromedriver").is_file():
        driver = "/usr/bin/chromedriver"
    if browser is None:
        return "chromium is not installed (apt-get install chromium chromium-driver)"
    if driver is None:
        return "chromedriver is not installed (apt-get install chromium-driver)"
    return browser, driver


def new_browser(width: int = 1280, height: int = 1600) -> Any:
    """A headless chromium driven by Selenium through the system's chromedriver."""
    paths = browser_paths()
    if isinstance(paths, str):
        pytest.skip(paths)
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    browser, driver = paths
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={width},{height}",
        "--lang=en-GB",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # the system's chromedriver, named: Selenium Manager (which downloads) never runs
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)
