"""The HTML diff report: self-contained (nothing loaded from the network), every text
escaped, and, rendered in headless Chromium, showing what an analyst needs: the two
versions and their dates, the timeline, the totals, the regions with an example
situation, each side's outcome and basis, the structural changes.

The rendering tests need Debian's ``chromium`` (``.ci/run`` installs it when absent); they
are skipped, saying so, only when it is not installed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest

import disclosure
from disclosure._analysis.diff import Diff
from disclosure._render.labels import outcome_label
from disclosure.ir import Citation, Family, Text, content_hash

from support import FAMILY as IR_FAMILY
from support import MINI

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (Debian package 'chromium'; .ci/run installs it)",
)
#: flags for a quiet, offline, sandbox-free run as root in a container
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
)


# -- a small DOM, from the standard library's parser ---------------------------------------


@attrs.define
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = attrs.field(factory=list)

    def text(self) -> str:
        """The text the element shows (style and title elements excluded)."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in ("style", "title", "script"):
                parts.append(child.text())
        return re.sub(r"[ \t\r\n]+", " ", " ".join(parts)).strip()

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str, **classes: str) -> list[Element]:
        wanted = classes.get("cls")
        return [
            e
            for e in self.iter()
            if e.tag == tag and (wanted is None or wanted in e.attrs.get("class", "").split())
        ]

    def find(self, tag: str, **classes: str) -> Element:
        found = self.find_all(tag, **classes)
        assert found, f"no <{tag}> {classes} in the page"
        return found[0]


_VOID = {"meta", "link", "br", "img", "input", "col", "hr", "source", "wbr", "area", "base"}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attributes})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attributes}))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(document: str) -> Element:
    builder = _Builder()
    builder.feed(document)
    builder.close()
    return builder.root


# -- no network resource -------------------------------------------------------------------

_NETWORK = re.compile(r"^\s*(https?:|//|ftp:|ws:|wss:)", re.IGNORECASE)
_FETCHING_TAGS = {
    "script",
    "link",
    "iframe",
    "frame",
    "object",
    "embed",
    "audio",
    "video",
    "source",
    "track",
    "img",
    "image",
    "use",
    "feimage",
    "base",
    "form",
}


def network_references(document: str) -> list[str]:
    """Everything in the page that a browser would load (or submit) elsewhere: a ``src``,
    ``srcset``, ``data``, ``poster``, ``action`` or ``background`` attribute, an ``href``
    other than a link's (``<a href>`` is navigation, loaded only when followed), a
    ``url(...)`` or ``@import`` in a style, a refresh."""
    found = []
    root = parse(document)
    for element in root.iter():
        for name, value in element.attrs.items():
            lowered = name.lower()
            if lowered in ("src", "srcset", "data", "poster", "action", "background", "formaction"):
                found.append(f"<{element.tag} {name}={value!r}>")
            if (
                lowered in ("href", "xlink:href")
                and element.tag != "a"
                and not value.startswith("#")
            ):
                found.append(f"<{element.tag} {name}={value!r}>")
            if lowered == "http-equiv" and value.lower() == "refresh":
                found.append(f"<{element.tag} http-equiv=refresh>")
            if lowered == "style" and re.search(r"url\(|@import", value, re.IGNORECASE):
                found.append(f"<{element.tag} style={value!r}>")
        if element.tag in _FETCHING_TAGS:
            found.append(f"<{element.tag}>")
        if element.tag == "style":
            css = element.text()
            if re.search(r"@import|url\s*\(", css, re.IGNORECASE):
                found.append("<style> with @import or url()")
    return found


def _diff(a: str = "prior", b: str = "terrorism-2017", **kw: Any) -> Diff:
    return disclosure.diff(a, b, **kw)


@pytest.mark.parametrize(
    ("a", "b", "lang"),
    [
        ("prior", "terrorism-2017", "en"),
        ("terrorism-2017", "post-annulment", "fr"),
        ("terrorism-2017@2018-06-01", "terrorism-2017@today", "nl"),
        ("post-annulment", "new-penal-code", "en"),
    ],
)
def test_report_loads_nothing_from_the_network(a: str, b: str, lang: str) -> None:
    page = _diff(a, b).to_html(lang)
    assert network_references(page) == []
    csp = next(
        e
        for e in parse(page).find_all("meta")
        if e.attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp.attrs["content"]
    assert "<script" not in page.lower()


def test_the_network_check_finds_what_it_must() -> None:
    """The checker itself: each way of loading a resource is caught."""
    for bad in (
        '<script src="https://cdn.example/x.js"></script>',
        '<link rel="stylesheet" href="https://fonts.example/css">',
        '<img src="http://example.org/logo.png">',
        "<style>@import 'https://x/y.css';</style>",
        '<style>body { background: url("https://x/y.png") }</style>',
        '<div style="background:url(//x/y.png)"></div>',
        '<svg><image href="https://x/y.png"/></svg>',
        '<meta http-equiv="refresh" content="0; url=https://x">',
    ):
        assert network_references(f"<html><body>{bad}</body></html>"), bad
    link = '<a href="https://www.ejustice.just.fgov.be/">law</a><svg xmlns="http://www.w3.org/2000/svg"></svg>'
    assert network_references(f"<html><body>{link}</body></html>") == []


def _hostile_family() -> Family:
    """The IR family with texts an attacker might write into a ruleset file."""
    version = IR_FAMILY.versions[1]
    rules = []
    for rule in version.rules:
        if rule.id == "request":
            rule = attrs.evolve(
                rule,
                summary=Text.same('<script>alert("x")</script> & <b>bold</b>'),
                source=Citation(
                    act='Test "Code" <Act>',
                    article="1",
                    date=dt.date(2000, 1, 1),
                    url="https://example.org/law?a=1&b=<2>",
                ),
            )
        if rule.id == "medical_excluded":
            rule = attrs.evolve(
                rule,
                source=Citation(
                    act="Trap", article="2", date=dt.date(2000, 1, 1), url="javascript:alert(1)"
                ),
            )
        rules.append(rule)
    hostile = attrs.evolve(
        version, rules=tuple(rules), title=Text.same("</title><script>x</script>")
    )
    # a changed version has its own content hash: prepared versions are cached by it
    hostile = attrs.evolve(hostile, content_hash=content_hash(hostile, IR_FAMILY.vocabulary))
    return attrs.evolve(IR_FAMILY, versions=(IR_FAMILY.versions[0], hostile, IR_FAMILY.versions[2]))


def test_every_text_is_escaped_and_only_web_links_are_links() -> None:
    family = _hostile_family()
    page = disclosure.diff("old", "new", family=family).to_html()
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<b>bold" not in page
    assert "javascript:" not in page  # shown as text, never as a link
    links = [e.attrs["href"] for e in parse(page).find_all("a")]
    assert "https://example.org/law?a=1&b=<2>" in links  # unescaped by the parser
    assert all(link.startswith("https://") for link in links)
    assert network_references(page) == []
    assert "Test &quot;Code&quot; &lt;Act&gt;, art. 1" in page


# -- the page's structure (no browser) -----------------------------------------------------


def test_report_structure() -> None:
    result = _diff()
    root = parse(result.to_html())
    assert root.find("html").attrs["lang"] == "en"
    regions = root.find("table", cls="regions")
    assert len(regions.find("tbody").find_all("tr")) == len(result.regions) > 0
    sides = root.find("table", cls="sides").text()
    for text in ("prior", "terrorism-2017", "2017-08-03 .. 2017-08-31", "2017-09-01 .. 2019-03-13"):
        assert text in sides
    structure = root.find("aside", cls="structure")
    assert "cic46bis1_p1_request" in structure.text()
    assert f"Changes to the rules ({len(result.rules)})" in structure.text()
    assert root.find("figure", cls="timeline").find("svg")


def test_report_of_two_families_draws_each_sides_timeline(tmp_path: Path) -> None:
    mini = MINI
    copy = tmp_path / "mini"
    shutil.copytree(mini, copy)
    version = copy / "versions" / "2010-01-01.yaml"
    version.write_text(
        version.read_text("utf-8").replace("  - id: duty_to_answer\n", "  - id: answer_written\n"),
        "utf-8",
    )
    page = disclosure.diff(str(mini), str(copy)).to_html()
    assert len(parse(page).find("figure", cls="timeline").find_all("svg")) == 2
    assert network_references(page) == []


# -- rendered in headless Chromium ---------------------------------------------------------


def _chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def render_dom(tmp_path: Path, document: str) -> Element:
    page = tmp_path / "report.html"
    page.write_text(document, "utf-8")
    done = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "<body" in done.stdout, done.stderr[-2000:]
    return parse(done.stdout)


@needs_chromium
def test_chromium_shows_the_versions_regions_examples_outcomes_and_timeline(
    tmp_path: Path,
) -> None:
    result = _diff()
    dom = render_dom(tmp_path, result.to_html("en"))
    body = dom.find("body")
    shown = body.text()
    # the two versions and their dates
    sides = body.find("table", cls="sides")
    for text in (
        "a: prior",
        "b: terrorism-2017",
        "2017-08-03 .. 2017-08-31",
        "2017-09-01 .. 2019-03-13",
        "known from",
        "as enacted",
    ):
        assert text in sides.text(), text
    # the headline and the region count
    share = f"{100 * result.changed / result.compared:.2f}\u00a0%"
    assert (
        f"{result.changed:,} of {result.compared:,} possible situations ({share}) change "
        f"outcome, in {len(result.regions)} regions." in shown
    )
    headings = [h.text() for h in body.find_all("h2")]
    assert f"Regions ({len(result.regions)})" in headings
    rows = body.find("table", cls="regions").find("tbody").find_all("tr")
    assert len(rows) == len(result.regions) > 0
    # each region's example situation, each side's outcome (label and full label) and basis
    for row, region in zip(rows, result.regions, strict=True):
        cells = row.find_all("td")
        for fact, value in region.example.items():
            shown_value = str(value).lower() if isinstance(value, bool) else value
            assert f"{fact}={shown_value}" in cells[2].text()
        for cell, outcome, winners in (
            (cells[3], region.outcome_a, region.basis_a),
            (cells[4], region.outcome_b, region.basis_b),
        ):
            badge = cell.find("span", cls="outcome")
            assert badge.text() == outcome.value.replace("_", " ")
            assert badge.attrs["title"] == outcome_label(outcome, "en")
            for rule_id in winners:
                citation = result.b.version.rule(rule_id) if cell is cells[4] else None
                assert rule_id in cell.text()
                if citation is not None:
                    assert f"{rule_id} — {citation.source.label}" in cell.text()
    # the federal prosecutor may use 46bis/1 by default (brief §11.2)
    assert (
        "authority is one of procureur_du_roi, federal_prosecutor"
        in rows[0].find_all("td")[0].text()
    )
    assert "OBLIGED to disclose" in [
        span.attrs.get("title") for span in body.find_all("span", cls="outcome")
    ]
    # totals with percentages of the compared situations
    totals = body.find("table", cls="totals").text()
    for count in result.totals.values():
        assert f"{count:,}" in totals
    assert share in totals
    # the structural changes beside the regions
    assert "cic46bis1_p3_report" in body.find("aside", cls="structure").text()
    # the timeline picture, inline
    svg = body.find("figure", cls="timeline").find("svg")
    assert "Versions of the law" in svg.find("title").text()
    assert "prior" in svg.text()
    assert "terrorism-2017" in svg.text()
    # the browser ran no script and parsed no external resource
    assert not body.find_all("script")


@needs_chromium
def test_chromium_shows_the_french_report_of_the_annulment(tmp_path: Path) -> None:
    result = _diff("terrorism-2017@2018-06-01", "terrorism-2017@today")
    dom = render_dom(tmp_path, result.to_html("fr"))
    body = dom.find("body")
    shown = body.text()
    today = dt.date.today().isoformat()
    assert f"tel que connu le {today}" in body.find("table", cls="sides").text()
    assert "tel que connu le 2018-06-01" in shown
    assert f"Régions ({len(result.regions)})" in shown
    assert "obligé" in shown
    assert "interdit" in shown
    assert "annulée" in body.find("aside", cls="structure").text()
    assert "Cour constitutionnelle" in shown


# -- the screenshot ------------------------------------------------------------------------


def _unfilter(kind: int, line: bytearray, previous: bytes, step: int) -> bytearray:
    """Undo one PNG row filter (RFC 2083, 6.2-6.6)."""
    if kind == 0:
        return line
    if kind == 2:  # up: a byte-wise sum, done on whole rows as big integers (SWAR)
        n = len(line)
        low, high = int.from_bytes(b"\x7f" * n, "big"), int.from_bytes(b"\x80" * n, "big")
        a, b = int.from_bytes(line, "big"), int.from_bytes(previous, "big")
        total = ((a & low) + (b & low)) ^ ((a ^ b) & high)
        return bytearray(total.to_bytes(n, "big"))
    for i in range(len(line)):
        left = line[i - step] if i >= step else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
            continue
        up = previous[i]
        if kind == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            continue
        corner = previous[i - step] if i >= step else 0
        guess = left + up - corner
        pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
        nearest = left if pa <= pb and pa <= pc else up if pb <= pc else corner
        line[i] = (line[i] + nearest) & 0xFF
    return line


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB pixels (row by row) of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, header = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0)
    assert colour in (2, 6), colour  # RGB or RGBA
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    pixels: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, step)
        pixels.extend(bytes(line[i : i + 3]) for i in range(0, stride, step))
        previous = bytes(line)
    return width, height, pixels


@needs_chromium
def test_chromium_screenshot_is_a_real_picture(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(_diff().to_html(), "utf-8")
    shot = tmp_path / "report.png"
    done = _chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1000,700")
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert len(data) > 20_000  # a blank page of this size compresses to a few kilobytes
    width, height, pixels = png_pixels(data)
    assert (width, height) == (1000, 700)
    colours = Counter(pixels)
    inked = 1 - colours[b"\xff\xff\xff"] / len(pixels)
    assert len(colours) > 50, len(colours)  # anti-aliased text, tables, the headings' colour
    assert 0.03 < inked < 0.9, inked
    # the page's style was applied: the title's colour and the table headers' background
    assert colours[bytes.fromhex("27496d")] > 100
    assert colours[bytes.fromhex("f4f6f8")] > 1000


def test_png_reader_reads_a_known_picture() -> None:
    """The little PNG reader above, on a 2x5 picture built here, one row per filter
    (none, sub, up with overflow, average, Paeth), worked out by hand."""
    rows = [
        bytes([0, 10, 20, 30, 40, 50, 60]),
        bytes([1, 1, 2, 3, 4, 5, 6]),
        bytes([2, 250, 0, 1, 255, 255, 255]),
        bytes([3, 0, 0, 0, 1, 1, 1]),
        bytes([4, 1, 1, 1, 1, 1, 1]),
    ]

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 5, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )
    width, height, pixels = png_pixels(data)
    assert (width, height) == (2, 5)
    assert [tuple(p) for p in pixels] == [
        (10, 20, 30),
        (40, 50, 60),
        (1, 2, 3),
        (5, 7, 9),
        (251, 2, 4),
        (4, 6, 8),
        (125, 1, 2),
        (65, 4, 6),
        (126, 2, 3),
        (66, 5, 7),
    ]
