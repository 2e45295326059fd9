"""Report formats as a registry (`report.exporters`), the reports folder's names
(`report.folder`) and the one atomic write (`files.write_atomic`)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import pytest

from workbook_helpers.exceptions import BadInputError
from workbook_helpers.files import temporary_name, write_atomic
from workbook_helpers.report import exporters, folder


def test_every_format_declares_name_extension_mimetype_and_label() -> None:
    assert exporters.export_names() == ["html", "pdf", "xlsx", "pptx"]
    for name, exporter in exporters.EXPORTERS.items():
        assert exporter.name == name and exporter.label
        guessed, _ = mimetypes.guess_type(f"x.{exporter.extension}")
        assert guessed and exporter.mimetype.split(";")[0] == guessed, name
        assert exporters.by_extension(exporter.extension) is exporter
        # a file the exporter writes is one the portfolio and the server find
        match = folder.report_name(exporter.file_name("acme.health-1"))
        assert match and (match["engagement"], match["round"], match["ext"]) == (
            "acme", "health-1", exporter.extension)
    assert exporters.by_extension("exe") is None


def test_formats_are_parsed_and_unknown_ones_are_bad_input() -> None:
    assert exporters.parse_formats(" HTML, pdf ,,pptx") == ["html", "pdf", "pptx"]
    assert exporters.parse_formats(["xlsx"]) == ["xlsx"]
    for bad, named in (("docx", "docx"), ("", "(none)"), ("html,odt", "odt")):
        with pytest.raises(BadInputError) as err:
            exporters.parse_formats(bad)
        assert named in str(err.value) and "--format" in str(err.value)
    with pytest.raises(BadInputError):
        exporters.get_exporter("docx")


def test_a_registered_format_reaches_the_help_the_names_and_the_folder(tmp_path: Path) -> None:
    class Text(exporters.Exporter):
        name = extension = "txt"
        mimetype = "text/plain"
        label = "Text"
        note = "plain text"

    try:
        exporters.register(Text())
        assert exporters.export_names()[-1] == "txt"
        assert "txt (plain text)" in exporters.format_help()
        (tmp_path / "acme.txt").write_text("x")
        assert folder.latest_reports(tmp_path)["acme"].formats == ("txt",)
    finally:
        del exporters.EXPORTERS["txt"]
    assert folder.report_name("acme.txt") is None
    assert exporters.format_help() == (
        "Comma-separated: html, pdf, xlsx, pptx (a slide deck).")


def test_write_atomic_writes_whole_files_or_nothing(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "r.xlsx"
    write_atomic(target, "línea 1\r\nline 2\n")
    assert target.read_bytes() == "línea 1\r\nline 2\n".encode()
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    seen: list[Path] = []

    def writer(path: Path) -> None:
        seen.append(path)
        assert path.suffix == ".xlsx" and path.name.startswith(".")
        path.write_bytes(b"new")

    write_atomic(target, writer)
    assert target.read_bytes() == b"new" and seen == [temporary_name(target)]

    def broken(path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, broken)
    assert target.read_bytes() == b"new"  # the old file is untouched
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.xlsx"]  # no temp file left


def test_html_and_pdf_share_one_report_page(tmp_path: Path) -> None:
    made: list[int] = []
    printed: list[tuple[str, str, str]] = []

    class Printer:
        def print_html(self, page: str, target: Path, title: str, page_size: str = "A4",
                       lang: str = "en") -> None:
            printed.append((page, title, page_size))
            target.write_bytes(b"%PDF-1.7 " + page.encode())

    class Engagement:
        title = "Acme × Globex <alliance>"

    class Data:
        engagement = Engagement()
        lang = "de"

    def make_page() -> str:
        made.append(1)
        return "<html>report</html>"

    res = exporters.Resources(page_size="Letter", make_page=make_page,
                              make_printer=lambda: Printer())  # type: ignore[arg-type,return-value]
    for name in ("html", "pdf"):
        exporter = exporters.get_exporter(name)
        exporter.export(Data(), tmp_path / exporter.file_name("acme"), res)  # type: ignore[arg-type]
    assert made == [1]  # the notebook ran once for both formats
    assert (tmp_path / "acme.html").read_text(encoding="utf-8") == "<html>report</html>"
    assert printed == [("<html>report</html>", Engagement.title, "Letter")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.html", "acme.pdf"]
