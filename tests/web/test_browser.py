"""The pages in headless Chromium, as a member and an admin would use them, against `cpd-evidence serve`.

GIVEN the embedded service (SQLite, blob folder, no broker) on a free loopback port and a member's token
WHEN the member signs in, uploads a LinkedIn Learning export and a password-protected workbook, reviews the
     year's activities (confirm, edit, reflect, reject) and downloads the export, and an admin reprocesses
     the failed upload
THEN each step shows in the page, the summary and the export follow the member's word, and the failure is
     logged by `serve` as one line.
"""
from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from .conftest import SAMPLES, Site, screenshot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

GOOD = SAMPLES / "csv" / "linkedin-learning-plain.csv"   # 8 activities, 4 of them in CPD year 2024-25
BAD = SAMPLES / "xlsx" / "encrypted.xlsx"                # password-protected: fails with code "encrypted"
YEAR = 2024


def _by(kind: str) -> Any:
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def _find(driver: Any, css: str) -> Any:
    return driver.find_element(_by("CSS_SELECTOR"), css)


def _all(driver: Any, css: str) -> list[Any]:
    return list(driver.find_elements(_by("CSS_SELECTOR"), css))


def _sign_in(driver: Any, site: Site, who: str) -> None:
    """Sign in by keyboard alone: the token typed into its field, then Enter."""
    from selenium.webdriver.common.keys import Keys

    driver.get(site.url + "/")
    wait_for(lambda: driver.current_url.endswith("/signin"), lambda: f"not sent to sign in: {driver.current_url}")
    field = _find(driver, "#token")
    field.send_keys(site.tokens[who] + Keys.ENTER)
    home = "/console" if who == "admin" else "/member"
    wait_for(lambda: home in driver.current_url,
             lambda: f"not signed in: {driver.current_url}\n{driver.page_source[:2000]}")


def _summary(driver: Any) -> tuple[str, str]:
    return _find(driver, "#summary-hours").text, _find(driver, "#summary-activities").text


def _article(driver: Any, title: str) -> Any:
    for article in _all(driver, "article.activity"):
        if article.find_element(_by("TAG_NAME"), "h3").text == title:
            return article
    shown = [a.text[:60] for a in _all(driver, "article.activity")]
    raise AssertionError(f"no activity '{title}' on the page: {shown}")


def _press(driver: Any, article: Any, selector: str) -> None:
    """Press a button of an activity's card and wait for the page that answers."""
    old = _find(driver, "html")
    article.find_element(_by("CSS_SELECTOR"), selector).click()
    wait_for(lambda: _stale(old), lambda: "the page did not answer the form")
    wait_for(lambda: _find(driver, "#summary-hours"), lambda: driver.page_source[:3000])


def _stale(element: Any) -> bool:
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        element.tag_name
    except StaleElementReferenceException:
        return True
    return False


def _downloaded(folder: Path, suffix: str) -> Path:
    def done() -> Path | None:
        found = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        return found[0] if found else None
    found: Path = wait_for(done, lambda: f"no {suffix} in {sorted(p.name for p in folder.iterdir())}")
    return found


def _unlabelled(driver: Any) -> list[str]:
    """The form controls on the page that no label names (nor aria-label)."""
    script = """
      return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map(el => el.outerHTML.slice(0, 120));
    """
    return list(driver.execute_script(script))


def test_member_and_admin_journey(site: Site, browser: Any) -> None:
    driver = browser
    _sign_in(driver, site, "alice")
    assert "cpd_session" not in driver.execute_script("return document.cookie"), "scripts can read the session"

    # A file the service refuses (empty): the page's script says why, beside the file, and stays.
    empty = site.downloads.parent / "empty-export.csv"
    empty.write_bytes(b"")
    _find(driver, "#files").send_keys(str(empty))
    _find(driver, "#upload-form button[type=submit]").click()
    wait_for(lambda: "not uploaded" in _find(driver, "#upload-status").text, lambda: _find(driver, "#upload-form").text)
    said = _find(driver, "#upload-files").text
    assert "empty-export.csv: not uploaded. 'empty-export.csv' is empty (0 bytes)" in said, said
    assert _find(driver, "#upload-bar").get_attribute("value") == "100"

    # Upload two files at once: the page's script sends them one request each (XHR, so the bar shows the
    # bytes sent), then the page shows both states as they are read.
    _find(driver, "#files").clear()
    _find(driver, "#files").send_keys(f"{GOOD}\n{BAD}")
    _find(driver, "#upload-form button[type=submit]").click()
    wait_for(lambda: "notice=uploaded" in driver.current_url, lambda: _find(driver, "#upload-status").text)
    assert site.log_text().count('"POST /member/uploads HTTP/1.1" 202') == 2, "not one request per file"
    rows = wait_for(lambda: _settled(driver), lambda: f"uploads not read: {_find(driver, '#uploads').text}\n"
                    + site.log_text()[-2000:])
    good, bad = rows["linkedin-learning-plain.csv"], rows["encrypted.xlsx"]
    assert good.get_attribute("data-state") == "done" and "Read: 8 activities" in good.text
    assert bad.get_attribute("data-state") == "failed"
    assert "password-protected" in bad.text and "remove the password" in bad.text, bad.text
    assert "failed: encrypted:" in site.log_text(), "serve did not log the failure as one line"
    failure = [line for line in site.log_text().splitlines() if "failed: encrypted:" in line]
    assert len(failure) == 1 and "password-protected" in failure[0]

    # The year 2024-25: four activities of the export, 7.25 hours.
    driver.get(f"{site.url}/member?year={YEAR}")
    assert _summary(driver) == ("7.25 h", "4"), _summary(driver)
    assert _unlabelled(driver) == []

    confirmed = "Anti-money laundering refresher 2025"
    _press(driver, _article(driver, confirmed), "button[value=confirm]")
    assert "Confirmed" in _article(driver, confirmed).find_element(_by("CSS_SELECTOR"), ".review-state").text

    # Edit: 3 hours become 4; the summary follows, and what was read stays shown.
    edited = "Trustee duties under the Trustee Act 2000"
    card = _article(driver, edited)
    card.find_element(_by("CSS_SELECTOR"), "details.edit summary").click()
    hours = card.find_element(_by("CSS_SELECTOR"), "input[name=cpd_hours]")
    hours.clear()
    hours.send_keys("4")
    _press(driver, card, "details.edit button[type=submit]")
    state = _article(driver, edited).find_element(_by("CSS_SELECTOR"), ".review-state").text
    assert "Edited" in state and "cpd hours" in state, state
    assert _summary(driver) == ("8.25 h", "4")

    reflected = "Inheritance tax: ten-year and exit charges"
    card = _article(driver, reflected)
    card.find_element(_by("CSS_SELECTOR"), "details.reflect summary").click()
    card.find_element(_by("CSS_SELECTOR"), "textarea[name=reflection]").send_keys(
        "I now check the ten-year anniversary of every discretionary trust I administer.")
    _press(driver, card, "details.reflect button[type=submit]")
    assert "ten-year anniversary" in _article(driver, reflected).find_element(_by("CSS_SELECTOR"), ".reflection").text

    # Reject: not mine. It counts nowhere: the summary drops its 0.75 hours and the activity.
    rejected = "Data protection for client-facing staff"
    card = _article(driver, rejected)
    from selenium.webdriver.support.ui import Select

    Select(card.find_element(_by("CSS_SELECTOR"), "select[name=reason]")).select_by_value("not_mine")
    _press(driver, card, "button.danger")
    assert "Rejected" in _article(driver, rejected).find_element(_by("CSS_SELECTOR"), ".review-state").text
    assert _summary(driver) == ("7.5 h", "3"), _summary(driver)
    screenshot(driver, site, "member-page")

    # The export follows the member's word: 4 hours for the edited one, the rejected one absent.
    _find(driver, "#export-xlsx").click()
    workbook = load_workbook(io.BytesIO(_downloaded(site.downloads, ".xlsx").read_bytes()), read_only=True)
    cells = [str(c) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert edited in cells and confirmed in cells and rejected not in cells
    _find(driver, "#export-pdf").click()
    assert _downloaded(site.downloads, ".pdf").read_bytes()[:5] == b"%PDF-"

    # Sign out, then as admin: the failed upload with its reason, member and file; its file; reprocess it.
    _find(driver, ".signout button").click()
    wait_for(lambda: driver.current_url.endswith("/signin"), lambda: driver.current_url)
    screenshot(driver, site, "signin-page")
    _sign_in(driver, site, "admin")
    row = _find(driver, "#failed tbody tr")
    assert "alice" in row.text and "encrypted.xlsx" in row.text and "encrypted" in row.text
    assert "password-protected" in row.text
    assert _unlabelled(driver) == []
    screenshot(driver, site, "admin-page")
    row.find_element(_by("LINK_TEXT"), "encrypted.xlsx").click()
    assert _downloaded(site.downloads, "encrypted.xlsx").read_bytes() == BAD.read_bytes()
    row.find_element(_by("CSS_SELECTOR"), "button[name=upload]").click()
    wait_for(lambda: "is queued to be read again" in _find(driver, ".notice").text, lambda: driver.page_source[:2000])
    wait_for(lambda: len([line for line in site.log_text().splitlines() if "failed: encrypted:" in line]) == 2,
             lambda: "the reprocessed upload did not fail again in the log:\n" + site.log_text()[-2000:])
    driver.refresh()
    again = _find(driver, "#failed tbody tr")
    assert "encrypted.xlsx" in again.text and "password-protected" in again.text


def _settled(driver: Any) -> dict[str, Any] | None:
    """The upload rows by file name, once neither is queued or being read (the page reloads by itself)."""
    rows = {r.find_element(_by("CSS_SELECTOR"), "td a").text: r for r in _all(driver, "#uploads tbody tr")}
    if len(rows) == 2 and all(r.get_attribute("data-state") in ("done", "failed") for r in rows.values()) \
            and not _all(driver, "#uploads[data-pending=true]"):
        return rows
    time.sleep(0.25)
    return None


def test_pages_fit_a_phone(site: Site, phone: Any) -> None:
    """On a phone's width, the member's page (with a year of activities) and the admin's page never scroll
    sideways, and every control has a label."""
    import httpx

    with httpx.Client(base_url=site.url, headers={"Authorization": f"Bearer {site.tokens['bob']}"}) as api:
        sent = api.post("/uploads", files={"file": (GOOD.name, GOOD.read_bytes(), "text/csv")})
        assert sent.status_code in (200, 202), sent.text
        wait_for(lambda: api.get(f"/uploads/{sent.json()['id']}").json()["state"] == "done",
                 lambda: site.log_text()[-2000:])
    driver = phone
    for who, path in (("admin", "/console"), ("bob", f"/member?year={YEAR}")):
        driver.get(site.url + "/signin")
        driver.delete_all_cookies()
        _sign_in(driver, site, who)
        driver.get(site.url + path)
        wide = driver.execute_script("return document.documentElement.scrollWidth")
        seen = driver.execute_script("return document.documentElement.clientWidth")
        assert wide <= seen, f"{path} is {wide}px wide on a {seen}px screen"
        assert _unlabelled(driver) == []
    assert _summary(driver) == ("7.25 h", "4")
    screenshot(driver, site, "member-phone")
