"""Test set-up shared by every app: the database is real (SQLite by default,
PostgreSQL with DATABASE_URL), files go to a temporary folder, and browser
tests drive Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("YIWANG_CHROMIUM", "/usr/bin/chromium")
HAVE_CHROMIUM = shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM)
_skipped_browser: list[str] = []


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test gets its own platform root CA (created on first signing).
    settings.YIWANG_KEY_DIR = tmp_path / "keys"


def pytest_collection_modifyitems(config, items):
    if HAVE_CHROMIUM:
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
            _skipped_browser.append(item.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _skipped_browser:
        tr = terminalreporter
        tr.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        tr.write_line(
            f"{len(_skipped_browser)} browser tests did not run: no Chromium at {CHROMIUM}. "
            "Install it with `apt-get install chromium` (CI does)."
        )


@pytest.fixture
def browser():
    """A headless Chromium (Debian's, never a downloaded one)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    try:
        yield pg
    finally:
        context.close()
