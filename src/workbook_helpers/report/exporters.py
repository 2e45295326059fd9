"""Report formats as a registry of exporters (the model of nbconvert's exporters).

Each format is one small `Exporter`: its `name` (what `--format` takes), `extension`,
`mimetype` (what the report server sends), `label` (what the portfolio's links say), and
`export(data, path, resources)`, which writes one engagement's report in that format from its
`ReportData`, whole or not at all. The command line's `--format` choices and help, the batch,
the portfolio's report links and the report server all read `EXPORTERS`; a new format is one
class and one `register` call.

HTML and PDF are made from the same report page (the executed report notebook as HTML,
`Resources.page`): when both are asked for, the notebook runs once. Importing this module is
cheap (no pandas, no nbconvert); each exporter imports what it needs when it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ..exceptions import BadInputError, Problem
from ..files import write_atomic

if TYPE_CHECKING:
    from .data import ReportData
    from .pdf import PdfPrinter

__all__ = ["EXPORTERS", "Exporter", "Resources", "by_extension", "export_names", "format_help",
           "get_exporter", "parse_formats", "register"]


@dataclass
class Resources:
    """What the exporters of one engagement share (nbconvert's `resources`): the report page,
    made at most once, the PDF paper size and the PDF printer.

    `make_page` and `make_printer` default to a notebook run on a fresh kernel and a browser
    started for the one export; the batch hands in its warm kernel and its kept browser.
    """

    page_size: str = "A4"
    make_page: Callable[[], str] | None = None
    make_printer: Callable[[], PdfPrinter] | None = None
    _page: str | None = field(default=None, repr=False)

    def page(self, data: ReportData) -> str:
        """The report page of `data` as self-contained HTML (made on first use)."""
        if self._page is None:
            from .notebook import report_page

            self._page = self.make_page() if self.make_page else report_page(data)
        return self._page


class Exporter:
    """One report format: what it is called and how one engagement is written in it."""

    name: ClassVar[str]
    extension: ClassVar[str]
    mimetype: ClassVar[str]
    label: ClassVar[str]          # the portfolio's link text
    note: ClassVar[str] = ""      # said after the name in `--format`'s help
    needs_page: ClassVar[bool] = False  # made from the report page (the executed notebook)

    def file_name(self, stem: str) -> str:
        """The report file's name for `stem` (ENGAGEMENT or ENGAGEMENT.ROUND)."""
        return f"{stem}.{self.extension}"

    def export(self, data: ReportData, path: Path, resources: Resources | None = None) -> None:
        """Write the report of `data` to `path` in this format (whole or not at all)."""
        raise NotImplementedError


class HtmlExporter(Exporter):
    """The report as one self-contained HTML page that opens offline."""

    name = extension = "html"
    mimetype = "text/html; charset=utf-8"
    label = "HTML"
    needs_page = True

    def export(self, data: ReportData, path: Path, resources: Resources | None = None) -> None:
        """Write the report page."""
        write_atomic(path, (resources or Resources()).page(data))


class PdfExporter(Exporter):
    """The report page printed by headless Chromium (A4 or Letter, title and page numbers in
    the footer)."""

    name = extension = "pdf"
    mimetype = "application/pdf"
    label = "PDF"
    needs_page = True

    def export(self, data: ReportData, path: Path, resources: Resources | None = None) -> None:
        """Print the report page to `path`."""
        res = resources or Resources()
        page, title = res.page(data), data.engagement.title

        def print_to(target: Path) -> None:
            if res.make_printer is not None:
                res.make_printer().print_html(page, target, title, res.page_size, data.lang)
                return
            from .pdf import PdfPrinter

            with PdfPrinter() as printer:
                printer.print_html(page, target, title, res.page_size, data.lang)

        write_atomic(path, print_to)


class ExcelExporter(Exporter):
    """Scores, flags, answers and comments as an Excel workbook (formula-safe)."""

    name = extension = "xlsx"
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    label = "Excel"

    def export(self, data: ReportData, path: Path, resources: Resources | None = None) -> None:
        """Write the workbook."""
        from .excel import write_excel

        write_atomic(path, lambda target: write_excel(data, target))


class DeckExporter(Exporter):
    """The report as a slide deck."""

    name = extension = "pptx"
    mimetype = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    label = "Slides"
    note = "a slide deck"

    def export(self, data: ReportData, path: Path, resources: Resources | None = None) -> None:
        """Write the deck."""
        from .deck import build_deck

        write_atomic(path, build_deck(data).save())


#: Every report format by name, in the order reports are written and links are shown.
EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    """Add (or replace) a report format."""
    EXPORTERS[exporter.name] = exporter
    return exporter


for _exporter in (HtmlExporter(), PdfExporter(), ExcelExporter(), DeckExporter()):
    register(_exporter)


def export_names() -> list[str]:
    """The formats `workbook report --format` takes, in order."""
    return list(EXPORTERS)


def get_exporter(name: str) -> Exporter:
    """The exporter of one format, or BadInputError naming the formats there are."""
    try:
        return EXPORTERS[name]
    except KeyError:
        raise BadInputError(_unknown([name])) from None


def _unknown(bad: list[str]) -> Problem:
    names = export_names()
    return Problem(f"unknown format(s): {', '.join(bad) or '(none)'}.", column="--format",
                   fix=f"use {', '.join(names[:-1])} and/or {names[-1]}.")


def by_extension(extension: str) -> Exporter | None:
    """The exporter whose files end in `.extension` (None when no format does)."""
    return next((e for e in EXPORTERS.values() if e.extension == extension), None)


def parse_formats(formats: str | Iterable[str]) -> list[str]:
    """The formats asked for (comma-separated text or a list; case and blanks ignored), or
    BadInputError naming the unknown ones (or none at all)."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    names = [f.strip().lower() for f in items if f.strip()]
    bad = [f for f in names if f not in EXPORTERS]
    if bad or not names:
        raise BadInputError(_unknown(bad))
    return names


def format_help() -> str:
    """`--format`'s help: every format, with its note."""
    return "Comma-separated: " + ", ".join(
        f"{e.name} ({e.note})" if e.note else e.name for e in EXPORTERS.values()) + "."
