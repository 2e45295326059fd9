"""HTML -> PDF with Debian's headless Chromium (via Playwright; nothing is downloaded).

Page size is A4 or Letter; every page carries the report title and "Page n of N" in the
footer. Charts are inline SVG, so they stay vector (crisp at any zoom); the template's print
CSS keeps charts, table rows and gap cards whole.
"""

from __future__ import annotations

import html as _html
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..exceptions import WorkbookError

PAGE_SIZES = ("A4", "Letter")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
MARGIN = {"top": "16mm", "right": "14mm", "bottom": "18mm", "left": "14mm"}
# Liberation Sans (Debian's fonts-liberation2) and DejaVu Sans (fonts-dejavu-core) carry
# Latin-1 and Latin Extended-A: every character of English, German, French and Spanish
FONTS = "Liberation Sans,DejaVu Sans,Arial,sans-serif"


def chromium_path() -> str:
    """The Chromium binary: $WORKBOOK_CHROMIUM, else Debian's package."""
    from ..config import settings

    for cand in (settings().chromium, "/usr/lib/chromium/chromium",
                 shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and Path(cand).exists():
            return cand
    raise WorkbookError("Chromium is not installed; install Debian's 'chromium' package "
                        "(apt-get install chromium) to write PDF reports.")


def _footer(title: str, lang: str = "en") -> str:
    """The footer of every page: the title and "Page n of N" in the report's language."""
    from ..presenting.speaking import _, speaking

    with speaking(lang):
        pages = _html.escape(_("Page {page} of {total}"), quote=False).format(
            page='<span class="pageNumber"></span>', total='<span class="totalPages"></span>')
    from ..presenting.brand import MUTED

    return (f'<div style="width:100%;font-size:7.5pt;color:{MUTED};padding:0 14mm;'
            f"font-family:{FONTS};display:flex;"
            'justify-content:space-between">'
            f"<span>{_html.escape(title)}</span><span>{pages}</span></div>")


class PdfPrinter:
    """A headless Chromium kept open to print many reports (one per process).

    Playwright's sync API refuses to run in a thread with a running asyncio loop (a Jupyter
    kernel, or a test session that drives a browser too), and its objects belong to the
    thread that made them. So the printer owns one thread and every browser call runs there.
    """

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf-printer")
        try:
            self._thread.submit(self._start).result()
        except BaseException:
            self._thread.shutdown(wait=True)
            raise

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(executable_path=chromium_path(),
                                                     args=ARGS, headless=True)
        except Exception:
            self._pw.stop()
            raise

    def print_html(self, page_html: str, target: Path, title: str,
                   page_size: str = "A4", lang: str = "en") -> None:
        """Print one HTML page to `target` as PDF (the footer in `lang`)."""
        if page_size not in PAGE_SIZES:
            raise WorkbookError(f"unknown page size {page_size!r}; use A4 or Letter.")
        self._thread.submit(self._print, page_html, target, title, page_size, lang).result()

    def _print(self, page_html: str, target: Path, title: str, page_size: str,
               lang: str = "en") -> None:
        context: Any = self._browser.new_context(offline=True, java_script_enabled=False)
        try:
            page = context.new_page()
            page.set_content(page_html, wait_until="load")
            page.emulate_media(media="print")
            page.pdf(path=str(target), format=page_size, print_background=True,
                     display_header_footer=True, header_template="<span></span>",
                     footer_template=_footer(title, lang), margin=MARGIN,
                     prefer_css_page_size=False)
        finally:
            context.close()

    def _stop(self) -> None:
        try:
            self._browser.close()
        finally:
            self._pw.stop()

    def close(self) -> None:
        """Close the browser and the printer's thread."""
        try:
            self._thread.submit(self._stop).result()
        finally:
            self._thread.shutdown(wait=True)

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

