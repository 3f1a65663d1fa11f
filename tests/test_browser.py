"""A real browser opens the reports from file:// and draws every chart without errors.

Needs Debian's chromium and chromium-driver. Without them the test is skipped, unless
REQUIRE_BROWSER=1 (set by .ci/run), which turns the absence into a failure.
"""

from __future__ import annotations

import shutil
import time

import pytest

from conftest import require_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        message = "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        if require_browser():
            pytest.fail(message + "; REQUIRE_BROWSER=1 makes this a failure")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # Record uncaught errors from the first script on, before the page's own scripts run.
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__errors = []; window.addEventListener('error', e => window.__errors.push(String(e.message)));"
        "window.alert = m => window.__errors.push('alert:' + m);"
    )})
    yield driver
    driver.quit()


def _open(driver, path, expected_plots):
    driver.get(path.resolve().as_uri())
    deadline = time.time() + 30
    while time.time() < deadline:
        drawn = driver.execute_script("return document.querySelectorAll('.js-plotly-plot svg.main-svg').length")
        if drawn and driver.execute_script("return document.querySelectorAll('.js-plotly-plot').length") >= expected_plots:
            break
        time.sleep(0.2)
    plots = driver.execute_script("return document.querySelectorAll('.plotly-graph-div').length")
    drawn = driver.execute_script("return document.querySelectorAll('.js-plotly-plot').length")
    svgs = driver.execute_script("return document.querySelectorAll('.js-plotly-plot svg.main-svg').length")
    errors = driver.execute_script("return window.__errors")
    severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    return plots, drawn, svgs, errors, severe


def test_index_and_territory_report_draw_their_charts(browser, demo_reports):
    summary, territory_id = demo_reports
    for page, expected in ((summary.out_dir / "index.html", 1),
                           (summary.out_dir / "territories" / f"{territory_id}.html", 8),
                           (summary.out_dir / "scale_gap.html", 4),
                           (summary.out_dir / "summary.html", 5)):
        plots, drawn, svgs, errors, severe = _open(browser, page, expected)
        assert plots >= expected, f"{page.name}: {plots} plot containers"
        assert drawn == plots, f"{page.name}: {drawn} of {plots} plots drawn"
        assert svgs >= plots, f"{page.name}: no SVG drawn"
        assert errors == [], f"{page.name}: JavaScript errors {errors}"
        assert severe == [], f"{page.name}: console errors {severe}"


def test_script_in_a_territory_name_does_not_run(browser, hostile_reports):
    _, out, xss_id, _ = hostile_reports
    for page in (out / "territories" / f"{xss_id}.html", out / "index.html"):
        _, _, _, errors, _ = _open(browser, page, 1)
        assert not any(e.startswith("alert:") for e in errors), f"{page.name} ran a script from the data"
        assert "<script>alert(1)</script>" in browser.find_element("tag name", "body").text


def test_yearly_example_territory_report_draws_its_charts(browser, yearly_reports):
    """A report built from the yearly example (INSEE codes, member-built territory) opens and draws."""
    assert yearly_reports.failed == []
    member_built = "200043212"
    page = yearly_reports.out_dir / "territories" / f"{member_built}.html"
    plots, drawn, svgs, errors, severe = _open(browser, page, 6)
    assert plots >= 6 and drawn == plots and svgs >= plots
    assert errors == [] and severe == []
