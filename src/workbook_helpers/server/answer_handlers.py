"""The light questionnaire inside `workbook serve`: the page for a personal link, and its saves.

`voila_app` answers a personal link (`/voila/render/questionnaire.ipynb?t=TOKEN`, the address
every invitation and roster already carries) with `page(...)` instead of a Voila page when
the server runs the light questionnaire (the default, `serve --questionnaire light`), and
routes `POST /workbook/answer` to `AnswerHandler`. Neither needs a kernel: the store and the
bank are opened once in the server process and used from one worker thread, so the event
loop never waits for the store and two saves never share a connection at the same moment.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import tornado.web

from ..exceptions import AccessDeniedError, StoreError, WorkbookError

LOG = logging.getLogger("workbook.serve")
ANSWER_PATH = "workbook/answer"
LANG_PATH = "workbook/lang"
#: the page runs only its own inline script (by nonce) and talks only to this server
PAGE_CSP = ("default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
            "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook-store")


@lru_cache(maxsize=1)
def _store() -> Any:
    from ..store import Store

    return Store.open(upgrade=False)


def _bank() -> Any:
    from ..bank import load_bank

    return load_bank()


async def _in_worker(fn: Any, *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(_WORKER, fn, *args)


def _page_html(token: str, post_url: str, xsrf: str, nonce: str,
               asked: dict[str, str]) -> str:
    from ..apps.answer_page import page_html
    from .pages import page_css

    return page_html(_store(), _bank(), token, post_url=post_url, xsrf=xsrf, nonce=nonce,
                     css=page_css(), **asked)


def _error_html(message: str, lang: str, kind: str = "error") -> str:
    from ..apps.answer_page import error_html
    from .pages import page_css

    return error_html(message, page_css(), kind, lang)


def _no_store(handler: tornado.web.RequestHandler) -> None:
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("Referrer-Policy", "no-referrer")
    handler.set_header("X-Content-Type-Options", "nosniff")


def _browser_language(handler: tornado.web.RequestHandler) -> str:
    """The language of a page shown before the respondent is known (the browser's)."""
    from ..i18n import negotiate

    return negotiate(handler.request.headers.get("Accept-Language"))


async def page(handler: tornado.web.RequestHandler, base_url: str) -> None:
    """Answer `handler`'s GET of a personal link with the light questionnaire page."""
    from jupyter_server.utils import url_path_join

    token = handler.get_argument("t", "") or handler.get_argument("token", "")
    asked = {"list_id": handler.get_argument("list", ""),
             "engagement": handler.get_argument("engagement", ""),
             "respondent": handler.get_argument("respondent", ""),
             "lang": handler.get_argument("lang", "")}
    nonce = secrets.token_urlsafe(16)
    raw = handler.xsrf_token
    xsrf = raw.decode() if isinstance(raw, bytes) else str(raw)
    _no_store(handler)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    try:
        html = await _in_worker(_page_html, token, url_path_join(base_url, ANSWER_PATH),
                                xsrf, nonce, asked)
    except AccessDeniedError as exc:
        handler.set_status(403)
        html = _error_html(str(exc), _browser_language(handler))
    except StoreError as exc:
        from ..apps.answer_page import STORE_DOWN

        LOG.error("a questionnaire could not read the store: %s", exc)
        handler.set_status(503)
        handler.set_header("Retry-After", "5")
        html = _error_html(STORE_DOWN, _browser_language(handler), "warn")
    except WorkbookError as exc:
        handler.set_status(400)
        html = _error_html(str(exc), _browser_language(handler))
    handler.set_header("Content-Security-Policy", PAGE_CSP.format(nonce=nonce))
    handler.finish(html)


def _save(body: bytes) -> dict[str, Any]:
    from ..apps.answer_page import parse_posted, save_answer

    return save_answer(_store(), _bank(), parse_posted(body))


class _JsonPost(tornado.web.RequestHandler):
    """A page's JSON request: Jupyter's XSRF check, the work done off the event loop, and
    the outcome as JSON (403 for a link that names nobody, 400 for what the bank or the
    interface does not allow, 503 when the store cannot be reached: the page retries)."""

    async def reply(self, work: Any, *args: Any) -> None:
        """Run `work(*args)` in the store's thread and answer with its result or the error."""
        _no_store(self)
        # the page sends the XSRF token it was given; Jupyter's server leaves that check to
        # its own handlers, so it is made here (a 403 without the token and cookie)
        self.check_xsrf_cookie()
        try:
            result: dict[str, Any] = await _in_worker(work, *args)
        except AccessDeniedError as exc:
            self.set_status(403)
            result = {"message": str(exc)}
        except StoreError as exc:
            LOG.warning("a questionnaire's request was not stored, its page will retry: %s",
                        exc)
            self.set_status(503)
            result = {"message": "the workbook's store cannot be reached."}
        except WorkbookError as exc:
            self.set_status(400)
            result = {"message": str(exc).rstrip(".")}
        self.finish(result)

    def token(self) -> str:
        """The XSRF token the page is given and sends back."""
        raw = self.xsrf_token
        return raw.decode() if isinstance(raw, bytes) else str(raw)


class AnswerHandler(_JsonPost):
    """`POST /workbook/answer`: store one answer from a light questionnaire page."""

    async def post(self) -> None:
        """Save the posted answer (see `_JsonPost` for the errors)."""
        await self.reply(_save, self.request.body)


def _save_language(body: bytes, post_url: str, xsrf: str) -> dict[str, Any]:
    from ..apps.answer_page import save_language

    return save_language(_store(), _bank(), body, post_url=post_url, xsrf=xsrf)


class LanguageHandler(_JsonPost):
    """`POST /workbook/lang`: remember the language a respondent chose on their page and
    answer with the page's steps and header in it (the page draws them again in place)."""

    async def post(self) -> None:
        """Store the choice and send the page in that language (see `_JsonPost`)."""
        from jupyter_server.utils import url_path_join

        post_url = url_path_join(self.settings.get("base_url", "/"), ANSWER_PATH)
        await self.reply(_save_language, self.request.body, post_url, self.token())


def answer_routes(server_url: str) -> list[tuple[str, Any]]:
    """The routes `voila_app` registers for the pages' saves and language choices."""
    from jupyter_server.utils import url_path_join

    return [(url_path_join(server_url, ANSWER_PATH), AnswerHandler),
            (url_path_join(server_url, LANG_PATH), LanguageHandler)]
