"""The chat as a person uses it: the real server (``motionqa serve`` in a subprocess, so it can be
restarted), a real headless Chromium, a real conversation, axe-core for accessibility.

The server runs with an API key set, so the browser first logs in on the chat's login page
(any user name, the key as password), as an operator's users would. One server and one browser
serve the whole module; the tests run in file order and build on each other's conversation only
where they say so. Set ``MOTIONQA_UI_SCREENSHOTS=dir`` to keep desktop, phone, document-view, phone
document-sheet and English screenshots.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from eval.bench.server import ServerProcess  # noqa: E402

pytestmark = [pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = ROOT / "tests" / "browser"
API_KEY = "ui-test-key"
ANSWER_TIMEOUT = 120
DESKTOP = (1366, 768)
PHONE = (390, 844)
FIRST_QUESTION = "Hur lång tid tar det innan en våldtäktsanmälan leder till ett första förhör?"
FIRST_SECTION = "Hanteringen av sexualbrott och mäns våld mot kvinnor och barn"
TOPIC_QUESTION = "Vad säger motionen om barnahus?"
FOLLOW_UP = "Hur många finns det?"  # alone it lands elsewhere; only the conversation makes it about barnahus
FOLLOW_UP_SECTION = "Likvärdiga barnahus i hela landet"
OVERVIEW = "Vad vill Vänsterpartiet att regeringen ska göra?"  # 21 lines: streams for a while
OFF_TOPIC = "Vem vann melodifestivalen förra året?"
YRKANDE_QUESTION = "Vad står det i yrkande 3?"  # after the barnahus question: the reference, not the history
PETROL_QUESTION = "Vill Vänsterpartiet höja skatten på bensin?"  # the motion never says "bensin"
COST_QUESTION = "Hur mycket kostar barnahusen?"  # the topic is there, an amount is not
ENGLISH_WHY = "Why does the motion want a new women's peace commission?"
LOG_TURNS = "#mq-log .mq-exchange"
SENT, FAILED = "Network.requestWillBeSent", "Network.loadingFailed"  # DevTools network events
FOUR_LINES = ["Första raden av en lång fråga", "andra raden", "tredje raden", "fjärde raden?"]
SWEDISH_TEMPLATE_WORDS = {"vad", "säger", "står", "motionen", "läs", "visa", "nästa", "avsnitt", "avsnittet", "om"}

# From the click that sends a question: when its first answer text shows in the live turn, and
# when the finished turn lands in the log with its sources (resolves then).
PROBE_JS = """
const [trigger, turnsBefore, done] = arguments;
const t0 = performance.now();
let first = null;
const live = document.querySelector('#mq-live');
const seen = () => {
  const text = live.querySelector('.mq-bot p:not(.mq-searching)');
  if (first === null && text && text.textContent.trim()) first = performance.now() - t0;
};
const observer = new MutationObserver(seen);
observer.observe(live, {subtree: true, childList: true, characterData: true});
const timer = setInterval(() => {
  const turns = document.querySelectorAll('#mq-log .mq-exchange').length;
  if (turns > turnsBefore && !live.querySelector('.mq-streaming')) {
    clearInterval(timer);
    observer.disconnect();
    done({first_ms: first, complete_ms: performance.now() - t0});
  }
}, 5);
trigger.click();
"""
# Sends questions as a hurried reader does: ``gap`` ms apart, or all in one go (``gap`` null). After
# each send, how many questions wait in the visible queue.
SEND_FAST_JS = """
const [questions, gap, done] = arguments;
const box = document.querySelector('#mq-question textarea');
const send = document.querySelector('#mq-send');
const waiting = [];
const sendOne = (question) => {
  box.value = question;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  send.click();
  waiting.push(document.querySelectorAll('#mq-queue:not([hidden]) li').length);
};
const finish = () => {
  const queue = document.querySelector('#mq-queue');
  done({waiting, status: document.querySelector('#mq-status').textContent, box: box.value,
        shown: queue.checkVisibility(), label: queue.getAttribute('aria-label'),
        queued: [...queue.querySelectorAll('li p')].map((p) => p.textContent)});
};
if (gap === null) { questions.forEach(sendOne); finish(); }
else questions.forEach((q, i) => setTimeout(() => { sendOne(q); if (i === questions.length - 1) finish(); }, i * gap));
"""
SETTLED_JS = "return document.getAnimations().every(a => a.playState !== 'running')"
AXE_RUN_JS = """
const done = arguments[0];
axe.run(document, {resultTypes: ['violations']}).then(result => done(result.violations.map(v => ({
  id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary).slice(0, 3)
}))));
"""


@dataclass
class Asked:
    answer: str
    sections: list[str]
    first_ms: float | None
    complete_ms: float


class Server(ServerProcess):
    """``motionqa serve`` with the API key and a feedback log of its own; ``down``/``up`` restart it
    on the same port."""

    def __init__(self, folder: Path) -> None:
        self.feedback = folder / "feedback.jsonl"
        env = {**os.environ, "MOTIONQA_API_KEY": API_KEY, "MOTIONQA_FEEDBACK_PATH": str(self.feedback)}
        super().__init__(env, folder / "server.log")

    def up(self) -> None:
        self.start()
        self.wait_ready()

    def down(self) -> None:
        self.__exit__()


def _browser_paths() -> tuple[str, str] | None:
    browser = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def _install_browser() -> None:
    """Debian's chromium + chromium-driver from the package registry, when we may (root, apt-get)."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    quiet: dict[str, Any] = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "timeout": 900, "check": False}
    subprocess.run(["apt-get", "update", "-q"], **quiet)
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"], **quiet)


def _axe_source() -> str:
    """axe-core as pinned in tests/browser/package-lock.json, installed there by ``npm ci`` when missing."""
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install the pinned axe-core (apt-get install npm)")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=AXE_DIR, check=True, timeout=300, capture_output=True
        )
    return script.read_text()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("ui-server"))
    running.up()
    yield running
    running.down()


def _chromium(language: str, network_log: bool = False) -> WebDriver:
    """Chromium asking for ``language``; with ``network_log``, its DevTools network events in the performance log."""
    paths = _browser_paths()
    if paths is None:
        _install_browser()
        paths = _browser_paths()
    if paths is None:
        pytest.skip("no Chromium + chromedriver on this machine (apt-get install chromium chromium-driver)")
    options = Options()
    options.binary_location = paths[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--lang={language}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    if network_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    driver.set_script_timeout(ANSWER_TIMEOUT)
    viewport(driver, DESKTOP)
    return driver


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    """A Swedish-speaking reader's browser, shared by the tests (and its localStorage with them)."""
    driver = _chromium("sv-SE,sv")
    yield driver
    driver.quit()


def viewport(driver: WebDriver, size: tuple[int, int]) -> None:
    """The page's layout viewport exactly, as on that device (a phone also reports itself as mobile)."""
    width, height = size
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


# --- the tests ------------------------------------------------------------------------------


def test_landing_page_is_swedish_labelled_fits_and_passes_axe(browser: WebDriver, server: Server) -> None:
    open_chat(browser, server.url, fresh=True)
    assert browser.execute_script("return document.documentElement.lang") == "sv"
    header = browser.find_element(By.ID, "mq-header").text
    assert "Mäns våld mot kvinnor och barn" in header and "Vänsterpartiet" in header and "2025/26" in header
    assert "API" not in header, "the API link is for developers: in the footer"
    assert browser.find_element(By.CSS_SELECTOR, "footer.mq-footer a[href='/docs']").text == "API-dokumentation"
    examples = [b.text for b in browser.find_elements(By.CSS_SELECTOR, ".mq-empty [data-action=ask]")]
    shipped = motion_examples()
    assert examples == [*shipped["sv"], shipped["en"][0]], "the example questions come from the motion's metadata"
    box = browser.find_element(By.CSS_SELECTOR, "#mq-question textarea")
    assert box.accessible_name == "Din fråga"
    assert browser.find_element(By.ID, "mq-send").text == "Skicka"
    for size in (DESKTOP, PHONE):
        viewport(browser, size)
        assert fully_visible(browser, box), f"the question box is below the fold at {size}"
        assert page_height(browser) <= window_height(browser), f"the page scrolls at {size}"
        assert_axe_clean(browser, f"landing page {size}", themes=("light", "dark"))
    viewport(browser, DESKTOP)


def test_a_long_question_grows_the_box_upward_and_refusals_come_in_words(browser: WebDriver, server: Server) -> None:
    """Send stays in view however many lines; empty and over-long questions are refused in place, in
    Swedish, with a character count near the limit; no toast covers the header."""
    box = browser.find_element(By.CSS_SELECTOR, "#mq-question textarea")
    send = browser.find_element(By.ID, "mq-send")
    one_line = box.size["height"]
    for size in (DESKTOP, PHONE):
        viewport(browser, size)
        type_lines(box, FOUR_LINES)
        assert box.get_attribute("value") == "\n".join(FOUR_LINES)
        WebDriverWait(browser, 5).until(lambda d: box.size["height"] >= 2 * one_line)
        assert fully_visible(browser, send) and fully_visible(browser, box), f"Send is off the screen at {size}"
        assert page_height(browser) <= window_height(browser), f"the page grew past the window at {size}"
        bottom = browser.execute_script("return arguments[0].getBoundingClientRect().bottom", send)
        print(f"four-line question at {size}: Send's bottom {bottom:.0f} px of {window_height(browser)}")
        box.clear()
    viewport(browser, DESKTOP)
    refusal = browser.find_element(By.ID, "mq-refusal")
    count = browser.find_element(By.ID, "mq-count")

    send.click()
    WebDriverWait(browser, 5).until(lambda d: refusal.text == "Skriv en fråga först.")
    assert browser.switch_to.active_element == box and not questions_in_log(browser)

    fill(browser, box, "x" * 1500)
    assert not count.is_displayed(), "no count far from the limit"
    fill(browser, box, "x" * 1700)
    assert count.text == "1 700 av 2 000 tecken" and refusal.text == ""
    fill(browser, box, "x" * 2100)
    assert "mq-over" in count.get_attribute("class") and box.get_attribute("aria-invalid") == "true"
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 5).until(lambda d: refusal.text == "Frågan är 2 100 tecken lång; gränsen är 2 000.")
    assert box.get_attribute("value") == "x" * 2100, "a refused question stays in the box to be shortened"
    assert no_toast_and_header_free(browser)

    # The server's own refusal (here: the page's check switched off) is shown the same way, in place.
    browser.execute_script("document.getElementById('mq-notice').dataset.limit = '100000'")
    send.click()
    WebDriverWait(browser, 30).until(lambda d: refusal.text == "Frågan är 2100 tecken lång; gränsen är 2000.")
    assert no_toast_and_header_free(browser) and not questions_in_log(browser)
    queued = browser.find_element(By.CSS_SELECTOR, "#mq-queue li")
    assert "Inte besvarad" in queued.text, "an unanswered question is kept, not lost"
    queued.find_element(By.CSS_SELECTOR, "[data-action=unqueue]").click()
    WebDriverWait(browser, 5).until(lambda d: not d.find_element(By.ID, "mq-queue").is_displayed())
    browser.execute_script("document.getElementById('mq-notice').dataset.limit = '2000'")


def test_citation_scrolls_to_its_card_and_the_motion_opens_at_the_passage(browser: WebDriver, server: Server) -> None:
    first = ask(browser, FIRST_QUESTION)
    assert "55 dagar" in first.answer and "[1]" in first.answer
    assert FIRST_SECTION in first.sections
    newest = newest_sources(browser)
    cards = newest.find_elements(By.CSS_SELECTOR, "article.mq-source")
    passages = [text_of(c.find_element(By.CSS_SELECTOR, ".mq-passage")) for c in cards]
    assert len(passages) == len(set(passages)), "one card per passage"
    assert "55 dagar" in newest.find_element(By.TAG_NAME, "mark").text

    # [1] in the answer: its card scrolls into the side panel's view, flashes and takes focus; the window stays.
    browser.execute_script("document.getElementById('mq-side').scrollTop = 100000")
    cite = last_answer(browser).find_element(By.CSS_SELECTOR, "a.mq-cite")
    card = browser.find_element(By.ID, cite.get_attribute("href").split("#")[1])
    cite.click()
    WebDriverWait(browser, 5).until(lambda d: "mq-flash" in (card.get_attribute("class") or ""))
    assert in_view(browser, card), "the cited card was not scrolled into view"
    assert browser.switch_to.active_element == card
    assert window_scroll(browser) == 0, "jumping to a source scrolled the window"

    # "Visa i motionen": the document view, scrolled to the passage, the quoted sentence highlighted.
    quoted = text_of(card.find_element(By.TAG_NAME, "mark"))
    card.find_element(By.CSS_SELECTOR, "[data-action=document]").click()
    document = browser.find_element(By.ID, "mq-document")
    WebDriverWait(browser, 5).until(lambda d: document.is_displayed())
    hits = document.find_elements(By.CSS_SELECTOR, ".mq-hit")
    assert hits and quoted[:60] in " ".join(text_of(h) for h in hits)
    assert in_view(browser, hits[0]) and window_scroll(browser) == 0
    assert not browser.find_element(By.ID, "mq-sources").is_displayed()
    current = browser.find_element(By.ID, "mq-current")
    assert current.text == f"Du läser: {FIRST_SECTION}", "the section being read is named"

    # Scrolling the motion keeps the tabs in view, and the section name follows.
    browser.execute_script("document.getElementById('mq-side').scrollTop += 6000")
    WebDriverWait(browser, 5).until(lambda d: current.text != f"Du läser: {FIRST_SECTION}")
    assert in_view(browser, browser.find_element(By.ID, "mq-tab-sources")) and in_view(browser, current)
    heading_above = browser.execute_script(
        """const top = document.getElementById('mq-current').getBoundingClientRect().bottom;
        const above = [...document.querySelectorAll('#mq-document .mq-doc-text > h4')]
          .filter(h => h.getBoundingClientRect().top < top);
        return above.length ? above[above.length - 1].textContent.trim() : null;"""
    )
    assert current.text == f"Du läser: {heading_above}"

    # The contents: a yrkande opens the section that argues it; a footnote marker shows the footnote.
    browser.execute_script("document.getElementById('mq-side').scrollTop = 0")
    browser.find_element(By.CSS_SELECTOR, ".mq-toc details:nth-of-type(2) > summary").click()
    yrkande_link = browser.find_element(By.CSS_SELECTOR, ".mq-toc-yrkanden a[data-yrkande='4']")
    yrkande_link.click()
    section = browser.find_element(By.ID, yrkande_link.get_attribute("href").split("#")[1])
    assert "Stödcenter för vuxna utsatta för sexualiserat våld" in section.text and in_view(browser, section)
    marker = browser.find_element(By.ID, "mq-doc-fnref-1")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", marker)  # as a reader scrolls to it
    marker.click()
    footnote = browser.find_element(By.ID, "mq-doc-fn-1")
    assert in_view(browser, footnote) and "Connell" in footnote.text and window_scroll(browser) == 0
    save_screenshot(browser, "document.png", DESKTOP)
    browser.find_element(By.ID, "mq-tab-sources").click()
    assert browser.find_element(By.ID, "mq-sources").is_displayed()

    # Copy: the answer with each quote and where it stands, as plain text.
    copy = last_answer(browser).find_element(By.CSS_SELECTOR, "[data-action=copy]")
    copy.click()
    WebDriverWait(browser, 5).until(lambda d: copy.text == "Kopierat")
    copied = browser.execute_script("return window.mqLastCopied")
    assert "55 dagar" in copied and f"[1] {FIRST_SECTION}" in copied and "”" in copied and "<" not in copied

    # Follow-ups come from the motion's structure, worded in Swedish with the headings quoted: the next
    # section is one of them (asked, or opened in the motion), the introduction never.
    suggestions = last_answer(browser).find_elements(By.CSS_SELECTOR, ".mq-followups .mq-suggestion")
    labels = [s.text for s in suggestions]
    neighbour = "Stödcenter för vuxna utsatta för sexualiserat våld"
    assert any(f"«{neighbour}»" in label for label in labels) and not any("Inledning" in s for s in labels), labels
    assert all(label.split()[0] in ("Vad", "Läs", "Visa", "Hur") for label in labels), labels
    step = next(s for s in suggestions if neighbour in s.text)
    assert step.find_element(By.CSS_SELECTOR, "span[lang=sv]").text == neighbour
    if step.get_attribute("data-action") == "ask":
        followed = ask(browser, None, trigger=step)
        assert neighbour in followed.sections
        print(f"follow-up: first text {followed.first_ms:.0f} ms, complete {followed.complete_ms:.0f} ms")
    else:
        step.click()
        opened = browser.find_element(By.ID, step.get_attribute("data-target"))
        WebDriverWait(browser, 5).until(lambda d: in_view(d, opened))
        assert neighbour in opened.text
        browser.find_element(By.ID, "mq-tab-sources").click()
    print(f"time to first text {first.first_ms:.0f} ms, complete answer {first.complete_ms:.0f} ms")


def test_a_reload_keeps_the_conversation_and_the_half_typed_question(browser: WebDriver, server: Server) -> None:
    asked_before = questions_in_log(browser)
    assert asked_before
    box = browser.find_element(By.CSS_SELECTOR, "#mq-question textarea")
    box.send_keys("Vad säger motionen om")
    browser.refresh()
    wait_ready(browser)
    WebDriverWait(browser, 20).until(lambda d: questions_in_log(d) == asked_before)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#mq-sources section.mq-turn-sources")) == len(asked_before)
    box = browser.find_element(By.CSS_SELECTOR, "#mq-question textarea")
    WebDriverWait(browser, 10).until(lambda d: box.get_attribute("value") == "Vad säger motionen om")
    box.clear()
    browser.execute_script("localStorage.removeItem('mq-draft')")


FAST = [OVERVIEW, "Vad är IPVI?", FIRST_QUESTION]
AT_ONCE = [OFF_TOPIC, "Vad är ekonomiskt våld?", TOPIC_QUESTION]


def test_questions_sent_in_a_hurry_are_all_asked_in_order_and_the_queue_shows(
    browser: WebDriver, server: Server
) -> None:
    """Three questions 10 ms apart (the 21-line overview first, so the others wait) are all answered, in
    order; three sent at once show as a queue of two, said in words, and are answered in order too."""
    start_over(browser)
    sent = browser.execute_async_script(SEND_FAST_JS, FAST, 10)
    assert sent["box"] == ""
    WebDriverWait(browser, ANSWER_TIMEOUT).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, LOG_TURNS)) == 3)
    assert questions_in_log(browser) == FAST
    answers = [answer_text(a) for a in browser.find_elements(By.CSS_SELECTOR, "#mq-log .mq-bot")]
    assert "Motionen har 21 yrkanden" in answers[0] and "IPVI" in answers[1] and "55 dagar" in answers[2]

    viewport(browser, PHONE)
    sent = browser.execute_async_script(SEND_FAST_JS, AT_ONCE, None)
    assert sent["waiting"] == [0, 1, 2] and sent["status"] == "Frågan skickas när svaret är klart."
    assert sent["shown"] and sent["label"] == "Frågor som väntar" and sent["queued"] == AT_ONCE[1:]
    queue = browser.find_element(By.ID, "mq-queue")
    WebDriverWait(browser, ANSWER_TIMEOUT).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, LOG_TURNS)) == 6)
    WebDriverWait(browser, 10).until(lambda d: not queue.is_displayed())
    assert questions_in_log(browser) == FAST + AT_ONCE
    viewport(browser, DESKTOP)


def test_the_conversation_survives_a_server_restart(browser: WebDriver, server: Server) -> None:
    """A question sent while the server is down: our banner, then (Gradio reloads the page once the
    server is back) the conversation is restored and the question is asked, without being sent again;
    the follow-up, which needs the earlier question, is answered: the new server learns the history
    from the browser."""
    before = questions_in_log(browser)
    assert before[-1] == TOPIC_QUESTION
    server.down()
    try:
        browser.find_element(By.CSS_SELECTOR, "#mq-question textarea").send_keys(FOLLOW_UP)
        browser.find_element(By.ID, "mq-send").click()
        banner = browser.find_element(By.ID, "mq-connection")
        WebDriverWait(browser, 30).until(lambda d: banner.is_displayed())
        assert banner.text == "Anslutningen bröts – försöker igen …"
        assert not [t for t in browser.find_elements(By.CSS_SELECTOR, "[data-testid=toast-body]") if t.is_displayed()]
    finally:
        server.up()
    # The restarted server has forgotten the login too: the reloaded page asks for the key.
    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "input[type=password]"))
    wait_ready(browser, login=True)
    WebDriverWait(browser, ANSWER_TIMEOUT).until(lambda d: questions_in_log(d) == [*before, FOLLOW_UP])
    WebDriverWait(browser, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#mq-live .mq-streaming"))
    follow_up = answer_text(last_answer(browser))
    assert FOLLOW_UP_SECTION in text_of(newest_sources(browser).find_element(By.CSS_SELECTOR, "article.mq-source h3"))
    assert "trettiotal" in follow_up or "247 av landets 290 kommuner" in follow_up
    assert browser.find_element(By.CSS_SELECTOR, "#mq-question textarea").get_attribute("value") == ""


def test_a_thumbs_down_with_a_comment_lands_in_the_feedback_log(browser: WebDriver, server: Server) -> None:
    """The comment box opens in view with the pressed thumb keeping focus; sending confirms in words and
    puts focus on the answer."""
    asked = questions_in_log(browser)
    last = f"{LOG_TURNS}:last-of-type"
    browser.find_element(By.CSS_SELECTOR, f"{last} [data-action=feedback][data-value=down]").click()
    WebDriverWait(browser, 10).until(lambda d: logged(server))
    pressed = WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, f"{last} [data-value=down][aria-pressed=true]")
    )
    form = browser.find_element(By.CSS_SELECTOR, f"{last} form.mq-comment")
    WebDriverWait(browser, 5).until(lambda d: d.switch_to.active_element == pressed)
    assert fully_in_view(browser, form), "the comment box opened below the fold"
    form.find_element(By.TAG_NAME, "textarea").send_keys("Svaret nämner inte Göteborg.")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: len(logged(server)) == 2)
    saved = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, f"{last} .mq-saved"))
    assert saved.text == "Tack – kommentaren är sparad." and in_view(browser, saved)
    answer = browser.find_element(By.CSS_SELECTOR, f"{last} .mq-bot")
    WebDriverWait(browser, 5).until(lambda d: d.switch_to.active_element == answer)
    vote, commented = logged(server)
    for record in (vote, commented):
        assert record["vote"] == "down" and record["question"] == FOLLOW_UP and record["citations"]
        assert [t["content"] for t in record["history"] if t["role"] == "user"] == asked[:-1]
    assert vote["comment"] is None and commented["comment"] == "Svaret nämner inte Göteborg."


def test_keyboard_only_ask_cite_document_and_back_in_one_step(browser: WebDriver, server: Server) -> None:
    start_over(browser)
    browser.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    box = tab_to(browser, lambda e: e.tag_name == "textarea" and is_question_box(e))
    box.send_keys(TOPIC_QUESTION, Keys.ENTER)
    WebDriverWait(browser, ANSWER_TIMEOUT).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, LOG_TURNS)) == 1)
    WebDriverWait(browser, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#mq-live .mq-streaming"))
    cite = tab_to(browser, lambda e: "mq-cite" in (e.get_attribute("class") or ""), backwards=True)
    cite.send_keys(Keys.ENTER)
    card = browser.switch_to.active_element
    assert "mq-source" in (card.get_attribute("class") or "") and in_view(browser, card)
    to_document = tab_to(browser, lambda e: e.get_attribute("data-action") == "document")
    to_document.send_keys(Keys.ENTER)
    assert browser.find_element(By.ID, "mq-document").is_displayed()
    assert browser.switch_to.active_element.find_elements(By.CSS_SELECTOR, ".mq-hit")
    # From the passage, the conversation is one Shift+Tab and Enter away (before: 63 Shift+Tabs).
    presses = []
    skip = tab_to(browser, lambda e: e.get_attribute("id") == "mq-skip-back", backwards=True, limit=5, count=presses)
    assert presses == [1] and skip.text == "Tillbaka till samtalet" and in_view(browser, skip)
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element == cite, "back at the citation that led to the motion"
    # Escape from anywhere in the panel does the same.
    browser.find_element(By.ID, "mq-tab-document").click()
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert browser.switch_to.active_element == cite
    new = tab_to(browser, lambda e: e.get_attribute("id") == "mq-new", backwards=True, limit=60)
    new.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, LOG_TURNS))


def test_on_a_phone_the_motion_is_a_full_screen_sheet_and_nothing_covers_the_chat(
    browser: WebDriver, server: Server
) -> None:
    open_chat(browser, server.url, fresh=True)
    ask(browser, TOPIC_QUESTION)
    ask(browser, OFF_TOPIC)
    ask(browser, FOLLOW_UP)
    for size in (DESKTOP, PHONE):
        viewport(browser, size)
        assert fully_visible(browser, browser.find_element(By.CSS_SELECTOR, "#mq-question textarea"))
        assert page_height(browser) <= window_height(browser)
        assert_axe_clean(browser, f"after answers {size}", themes=("light", "dark"))
    save_screenshot(browser, "chat.png", DESKTOP)
    save_screenshot(browser, "chat-mobile.png", PHONE)

    viewport(browser, PHONE)
    height = page_height(browser)
    nav = browser.find_element(By.ID, "mq-phone-sources")
    cards = len(newest_sources(browser).find_elements(By.CSS_SELECTOR, "article.mq-source"))
    WebDriverWait(browser, 5).until(lambda d: nav.text == f"Källor ({cards})")
    for other in ("mq-scroll", "mq-input-row"):
        assert not overlaps(browser, nav, browser.find_element(By.ID, other)), f"the sources button covers #{other}"
    assert not browser.find_element(By.ID, "mq-side").is_displayed(), "the panel waits behind its buttons"

    # A citation opens the sources as a sheet over the whole window, at its card; the page does not grow.
    cite = last_answer(browser).find_element(By.CSS_SELECTOR, "a.mq-cite")
    cite.click()
    card = browser.switch_to.active_element
    assert "mq-source" in (card.get_attribute("class") or "") and in_view(browser, card)
    side = browser.find_element(By.ID, "mq-side")
    assert covers_window(browser, side) and side.get_attribute("role") == "dialog"
    close = browser.find_element(By.ID, "mq-to-chat")
    assert close.text == "Stäng" and fully_visible(browser, close)

    # "Visa i motionen": the motion in the sheet, its section named in view; still the same page height.
    card.find_element(By.CSS_SELECTOR, "[data-action=document]").click()
    WebDriverWait(browser, 5).until(lambda d: d.find_element(By.ID, "mq-document").is_displayed())
    current = browser.find_element(By.ID, "mq-current")
    assert current.text == f"Du läser: {FOLLOW_UP_SECTION}" and fully_visible(browser, current)
    hit = browser.find_element(By.CSS_SELECTOR, "#mq-document .mq-hit")
    assert in_view(browser, hit) and not overlaps(browser, current, hit)
    assert page_height(browser) == height and window_scroll(browser) == 0, "the motion made the page grow"
    print(f"phone: page height {height} px before and {page_height(browser)} px with the motion open")
    assert_axe_clean(browser, "phone, the motion's sheet", themes=("light", "dark"))
    save_screenshot(browser, "document-sheet.png", PHONE)

    close.click()
    WebDriverWait(browser, 5).until(lambda d: not side.is_displayed())
    assert browser.switch_to.active_element == cite and page_height(browser) == height
    # The sheet's own buttons: the motion from the chat, and Escape to close it.
    browser.find_element(By.ID, "mq-phone-document").click()
    WebDriverWait(browser, 5).until(lambda d: covers_window(d, side))
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(browser, 5).until(lambda d: not side.is_displayed())
    viewport(browser, DESKTOP)


def test_a_yrkande_by_number_after_a_topic_and_a_word_the_motion_never_uses(browser: WebDriver, server: Server) -> None:
    """After a barnahus answer, "yrkande 3" is yrkande 3's card, not barnahus again; a question about
    petrol gets no plain answer, and the answer says the motion never mentions it; a question for the cost
    of barnahus is hedged, saying the motion gives no amount."""
    open_chat(browser, server.url, fresh=True)
    topic = ask(browser, TOPIC_QUESTION)
    assert FOLLOW_UP_SECTION in topic.sections
    referenced = ask(browser, YRKANDE_QUESTION)
    assert referenced.answer.startswith("Yrkande 3 av 21 föreslår att regeringen bör ge"), referenced.answer
    cards = newest_sources(browser).find_elements(By.CSS_SELECTOR, "article.mq-source")
    labels = [text_of(card.find_element(By.CSS_SELECTOR, ":scope > :first-child")) for card in cards]
    assert labels and all(label.endswith("· yrkande 3") for label in labels), labels
    assert "Brottsförebyggande rådet (Brå)" in text_of(cards[0].find_element(By.CSS_SELECTOR, ".mq-passage"))
    assert FOLLOW_UP_SECTION not in referenced.sections
    petrol = ask(browser, PETROL_QUESTION)
    assert petrol.answer.startswith("Motionen nämner inte bensin"), petrol.answer
    shown_as = newest_sources(browser).find_element(By.TAG_NAME, "h2").text
    assert shown_as in ("Närmast i motionen", "Se även – de närmaste avsnitten"), "not shown as a plain answer"
    cost = ask(browser, COST_QUESTION)
    assert cost.answer.startswith("Motionen anger inget belopp."), cost.answer
    assert newest_sources(browser).find_element(By.TAG_NAME, "h2").text == "Närmast i motionen", "hedged, not answered"


def test_english_follows_the_browser_and_switches_to_swedish(server: Server) -> None:
    driver = _chromium("en-GB,en")
    try:
        open_chat(driver, server.url, fresh=True)
        assert driver.execute_script("return document.documentElement.lang") == "en"
        assert driver.title.startswith("Ask the motion – ")
        box = driver.find_element(By.CSS_SELECTOR, "#mq-question textarea")
        assert box.accessible_name == "Your question" and box.get_attribute("placeholder") == "Type your question …"
        assert driver.find_element(By.ID, "mq-send").text == "Send"
        examples = [b.text for b in driver.find_elements(By.CSS_SELECTOR, ".mq-empty [data-action=ask]")]
        assert examples == [*motion_examples()["en"], motion_examples()["sv"][0]]
        driver.find_element(By.ID, "mq-send").click()
        refusal = driver.find_element(By.ID, "mq-refusal")
        WebDriverWait(driver, 5).until(lambda d: refusal.text == "Type a question first.")

        overview = ask(driver, "What does the motion propose about men's violence against women?")
        assert overview.answer.startswith("The motion makes 21 proposals")
        english = ask(driver, ENGLISH_WHY)
        answer = last_answer(driver).find_element(By.CSS_SELECTOR, ".mq-answer")
        assert answer.get_attribute("lang") == "en"
        quotes = answer.find_elements(By.CSS_SELECTOR, ".mq-quoted q[lang=sv]")
        assert quotes and all(q.text in english.answer for q in quotes), "the Swedish quotes are marked as Swedish"
        marks = driver.execute_script("return getComputedStyle(arguments[0]).quotes", quotes[0])
        assert marks.startswith('"”" "”"'), f"set apart as a quotation, with Swedish quotation marks: {marks}"
        assert answer.find_elements(By.CSS_SELECTOR, "p:not(.mq-quoted) span[lang=sv]"), "the section named in Swedish"
        labels = [s.text for s in last_answer(driver).find_elements(By.CSS_SELECTOR, ".mq-followups .mq-suggestion")]
        assert labels
        for label in labels:
            outside_headings = " ".join(part.split("»")[-1] for part in label.split("«")).lower()
            assert not set(outside_headings.replace("?", " ").replace(":", " ").split()) & SWEDISH_TEMPLATE_WORDS, label
        assert newest_sources(driver).find_element(By.TAG_NAME, "h2").text == "Sources"
        assert newest_sources(driver).find_element(By.CSS_SELECTOR, ".mq-passage").get_attribute("lang") == "sv"
        assert driver.find_element(By.ID, "mq-tab-document").text == "The motion"
        assert_axe_clean(driver, "English, after an answer", themes=("light", "dark"))
        save_screenshot(driver, "chat-english.png", DESKTOP)

        driver.find_element(By.ID, "mq-lang").click()
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "mq-send").text == "Skicka")
        assert driver.execute_script("return document.documentElement.lang") == "sv"
        assert newest_sources(driver).find_element(By.TAG_NAME, "h2").text == "Källor"
        assert questions_in_log(driver) == [
            "What does the motion propose about men's violence against women?",
            ENGLISH_WHY,
        ]
        driver.refresh()
        wait_ready(driver)
        assert driver.find_element(By.ID, "mq-send").text == "Skicka", "the choice is remembered"
    finally:
        driver.quit()


def test_api_and_chat_both_need_the_key(server: Server) -> None:
    question = {"question": FIRST_QUESTION}
    assert httpx.post(f"{server.url}/api/ask", json=question, timeout=60).status_code == 401
    keyed = httpx.post(
        f"{server.url}/api/ask", json=question, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=60
    )
    assert keyed.status_code == 200
    assert httpx.get(f"{server.url}/", timeout=30).status_code == 200  # the login page
    assert httpx.get(f"{server.url}/config", timeout=30).status_code == 401


DOCS_RENDERED = {"/docs": ".opblock", "/redoc": "li[role=menuitem]"}  # Swagger UI's operations, ReDoc's menu


@pytest.mark.parametrize("page", DOCS_RENDERED)
def test_the_api_docs_render_and_fetch_nothing_from_another_host(server: Server, page: str) -> None:
    """Swagger UI and ReDoc come from the package (issue 18); ReDoc's sidebar still fetched Redocly's logo
    from cdn.redoc.ly. Every request the page makes goes to the server, or is refused by its CSP."""
    driver = _chromium("en", network_log=True)
    try:
        driver.get(f"{server.url}{page}")
        rendered = DOCS_RENDERED[page]
        WebDriverWait(driver, 30).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, rendered)) >= 10)
        assert "Cited question answering" in driver.find_element(By.TAG_NAME, "body").text
        driver.execute_async_script("setTimeout(arguments[0], 1500)")  # the scripts' later requests
        events = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    finally:
        driver.quit()
    sent = {e["params"]["requestId"]: e["params"]["request"]["url"] for e in events if e["method"] == SENT}
    refused = {
        e["params"]["requestId"] for e in events if e["method"] == FAILED and e["params"].get("blockedReason") == "csp"
    }
    assert f"{server.url}/openapi.json" in sent.values()
    own = (server.url, f"blob:{server.url}", "data:")
    assert not [url for request, url in sent.items() if request not in refused and not url.startswith(own)]


def test_the_chat_refused_nothing_the_page_asked_for(server: Server) -> None:
    """The chat's guard (ui.gradio_guard) lets through only the page's routes and inputs: since the
    restart the browser logged in, reloaded, asked, voted and switched language, all of it served."""
    lines = [json.loads(line) for line in server.output(None).splitlines() if line.startswith('{"method"')]
    chat = [line for line in lines if not line["path"].startswith(("/api/", "/v1/"))]
    assert len(chat) > 20 and {"/login", "/gradio_api/queue/join", "/gradio_api/run/predict"} <= {
        line["path"] for line in chat
    }
    assert not [line for line in chat if line["status"] in (404, 422)]


# --- helpers --------------------------------------------------------------------------------


def open_chat(driver: WebDriver, url: str, fresh: bool = False) -> None:
    """Open the chat, logging in first (with the API key as password) when the login page shows.

    ``fresh``: forget what an earlier test left in this browser (conversation, language, draft).
    """
    driver.get(url)
    wait_ready(driver, login=True)
    if fresh:
        driver.execute_script("localStorage.clear()")
        driver.refresh()
        wait_ready(driver)


def wait_ready(driver: WebDriver, login: bool = False) -> None:
    ready = "#mq-question textarea"
    WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"{ready}, input[type=password]"))
    if not driver.find_elements(By.CSS_SELECTOR, ready):
        assert login, "the login page showed"
        driver.find_element(By.CSS_SELECTOR, "input:not([type=password])").send_keys("tester")
        driver.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(API_KEY)
        driver.find_element(By.CSS_SELECTOR, "form button, button.lg, button.primary").click()
        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ready))
    # the page's load event has run once the log shows the chosen language's text
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return !!(window.mqChat && document.querySelector('#mq-side[data-view]'))")
    )


def ask(driver: WebDriver, question: str | None, trigger: Any = None) -> Asked:
    """Send a question (typed, or by clicking ``trigger``) and wait for its answer and sources."""
    if trigger is None:
        box = driver.find_element(By.CSS_SELECTOR, "#mq-question textarea")
        box.clear()
        box.send_keys(question)
        WebDriverWait(driver, 10).until(lambda d: box.get_attribute("value") == question)
        trigger = driver.find_element(By.ID, "mq-send")
    turns_before = len(driver.find_elements(By.CSS_SELECTOR, LOG_TURNS))
    try:
        probe: dict[str, Any] = driver.execute_async_script(PROBE_JS, trigger, turns_before)
    except TimeoutException:
        shown = driver.find_element(By.ID, "mq-scroll").text
        pytest.fail(f"no answer within {ANSWER_TIMEOUT} s for {question!r}; the chat shows: {shown!r}")
    assert probe["first_ms"] is not None, "no answer text streamed"
    answer = answer_text(last_answer(driver))
    newest = newest_sources(driver)
    headings = [text_of(h) for h in newest.find_elements(By.CSS_SELECTOR, "article.mq-source > :first-child")]
    sections = [h.split("]")[-1].split(" · ")[0].strip() for h in headings]
    return Asked(answer, sections, probe["first_ms"], probe["complete_ms"])


def start_over(driver: WebDriver) -> None:
    driver.find_element(By.ID, "mq-new").click()
    WebDriverWait(driver, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, LOG_TURNS))


def last_answer(driver: WebDriver) -> Any:
    return driver.find_elements(By.CSS_SELECTOR, "#mq-log .mq-bot")[-1]


def answer_text(bot: Any) -> str:
    """The answer's own words (not its tools or follow-ups)."""
    return " ".join(text_of(p) for p in bot.find_elements(By.CSS_SELECTOR, ".mq-answer > p"))


def newest_sources(driver: WebDriver) -> Any:
    """The sources of the latest answer: the panel's first section (older ones are folded below)."""
    return driver.find_element(By.CSS_SELECTOR, "#mq-sources .mq-sources > section.mq-turn-sources")


def questions_in_log(driver: WebDriver) -> list[str]:
    return [text_of(p) for p in driver.find_elements(By.CSS_SELECTOR, "#mq-log .mq-user p")]


def text_of(element: Any) -> str:
    """All of an element's text, also the part scrolled out of view."""
    return " ".join((element.get_attribute("textContent") or "").split())


def logged(server: Server) -> list[dict[str, Any]]:
    if not server.feedback.exists():
        return []
    return [json.loads(line) for line in server.feedback.read_text().splitlines() if line.strip()]


def in_view(driver: WebDriver, element: Any) -> bool:
    """Some of the element is inside the window and inside every scrolling box around it."""
    return bool(
        driver.execute_script(
            """
            const el = arguments[0];
            let box = el.getBoundingClientRect();
            if (box.height === 0) return false;
            let top = Math.max(box.top, 0), bottom = Math.min(box.bottom, window.innerHeight);
            for (let p = el.parentElement; p; p = p.parentElement) {
              const style = getComputedStyle(p);
              if (/(auto|scroll)/.test(style.overflowY)) {
                const r = p.getBoundingClientRect();
                top = Math.max(top, r.top); bottom = Math.min(bottom, r.bottom);
              }
            }
            return bottom - top > 8;
            """,
            element,
        )
    )


def fully_in_view(driver: WebDriver, element: Any) -> bool:
    """All of the element is inside the window and inside every scrolling box around it."""
    return bool(
        driver.execute_script(
            """
            const box = arguments[0].getBoundingClientRect();
            let top = 0, bottom = window.innerHeight;
            for (let p = arguments[0].parentElement; p; p = p.parentElement) {
              if (/(auto|scroll)/.test(getComputedStyle(p).overflowY)) {
                const r = p.getBoundingClientRect();
                top = Math.max(top, r.top); bottom = Math.min(bottom, r.bottom);
              }
            }
            return box.height > 0 && box.top >= top - 1 && box.bottom <= bottom + 1;
            """,
            element,
        )
    )


def page_height(driver: WebDriver) -> int:
    return int(driver.execute_script("return document.documentElement.scrollHeight"))


def window_height(driver: WebDriver) -> int:
    return int(driver.execute_script("return window.innerHeight"))


def window_scroll(driver: WebDriver) -> float:
    return float(driver.execute_script("return window.scrollY"))


def overlaps(driver: WebDriver, one: Any, other: Any) -> bool:
    return bool(
        driver.execute_script(
            """const [a, b] = [arguments[0].getBoundingClientRect(), arguments[1].getBoundingClientRect()];
            return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;""",
            one,
            other,
        )
    )


def covers_window(driver: WebDriver, element: Any) -> bool:
    box = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]", element
    )
    width, height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    return box[0] <= 0 and box[1] <= 0 and box[2] >= width - 1 and box[3] >= height - 1


def no_toast_and_header_free(driver: WebDriver) -> bool:
    """No Gradio toast is showing, and the header's buttons are what is at their place on the screen."""
    toasts = [t for t in driver.find_elements(By.CSS_SELECTOR, "[data-testid=toast-body]") if t.is_displayed()]
    free = driver.execute_script(
        """return ['mq-lang', 'mq-theme', 'mq-new'].every(id => {
          const r = document.getElementById(id).getBoundingClientRect();
          return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2).closest('#' + id);
        });"""
    )
    return not toasts and bool(free)


def type_lines(box: Any, lines: list[str]) -> None:
    """Type ``lines`` as a person does, Shift+Enter between them."""
    box.clear()
    for position, line in enumerate(lines):
        if position:
            box.send_keys(Keys.SHIFT, Keys.ENTER, Keys.NULL)
        box.send_keys(line)


def fill(driver: WebDriver, box: Any, value: str) -> None:
    """Put a long text in the box at once (typing 2,000 characters takes a while), then one real key."""
    driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))",
        box,
        value[:-1],
    )
    box.send_keys(value[-1])


def motion_examples() -> dict[str, list[str]]:
    """The example questions shipped in the motion's metadata (the server reads the same folder)."""
    from assistant.api.settings import Settings
    from index.parse.corpus import load_corpus

    return load_corpus(Settings().data_dir)[0].meta.examples


def fully_visible(driver: WebDriver, element: Any) -> bool:
    box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom];", element)
    height = driver.execute_script("return window.innerHeight")
    return box[0] >= 0 and box[1] <= height


def is_question_box(element: Any) -> bool:
    return element.find_elements(By.XPATH, "ancestor::*[@id='mq-question']") != []


def tab_to(
    driver: WebDriver, wanted: Any, backwards: bool = False, limit: int = 120, count: list[int] | None = None
) -> Any:
    """Press Tab (or Shift+Tab) until the focused element is the wanted one; fail after ``limit`` presses.

    ``count`` (a list) gets the number of presses it took."""
    for presses in range(1, limit + 1):
        actions = webdriver.ActionChains(driver)
        if backwards:
            actions.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
        else:
            actions.send_keys(Keys.TAB)
        actions.perform()
        focused = driver.switch_to.active_element
        if wanted(focused):
            if count is not None:
                count.append(presses)
            return focused
    pytest.fail(f"no wanted element within {limit} presses of {'Shift+' if backwards else ''}Tab")


def assert_axe_clean(driver: WebDriver, where: str, themes: tuple[str, ...] = ("light",)) -> None:
    """axe-core's violations counted by impact, in each of ``themes``: none critical, none serious (the
    rest are printed). The page's own light/dark choice is restored afterwards."""
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(_axe_source())
    chosen = driver.execute_script("return localStorage.getItem('mq-theme')")
    try:
        for theme in themes:
            driver.execute_script("localStorage.setItem('mq-theme', arguments[0]); window.mqChat.start()", theme)
            WebDriverWait(driver, 5).until(lambda d: d.execute_script(SETTLED_JS))  # colours fade between themes
            violations = driver.execute_async_script(AXE_RUN_JS)
            counts = {
                impact: sum(v["impact"] == impact for v in violations)
                for impact in ("critical", "serious", "moderate", "minor")
            }
            print(f"axe {where}, {theme}: {counts}")
            severe = [v for v in violations if v["impact"] in ("critical", "serious")]
            assert not severe, f"{where}, {theme}: {json.dumps(severe, ensure_ascii=False, indent=1)}"
    finally:
        driver.execute_script(
            "const theme = arguments[0];"
            "theme === null ? localStorage.removeItem('mq-theme') : localStorage.setItem('mq-theme', theme);"
            "window.mqChat.start()",
            chosen,
        )


def save_screenshot(driver: WebDriver, name: str, size: tuple[int, int]) -> None:
    """The viewport as a person sees it at ``size``, when MOTIONQA_UI_SCREENSHOTS names a folder."""
    target = os.environ.get("MOTIONQA_UI_SCREENSHOTS")
    if not target:
        return
    Path(target).mkdir(parents=True, exist_ok=True)
    viewport(driver, size)
    time.sleep(0.3)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    (Path(target) / name).write_bytes(base64.b64decode(shot["data"]))
