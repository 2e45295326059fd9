"""Ready for the room, in a real Voila with real Chromium: the light questionnaire (the
default) opens and saves without starting a kernel; with the widget questionnaire
(`--questionnaire voila`) kernels come back to the idle count after the visitors close their
tabs; a newcomer beyond what the server holds gets a page that
says so and opens the questionnaire by itself once a place is free; a page left idle gives
its kernel back after the facilitator's idle time, and a reload carries on."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM, kernel_pids, shoot, voila_on, wait_until

ANSWER = ".wb-questionnaire input[type=radio]"


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from workbook_helpers.store import Store

    data = tmp_path_factory.mktemp("room")
    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    store.create_engagement("room", "Room Host", "Room Partner")
    for i in range(4):
        store.add_respondent("room", f"p{i}", f"Person {i}", ("host", "partner")[i % 2],
                             "CEO")
    tokens = {r.id: r.token or "" for r in store.respondents("room")}
    store.close()
    return data, tokens


@pytest.fixture()
def serve_room(people: tuple[Path, dict[str, str]], tmp_path: Path
               ) -> Iterator[Callable[..., Any]]:
    data, _ = people
    stack: list[Any] = []

    def start(**serve: Any) -> tuple[str, Any, Path]:
        serve.setdefault("questionnaire", "voila")  # the kernel-per-page questionnaire
        serve.setdefault("other_pages", 0)  # no kernel kept ready for pages not opened here
        cm = voila_on(data, "127.0.0.1", tmp_path / f"apps{len(stack)}",
                      tmp_path / f"voila{len(stack)}.log", settle=1, **serve)
        port, _spec, log, proc = cm.__enter__()
        stack.append(cm)
        return f"http://127.0.0.1:{port}", proc, log

    yield start
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


def _close(page: Any) -> None:
    page.close(run_before_unload=True)
    time.sleep(0.3)  # the unload beacon leaves before anything else happens


def _link(base: str, token: str) -> str:
    return f"{base}/voila/render/questionnaire.ipynb?t={token}"


def _stable_count(proc: Any) -> int:
    """The kernel count once it has not changed for 3 s (the pools have filled)."""
    last, since = -1, time.monotonic()
    while True:
        n = len(kernel_pids(proc))
        if n != last:
            last, since = n, time.monotonic()
        elif time.monotonic() - since >= 3:
            return n
        time.sleep(0.5)


def test_kernels_come_back_to_the_idle_count_after_the_tabs_close(
        serve_room: Any, people: Any, tabs: Any) -> None:
    base, proc, _log = serve_room(room=2)
    _, tokens = people
    idle = _stable_count(proc)
    pages = [tabs(_link(base, tokens[f"p{i}"])) for i in range(3)]
    for p in pages:
        p.wait_for_selector(ANSWER, state="visible", timeout=120_000)
    served = {p.evaluate("JSON.parse(document.getElementById('jupyter-config-data')"
                         ".textContent).kernelId") for p in pages}
    assert len(served) == 3
    for p in pages:
        _close(p)

    def visitors_gone() -> bool:
        return not any(f"kernel-{k}.json" in _cmdlines(proc) for k in served)
    wait_until(visitors_gone, 120, "the closed pages' kernels to end")
    # the expected room (2) took kernels that are not replaced while the room arrives; the
    # third visitor was a late-comer, so the pool was topped up to its margin: the server
    # holds the idle count less the room, and nothing else
    wait_until(lambda: len(kernel_pids(proc)) == idle - 2, 120,
               "the kernels to come back to the idle count less the room")


def _cmdlines(proc: Any) -> str:
    import psutil

    out = []
    for pid in kernel_pids(proc):
        with contextlib.suppress(psutil.Error):
            out.append(" ".join(psutil.Process(pid).cmdline()))
    return "\n".join(out)


def test_a_full_room_asks_newcomers_to_wait_and_lets_them_in(
        serve_room: Any, people: Any, tabs: Any) -> None:
    base, _proc, log = serve_room(room=1, max_visitors=2)
    _, tokens = people
    first = [tabs(_link(base, tokens[f"p{i}"])) for i in range(2)]
    for p in first:
        p.wait_for_selector(ANSWER, state="visible", timeout=120_000)
    late = tabs("about:blank", viewport={"width": 390, "height": 844})
    resp = late.goto(_link(base, tokens["p2"]))
    assert resp is not None and resp.status == 503
    assert resp.headers.get("retry-after") == "5"
    text = late.locator("body").inner_text()
    assert "room is full" in text and "tries again" in text
    assert late.locator("meta[http-equiv=refresh]").count() == 1
    shoot(late, "room-full-390x844")
    assert "the room is full: a visitor waits" in log.read_text()
    _close(first[0])
    # the waiting page reloads itself and gets the questionnaire once a place is free
    late.wait_for_selector(ANSWER, state="visible", timeout=120_000)
    assert "Person 2" in late.locator(".wb-questionnaire").inner_text()
    _close(late)
    _close(first[1])


def test_an_idle_page_gives_its_kernel_back_and_a_reload_carries_on(
        serve_room: Any, people: Any, tabs: Any) -> None:
    base, proc, _log = serve_room(room=1, idle_minutes=0.25)
    _, tokens = people
    page = tabs(_link(base, tokens["p3"]))
    page.wait_for_selector(ANSWER, state="visible", timeout=120_000)
    page.get_by_role("radio").first.check()
    page.wait_for_function("() => document.querySelector('.wb-status')"
                           ".innerText.includes('Saved')", timeout=60_000)
    kid = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data')"
                        ".textContent).kernelId")
    # nobody touches the page: its kernel is culled after the idle time (15 s here)
    wait_until(lambda: f"kernel-{kid}.json" not in _cmdlines(proc), 120,
           "the idle page's kernel to be released")
    page.reload()
    page.wait_for_selector(ANSWER, state="visible", timeout=120_000)
    assert "1 of" in page.locator(".wb-progress-label").first.inner_text()
    _close(page)



def test_the_light_questionnaire_needs_no_kernel(serve_room: Callable[..., Any],
                                                  people: tuple[Path, dict[str, str]],
                                                  tabs: Any) -> None:
    from workbook_helpers.store import Store

    data, _ = people
    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    try:
        light = {r.id: r.token or "" for r in (
            store.add_respondent("room", f"light{i}", f"Light {i}",
                                 ("host", "partner")[i % 2], "COO") for i in range(4))}
    finally:
        store.close()
    base, proc, _log = serve_room(questionnaire="light")
    idle = _stable_count(proc)
    pages = [tabs(_link(base, light[rid])) for rid in sorted(light)]
    for i, page in enumerate(pages):
        page.locator(ANSWER).first.wait_for(state="visible", timeout=60_000)
        page.get_by_role("radio").nth(i).check()
        page.wait_for_function("() => document.querySelector('.wb-status').innerText"
                               ".includes('Saved')", timeout=30_000)
    shoot(pages[0], "room-light-questionnaire")
    assert len(kernel_pids(proc)) == idle  # four visitors, not one kernel more
    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    try:
        cur = store.current_answers("room")
    finally:
        store.close()
    got = cur[cur["respondent"].isin(list(light))].set_index("respondent")
    assert sorted(got.index) == sorted(light)
    # the i-th page chose the i-th option of the first question: points 1-4 in order
    assert [int(got.loc[rid, "value"]) for rid in sorted(light)] == [1, 2, 3, 4]
    for page in pages:
        _close(page)


def test_the_save_endpoint_checks_xsrf_and_input(serve_room: Callable[..., Any],
                                                 people: tuple[Path, dict[str, str]]) -> None:
    import http.cookiejar
    import json
    import urllib.error
    import urllib.request

    data, tokens = people
    base, _proc, _log = serve_room(questionnaire="light")
    jar = http.cookiejar.CookieJar()
    web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with web.open(_link(base, tokens["p1"]), timeout=30) as r:
        html = r.read().decode()
        csp = r.headers["Content-Security-Policy"]
    assert "script-src 'nonce-" in csp and "connect-src 'self'" in csp
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    page = json.loads(html.split('id="wb-data">', 1)[1].split("</script>", 1)[0])
    qid = page["steps"][0]["q"]

    def post(body: dict[str, Any], token: str | None = xsrf) -> tuple[int, dict[str, Any]]:
        req = urllib.request.Request(f"{base}/workbook/answer", method="POST",
                                     data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              **({"X-XSRFToken": token} if token else {})})
        try:
            with web.open(req, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            return exc.code, json.loads(raw) if raw.startswith(b"{") else {}

    answer = {"t": tokens["p1"], "q": qid, "about": "self", "choice": 5, "comment": "ok"}
    assert post(answer, token=None)[0] == 403  # no XSRF token: refused, nothing stored
    assert post({**answer, "t": "nobody"})[0] == 403
    code, body = post({**answer, "choice": 99})
    assert code == 400 and "not a point of the scale" in body["message"]
    code, body = post(answer)
    assert code == 200 and body["state"] == "saved"
    from workbook_helpers.store import Store

    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    try:
        hist = store.history("room").query("respondent == 'p1' and question_id == @qid")
    finally:
        store.close()
    assert hist["value"].tolist()[-1] == 5 and len(hist[hist["comment"] == "ok"]) == 1
