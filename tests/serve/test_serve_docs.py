"""The service's documentation is current: the HTTP reference is what the OpenAPI
document generates, the guide names every option, the screenshot is there."""

from __future__ import annotations

import disclosure
from disclosure._cli.serve import serve_command
from disclosure._serve.openapi import document, markdown

from support import ROOT

HTTP_REFERENCE = ROOT / "docs" / "reference" / "http.md"
GUIDE = ROOT / "docs" / "how-to" / "run-the-service.md"
SCREENSHOT = ROOT / "docs" / "images" / "serve-page.png"


def test_the_http_reference_is_generated_from_the_openapi_document() -> None:
    expected = markdown(document(disclosure.load()))
    assert HTTP_REFERENCE.read_text("utf-8") == expected, (
        "docs/reference/http.md is out of date: "
        "python -m disclosure._serve.openapi > docs/reference/http.md"
    )


def test_the_http_reference_has_every_route_and_schema() -> None:
    spec = document(disclosure.load())
    page = HTTP_REFERENCE.read_text("utf-8")
    for path, item in spec["paths"].items():
        for method in item:
            assert f"## {method.upper()} `{path}`" in page
    for name in spec["components"]["schemas"]:
        assert f"### {name} " in page


def test_the_guide_names_every_option() -> None:
    guide = GUIDE.read_text("utf-8")
    for parameter in serve_command.params:
        for option in parameter.opts:
            if option.startswith("--"):
                assert f"`{option}`" in guide, option


def test_the_screenshot_is_a_png() -> None:
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "../images/serve-page.png" in GUIDE.read_text("utf-8")


def test_the_pages_are_in_the_site() -> None:
    nav = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "how-to/run-the-service.md" in nav
    assert "reference/http.md" in nav
