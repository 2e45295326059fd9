"""What the product writes for the demo, as comparable text: the before/after check of a redesign.

Issue 20 moved every module of the package; its promise was that no output changes. This
module runs the real `workbook` command (the public interface, which survives any re-layout)
on a fresh demo store and reduces each output to what a reader sees: the JSON score, the
report's visible text (English latest round and German baseline), every Excel cell and every
slide's text. Run it as a script to write the reference (`tests/data/outputs/demo.json`) from
the commit before a change; `tests/integration/test_outputs_unchanged.py` compares against it.

What legitimately moves between runs (today's date, generation stamps, the workbook's
version) is replaced by a placeholder, see `_steady`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parent / "data" / "outputs" / "demo.json"
#: the folder under the work folder where `capture` writes the reports
REPORTS = "reports"


class _Text(HTMLParser):
    """The text a reader of an HTML page sees: no script, no style, no SVG path data."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def _steady(text: str) -> str:
    """Replace what honestly differs between two runs (dates, the version) by placeholders."""
    today = date.today()
    for form in (today.isoformat(), f"{today.day} {today:%B %Y}", f"{today:%d %B %Y}",
                 f"{today:%d.%m.%Y}", f"{today.day}. {today:%B %Y}"):
        text = text.replace(form, "<today>")
    text = re.sub(r"\b20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", "<time>", text)
    text = re.sub(r"\b\d\d:\d\d( UTC)?\b", "<clock>", text)
    return text


def html_text(path: Path) -> list[str]:
    """The visible text of an HTML report, one entry per text node."""
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return [_steady(part) for part in parser.parts]


def excel_cells(path: Path) -> dict[str, list[list[str]]]:
    """Every sheet's cell values, as text, row by row."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = [["" if v is None else _steady(str(v)) for v in row]
                for row in sheet.iter_rows(values_only=True)]
        sheets[sheet.title] = rows
    return sheets


def deck_text(path: Path) -> list[list[str]]:
    """Each slide's text frames and table cells, in order."""
    from pptx import Presentation

    slides = []
    for slide in Presentation(str(path)).slides:
        texts: list[str] = []
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                texts.append(_steady(shape.text_frame.text))
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    texts.append(" | ".join(_steady(cell.text) for cell in row.cells))
        slides.append(texts)
    return slides


def _steady_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _steady_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_steady_json(item) for item in value]
    if isinstance(value, str):
        return _steady(value)
    return value


def capture(workdir: Path, workbook: str) -> dict[str, Any]:
    """Build the demo in `workdir` with the `workbook` command and return its outputs as text."""
    env = {**os.environ, "WORKBOOK_DATA_DIR": str(workdir / "data")}
    env.pop("WORKBOOK_DATABASE_URL", None)
    env.pop("WORKBOOK_BANK", None)

    def run(*args: str) -> str:
        done = subprocess.run([workbook, *args], env=env, cwd=workdir, capture_output=True,
                              text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"workbook {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    run("demo")
    score = json.loads(run("score", "demo", "--format", "json"))
    baseline = json.loads(run("score", "demo", "--round", "baseline", "--format", "json"))
    # both rounds' reports into one folder, as a consultant keeps them: `REPORTS`
    out = workdir / REPORTS
    run("report", "demo", "--format", "html,xlsx,pptx", "--out", str(out), "--jobs", "1")
    run("report", "demo", "--lang", "de", "--round", "baseline", "--format", "html",
        "--out", str(out), "--jobs", "1")
    return {
        "score": _steady_json(score),
        "score_baseline": _steady_json(baseline),
        "report_html": html_text(out / "demo.html"),
        "report_html_de_baseline": html_text(out / "demo.baseline.html"),
        "excel": excel_cells(out / "demo.xlsx"),
        "deck": deck_text(out / "demo.pptx"),
    }


def main() -> int:
    """Write the reference from this checkout: `python tests/outputs_capture.py [WORKDIR]`."""
    import tempfile

    workbook = str(Path(sys.executable).with_name("workbook"))
    with tempfile.TemporaryDirectory() as tmp:
        outputs = capture(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp), workbook)
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE.write_text(json.dumps(outputs, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {REFERENCE} ({REFERENCE.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
