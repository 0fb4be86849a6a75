"""The web app in real headless Chromium (Debian's chromium and chromedriver, driven by Selenium).

A real uvicorn server serves the sample corpus's knowledge base. Screenshots go to a temporary
folder, or to $BILATERAL_SCREENSHOTS (`BILATERAL_SCREENSHOTS=docs pytest tests/test_browser.py`
refreshes the ones in docs/).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import CHROMIUM_FLAGS, blank, chromium
from .test_web_robust import serving


@pytest.fixture(scope="module")
def server(sample_db: Path) -> Iterator[str]:
    with serving(sample_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = chromium()
    for flag in [*CHROMIUM_FLAGS, "--window-size=1280,900", "--hide-scrollbars"]:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chrome')}")
    driver_path = shutil.which("chromedriver")
    assert driver_path, "chromedriver is not installed: run `make system-deps` (Debian chromium-driver)"
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("BILATERAL_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("screenshots")


def _shot(driver: WebDriver, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000 and not blank(path), path


def test_search_entity_event_evidence(server: str, browser: WebDriver, shots: Path) -> None:
    wait = WebDriverWait(browser, 10)
    browser.get(server + "/")
    assert "Overview" in browser.title
    _shot(browser, shots, "overview")

    # "/" focuses the search box from anywhere on the page; Enter searches.
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    box = browser.switch_to.active_element
    assert box.get_attribute("id") == "q"
    box.send_keys("Vucic", Keys.ENTER)
    wait.until(ec.title_contains("Search"))
    entity_link = browser.find_element(By.CSS_SELECTOR, "#entities a[href^='/entity/']")
    assert entity_link.text == "Aleksandar Vučić"
    assert browser.find_elements(By.CSS_SELECTOR, "#documents mark")
    _shot(browser, shots, "search")

    entity_link.click()
    wait.until(ec.title_contains("Aleksandar Vučić"))
    assert "Aleksandar Vucic" in browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    events = browser.find_elements(By.CSS_SELECTOR, "table.data a[href^='/event/']")
    assert len(events) >= 3
    _shot(browser, shots, "entity")

    # Follow an event to its evidence, then to the cited place in the document.
    meeting = next(a for a in events if a.text.startswith("Meeting:"))
    meeting.click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "mark.cited")))
    cited = browser.find_element(By.CSS_SELECTOR, "mark.cited")
    assert cited.is_displayed() and len(cited.text) > 20
    cited_text = cited.text
    _shot(browser, shots, "event")

    source = browser.find_element(By.CSS_SELECTOR, "blockquote.evidence footer a")
    href = source.get_attribute("href") or ""
    assert "#c" in href
    source.click()
    focus = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "mark.focus")))
    assert focus.text.strip() in cited_text
    in_view = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= -1 && r.bottom <= innerHeight + 1;",
        focus,  # within a pixel: scrolling rounds to device pixels
    )
    assert in_view, "the cited passage is scrolled into view"
    _shot(browser, shots, "document")


def test_register_filter_and_csv_link(server: str, browser: WebDriver) -> None:
    browser.get(server + "/timeline")
    actor = browser.find_element(By.NAME, "actor")
    actor.send_keys("Serbia")
    browser.find_element(By.NAME, "since").send_keys("2020")
    browser.find_element(By.CSS_SELECTOR, ".filters button").click()
    WebDriverWait(browser, 10).until(ec.url_contains("actor=Serbia"))
    dates = [td.text[:4] for td in browser.find_elements(By.CSS_SELECTOR, "td.date")]
    assert dates and all(d >= "2020" for d in dates)
    download = browser.find_element(By.CSS_SELECTOR, "a.download").get_attribute("href") or ""
    assert download.startswith(server + "/timeline.csv?") and "actor=Serbia" in download
    browser.get(server + "/register/arms")
    assert "FK-3" in browser.find_element(By.CSS_SELECTOR, "table.data").text


def _loaded(browser: WebDriver) -> None:
    WebDriverWait(browser, 10).until(lambda b: b.execute_script("return document.readyState") == "complete")


def _shows(browser: WebDriver, text: str) -> None:
    """Wait for the page to show `text`. While a form's POST replaces the page, Chromium may answer
    for the old page's body with an inspector error ("Node ... does not belong to the document"),
    which selenium's own condition does not retry: every WebDriver error is asked again here."""
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda b: text in b.find_element(By.TAG_NAME, "body").text
    )


def test_review_in_the_browser(conflict_db: Path, tmp_path: Path, browser: WebDriver, shots: Path) -> None:
    """`serve --review`: accept and correct an event from its page in Chromium; the guards let the
    browser's own forms through (Sec-Fetch-Site: same-origin) and the changes show at once."""
    import bilateral

    db = tmp_path / "kb.db"
    shutil.copy(conflict_db, db)
    with bilateral.open(db, readonly=True) as kb:
        event = next(e.id for e in kb.events("arms_transfer") if e.args["system"] == "CH-92A")
    with serving(db, "--review") as url:
        browser.get(f"{url}/event/{event}")
        browser.find_element(By.XPATH, "//button[text()='Accept']").click()
        _shows(browser, "accepted by")
        _loaded(browser)  # the page the POST led to, not one still being replaced
        form = browser.find_element(By.CSS_SELECTOR, "form.correct")
        form.find_element(By.CSS_SELECTOR, "select[name=role] option[value=quantity]").click()
        form.find_element(By.NAME, "value").send_keys("nine")
        form.find_element(By.NAME, "note").send_keys("the ministry's release")
        form.find_element(By.TAG_NAME, "button").click()
        _shows(browser, "corrected; extracted: 6")
        _loaded(browser)
        _shot(browser, shots, "review")
        # Two reports that are two deliveries: split the second off.
        split = browser.find_element(By.CSS_SELECTOR, "form.split")
        split.find_element(By.CSS_SELECTOR, "input[name=span][value^='04_nine:']").click()
        split.find_element(By.TAG_NAME, "button").click()
        _shows(browser, "1 source")
        # Merge from a search: find the other arms transfer and merge it into this one.
        search = browser.find_element(By.CSS_SELECTOR, "form[action^='/review/merge/event/']")
        search.find_element(By.NAME, "q").send_keys("FK-3")
        search.find_element(By.TAG_NAME, "button").click()
        WebDriverWait(browser, 10).until(ec.url_contains("q=FK-3"))
        browser.find_element(By.XPATH, "//button[starts-with(text(), 'Merge into')]").click()
        _shows(browser, "FK-3")
    with bilateral.open(db, readonly=True) as kb:
        assert [j.kind for j in kb.judgements()] == ["accept", "set", "split", "merge"]
        merged = [e for e in kb.events("arms_transfer") if "01_drones" in e.docs]  # CH-92A and FK-3
        assert len(merged) == 1 and "04_nine" not in merged[0].docs
