"""Take the screenshot of the page in the documentation (docs/images/serve-page.png).

    python tests/serve/screenshot.py [PATH]

Serves the bundled law on a free loopback port, answers the prosecutor's written request
(docs/examples/prosecutor-written-request.json) through the form in headless chromium,
and saves the whole page as a PNG.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from disclosure._cli.serve import ServeConfig
from disclosure._serve.app import create_app

from serve_support import ROOT, LiveServer, example, new_browser

WIDTH = 1200


def settled(browser: object) -> None:
    WebDriverWait(browser, 20, poll_frequency=0.02).until(
        lambda b: b.execute_script(
            "return !document.getElementById('main').hasAttribute('aria-busy')"
            " && document.getElementById('outcome').textContent !== ''"
        )
    )


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "serve-page.png"
    facts = example("prosecutor-written-request")
    with LiveServer(create_app(ServeConfig())) as server:
        browser = new_browser(width=WIDTH, height=1000)
        try:
            browser.get(f"{server.url}/?lang=en")
            settled(browser)
            browser.execute_script(
                "const field = document.getElementById('date'); field.value = arguments[0];"
                "field.dispatchEvent(new Event('change'));",
                facts["date"],
            )
            settled(browser)
            for _ in range(len(facts)):
                form = browser.find_element(By.ID, "question-form")
                if not form.is_displayed():
                    break
                value = json.dumps(facts[form.get_attribute("data-fact")])
                browser.find_element(
                    By.CSS_SELECTOR, f"#question-values input[value='{value}']"
                ).click()
                browser.find_element(By.ID, "answer-button").click()
                settled(browser)
            browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
            height = browser.execute_script("return document.documentElement.scrollHeight")
            # the window's outer size holds the browser's frame: grow it until all fits
            browser.set_window_size(WIDTH, height)
            inner = browser.execute_script("return window.innerHeight")
            browser.set_window_size(WIDTH, height + (height - inner))
            target.parent.mkdir(parents=True, exist_ok=True)
            browser.save_screenshot(str(target))
        finally:
            browser.quit()
    print(f"wrote {target}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: support
    main()
