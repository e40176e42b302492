"""The page in a real browser (Debian's chromium, headless, driven by Selenium through the
system's chromedriver): the prosecutor example answered through the form one question at
a time, a language switch, a reading switch, the comparison and its diff link, the
keyboard, a phone's width, and no Content-Security-Policy violation."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import disclosure

from serve_support import LiveServer, example

WAIT = 20


def wait(browser: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT, poll_frequency=0.02)


def by_id(browser: Any, name: str) -> Any:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.ID, name)


def settled(browser: Any) -> None:
    """Wait until the page has drawn the service's last answer."""
    wait(browser).until(
        lambda b: b.execute_script(
            "return !document.getElementById('main').hasAttribute('aria-busy')"
            " && document.getElementById('outcome').textContent !== ''"
        )
    )


def open_page(browser: Any, server: LiveServer, lang: str = "en") -> None:
    browser.get(f"{server.url}/?lang={lang}")
    settled(browser)


def set_date(browser: Any, day: str) -> None:
    browser.execute_script(
        "const field = document.getElementById('date'); field.value = arguments[0];"
        "field.dispatchEvent(new Event('change'));",
        day,
    )
    settled(browser)


def asked(browser: Any) -> str | None:
    form = by_id(browser, "question-form")
    return form.get_attribute("data-fact") if form.is_displayed() else None


def answer(browser: Any, value: Any) -> None:
    from selenium.webdriver.common.by import By

    choice = browser.find_element(
        By.CSS_SELECTOR, f"#question-values input[value='{json.dumps(value)}']"
    )
    choice.click()
    by_id(browser, "answer-button").click()
    settled(browser)


def answer_until_determined(browser: Any, facts: dict[str, Any]) -> list[str]:
    """Answer each question the page asks with the value in ``facts``; the facts asked."""
    questions = []
    for _ in range(len(facts) + 1):
        name = asked(browser)
        if name is None:
            break
        questions.append(name)
        answer(browser, facts[name])
    return questions


def outcome(browser: Any) -> str | None:
    value: str | None = by_id(browser, "outcome").get_attribute("data-outcome")
    return value


def csp_violations(browser: Any) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]
    ]


def library_questions(facts: dict[str, Any]) -> list[str]:
    """The questions the library's decisions ask, in turn, for ``facts``."""
    known = {"date": facts["date"]}
    order = []
    while True:
        decision = disclosure.evaluate(known)
        if decision.determined:
            return order
        name = decision.missing_facts[0]
        order.append(name)
        known[name] = facts[name]


def test_the_prosecutor_example_through_the_form(browser: Any, live_server: LiveServer) -> None:
    facts = example("prosecutor-written-request")
    open_page(browser, live_server)
    assert outcome(browser) == "undetermined"
    set_date(browser, facts["date"])
    questions = answer_until_determined(browser, facts)
    # the page asks what the decisions ask, in their order: never a fixed list
    assert questions == library_questions(facts)
    assert len(questions) < len(facts) - 1 or set(questions) <= set(facts)
    assert outcome(browser) == "obliged"
    decision = disclosure.evaluate(facts)
    details = by_id(browser, "decision-details").text
    assert "Code d'instruction criminelle, art. 46bis/1 §1" in details
    assert "the institution" in details  # duty bearer
    assert decision.side_obligations[0].summary.en[:40] in details
    assert decision.sanctions[0].summary.en[:40] in details
    assert decision.receipt.version in details
    assert not by_id(browser, "question-done").get_attribute("hidden")
    # every answer is listed, and can be changed
    answers = by_id(browser, "answers").text
    assert answers.count("Change") == len(questions)
    assert csp_violations(browser) == []


def test_changing_an_answer_asks_again(browser: Any, live_server: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    facts = example("prosecutor-written-request")
    open_page(browser, live_server)
    set_date(browser, facts["date"])
    answer_until_determined(browser, facts)
    browser.find_element(By.CSS_SELECTOR, "#answers li[data-fact='authority'] button").click()
    settled(browser)
    assert outcome(browser) == "undetermined"
    assert asked(browser) == "authority"
    answer(browser, "police")
    assert outcome(browser) == "forbidden" or asked(browser) is not None


def test_the_language_switch(browser: Any, live_server: LiveServer) -> None:
    from selenium.webdriver.support.ui import Select

    family = disclosure.load()
    open_page(browser, live_server, "en")
    name = asked(browser)
    assert name is not None
    assert by_id(browser, "question-text").text == family.vocabulary[name].meaning.en
    Select(by_id(browser, "lang")).select_by_value("fr")
    assert browser.find_element("css selector", "html").get_attribute("lang") == "fr"
    assert by_id(browser, "question-text").text == family.vocabulary[name].meaning.fr
    assert by_id(browser, "situation-title").text == "La situation"
    assert by_id(browser, "outcome").text.startswith("Indéterminé")
    Select(by_id(browser, "lang")).select_by_value("nl")
    assert by_id(browser, "question-text").text == family.vocabulary[name].meaning.nl
    assert by_id(browser, "answer-button").text == "Antwoorden"
    Select(by_id(browser, "lang")).select_by_value("en")
    assert csp_violations(browser) == []


def test_the_reading_switch(browser: Any, live_server: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    facts = example("federal-prosecutor-request")
    point = next(p for p in disclosure.load().contested if p.id == "federal_prosecutor")
    other = next(r for r in point.reading_ids if r != point.default)
    as_default = disclosure.evaluate(facts).outcome
    as_other = disclosure.evaluate(facts, readings={point.id: other}).outcome
    assert as_default is not None
    assert as_other is not None
    assert as_default != as_other, "the example is there to show a contested point"

    open_page(browser, live_server)
    set_date(browser, facts["date"])
    questions = answer_until_determined(browser, facts)
    assert outcome(browser) == as_default.value
    known = {name: facts[name] for name in ["date", *questions]}
    dependency = next(c for c in disclosure.evaluate(known).contested if c.point == point.id)
    gives = dependency.alternatives[other]
    switch = browser.find_element(By.CSS_SELECTOR, f"fieldset[data-point='{point.id}']")
    assert point.question.en[:40] in switch.text
    # what the other reading gives with the facts given so far, before choosing it
    shown = gives.value.replace("_", " ") if gives else "undetermined"
    assert f"This reading gives: {shown}" in switch.text
    switch.find_element(By.CSS_SELECTOR, f"input[value='{other}']").click()
    settled(browser)
    if gives is None:  # the other reading needs more facts: the form asks again
        assert outcome(browser) == "undetermined"
        assert asked(browser) is not None
        answer_until_determined(browser, facts)
    assert outcome(browser) == as_other.value
    # the comparison follows the reading too
    row = browser.find_element(By.CSS_SELECTOR, "tr.in-force [data-outcome]")
    assert row.get_attribute("data-outcome") == as_other.value
    # back to the default reading
    switch = browser.find_element(By.CSS_SELECTOR, f"fieldset[data-point='{point.id}']")
    switch.find_element(By.CSS_SELECTOR, f"input[value='{point.default}']").click()
    settled(browser)
    if asked(browser) is not None:
        answer_until_determined(browser, facts)
    assert outcome(browser) == as_default.value
    assert csp_violations(browser) == []


def test_the_comparison_and_the_diff_link(browser: Any, live_server: LiveServer) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    facts = example("prosecutor-written-request")
    open_page(browser, live_server)
    set_date(browser, facts["date"])
    answer_until_determined(browser, facts)
    rows = browser.find_elements(By.CSS_SELECTOR, "#comparison-table tbody tr")
    comparison = disclosure.compare(facts, known_on=dt.date.today())
    assert len(rows) == len(comparison.sides)
    for row, side, decision in zip(rows, comparison.sides, comparison.decisions, strict=True):
        assert row.get_attribute("data-version") == decision.receipt.version
        shown = row.find_element(By.CSS_SELECTOR, "[data-outcome]").get_attribute("data-outcome")
        assert shown == decision.outcome.value, side.label
    in_force = browser.find_element(By.CSS_SELECTOR, "tr.in-force")
    assert in_force.get_attribute("data-version") == disclosure.evaluate(facts).receipt.version
    Select(by_id(browser, "diff-a")).select_by_value("prior")
    Select(by_id(browser, "diff-b")).select_by_value("terrorism-2017")
    link = by_id(browser, "diff-link")
    assert link.get_attribute("href").endswith(
        "/v1/diff?a=prior&b=terrorism-2017&format=html&lang=en"
    )
    first = browser.current_window_handle
    link.click()
    wait(browser).until(lambda b: len(b.window_handles) == 2)
    report = next(handle for handle in browser.window_handles if handle != first)
    browser.switch_to.window(report)
    try:
        wait(browser).until(lambda b: "prior" in b.title)
        assert "terrorism-2017" in browser.title
        assert browser.find_element(By.CSS_SELECTOR, "h1").text
        assert csp_violations(browser) == []
    finally:
        browser.close()
        browser.switch_to.window(first)


def test_the_law_as_known_on_a_date(browser: Any, live_server: LiveServer) -> None:
    """The annulment of art. 46bis/1 §3 was retroactive: as known today the 2018 report
    was forbidden, as known in 2018 it was obliged; the comparison follows."""
    from selenium.webdriver.common.by import By

    facts = example("own-initiative-report-2018")
    open_page(browser, live_server)
    set_date(browser, facts["date"])
    answer_until_determined(browser, facts)
    assert outcome(browser) == "forbidden"
    browser.execute_script(
        "const field = document.getElementById('known-on'); field.value = '2018-06-15';"
        "field.dispatchEvent(new Event('change'));"
    )
    settled(browser)
    if asked(browser) is not None:  # the law as then known may wait for other facts
        answer_until_determined(browser, facts)
    assert outcome(browser) == "obliged"
    assert "as known on 2018-06-15" in by_id(browser, "decision-details").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#comparison-table tbody tr")
    # the versions known in June 2018 only, each as then known
    known = [v.id for v in disclosure.versions() if v.known_from <= dt.date(2018, 6, 15)]
    assert [row.get_attribute("data-version") for row in rows] == known
    in_force = browser.find_element(By.CSS_SELECTOR, "tr.in-force [data-outcome]")
    assert in_force.get_attribute("data-outcome") == "obliged"


def test_the_keyboard_alone_answers_a_question(browser: Any, live_server: LiveServer) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_page(browser, live_server)
    first = asked(browser)
    by_id(browser, "lang").click()  # start from the top of the page
    browser.execute_script("document.activeElement.blur()")
    # tab to the first choice of the question, choose with the arrows, send with Enter
    for _ in range(40):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        active = browser.switch_to.active_element
        if active.get_attribute("name") == "value":
            break
    else:
        pytest.fail("the question's choices cannot be reached with the keyboard")
    ActionChains(browser).send_keys(Keys.SPACE).perform()
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    settled(browser)
    assert first in by_id(browser, "answers").get_attribute("innerHTML")
    assert asked(browser) != first
    # the next question has the focus, so the keyboard goes on from there
    assert browser.switch_to.active_element.get_attribute("name") == "value"


def test_every_field_has_a_label(browser: Any, live_server: LiveServer) -> None:
    facts = example("federal-prosecutor-request")
    open_page(browser, live_server)
    set_date(browser, facts["date"])
    answer_until_determined(browser, facts)  # contested points on screen too
    unlabelled = browser.execute_script(
        """
        return Array.from(document.querySelectorAll('input, select, textarea'))
          .filter((field) => !(field.labels && field.labels.length) &&
                             !field.getAttribute('aria-label'))
          .map((field) => field.id || field.name);
        """
    )
    assert unlabelled == []
    buttons = browser.execute_script(
        "return Array.from(document.querySelectorAll('button, a'))"
        ".filter((b) => !(b.textContent.trim() || b.getAttribute('aria-label')))"
        ".map((b) => b.outerHTML);"
    )
    assert buttons == []


def test_readable_on_a_phone(browser: Any, live_server: LiveServer) -> None:
    size = browser.get_window_size()
    browser.set_window_size(375, 800)
    try:
        facts = example("prosecutor-written-request")
        open_page(browser, live_server)
        assert browser.execute_script("return window.innerWidth") <= 400
        set_date(browser, facts["date"])
        answer_until_determined(browser, facts)
        assert outcome(browser) == "obliged"
        widths = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], "the page scrolls sideways on a phone"
        font = browser.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
        assert font >= 14
    finally:
        browser.set_window_size(size["width"], size["height"])


def test_with_a_token_the_page_asks_for_it(browser: Any, tmp_path: Any) -> None:
    from disclosure._cli.serve import ServeConfig
    from disclosure._serve.app import create_app

    token = "page-token-0123456789abcdef"
    path = tmp_path / "token"
    path.write_text(token, "utf-8")
    with LiveServer(create_app(ServeConfig(token_file=str(path)))) as server:
        browser.get(f"{server.url}/?lang=en")
        wait(browser).until(lambda b: by_id(b, "token-box").is_displayed())
        by_id(browser, "token").send_keys(token)
        by_id(browser, "token-form").submit()
        settled(browser)
        assert asked(browser) is not None
        assert not by_id(browser, "token-box").is_displayed()
