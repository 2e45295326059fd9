"""PDF from the report HTML with Debian's headless Chromium; checked with poppler."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.report_support import ARTIFACTS, LICENCE, seed_store, store_url
from workbook_helpers.report.html import notebook_to_html
from workbook_helpers.report.notebook import run_report_notebook
from workbook_helpers.report.pdf import PdfPrinter

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")]


def _info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    data = tmp_path_factory.mktemp("data")
    seed_store(data).close()
    out = tmp_path_factory.mktemp("pdf")
    nb = run_report_notebook(out / "demo.ipynb", {"engagement": "demo",
                                                  "database_url": store_url(data)})
    page = notebook_to_html(nb, "Demo report")
    files = {"A4": out / "demo-a4.pdf", "Letter": out / "demo-letter.pdf"}
    licence = run_report_notebook(out / "licence.ipynb", {"engagement": LICENCE,
                                                          "database_url": store_url(data)})
    with PdfPrinter() as printer:
        for size, path in files.items():
            printer.print_html(page, path, "Demo report", size)
        files["licence"] = out / "licence-a4.pdf"
        printer.print_html(notebook_to_html(licence, "Licence report"), files["licence"],
                           "Licence report")
    return files


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_licence_pdf_recommends_the_licence_and_never_says_no_fit(
        pdfs: dict[str, Path]) -> None:
    text = _text(pdfs["licence"])
    assert "Recommended: licensing" in text and "Pursue a licence" in text
    assert "Readiness on each side" in text
    assert "No fit" not in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "3",
                    str(pdfs["licence"]), str(ARTIFACTS / "licence-a4-page")], check=True)
    assert list(ARTIFACTS.glob("licence-a4-page-*.png"))


def test_pdf_has_pages_text_and_page_numbers(pdfs: dict[str, Path]) -> None:
    info = _info(pdfs["A4"])
    pages = int(info["Pages"])
    assert pages >= 6
    assert re.search(r"595\.\d+ x 841\.\d+|595\.\d+ x 842\.\d+", info["Page size"])
    text = subprocess.run(["pdftotext", "-layout", str(pdfs["A4"]), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Conditional fit" in text and "Halvorsen Robotics" in text
    assert "Gaps to discuss" in text and "Appendix" in text
    assert "Readiness on each side" in text and re.search(r"confidence \d+%", text)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "<script>alert(1)</script>" in text  # the comment, printed as text
    assert not re.search(r"\b(None|NaN)\b", text)


def test_letter_size(pdfs: dict[str, Path]) -> None:
    assert re.search(r"612(\.\d+)? x 792", _info(pdfs["Letter"])["Page size"])


def test_page_one_renders_to_png_artifact(pdfs: dict[str, Path]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / "demo-a4-page"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(pdfs["A4"]), str(prefix)], check=True)
    png = prefix.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000  # a real page with text, not a blank sheet
    shutil.copy(pdfs["A4"], ARTIFACTS / "demo-a4.pdf")


def test_printer_works_where_an_event_loop_is_running(tmp_path: Path) -> None:
    # a Jupyter kernel (or a test session driving a browser) has a running asyncio loop in
    # the main thread; sync Playwright refuses to run there unless the printer owns a thread
    import asyncio
    import threading

    target = tmp_path / "inside-loop.pdf"

    async def inside() -> None:
        with PdfPrinter() as printer:
            printer.print_html("<html><body><h1>Inside a loop</h1></body></html>", target,
                               "Loop test")

    # a thread of its own, so the test works whatever loop this session already runs
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(inside())
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=120)
    assert not errors, errors
    assert target.read_bytes().startswith(b"%PDF")


def _page_with(pdf: Path, needle: str) -> int:
    pages = int(_info(pdf)["Pages"])
    for n in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        if needle in text:
            return n
    raise AssertionError(f"no page says {needle!r}")


def test_expectations_and_robustness_pages_render_to_png_artifacts(
        pdfs: dict[str, Path]) -> None:
    pdf = pdfs["A4"]
    verdict = _page_with(pdf, "This verdict is firm:")
    section = _page_with(pdf, "Besides their own answers, the executives estimated")
    assert verdict < section  # the summary and the verdict come first
    text = subprocess.run(["pdftotext", "-layout", "-f", str(section), "-l", str(section + 1),
                           str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Blind spot" in text and "What Halvorsen Robotics expected of Castellan" in text
    assert "The largest misses, question by question" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, page in (("demo-a4-verdict", verdict), ("demo-a4-expectations", section)):
        prefix = ARTIFACTS / name
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(prefix)], check=True)
        assert prefix.with_suffix(".png").stat().st_size > 20_000
