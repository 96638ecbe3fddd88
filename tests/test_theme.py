"""The theme in a real headless Chromium: axe-core (WCAG 2.2 AA), keyboard, 320 px, targets, print."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = ["", "summaries/il-6-in-scleroderma/", "summaries/tocilizumab-for-scleroderma/", "what-is-scleroderma/",
         "what-is-il-6/", "what-is-tocilizumab/", "about/", "glossary/", "404.html"]


@pytest.fixture(scope="module")
def site_url(built_example: Path):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(built_example / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_every_page_is_listed(built_example: Path) -> None:
    built = sorted(p.relative_to(built_example / "site").as_posix() for p in (built_example / "site").rglob("*.html"))
    assert built == sorted(p + "index.html" if not p.endswith(".html") else p for p in PAGES)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(browser, site_url: str, path: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    problems = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]
    assert problems == []
    assert result["passes"], "axe ran no rule"
    context.close()


def test_axe_with_a_glossary_definition_open(browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(site_url + "summaries/il-6-in-scleroderma/")
    page.click("button.term-button[popovertarget='term-fibrosis']")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert [v["id"] for v in result["violations"]] == []
    page.close()


def test_keyboard_opens_a_glossary_term_and_reads_the_definition(browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(site_url + "summaries/il-6-in-scleroderma/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('term-button')"):
            break
    else:
        pytest.fail("Tab never reached a glossary term")
    term = page.evaluate("document.activeElement.textContent")
    target = page.evaluate("document.activeElement.getAttribute('popovertarget')")
    page.keyboard.press("Enter")
    definition = page.locator(f"#{target}")
    assert definition.is_visible()
    assert page.evaluate(f"document.getElementById('{target}').matches(':popover-open')")
    assert term.lower() in definition.inner_text().lower() or "scleroderma" in term.lower()
    assert "A long-term disease" in definition.inner_text() or len(definition.inner_text()) > 40
    # the button says it controls an expanded region, so a screen reader announces the definition
    assert page.evaluate("document.activeElement.ariaExpanded") in ("true", None)
    page.keyboard.press("Escape")
    assert not definition.is_visible()
    page.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_overflow_at_320_px(browser, site_url: str, path: str) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()


def test_readable_at_200_percent_zoom(browser, site_url: str) -> None:
    # 200% zoom of a 1280 px window is a 640 CSS px viewport at twice the device scale
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    page = context.new_page()
    page.goto(site_url + "summaries/il-6-in-scleroderma/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 640
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    context.close()


MEASURE_TARGETS = """() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, summary')) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[popover]:not(:popover-open)')) continue;
    if (el.classList.contains('skip-link') && document.activeElement !== el) continue;
    const rects = [...el.getClientRects()];
    if (!rects.length) continue;
    let width = Math.max(...rects.map(r => r.width)), height = Math.max(...rects.map(r => r.height));
    const layer = getComputedStyle(el, '::after');  // an invisible hit layer counts as the target
    if (layer.content !== 'none' && layer.position === 'absolute') {
      width = Math.max(width, parseFloat(layer.width)); height = Math.max(height, parseFloat(layer.height));
    }
    if (width < 44 || height < 44) small.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${Math.round(width)}x${Math.round(height)}`);
  }
  return small;
}"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", PAGES)
def test_every_link_and_button_is_at_least_44_px(browser, site_url: str, path: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + path)
    assert page.evaluate(MEASURE_TARGETS) == []
    page.close()


def test_term_buttons_do_not_push_lines_apart_and_are_hit_around(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "summaries/il-6-in-scleroderma/")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.prose p')).lineHeight)")
    button = page.locator("button.term-button[popovertarget='term-biopsy']")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box["height"] <= line
    # a tap 20 px above the middle of the word still lands on the term
    hit = page.evaluate(f"document.elementFromPoint({box['x'] + box['width'] / 2}, {box['y'] + box['height'] / 2 - 20})?.getAttribute('popovertarget')")
    assert hit == "term-biopsy"
    page.close()


def test_theme_basics(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "summaries/il-6-in-scleroderma/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    assert page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize)") >= 1.5
    # line length: a paragraph's width in characters of the body font
    chars = page.evaluate("""() => { const p = document.querySelector('.prose p');
        const c = document.createElement('canvas').getContext('2d'); c.font = getComputedStyle(p).font;
        return p.getBoundingClientRect().width / (c.measureText('abcdefghijklmnopqrstuvwxyz').width / 26); }""")
    assert chars <= 75
    assert page.locator("h1").count() == 1
    levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    for landmark in ("header", "nav", "main", "footer"):
        assert page.locator(landmark).count() >= 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert outline == "rgb(255, 221, 0)"  # the visible focus style
    page.close()


def test_print_stylesheet(browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(site_url + "summaries/il-6-in-scleroderma/")
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible()
    assert not page.locator(".breadcrumbs").is_visible()
    assert page.locator("#term-fibrosis").is_visible()  # glossary definitions inline on paper
    assert "scar-like material" in page.inner_text("main")
    assert page.locator(".citation").is_visible()
    after = page.evaluate("getComputedStyle(document.querySelector('.prose a[href^=\"http\"], .source-links a, .citation a') || document.body, '::after').content")
    assert after in ("none", "normal") or "attr" in after or "http" in after
    page.close()


def test_nothing_is_loaded_from_elsewhere(browser, site_url: str) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGES:
        page.goto(site_url + path)
    assert requested and all(url.startswith(site_url) for url in requested), [u for u in requested if not u.startswith(site_url)]
    page.close()


def test_pages_read_without_javascript(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "summaries/il-6-in-scleroderma/")
    assert "The team took blood from 68 people" in page.inner_text("main")
    page.click("button.term-button[popovertarget='term-fibrosis']")
    assert page.locator("#term-fibrosis").is_visible()
    context.close()
