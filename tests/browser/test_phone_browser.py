"""Every page `workbook serve` shows fits a 390 px phone screen (issue 19), and the address it
prints opens a landing page: real Voila with a facilitator key, headless Chromium.

"Fits" means: the page never scrolls sideways, no visible element reaches past the screen's
right edge, and no box clips or scrolls its content sideways except a table or chart, which
may scroll inside its own box. Screenshots: artifacts/screenshots/phone-*.png."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import CHROMIUM, Profile, forget, shoot, voila_on, wait_for_layout

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
KEY = "phone-test-facilitator-key-0123456789"
LONG_NAME = "Maximiliane Oberhausen-Vandenberghe"
LONG_ROLE = "Senior Vice President, Strategic Partnerships, Alliances and Joint Ventures"
# boxes that may scroll sideways: a wide table or chart inside its own box
SCROLLERS = "table, .wb-pf-scroll, .wb-chart, .wb-heatfig"

FIT_JS = """scrollers => {
  const vw = window.innerWidth, out = [];
  const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden'; };
  const name = e => e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join('')
    + ' "' + (e.innerText || '').trim().slice(0, 40) + '"';
  for (const e of document.querySelectorAll('body *')) {
    if (!shown(e) || e.parentElement.closest(scrollers)) continue;  // scrolls in its box
    const r = e.getBoundingClientRect();
    if (r.right > vw + 0.5) out.push(`${name(e)} reaches ${Math.round(r.right)} px`);
    const s = getComputedStyle(e);
    if (s.overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1 && !e.matches(scrollers))
      out.push(`${name(e)} cuts off or scrolls ${e.scrollWidth - e.clientWidth} px`);
  }
  return {page: document.documentElement.scrollWidth, screen: vw, problems: out.slice(0, 15)};
}"""

TAPS_JS = """() => [...document.querySelectorAll(
    '.wb-app .jupyter-button, .wb-choices .widget-radio-box label, .wb-landing a')]
  .filter(e => e.getBoundingClientRect().width > 1)
  .filter(e => e.getBoundingClientRect().height < (e.tagName === 'A' ? 24 : 40))
  .map(e => (e.innerText || '').trim().slice(0, 30) + ': '
    + Math.round(e.getBoundingClientRect().height) + ' px')"""


@dataclass
class Keyed:
    base: str
    token: str

    def page(self, name: str, engagement: str = "demo") -> str:
        query = f"engagement={engagement}&key={KEY}" if engagement else f"key={KEY}"
        return f"{self.base}/voila/render/{name}.ipynb?{query}"


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Keyed]:
    """Voila with a facilitator key over the demo store and one respondent whose name and
    role are long (the widest questionnaire header)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from workbook_helpers.bank import load_bank
    from workbook_helpers.demo import seed_demo
    from workbook_helpers.store import Store

    work = tmp_path_factory.mktemp("phone")
    data = work / "data"
    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    seed_demo(store, load_bank())
    who = store.add_respondent("demo", "max-ov", LONG_NAME, "host", LONG_ROLE)
    store.close()
    old = os.environ.get("WORKBOOK_FACILITATOR_KEY")
    os.environ["WORKBOOK_FACILITATOR_KEY"] = KEY
    try:
        with voila_on(data, "127.0.0.1", work / "apps", work / "voila.log", settle=4,
                      other_pages=0) as (port, spec, log, _proc):
            assert spec.facilitator_key == KEY
            yield Keyed(f"http://127.0.0.1:{port}", who.token or "")
            assert KEY not in Path(log).read_text()
    finally:
        if old is None:
            os.environ.pop("WORKBOOK_FACILITATOR_KEY", None)
        else:
            os.environ["WORKBOOK_FACILITATOR_KEY"] = old


@pytest.fixture()
def sized(profile: Profile) -> Iterator[Any]:
    """Open tabs at a given screen size (in the lane's Chromium profile, see `page`); fails
    if a request leaves 127.0.0.1."""
    seen: list[str] = []

    def open_at(viewport: dict[str, int]) -> Any:
        p = profile.context.new_page()
        p.set_viewport_size(viewport)
        p.set_default_timeout(120_000)
        p.on("request", lambda r: seen.append(r.url))
        return p

    yield open_at
    forget(profile, seen)
    offsite = [u for u in seen if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]
    assert not offsite, offsite


def assert_fits(p: Any, what: str) -> None:
    got = p.evaluate(FIT_JS, SCROLLERS)
    assert got["page"] <= got["screen"], f"{what}: the page is {got['page']} px wide"
    assert not got["problems"], f"{what} at {got['screen']} px:\n" + "\n".join(got["problems"])


def ready_questionnaire(p: Any) -> None:
    """Wait until an answer can be clicked, and click one (it is saved)."""
    p.wait_for_selector(".wb-questionnaire .wb-question", state="visible", timeout=180_000)
    p.get_by_role("radio", name=re.compile(r"^3 ·")).check()
    p.wait_for_function("() => document.querySelector('.wb-status').innerText"
                        ".includes('Saved')")


APPS = [("questionnaire", None, ".wb-questionnaire .wb-question"),
        ("dashboard", "demo", ".wb-dashboard .wb-chart"),
        ("setup", "demo", ".wb-roster"),
        ("portfolio", "", ".wb-pf-table tbody tr a")]


@pytest.mark.parametrize(("app", "engagement", "ready"), APPS, ids=[a[0] for a in APPS])
def test_every_app_page_fits_a_phone(keyed: Keyed, sized: Any, app: str,
                                     engagement: str | None, ready: str) -> None:
    p = sized(PHONE)
    if engagement is None:
        p.goto(f"{keyed.base}/voila/render/questionnaire.ipynb?t={keyed.token}")
        ready_questionnaire(p)
        assert LONG_NAME in p.locator(".wb-hello").inner_text()
    else:
        p.goto(keyed.page(app, engagement))
        p.wait_for_selector(ready, state="visible", timeout=180_000)
    wait_for_layout(p)
    shoot(p, f"phone-{app}")
    assert_fits(p, app)
    small = p.evaluate(TAPS_JS)
    assert not small, f"{app}: tap targets too small on a phone: {small}"


def test_questionnaire_still_fits_the_desktop(keyed: Keyed, sized: Any) -> None:
    p = sized(DESKTOP)
    p.goto(f"{keyed.base}/voila/render/questionnaire.ipynb?t={keyed.token}")
    ready_questionnaire(p)
    shoot(p, "desktop-questionnaire-1280x900")
    assert_fits(p, "questionnaire")
    # the card keeps its desktop width and the list buttons stay on one line each
    card = p.locator(".wb-questionnaire").bounding_box()
    assert card is not None and card["width"] > 900
    heights = p.locator(".wb-listbtn").evaluate_all(
        "bs => bs.map(b => b.getBoundingClientRect().height)")
    assert heights and max(heights) < 50


def test_the_landing_page_on_a_phone_and_a_desktop(keyed: Keyed, sized: Any) -> None:
    for size, tag in ((PHONE, "phone"), (DESKTOP, "1280x900")):
        p = sized(size)
        p.goto(f"{keyed.base}/")
        body = p.locator("main").inner_text()
        assert "Alliance Workbook" in body and "personal link" in body
        assert "demo" not in p.content() and "Halvorsen" not in body   # nothing without the key
        shoot(p, "phone-landing" if tag == "phone" else f"landing-{tag}")
        assert_fits(p, "landing page")
        p.goto(f"{keyed.base}/?key={KEY}")
        assert "Halvorsen" in p.locator("main").inner_text()
        shoot(p, "phone-landing-facilitator" if tag == "phone"
              else f"landing-facilitator-{tag}")
        assert_fits(p, "landing page with the key")
        if tag == "phone":
            assert not p.evaluate(TAPS_JS)
            # the engagement's dashboard link opens the dashboard with the key
            p.locator(".wb-landing-engagements a", has_text="Dashboard").first.click()
            p.wait_for_selector(".wb-dashboard", state="visible", timeout=180_000)
            assert "key=" in p.url and "engagement=demo" in p.url
