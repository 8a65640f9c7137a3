"""Headless Chromium for the tests of the HTML pages, driven by Selenium.

Debian's ``chromium`` and ``chromium-driver`` packages (``.ci/run`` installs them when they
are missing): the browser and its driver are looked up on PATH and under ``/usr/bin`` and
``/usr/lib/chromium``; nothing is downloaded. Where they are absent the tests are skipped
with the reason, except under ``CREDITRULES_REQUIRE_SERVICES=1`` (CI), where that fails.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from support.services import missing

_BROWSERS = ("chromium", "chromium-browser", "google-chrome")
_DRIVERS = ("chromedriver",)
_PLACES = (Path("/usr/bin"), Path("/usr/lib/chromium"))


def _find(names: tuple[str, ...]) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
        for place in _PLACES:
            if (place / name).is_file():
                return str(place / name)
    return None


def find_chromium() -> tuple[str, str] | None:
    """The browser and its driver, or None when either is missing."""
    browser, driver = _find(_BROWSERS), _find(_DRIVERS)
    return (browser, driver) if browser and driver else None


def require_chromium() -> tuple[str, str]:
    """The browser and its driver; skip (fail in CI) when they are not installed."""
    found = find_chromium()
    if found is None:
        why = (
            "headless Chromium and its driver not found (chromium, chromedriver on PATH or "
            "under /usr/bin, /usr/lib/chromium); .ci/run installs the chromium and "
            "chromium-driver packages"
        )
        missing(why)
    try:
        import selenium  # noqa: F401
    except ImportError:
        why = "selenium is not installed (it is in the test extra: pip install -e '.[test]')"
        missing(why)
    return found


@contextmanager
def chromium(browser: str, driver: str) -> Iterator[Any]:
    """A headless Chromium session whose console messages ``console(drv)`` returns."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for arg in (
        "--headless=new",
        "--no-sandbox",  # root in CI, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(options=opts, service=Service(executable_path=driver))
    try:
        yield drv
    finally:
        drv.quit()


def console(drv: Any) -> list[dict[str, Any]]:
    """The console messages logged since the last call (the driver clears them on read)."""
    return list(drv.get_log("browser"))
