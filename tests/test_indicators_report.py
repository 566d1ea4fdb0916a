"""The HTML report in headless Chromium: it renders, its charts are drawn, nothing is fetched.

Chromium (Debian's package; `.ci/run` installs it when missing) is driven over
the DevTools protocol (``--remote-debugging-pipe``): the test opens the report
written by the command line, records every request the page makes
(``Network.requestWillBeSent``), reads the live DOM and the drawn size of each
chart element, and takes a screenshot. Without Chromium the tests skip, except
under CI, where they fail.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from casestd.cli import main
from casestd.indicators import report

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

from indicator_data import MARKER, published, write_files

#: The flags of the machine notes: no background requests, no GPU, a fresh profile.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1100,1600",
    "--remote-debugging-pipe",
)


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return path


#: Run argv[3:] with the pipe ends argv[1] and argv[2] as its fds 3 and 4 (the DevTools pipe).
_ONTO_3_AND_4 = (
    "import os, sys; a, b = int(sys.argv[1]), int(sys.argv[2]); os.dup2(a, 3); os.dup2(b, 4); "
    "os.close(a); os.close(b); os.execv(sys.argv[3], sys.argv[3:])"
)


def _high(fds: tuple[int, int]) -> tuple[int, int]:
    """The pipe's ends moved above 9, so that moving them onto 3 and 4 cannot overwrite one."""
    moved = []
    for fd in fds:
        moved.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10))
        os.close(fd)
    return moved[0], moved[1]


class Browser:
    """Headless Chromium over the DevTools protocol on a pipe (fd 3 in, fd 4 out)."""

    def __init__(self, profile: Path) -> None:
        commands_in, self._commands = _high(os.pipe())
        self._replies, replies_out = _high(os.pipe())
        profile.mkdir(parents=True, exist_ok=True)
        self.log = profile / "chromium.log"
        self.process = subprocess.Popen(
            [sys.executable, "-c", _ONTO_3_AND_4, str(commands_in), str(replies_out),
             chromium(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(commands_in, replies_out),
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
        )  # fmt: skip
        os.close(commands_in)
        os.close(replies_out)
        self._buffer = b""
        self._number = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.call("Network.enable", session=self.session)
        self.call("Page.enable", session=self.session)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=self.session,
            width=1100,
            height=1600,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _receive(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                tail = self.log.read_text("utf-8", "replace")[-3000:]
                raise EOFError(f"Chromium closed the pipe; it said:\n{tail}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        found: dict[str, Any] = json.loads(message)
        return found

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._number += 1
        message: dict[str, Any] = {"id": self._number, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._number:
                assert "error" not in reply, reply["error"]
                result: dict[str, Any] = reply["result"]
                return result
            self.events.append(reply)

    def open(self, url: str) -> None:
        self.call("Page.navigate", session=self.session, url=url)
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._receive())

    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def evaluate(self, expression: str) -> Any:
        reply = self.call(
            "Runtime.evaluate", session=self.session, expression=expression, returnByValue=True
        )
        return reply["result"].get("value")

    def screenshot(self) -> bytes:
        data = self.call("Page.captureScreenshot", session=self.session, format="png")["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        with contextlib.suppress(EOFError):
            self.call("Browser.close")
        self.process.wait(timeout=60)
        os.close(self._commands)
        os.close(self._replies)


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[Browser]:
    opened = Browser(tmp_path / "profile")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The report in each language, written by the command line from files."""
    folder = tmp_path_factory.mktemp("report")
    files = write_files(folder)
    found = {}
    for lang in ("en", "hy", "ru"):
        target = folder / f"nap-{lang}.html"
        status = main(
            ["indicators", "compute", *files, "--period", "2025", "--trend", "4",
             "--format", "html", "--lang", lang, "--out", str(target)]
        )  # fmt: skip
        assert status == 1  # the one invalid record
        found[lang] = target
    return found


#: What the page shows, read from the live DOM after layout.
_PROBE = """(() => {
  const drawn = e => { const b = e.getBBox(); return b.width > 0 && b.height > 0; };
  const all = s => [...document.querySelectorAll(s)];
  return {
    lang: document.documentElement.lang,
    sections: all('section.indicator').length,
    trends: all('svg.trend-chart').length,
    breakdowns: all('svg.breakdown-chart').length,
    bars: all('rect.bar').map(e => Number(e.dataset.value)),
    drawnBars: all('rect.bar').filter(drawn).length,
    marks: all('g.suppressed').map(e => e.textContent.trim()),
    drawnMarks: all('g.suppressed rect').filter(drawn).length,
    legend: document.querySelector('.legend').textContent,
    clipped: all('svg text').filter(e => e.getBBox().x < 0).map(e => e.textContent),
    text: document.documentElement.outerHTML,
  };
})()"""


@pytest.mark.parametrize("lang", ["en", "hy", "ru"])
def test_renders_with_charts_and_fetches_nothing(
    lang: str, reports: dict[str, Path], browser: Browser
) -> None:
    path = reports[lang]
    assert MARKER not in path.read_text("utf-8")
    browser.open(path.as_uri())
    assert browser.requests() == [path.as_uri()]  # the page itself, nothing else
    page = browser.evaluate(_PROBE)
    assert MARKER not in page["text"]
    result = published()  # the same population, computed in process
    assert page["lang"] == lang
    assert page["sections"] == page["trends"] == len(result.indicators)
    assert page["breakdowns"] == sum(len(result.by[i.id]) for i in result.indicators)
    charted = [  # the totals of the year are headlines; quarters and breakdowns are charts
        f for f in result.figures if f.breakdown is not None or f.period != result.period.text
    ]
    drawn = [f for f in charted if f.status == "ok" and f.value is not None]
    assert len(page["bars"]) == len(drawn)
    assert page["drawnBars"] == sum(1 for f in drawn if f.value)  # zero draws no bar
    suppressed = [f for f in charted if f.status == "suppressed"]
    assert suppressed and len(page["marks"]) == page["drawnMarks"] == len(suppressed)
    legend = {"en": "c: suppressed: fewer than 11", "hy": "c՝ թաքցված", "ru": "c: скрыто"}[lang]
    assert page["legend"].startswith(legend)
    assert all(mark.endswith("c") for mark in page["marks"])  # the tooltip, then the mark
    assert page["clipped"] == []  # every label starts inside its chart


def _png_pixels(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat = 8, b""
    width = height = 0
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        chunk = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        offset += 12 + length
    return width, height, zlib.decompress(idat)


def test_screenshot(reports: dict[str, Path], browser: Browser, tmp_path: Path) -> None:
    browser.open(reports["en"].as_uri())
    shot = tmp_path / "report.png"
    shot.write_bytes(browser.screenshot())
    width, height, pixels = _png_pixels(shot)
    assert (width, height) == (1100, 1600)
    assert len(set(pixels[::7])) > 20  # text and bars drawn, not a blank page


def test_a_page_that_fetches_is_caught(browser: Browser, tmp_path: Path) -> None:
    # the check can fail: a page with an outside image is seen making its request
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<html><body><img src="http://example.invalid/x.png"></body></html>')
    browser.open(leaky.as_uri())
    assert "http://example.invalid/x.png" in browser.requests()


def test_every_text_is_escaped() -> None:
    result = published()
    indicator = result.indicators[0]
    evil = attrs.evolve(indicator, titles={"en": '<script>alert(1)</script>"&'})
    page = report.render(attrs.evolve(result, indicators=(evil,)), "en")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;" in page
