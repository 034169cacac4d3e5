"""The documentation site builds strictly, has every page of its nav, embeds the served API schema, and
loads nothing from another host: `mkdocs build` in a subprocess, as a writer of the docs runs it. And the
README, its front page on GitHub, links every page and only files that exist."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# What a page loads by itself (not what it merely links to): the attribute of each tag that fetches.
LOADING_ATTRIBUTES = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src", "embed": "src"}
# [text](target) and ![alt](target) in Markdown, the target up to a title or the closing parenthesis.
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def mkdocs_build(project: Path, site: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site), *options]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs") / "site"
    built = mkdocs_build(ROOT, folder, "--strict")
    assert built.returncode == 0, built.stderr
    return folder


def nav_pages() -> list[str]:
    """Every Markdown page the nav of mkdocs.yml lists (a flat list of ``title: page.md``)."""
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["nav"]
    return [page for entry in nav for page in entry.values()]


class LoadedUrls(HTMLParser):
    """The URLs an HTML page makes the browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = LOADING_ATTRIBUTES.get(tag)
        self.urls += [value for name, value in attrs if name == wanted and value]


def external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def test_every_page_of_the_nav_is_built(site: Path) -> None:
    pages = nav_pages()
    assert len(pages) == 8
    for page in pages:
        html = (site / page).with_suffix(".html")
        assert html.is_file(), f"{page} was not built"
        assert "<h1" in html.read_text(), f"{page} has no title"


def test_the_api_page_embeds_the_served_schema(site: Path) -> None:
    schema = json.loads((site / "openapi" / "openapi.json").read_text())
    assert {"/api/ask", "/api/search", "/v1/chat/completions"} <= set(schema["paths"])
    api_page = (site / "api.html").read_text()
    for operation in ("POST /api/ask", "createChatCompletion", "POST /v1/chat/completions", "submitFeedback"):
        assert operation in api_page, f"the operations table lacks {operation}"
    assert 'src="openapi/index.html"' in api_page
    reference = (site / "openapi" / "index.html").read_text()
    assert '"/v1/chat/completions"' in reference and '"createChatCompletion"' in reference
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert (site / "openapi" / asset).stat().st_size > 10_000, f"{asset} is not served with the site"


def test_no_page_or_stylesheet_loads_anything_from_another_host(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 9
    for page in pages:
        parser = LoadedUrls()
        parser.feed(page.read_text())
        assert parser.urls, f"{page} loads nothing: the check would pass vacuously"
        assert not [url for url in parser.urls if external(url)], page
    for stylesheet in site.rglob("*.css"):
        found = [a or b for a, b in CSS_URL.findall(stylesheet.read_text())]
        assert not [url for url in found if external(url)], stylesheet
    assert "fonts.googleapis" not in "".join(page.read_text() for page in pages)


def test_a_browser_opening_the_site_from_disk_requests_only_its_files(site: Path) -> None:
    """What the HTML check cannot see: requests the scripts make (ReDoc's sidebar, for one, fetched
    Redocly's logo from a CDN). Every page, and the reference's frame, in headless Chromium."""
    webdriver = pytest.importorskip("selenium.webdriver")
    browser, driver = shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")
    if not (browser and driver):
        pytest.skip("no Chromium + chromedriver on this machine (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    chrome = webdriver.Chrome(service=webdriver.ChromeService(driver), options=options)
    try:
        for page in [*nav_pages(), "openapi/index.md"]:
            chrome.get((site / page).with_suffix(".html").as_uri())
            chrome.execute_async_script("setTimeout(arguments[0], 1500)")  # the scripts' own requests
        rendered = chrome.execute_script("return document.querySelectorAll('.opblock').length")
        events = [json.loads(entry["message"])["message"] for entry in chrome.get_log("performance")]
    finally:
        chrome.quit()
    assert rendered >= 10, "Swagger UI did not render the operations"
    requested = {e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"}
    assert any(url.endswith("swagger-ui-bundle.js") for url in requested)
    assert not [url for url in requested if not url.startswith(("file://", "data:", "blob:"))]


def test_the_pages_show_the_images_they_take_from_outside_docs(site: Path) -> None:
    chat = (site / "chat.html").read_text()
    for image in sorted((ROOT / "ui" / "screenshots").glob("*.png")):
        assert f'src="repo/ui/screenshots/{image.name}"' in chat
        assert (site / "repo" / "ui" / "screenshots" / image.name).read_bytes() == image.read_bytes()


def test_a_broken_link_fails_the_build_without_asking_for_strict(tmp_path: Path) -> None:
    """mkdocs.yml itself is strict, so `mkdocs build` fails as the test's `--strict` build would."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project)
    for folder in ("ui/screenshots", "reports/bench"):
        shutil.copytree(ROOT / folder, project / folder)
    page = project / "docs" / "evaluation.md"
    page.write_text(page.read_text() + "\nSee [the old page](no-such-page.md).\n")
    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode != 0
    assert "no-such-page.md" in built.stderr


def readme_targets() -> list[str]:
    return MARKDOWN_LINK.findall((ROOT / "README.md").read_text())


def test_every_relative_link_and_image_of_the_readme_exists() -> None:
    targets = [target for target in readme_targets() if not target.startswith(("http://", "https://", "#"))]
    assert any(target.endswith(".png") for target in targets), "the README shows a screenshot"
    assert not [target for target in targets if not (ROOT / target.split("#")[0]).is_file()]


def test_the_readme_links_every_page_of_the_site() -> None:
    linked = {target.split("#")[0] for target in readme_targets()}
    assert {f"docs/{page}" for page in nav_pages()} <= linked
