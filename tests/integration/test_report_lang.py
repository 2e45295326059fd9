"""Reports in the client's language: `workbook report ENG --lang de` writes German HTML, PDF,
Excel and slides with no English sentence left in the report body.

The "English sentence catalogue" is built from the sources, never from an output: every
English msgid of the `report` catalogue (cut at its placeholders and markup, kept when a
fragment has three words or more) plus every English bank text (questions, help, anchors,
list titles, next steps, form summaries, readiness steps). Respondents' own words (comments,
actions, names, titles) are not the catalogue's and are left out of the check.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import run_cli_process, seed_demo_in
from tests.report_support import page_text
from workbook_helpers import i18n
from workbook_helpers.bank import Bank, load_bank
from workbook_helpers.presenting.speaking import _, current, number, percent, speaking

LOCALE = Path(i18n.__file__).resolve().parent / "locale"
POT = LOCALE / "report.pot"
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)s|\{[A-Za-z_]+\}|<[^>]+>")
BRACES = re.compile(r"\{[A-Za-z_]+\}")
PERCENTS = re.compile(r"%\([A-Za-z_]+\)s")
LANGS = ("de", "fr", "es")


# ---- the English sentence catalogue --------------------------------------------------------
def _messages() -> list[object]:
    from babel.messages.pofile import read_po

    with POT.open("rb") as fh:
        return [m for m in read_po(fh) if m.id]


def _fragments(text: str) -> set[str]:
    """The literal parts of an English text (cut at placeholders and tags) of 3+ words."""
    out = set()
    for part in PLACEHOLDER.split(text):
        part = part.strip(" .,;:()\u201c\u201d\"'\u00b7\u2026")
        if len(part.split()) >= 3:
            out.add(part)
    return out


#: bank fields that are not reader-facing text (notes on sources, ids, raw role patterns)
NOT_TEXT = {"sources", "source", "weight_note", "path", "id", "patterns", "provisional"}


def _bank_texts(bank: Bank) -> set[str]:
    """Every reader-facing English text of a bank (questions, help, anchors, lists, next
    steps, form summaries, readiness labels and steps)."""
    texts: set[str] = set()

    def walk(value: object, key: str = "") -> None:
        if key in NOT_TEXT:
            return
        if isinstance(value, str):
            texts.add(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v, key)

    walk(bank.model_dump(exclude={"bank", "sources", "thresholds", "path"}))
    return texts


def english_sentence_catalogue() -> set[str]:
    """The English sentences: report msgids and the shipped banks' English texts, cut into
    fragments of three words or more."""
    from workbook_helpers.bank.choice import shipped_path

    frags: set[str] = set()
    for m in _messages():
        msgid = m.id if isinstance(m.id, str) else m.id[0]  # type: ignore[attr-defined]
        frags |= _fragments(msgid)
    for name in ("question_bank", "health_check_bank"):
        for text in _bank_texts(load_bank(shipped_path(name))):
            frags |= _fragments(text)
    return frags


@pytest.fixture(scope="module")
def english_sentences() -> set[str]:
    return english_sentence_catalogue()


def english_left(text: str, sentences: set[str]) -> list[str]:
    """The English sentences of the catalogue that appear in `text`."""
    flat = re.sub(r"\s+", " ", text)
    return sorted(s for s in sentences if s in flat)


def test_the_check_finds_english_text(english_sentences: set[str]) -> None:
    """The detector itself: a report line in English is caught, its German one is not."""
    msgid = "The conditions any alliance needs in place on each side before launch; a clean " \
            "fit needs every one of them met."
    assert english_left(f"<p>{msgid}</p>", english_sentences)
    with speaking("de"):
        german = _(msgid)
    assert german != msgid
    assert not english_left(german, english_sentences)


# ---- the catalogue ----------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_every_report_message_is_translated_with_its_placeholders(lang: str) -> None:
    """Each msgid of report.pot has a non-empty translation in `lang` that uses exactly its
    placeholders ({name} for Python's str.format, %(name)s for the templates)."""
    from babel.messages.pofile import read_po

    with (LOCALE / lang / "LC_MESSAGES" / "report.po").open("rb") as fh:
        po = read_po(fh, locale=lang)
    problems = []
    for m in _messages():
        entry = po.get(m.id, context=m.context)  # type: ignore[attr-defined]
        got = str(entry.string) if entry is not None else ""
        if not got or (entry is not None and entry.fuzzy):
            problems.append(f"untranslated: {m.id!r}")  # type: ignore[attr-defined]
            continue
        for pattern in (BRACES, PERCENTS):
            if set(pattern.findall(got)) != set(pattern.findall(str(m.id))):  # type: ignore
                problems.append(f"placeholders differ: {m.id!r} -> {got!r}")  # type: ignore
    assert not problems, "\n".join(problems[:20])


def test_numbers_percentages_and_dates_follow_the_language() -> None:
    from datetime import date

    from babel.dates import format_date
    from babel.numbers import format_decimal, format_percent

    from workbook_helpers.presenting.formats import date as date_text

    day = date(2026, 3, 4)
    assert current() == "en"
    assert (number(61.5, 1), percent(0.82), date_text(day)) == ("61.5", "82%", "04 March 2026")
    for lang in LANGS:
        with speaking(lang):
            assert number(61.5, 1) == format_decimal(61.5, "0.0", locale=lang)
            assert percent(0.82) == format_percent(0.82, locale=lang)
            assert date_text(day) == format_date(day, "long", locale=lang)
    assert current() == "en"


def test_a_comment_keeps_its_words_and_names_its_language() -> None:
    from workbook_helpers.report.content import written_in

    with speaking("de"):
        note = written_in("fr", "de")
    assert "Französisch" in note
    assert written_in("de", "de") == "" and written_in("", "de") == ""


def test_an_unknown_report_language_is_bad_input(tmp_path: Path) -> None:
    env = {"WORKBOOK_DATA_DIR": str(tmp_path / "data")}
    res = run_cli_process("report", "demo", "--lang", "xx", "--out", str(tmp_path / "o"),
                          env=env)
    assert res.code == 2
    assert "--lang" in res.err and "de" in res.err
    assert not (tmp_path / "o" / "demo.html").exists()


def test_the_report_speaks_the_engagements_language_unless_asked(demo_store: object,
                                                                  bank: Bank) -> None:
    from workbook_helpers.report import content
    from workbook_helpers.report.data import load_report_data

    demo_store.set_engagement_language("demo", "fr")  # type: ignore[attr-defined]
    french = load_report_data("demo", store=demo_store)  # type: ignore[arg-type]
    assert french.lang == "fr"
    with speaking("fr"):
        title = _("Executive summary")
    assert title in content.executive_summary(french)
    asked = load_report_data("demo", store=demo_store, lang="es")  # type: ignore[arg-type]
    assert asked.lang == "es"


# ---- English stays as it was -------------------------------------------------------------------
def test_english_never_reads_a_catalogue(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         demo_store: object, bank: Bank) -> None:
    """An English report is its msgids: the same sections when no catalogue exists at all,
    and the score's sentences are the same as the JSON's (`workbook score`)."""
    from workbook_helpers.report import content
    from workbook_helpers.report.data import load_report_data

    data = load_report_data("demo", store=demo_store, bank=bank)  # type: ignore[arg-type]
    assert data.lang == "en"
    before = [content.executive_summary(data), content.verdict(data), content.gaps(data)]
    monkeypatch.setattr(i18n, "locale_dir", lambda: tmp_path / "no-catalogues")
    i18n.clear_cache()
    try:
        again = load_report_data("demo", store=demo_store, bank=bank)  # type: ignore[arg-type]
        after = [content.executive_summary(again), content.verdict(again), content.gaps(again)]
    finally:
        monkeypatch.undo()
        i18n.clear_cache()
    assert before == after
    german = load_report_data("demo", store=demo_store, lang="de")  # type: ignore[arg-type]
    assert german.result.verdict == data.result.verdict
    assert german.result.dimensions["control"].gap == data.result.dimensions["control"].gap
    assert german.result.reasons != data.result.reasons  # worded, not computed, differently


# ---- the German report, every format -------------------------------------------------------------
@pytest.fixture(scope="module")
def german_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`workbook demo`, then `workbook report demo --lang de --format html,pdf,xlsx,pptx`."""
    root = tmp_path_factory.mktemp("lang de")
    env = {"WORKBOOK_DATA_DIR": str(root / "data")}
    seed_demo_in(Path(env["WORKBOOK_DATA_DIR"]))
    out = root / "reports"
    res = run_cli_process("report", "demo", "--lang", "de", "--format", "html,pdf,xlsx,pptx",
                          "--out", str(out), "--jobs", "1", env=env)
    assert res.code == 0, res.err
    return out


def _german(msgid: str) -> str:
    with speaking("de"):
        return _(msgid)


def test_german_html_has_no_english_sentence(german_reports: Path,
                                             english_sentences: set[str]) -> None:
    page = (german_reports / "demo.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in page
    body = page[page.index("<body"):]
    # respondents' own words stay as written: comments and the action plan's texts
    body = re.sub(r'<span class="wb-comment"[^>]*>.*?</span>', " ", body, flags=re.S)
    body = re.sub(r'<tr class="wb-action[^"]*"><td>.*?</td>', " ", body, flags=re.S)
    text = unescape(page_text(body))
    assert english_left(text, english_sentences) == []
    for heading in ("Executive summary", "Gaps to discuss", "Next steps", "Appendix: every answer"):
        assert _german(heading) in text


def test_german_excel_and_deck_have_no_english_sentence(german_reports: Path,
                                                        english_sentences: set[str]) -> None:
    import openpyxl
    from pptx import Presentation

    wb = openpyxl.load_workbook(german_reports / "demo.xlsx")
    assert _german("Summary") in wb.sheetnames
    cells = []
    for ws in wb.worksheets:
        skip = {i for i, c in enumerate(next(ws.iter_rows(values_only=True)))
                if c == _german("Comment")}  # respondents' words, as written
        for row in ws.iter_rows(values_only=True):
            cells += [str(v) for i, v in enumerate(row) if v is not None and i not in skip]
    assert english_left(" | ".join(cells), english_sentences) == []
    deck = Presentation(str(german_reports / "demo.pptx"))
    texts = []
    for slide in deck.slides:
        title = slide.shapes[0].text_frame.text if slide.shapes[0].has_text_frame else ""
        if title == _german("In their own words"):
            continue
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts += [c.text for r in shape.table.rows for c in r.cells]
    joined = " | ".join(texts)
    assert english_left(joined, english_sentences) == []
    assert _german("Verdict and recommended form") in joined


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_german_pdf_pages_carry_german_text(german_reports: Path,
                                            english_sentences: set[str]) -> None:
    pdf = str(german_reports / "demo.pdf")
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"],
                          capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    # every font embedded, and the text faces are the Debian packages' (no fallback boxes)
    assert fonts and all(" yes " in line for line in fonts)
    assert any("LiberationSans" in line for line in fonts)
    assert _german("Page {page} of {total}").format(page=1, total="").strip() in text
    assert any(ch in text for ch in "äöüß„")  # the fonts carry German's characters
    # the PDF is the HTML printed: its sentences wrap across lines, so check whole words
    assert _german("Executive summary") in text


# ---- French and Spanish: a smoke check ----------------------------------------------------------
@pytest.mark.parametrize("lang", ("fr", "es"))
def test_french_and_spanish_reports(tmp_path: Path, lang: str,
                                    english_sentences: set[str]) -> None:
    env = {"WORKBOOK_DATA_DIR": str(tmp_path / "data")}
    seed_demo_in(Path(env["WORKBOOK_DATA_DIR"]))
    res = run_cli_process("report", "demo", "--lang", lang, "--format", "html,xlsx",
                          "--out", str(tmp_path / "o"), "--jobs", "1", env=env)
    assert res.code == 0, res.err
    page = (tmp_path / "o" / "demo.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    with speaking(lang):
        summary = _("Executive summary")
    body = re.sub(r'<span class="wb-comment"[^>]*>.*?</span>', " ", page[page.index("<body"):],
                  flags=re.S)
    body = re.sub(r'<tr class="wb-action[^"]*"><td>.*?</td>', " ", body, flags=re.S)
    text = unescape(page_text(body))
    assert summary != "Executive summary" and summary in text
    assert english_left(text, english_sentences) == []  # the French and Spanish banks too
    assert (tmp_path / "o" / "demo.xlsx").stat().st_size > 0


def test_a_failed_section_is_explained_in_the_reports_language() -> None:
    import nbformat

    from workbook_helpers.report.html import ERROR_TEXT, notebook_to_html

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1/0")
    cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError",
                                           evalue="division by zero", traceback=[])]
    nb.cells = [cell]
    english = notebook_to_html(nb, "Report")
    german = notebook_to_html(nb, "Bericht", "de")
    assert ERROR_TEXT in english and ERROR_TEXT not in german
    assert _german(ERROR_TEXT) in unescape(german) and '<html lang="de">' in german


def test_a_comment_stays_as_written_and_shows_its_language(demo_store: object, bank: Bank,
                                                           tmp_path: Path) -> None:
    """A comment written in French, in a German report: the words as written, `lang="fr"`
    on it, the note in German; the Excel file names its language, the deck its note."""
    import openpyxl

    from workbook_helpers.report import content
    from workbook_helpers.report.data import load_report_data
    from workbook_helpers.report.deck import build_deck
    from workbook_helpers.report.excel import write_excel

    words = "Nous devons d'abord convaincre le conseil <vite> & bien"
    demo_store.record_answer("demo", "tomas-berg", "ctl-shared-control", 4,  # type: ignore
                             comment=words, lang="fr")
    data = load_report_data("demo", store=demo_store, lang="de")  # type: ignore[arg-type]
    html = content.comments(data)
    assert 'lang="fr"' in html and unescape(html).count(words) == 1
    with speaking("de"):
        note = content.written_in("fr", "de")
    assert note and note in unescape(html)
    write_excel(data, tmp_path / "c.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx")[_german("Comments")]
    rows = list(sheet.iter_rows(values_only=True))
    assert _german("Written in") in rows[0]
    assert any(words in r and "fr" in r for r in rows[1:])
    deck = build_deck(data)
    said = [sh.text_frame.text for sl in deck.prs.slides for sh in sl.shapes
            if sh.has_text_frame and words in sh.text_frame.text]
    assert said and note in said[0]
