"""The chat as a person uses it: the real server (``motionqa serve`` in a subprocess, so it can be
restarted), a real headless Chromium, a real conversation, axe-core for accessibility.

The server runs with an API key set, so the browser first logs in on the chat's login page
(any user name, the key as password), as an operator's users would. One server and one browser
serve the whole module; the tests run in file order and build on each other's conversation only
where they say so. Set ``MOTIONQA_UI_SCREENSHOTS=dir`` to keep desktop, phone, document-view and
English screenshots.
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
LOG_TURNS = "#mq-log .mq-exchange"

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
# Sends a second question the moment the first one's answer is on its way (the live turn shows):
# in the same script turn, so the first answer cannot have finished in between.
TYPE_WHILE_STREAMING_JS = """
const [first, second, done] = arguments;
const box = document.querySelector('#mq-question textarea');
const send = document.querySelector('#mq-send');
const type = (text) => { box.value = text; box.dispatchEvent(new Event('input', {bubbles: true})); };
type(first);
setTimeout(() => {
  send.click();
  const timer = setInterval(() => {
    if (!document.querySelector('#mq-live .mq-streaming')) return;
    clearInterval(timer);
    type(second);
    send.click();
    done(document.querySelector('#mq-status').textContent);
  }, 1);
}, 50);
"""
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


def _chromium(language: str) -> WebDriver:
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
    box = browser.find_element(By.CSS_SELECTOR, "#mq-question textarea")
    assert box.accessible_name == "Din fråga"
    assert browser.find_element(By.ID, "mq-send").text == "Skicka"
    for size in (DESKTOP, PHONE):
        viewport(browser, size)
        assert fully_visible(browser, box), f"the question box is below the fold at {size}"
        assert_axe_clean(browser, f"landing page {size}")
    viewport(browser, DESKTOP)


def test_citation_scrolls_to_its_card_and_the_motion_opens_at_the_passage(browser: WebDriver, server: Server) -> None:
    first = ask(browser, FIRST_QUESTION)
    assert "55 dagar" in first.answer and "[1]" in first.answer
    assert FIRST_SECTION in first.sections
    newest = newest_sources(browser)
    cards = newest.find_elements(By.CSS_SELECTOR, "article.mq-source")
    passages = [text_of(c.find_element(By.CSS_SELECTOR, ".mq-passage")) for c in cards]
    assert len(passages) == len(set(passages)), "one card per passage"
    assert "55 dagar" in newest.find_element(By.TAG_NAME, "mark").text

    # [1] in the answer: its card scrolls into the side panel's view, flashes and takes focus.
    browser.execute_script("document.getElementById('mq-side').scrollTop = 100000")
    cite = last_answer(browser).find_element(By.CSS_SELECTOR, "a.mq-cite")
    card = browser.find_element(By.ID, cite.get_attribute("href").split("#")[1])
    cite.click()
    WebDriverWait(browser, 5).until(lambda d: "mq-flash" in (card.get_attribute("class") or ""))
    assert in_view(browser, card), "the cited card was not scrolled into view"
    assert browser.switch_to.active_element == card

    # "Visa i motionen": the document view, scrolled to the passage, the quoted sentence highlighted.
    quoted = text_of(card.find_element(By.TAG_NAME, "mark"))
    card.find_element(By.CSS_SELECTOR, "[data-action=document]").click()
    document = browser.find_element(By.ID, "mq-document")
    WebDriverWait(browser, 5).until(lambda d: document.is_displayed())
    hits = document.find_elements(By.CSS_SELECTOR, ".mq-hit")
    assert hits and quoted[:60] in " ".join(text_of(h) for h in hits)
    assert in_view(browser, hits[0])
    assert not browser.find_element(By.ID, "mq-sources").is_displayed()

    # The contents: a yrkande opens the section that argues it; a footnote marker shows the footnote.
    browser.find_element(By.CSS_SELECTOR, ".mq-toc details:nth-of-type(2) > summary").click()
    yrkande_link = browser.find_element(By.CSS_SELECTOR, ".mq-toc-yrkanden a[data-yrkande='4']")
    yrkande_link.click()
    section = browser.find_element(By.ID, yrkande_link.get_attribute("href").split("#")[1])
    assert "Stödcenter för vuxna utsatta för sexualiserat våld" in section.text and in_view(browser, section)
    marker = browser.find_element(By.ID, "mq-doc-fnref-1")
    marker.click()
    footnote = browser.find_element(By.ID, "mq-doc-fn-1")
    assert in_view(browser, footnote) and "Connell" in footnote.text
    save_screenshot(browser, "document.png", DESKTOP)
    browser.find_element(By.ID, "mq-tab-sources").click()
    assert browser.find_element(By.ID, "mq-sources").is_displayed()

    # Copy: the answer with each quote and where it stands, as plain text.
    copy = last_answer(browser).find_element(By.CSS_SELECTOR, "[data-action=copy]")
    copy.click()
    WebDriverWait(browser, 5).until(lambda d: copy.text == "Kopierat")
    copied = browser.execute_script("return window.mqLastCopied")
    assert "55 dagar" in copied and f"[1] {FIRST_SECTION}" in copied and "”" in copied and "<" not in copied

    # Follow-ups come from the motion's structure: the neighbouring section is one of them, and it is answered.
    suggestions = last_answer(browser).find_elements(By.CSS_SELECTOR, ".mq-followups [data-action=ask]")
    labels = [s.text for s in suggestions]
    assert "Vad säger motionen om stödcenter för vuxna utsatta för sexualiserat våld?" in labels, labels
    neighbour = next(s for s in suggestions if "stödcenter" in s.text)
    followed = ask(browser, None, trigger=neighbour)
    assert "Stödcenter för vuxna utsatta för sexualiserat våld" in followed.sections
    print(f"time to first text {first.first_ms:.0f} ms, complete answer {first.complete_ms:.0f} ms")
    print(f"follow-up: first text {followed.first_ms:.0f} ms, complete {followed.complete_ms:.0f} ms")


def test_a_reload_keeps_the_conversation_and_the_half_typed_question(browser: WebDriver, server: Server) -> None:
    asked_before = questions_in_log(browser)
    assert len(asked_before) >= 2
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


def test_a_question_typed_while_an_answer_streams_is_answered(browser: WebDriver, server: Server) -> None:
    start_over(browser)
    note = browser.execute_async_script(TYPE_WHILE_STREAMING_JS, OVERVIEW, TOPIC_QUESTION)
    assert note == "Frågan skickas när svaret är klart."
    WebDriverWait(browser, ANSWER_TIMEOUT).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, LOG_TURNS)) == 2)
    assert questions_in_log(browser) == [OVERVIEW, TOPIC_QUESTION]
    answers = [answer_text(a) for a in browser.find_elements(By.CSS_SELECTOR, "#mq-log .mq-bot")]
    assert "Motionen har 21 yrkanden" in answers[0] and "barnahus" in answers[1]


def test_the_conversation_survives_a_server_restart(browser: WebDriver, server: Server) -> None:
    """A question sent while the server is down: our banner, then (Gradio reloads the page once the
    server is back) the conversation and the unsent question are restored, and the follow-up, which
    needs the earlier question, is answered: the new server learns the history from the browser."""
    assert questions_in_log(browser)[-1] == TOPIC_QUESTION
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
    WebDriverWait(browser, 20).until(lambda d: questions_in_log(d) == [OVERVIEW, TOPIC_QUESTION])
    box = browser.find_element(By.CSS_SELECTOR, "#mq-question textarea")
    WebDriverWait(browser, 10).until(lambda d: box.get_attribute("value") == FOLLOW_UP)
    follow_up = ask(browser, None, trigger=browser.find_element(By.ID, "mq-send"))
    assert FOLLOW_UP_SECTION in follow_up.sections, follow_up.sections
    assert "trettiotal" in follow_up.answer or "247 av landets 290 kommuner" in follow_up.answer
    assert questions_in_log(browser) == [OVERVIEW, TOPIC_QUESTION, FOLLOW_UP]


def test_a_thumbs_down_with_a_comment_lands_in_the_feedback_log(browser: WebDriver, server: Server) -> None:
    turn = browser.find_elements(By.CSS_SELECTOR, LOG_TURNS)[-1]
    turn.find_element(By.CSS_SELECTOR, "[data-action=feedback][data-value=down]").click()
    WebDriverWait(browser, 10).until(lambda d: logged(server))
    pressed = browser.find_elements(By.CSS_SELECTOR, LOG_TURNS)[-1].find_element(By.CSS_SELECTOR, "[data-value=down]")
    assert pressed.get_attribute("aria-pressed") == "true"
    form = browser.find_elements(By.CSS_SELECTOR, LOG_TURNS)[-1].find_element(By.CSS_SELECTOR, "form.mq-comment")
    form.find_element(By.TAG_NAME, "textarea").send_keys("Svaret nämner inte Göteborg.")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: len(logged(server)) == 2)
    vote, commented = logged(server)
    for record in (vote, commented):
        assert record["vote"] == "down" and record["question"] == FOLLOW_UP and record["citations"]
        assert [t["content"] for t in record["history"] if t["role"] == "user"] == [OVERVIEW, TOPIC_QUESTION]
    assert vote["comment"] is None and commented["comment"] == "Svaret nämner inte Göteborg."


def test_keyboard_only_ask_cite_document_and_start_over(browser: WebDriver, server: Server) -> None:
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
    new = tab_to(browser, lambda e: e.get_attribute("id") == "mq-new", backwards=True, limit=400)
    new.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, LOG_TURNS))


def test_answers_and_phone_layout_pass_axe_and_sources_are_a_tap_away(browser: WebDriver, server: Server) -> None:
    open_chat(browser, server.url, fresh=True)
    ask(browser, TOPIC_QUESTION)
    ask(browser, OFF_TOPIC)
    ask(browser, FOLLOW_UP)
    for size in (DESKTOP, PHONE):
        viewport(browser, size)
        browser.execute_script("window.scrollTo(0, 0)")
        assert fully_visible(browser, browser.find_element(By.CSS_SELECTOR, "#mq-question textarea"))
        assert_axe_clean(browser, f"after answers {size}")
    save_screenshot(browser, "chat.png", DESKTOP)
    save_screenshot(browser, "chat-mobile.png", PHONE)

    # On a phone the sources are below the chat: a button says how many, jumps there and back.
    viewport(browser, PHONE)
    browser.execute_script("window.scrollTo(0, 0)")
    jump = browser.find_element(By.ID, "mq-phone-sources")
    cards = len(newest_sources(browser).find_elements(By.CSS_SELECTOR, "article.mq-source"))
    WebDriverWait(browser, 5).until(lambda d: jump.text == f"Källor ({cards})")
    cite = last_answer(browser).find_element(By.CSS_SELECTOR, "a.mq-cite")
    cite.click()
    card = browser.switch_to.active_element
    assert "mq-source" in (card.get_attribute("class") or "") and in_view(browser, card)
    WebDriverWait(browser, 5).until(lambda d: jump.text == "Tillbaka till svaret")
    jump.click()
    WebDriverWait(browser, 5).until(lambda d: in_view(d, cite))
    viewport(browser, DESKTOP)


def test_english_follows_the_browser_and_switches_to_swedish(server: Server) -> None:
    driver = _chromium("en-GB,en")
    try:
        open_chat(driver, server.url, fresh=True)
        assert driver.execute_script("return document.documentElement.lang") == "en"
        box = driver.find_element(By.CSS_SELECTOR, "#mq-question textarea")
        assert box.accessible_name == "Your question" and box.get_attribute("placeholder") == "Type your question …"
        assert driver.find_element(By.ID, "mq-send").text == "Send"
        english = ask(driver, "What does the motion propose about men's violence against women?")
        assert english.answer.startswith("The motion makes 21 proposals")
        assert newest_sources(driver).find_element(By.TAG_NAME, "h2").text == "Sources"
        assert driver.find_element(By.ID, "mq-tab-document").text == "The motion"
        assert_axe_clean(driver, "English, after an answer")
        save_screenshot(driver, "chat-english.png", DESKTOP)

        driver.find_element(By.ID, "mq-lang").click()
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "mq-send").text == "Skicka")
        assert driver.execute_script("return document.documentElement.lang") == "sv"
        assert newest_sources(driver).find_element(By.TAG_NAME, "h2").text == "Källor"
        assert questions_in_log(driver) == ["What does the motion propose about men's violence against women?"]
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


def test_the_api_docs_render_offline(browser: WebDriver, server: Server) -> None:
    """Swagger UI comes from the package (issue 18): this browser reaches nothing but the server."""
    browser.get(f"{server.url}/docs")
    WebDriverWait(browser, 30).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) >= 10)
    assert "Cited question answering" in browser.find_element(By.CSS_SELECTOR, ".info").text


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
    return " ".join(text_of(p) for p in bot.find_elements(By.CSS_SELECTOR, ":scope > p"))


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


def fully_visible(driver: WebDriver, element: Any) -> bool:
    box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom];", element)
    height = driver.execute_script("return window.innerHeight")
    return box[0] >= 0 and box[1] <= height


def is_question_box(element: Any) -> bool:
    return element.find_elements(By.XPATH, "ancestor::*[@id='mq-question']") != []


def tab_to(driver: WebDriver, wanted: Any, backwards: bool = False, limit: int = 120) -> Any:
    """Press Tab (or Shift+Tab) until the focused element is the wanted one; fail after ``limit`` presses."""
    for _ in range(limit):
        actions = webdriver.ActionChains(driver)
        if backwards:
            actions.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
        else:
            actions.send_keys(Keys.TAB)
        actions.perform()
        focused = driver.switch_to.active_element
        if wanted(focused):
            return focused
    pytest.fail(f"no wanted element within {limit} presses of {'Shift+' if backwards else ''}Tab")


def assert_axe_clean(driver: WebDriver, where: str) -> None:
    """axe-core's violations counted by impact: none critical, none serious (the rest are printed)."""
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(_axe_source())
    violations = driver.execute_async_script(AXE_RUN_JS)
    counts = {
        impact: sum(v["impact"] == impact for v in violations)
        for impact in ("critical", "serious", "moderate", "minor")
    }
    print(f"axe {where}: {counts}")
    severe = [v for v in violations if v["impact"] in ("critical", "serious")]
    assert not severe, f"{where}: {json.dumps(severe, ensure_ascii=False, indent=1)}"


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
