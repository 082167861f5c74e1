"""A real-browser test of the built website: `pytest site_tests` after `jupyter-book build .`.

Headless Chromium (Debian's `chromium` package, driven by Playwright) opens every page of
the table of contents over a local HTTP server on 127.0.0.1 and checks that the page
loads nothing from outside and logs no JavaScript error, that MathJax typeset all of its
math, that every image loaded, that widgets rendered, and that a scrubber's slider changes
the frame it shows. A screenshot of each page goes to `_build/screenshots/`.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from tools.book_toc import toc_files
from tools.stamp_release import repository_url

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDGET_VIEW = 'type="application/vnd.jupyter.widget-view+json"'


def toc_pages() -> list[str]:
    """The HTML page of every entry in _toc.yml, e.g. chapters/01_history/history.html."""
    return [str(Path(f).with_suffix(".html")) for f in toc_files()]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    if not (SITE / "index.html").exists():
        pytest.fail("no built site: run `jupyter-book build .` first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail(
            "Chromium not found: `apt-get install chromium chromium-driver` (or set CHROMIUM)"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageRecord:
    """A page opened in the browser, with everything it logged and requested."""

    def __init__(self, browser: object, base: str, path: str) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.bad_status: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on(
            "console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}")
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on(
            "response", lambda r: r.status >= 400 and self.bad_status.append(f"{r.status} {r.url}")
        )
        self.page.goto(f"{base}/{path}", wait_until="load")

    def _route(self, route: object) -> None:
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture(params=toc_pages())
def opened(
    request: pytest.FixtureRequest, browser: object, server: str
) -> Iterator[tuple[str, PageRecord]]:
    record = PageRecord(browser, server, request.param)
    yield request.param, record
    record.close()


def test_every_toc_page_was_built() -> None:
    missing = [p for p in toc_pages() if not (SITE / p).exists()]
    assert missing == [], f"pages missing from the built site: {missing}"


def test_page(opened: tuple[str, PageRecord]) -> None:
    path, record = opened
    page = record.page
    html = (SITE / path).read_text()

    # MathJax typeset every math element on the page
    if 'class="math' in html:
        page.wait_for_function(
            "() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise",
            timeout=20_000,
        )
        page.evaluate("() => window.MathJax.startup.promise")
        untypeset = page.evaluate(
            "() => Array.from(document.querySelectorAll('.math'))"
            ".filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 60))"
        )
        assert page.locator("mjx-container").count() > 0, f"{path}: MathJax typeset nothing"
        assert untypeset == [], f"{path}: MathJax did not typeset {untypeset}"

    # widgets rendered from their saved state
    n_views = html.count(WIDGET_VIEW)
    if n_views:
        page.wait_for_function(
            f"() => document.querySelectorAll('.jupyter-widgets').length >= {n_views}",
            timeout=30_000,
        )

    # every image loaded
    page.wait_for_function(
        "() => Array.from(document.images).every(i => i.complete)", timeout=20_000
    )
    broken = page.evaluate(
        "() => Array.from(document.images).filter(i => i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == [], f"{path}: images that did not load: {broken}"
    figures = len(re.findall(r'<img[^>]*src="[^"]*_images/', html))  # the page's figures
    assert page.locator('img[src*="_images/"]').count() == figures

    # the page as a reader first sees it, then the sliders moved
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SHOTS / (path.replace("/", "__").removesuffix(".html") + ".png")), full_page=True
    )
    for i in range(page.locator(".dlbook-scrubber").count()):
        _check_scrubber(page, path, i)

    assert record.outside == [], f"{path}: requests outside the site: {record.outside}"
    assert record.bad_status == [], f"{path}: failed requests: {record.bad_status}"
    assert record.errors == [], f"{path}: JavaScript errors: {record.errors}"


def _check_scrubber(page: object, path: str, index: int) -> None:
    """Dragging a scrubber's slider (here: its keyboard) changes the frame it shows."""
    scrubber = page.locator(".dlbook-scrubber").nth(index)
    scrubber.scroll_into_view_if_needed()
    image = scrubber.locator("img.widget-image")
    readout = scrubber.locator(".widget-readout")
    image.first.wait_for(state="visible", timeout=10_000)
    before_src, before_label = image.first.get_attribute("src"), readout.inner_text()
    handle = scrubber.locator(".noUi-handle")
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    page.wait_for_timeout(300)
    after_src, after_label = image.first.get_attribute("src"), readout.inner_text()
    assert image.count() == 1, f"{path}: a scrubber should show exactly one frame"
    assert after_label != before_label, f"{path}: the slider did not move ({before_label})"
    assert after_src != before_src, f"{path}: moving the slider did not change the frame"
    width = image.first.evaluate("i => i.naturalWidth")
    assert width > 100, f"{path}: the scrubber's frame did not load"


def test_colab_and_binder_links_point_at_this_repository() -> None:
    repo = urlparse(repository_url()).path.strip("/")
    branch = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"].get("branch", "main")
    notebooks = [p for p in toc_pages() if (ROOT / p).with_suffix(".ipynb").exists()]
    assert notebooks, "no notebook pages in the table of contents"
    for path in notebooks:
        html = (SITE / path).read_text()
        notebook = str(Path(path).with_suffix(".ipynb"))
        colab = f"https://colab.research.google.com/github/{repo}/blob/{branch}/{notebook}"
        assert colab in html, f"{path}: no Colab link to {colab}"
        assert f"https://mybinder.org/v2/gh/{repo}/{branch}" in html, f"{path}: no Binder link"
