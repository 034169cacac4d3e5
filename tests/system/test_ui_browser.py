"""The chat as a person uses it: the real server, a real headless Chromium, a real conversation.

The server runs with an API key set, so the browser first logs in on the chat's login page
(any user name, the key as password), as an operator's users would.
Set ``MOTIONQA_UI_SCREENSHOTS=dir`` to keep the desktop and mobile screenshots.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from helpers import variant
from pydantic import SecretStr

from assistant.api.settings import Settings

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = [pytest.mark.timeout(900), pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")]

API_KEY = "ui-test-key"
ANSWER_TIMEOUT = 120
FIRST_QUESTION = "Hur lång tid tar det innan en våldtäktsanmälan leder till ett första förhör?"
FIRST_SECTION = "Hanteringen av sexualbrott och mäns våld mot kvinnor och barn"
TOPIC_QUESTION = "Vad säger motionen om barnahus?"
FOLLOW_UP = "Hur många finns det?"  # alone it lands elsewhere; only the session makes it about barnahus
FOLLOW_UP_SECTION = "Likvärdiga barnahus i hela landet"
CHAT_MESSAGES = "#mq-chat [data-testid=bot], #mq-chat [data-testid=user]"
OFF_TOPIC = "Vem vann melodifestivalen förra året?"

# Records, from the click that sends a question, when the new answer's first text shows and
# every distinct length it streams through; resolves on the sources of the new answer.
PROBE_JS = """
const [trigger, turnsBefore, done] = arguments;
const chat = document.querySelector('#mq-chat');
const botsBefore = chat.querySelectorAll('[data-testid="bot"]').length;
const probe = {t0: performance.now(), first: null, lengths: []};
const observer = new MutationObserver(() => {
  const bots = chat.querySelectorAll('[data-testid="bot"]');
  if (bots.length <= botsBefore) return;
  const text = bots[bots.length - 1].innerText.trim();
  if (!text) return;
  if (probe.first === null) probe.first = performance.now();
  if (probe.lengths[probe.lengths.length - 1] !== text.length) probe.lengths.push(text.length);
});
observer.observe(chat, {subtree: true, childList: true, characterData: true});
const timer = setInterval(() => {
  if (document.querySelectorAll('#mq-sources section.mq-turn').length > turnsBefore) {
    clearInterval(timer);
    observer.disconnect();
    done({ttft_ms: probe.first === null ? null : probe.first - probe.t0, lengths: probe.lengths});
  }
}, 20);
trigger.click();
"""
SHOW_LATEST_JS = """
document.querySelectorAll('#mq-chat .bubble-wrap').forEach(e => { e.scrollTop = e.scrollHeight; });
window.scrollTo(0, 0);
"""


@dataclass
class Turn:
    answer: str
    sections: list[str]
    ttft_ms: float
    streamed_lengths: list[int]


def _browser_paths() -> tuple[str, str] | None:
    browser = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def _install_browser() -> None:
    """Debian's chromium + chromium-driver from the package registry, when we may (root, apt-get)."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "timeout": 900, "check": False}
    subprocess.run(["apt-get", "update", "-q"], **quiet)
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"], **quiet)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def keyed_settings() -> Settings:
    return Settings(api_key=SecretStr(API_KEY))


@pytest.fixture(scope="module")
def app(keyed_settings: Settings, assistant) -> FastAPI:
    """The one-process app, built like ``motionqa serve`` does, over the session's loaded index and model."""
    from ui.server import create_app

    return create_app(keyed_settings, variant(assistant, api_key=keyed_settings.api_key))


@pytest.fixture(scope="module")
def server_url(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port in a background thread."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    paths = _browser_paths()
    if paths is None:
        _install_browser()
        paths = _browser_paths()
    if paths is None:
        pytest.skip("no Chromium + chromedriver on this machine (apt-get install chromium chromium-driver)")
    options = Options()
    options.binary_location = paths[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=sv-SE"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    driver.set_window_size(1280, 1000)
    driver.set_script_timeout(ANSWER_TIMEOUT)
    yield driver
    driver.quit()


def test_conversation_with_sources_follow_up_and_reset(browser: WebDriver, server_url: str) -> None:
    open_chat(browser, server_url)
    header = browser.find_element(By.ID, "mq-header").text
    assert "Mäns våld mot kvinnor och barn" in header and "Vänsterpartiet" in header and "2025/26" in header
    browser.find_element(By.CSS_SELECTOR, ".mq-yrkanden-list > button").click()
    yrkanden = ".mq-yrkanden-list ol.mq-yrkanden > li"
    WebDriverWait(browser, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, yrkanden)) == 21)
    browser.find_element(By.CSS_SELECTOR, ".mq-yrkanden-list > button").click()

    first = ask(browser, FIRST_QUESTION)
    assert "55 dagar" in first.answer and "[1]" in first.answer
    assert FIRST_SECTION in first.sections
    assert "55 dagar" in newest_turn(browser).find_element(By.TAG_NAME, "mark").text
    assert first.streamed_lengths[-1] >= len(first.answer) - 5

    browser.find_element(By.ID, "mq-new").click()
    WebDriverWait(browser, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, CHAT_MESSAGES))
    assert not browser.find_elements(By.CSS_SELECTOR, "#mq-sources section.mq-turn")

    example = browser.find_element(By.XPATH, f"//span[@class and text()='{TOPIC_QUESTION}']/ancestor::button[1]")
    topic = ask(browser, TOPIC_QUESTION, trigger=example)
    assert "barnahus" in topic.answer
    follow_up = ask(browser, FOLLOW_UP)
    assert FOLLOW_UP_SECTION in follow_up.sections, follow_up.sections
    assert "trettiotal" in follow_up.answer or "247 av landets 290 kommuner" in follow_up.answer
    assert "[1]" in follow_up.answer

    source = newest_turn(browser).find_element(By.CSS_SELECTOR, "article.mq-source")
    passage = text_of(source.find_element(By.CSS_SELECTOR, ".mq-passage"))
    context = source.find_element(By.CSS_SELECTOR, ".mq-context-text")
    assert not context.is_displayed()
    source.find_element(By.CSS_SELECTOR, "details.mq-context > summary").click()
    shown = " ".join(context.text.split())
    assert passage in shown and len(shown) > len(passage) + 200, "the surrounding text is not shown"
    for turn in (first, topic, follow_up):
        print(f"time to first streamed text: {turn.ttft_ms:.0f} ms, {len(turn.streamed_lengths)} text updates")
    save_screenshots(browser)


def test_abstention_offers_closest_passages(browser: WebDriver, server_url: str) -> None:
    open_chat(browser, server_url)
    turn = ask(browser, OFF_TOPIC)
    assert "Motionen tar inte upp det." in turn.answer and "Se även" in turn.answer
    assert "Se även" in newest_turn(browser).find_element(By.TAG_NAME, "h3").text
    assert turn.sections


def test_answers_take_the_shape_the_question_asks_for(browser: WebDriver, server_url: str) -> None:
    """A topic switch, an overview, a why-question, English and a hedged answer, in one conversation."""
    open_chat(browser, server_url)
    ask(browser, "Vad är IPVI?")
    switched = ask(browser, "Vad är eftervåld?")
    assert "eftervåld" in switched.answer and "IPVI" not in switched.answer

    overview = ask(browser, "Vad vill Vänsterpartiet att regeringen ska göra?")
    assert "Motionen har 21 yrkanden" in overview.answer and "Yrkande 21:" in overview.answer
    assert len(newest_turn(browser).find_elements(By.CSS_SELECTOR, "article.mq-source")) == 21

    why = ask(browser, "Varför vill Vänsterpartiet tillsätta en ny kvinnofridskommission?")
    assert "Regeringen bör" not in why.answer and "[1]" in why.answer

    english = ask(browser, "What does the motion propose about men's violence against women?")
    assert english.answer.startswith("The motion makes 21 proposals")

    hedged = ask(browser, "Hur många barnahus finns det i Göteborg?")
    assert hedged.answer.startswith("Motionen verkar inte svara direkt på det")
    assert "Närmast i motionen" in newest_turn(browser).find_element(By.TAG_NAME, "h3").text


def test_api_and_chat_both_need_the_key(server_url: str) -> None:
    question = {"question": FIRST_QUESTION}
    assert httpx.post(f"{server_url}/api/ask", json=question, timeout=60).status_code == 401
    keyed = httpx.post(
        f"{server_url}/api/ask", json=question, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=60
    )
    assert keyed.status_code == 200
    assert httpx.get(f"{server_url}/", timeout=30).status_code == 200  # the login page
    assert httpx.get(f"{server_url}/config", timeout=30).status_code == 401


def test_rendering_escapes_motion_text_and_marks_the_cited_sentence() -> None:
    """No browser needed: every piece of text is escaped once and the highlight sits on the citation."""
    from assistant.answer import Citation
    from index.chunker import Chunk
    from index.parse.document import Document, Metadata
    from ui.render import answer_markdown, source_html

    text = "Inledning. Före <b>x</b> & *y*. Mitt_ord [2] här. Efter. " + "Mer text. " * 60
    start = text.index("Före")
    end = text.index("Efter.")
    cited = text.index("Mitt_ord")
    document = Document(Metadata("d", "T", "P", "2025/26"), text, [], [], [], [])
    chunk = Chunk("d:p1", "d", "body", "Avsnitt <i>", 0, start, end, text[start:end])
    citation = Citation(1, "d:p1", "d", "Mitt_ord [2] här.", "Avsnitt <i>", cited, cited + len("Mitt_ord [2] här."), 3)

    html = source_html([citation], document, chunk)
    assert "<b>" not in html and "<i>" not in html and "&lt;b&gt;x&lt;/b&gt; &amp; *y*." in html
    assert "<mark>Mitt_ord [2] här.</mark>" in html
    assert "Avsnitt &lt;i&gt; · yrkande 3" in html and "Inledning." in html and "Mer text." in html
    assert "<mark>" not in source_html([citation], document, chunk, highlight=False)
    # Two sentences of one passage: one card, both marked, both numbers in its heading.
    before = Citation(2, "d:p1", "d", "Före", "Avsnitt <i>", start, start + len("Före"), 3)
    card = source_html([before, citation], document, chunk)
    # Both marked in the passage and again in its unfoldable context: one card, both numbers in its heading.
    assert card.count("<mark>") == 4 and "[2] [1]" in card and card.count('class="mq-source"') == 1
    assert answer_markdown("A <script> *b* [1]") == "A &lt;script&gt; \\*b\\* **\\[1\\]**"


def open_chat(browser: WebDriver, url: str) -> None:
    """Open the chat, logging in first (with the API key as password) when the login page shows."""
    browser.get(url)
    ready = "#mq-question textarea"
    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"{ready}, input[type=password]"))
    if not browser.find_elements(By.CSS_SELECTOR, ready):
        browser.find_element(By.CSS_SELECTOR, "input:not([type=password])").send_keys("tester")
        browser.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(API_KEY)
        next(b for b in browser.find_elements(By.TAG_NAME, "button") if b.text.strip().lower() == "login").click()
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ready))


def ask(browser: WebDriver, question: str, trigger: Any = None) -> Turn:
    """Send a question (typed, or by clicking ``trigger``) and wait for its answer and sources."""
    if trigger is None:
        box = browser.find_element(By.CSS_SELECTOR, "#mq-question textarea")
        box.clear()
        box.send_keys(question)
        WebDriverWait(browser, 10).until(lambda d: box.get_attribute("value") == question)
        trigger = browser.find_element(By.ID, "mq-send")
    turns_before = len(browser.find_elements(By.CSS_SELECTOR, "#mq-sources section.mq-turn"))
    try:
        probe: dict[str, Any] = browser.execute_async_script(PROBE_JS, trigger, turns_before)
    except TimeoutException:
        chat = browser.find_element(By.ID, "mq-chat").text
        pytest.fail(f"no answer with sources within {ANSWER_TIMEOUT} s for {question!r}; the chat shows: {chat!r}")
    assert probe["ttft_ms"] is not None, "no answer text appeared"
    answer = text_of(browser.find_elements(By.CSS_SELECTOR, '#mq-chat [data-testid="bot"]')[-1])
    newest = newest_turn(browser)
    assert question in text_of(newest.find_element(By.CSS_SELECTOR, ".mq-question"))
    headings = [text_of(h) for h in newest.find_elements(By.TAG_NAME, "h4")]
    sections = [re.sub(r"^(\[\d+\]\s*)+", "", h).split(" · ")[0].strip() for h in headings]
    return Turn(answer, sections, probe["ttft_ms"], probe["lengths"])


def text_of(element: Any) -> str:
    """All of an element's text, also the part scrolled out of view in the sources panel."""
    return " ".join((element.get_attribute("textContent") or "").split())


def newest_turn(browser: WebDriver) -> Any:
    """The sources of the latest answer: the panel's first section (older ones are folded below)."""
    return browser.find_element(By.CSS_SELECTOR, "#mq-sources .mq-sources > section.mq-turn")


def save_screenshots(browser: WebDriver) -> None:
    """Desktop and phone-width full-page screenshots of the conversation, when asked for."""
    target = os.environ.get("MOTIONQA_UI_SCREENSHOTS")
    if not target:
        return
    Path(target).mkdir(parents=True, exist_ok=True)
    for name, width in (("chat.png", 1280), ("chat-mobile.png", 400)):
        browser.set_window_size(width, 900)
        time.sleep(0.5)
        browser.execute_script(SHOW_LATEST_JS)
        height = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]["height"]
        # The whole window width: the capture drops the scrollbar, and the page widens to fill it.
        width = browser.execute_script("return window.innerWidth")
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "clip": clip})
        (Path(target) / name).write_bytes(base64.b64decode(shot["data"]))
    browser.set_window_size(1280, 1000)
