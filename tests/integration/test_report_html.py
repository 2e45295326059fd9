"""The report notebook under the standard papermill CLI, exported to offline HTML."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.report_support import ROOT, SCRIPT_COMMENT, page_text, seed_store
from workbook_helpers.report.html import notebook_to_html, strip_remote

NOTEBOOK = ROOT / "notebooks" / "report.ipynb"
PAPERMILL = str(Path(sys.executable).with_name("papermill"))


def test_committed_notebook_has_parameters_and_no_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    params = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1
    src = "".join(params[0]["source"])
    for name in ("engagement", "database_url", "anonymous", "organisation", "logo_path"):
        assert re.search(rf"^{name}\s*=", src, re.M), name
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            assert len(cell["source"]) <= 15


def test_strip_remote_removes_cdn_references() -> None:
    page = ('<script src="https://cdnjs.cloudflare.com/x.js"></script>'
            '<link rel="stylesheet" href="//cdn.jsdelivr.net/a.css">'
            '<style>@import url("https://fonts.googleapis.com/css");'
            '@font-face{src:url(https://x/f.woff)}</style><p>ok</p>')
    cleaned = strip_remote(page)
    assert "http" not in cleaned and "//cdn" not in cleaned and "<p>ok</p>" in cleaned


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    data = tmp_path_factory.mktemp("data")
    seed_store(data).close()
    out = tmp_path_factory.mktemp("out") / "demo.ipynb"
    env = {**os.environ, "WORKBOOK_DATA_DIR": str(data)}
    env.pop("WORKBOOK_DATABASE_URL", None)
    proc = subprocess.run([PAPERMILL, str(NOTEBOOK), str(out), "-p", "engagement", "demo",
                           "--log-level", "ERROR"], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return nbformat.read(out, as_version=4)


@pytest.mark.slow
def test_papermill_runs_the_report_without_errors(executed: nbformat.NotebookNode) -> None:
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o["output_type"] == "stream" and o["name"] == "stderr"]
    assert any("wb-sec-cover" in o.get("data", {}).get("text/html", "") for o in outputs)


@pytest.mark.slow
def test_html_is_offline_self_contained_and_readable(executed: nbformat.NotebookNode,
                                                    tmp_path: Path) -> None:
    page = notebook_to_html(executed, "Demo report")
    (tmp_path / "demo.html").write_text(page, encoding="utf-8")
    # nothing is fetched from the network: no remote script, stylesheet, import or font
    assert not re.search(r"<script[^>]+src=", page, re.I)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", page, re.I)
    assert not re.search(r"@import|url\(\s*[\"']?(https?:)?//", page, re.I)
    assert not re.search(r"https?://", page), re.findall(r".{40}https?://.{40}", page)[:3]
    assert "<script" not in page  # no JavaScript at all: charts are inline SVG
    # the verdict and the drawn charts
    text = page_text(page)
    assert "Conditional fit" in text and "Strategic alliance" in text
    assert "Readiness on each side" in text and re.search(r"confidence \d+%", text)
    # the demo's two sides picture different deals: both pictures, no runner-up of a
    # pooled form that nobody holds
    assert "Each side on its own:" in text and "Runner-up:" not in text
    assert "Evidence for the form" in text
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(svgs) >= 4
    for svg in svgs:
        assert re.search(r'class="mark-(rect|symbol|text|group)', svg)
        assert len(re.findall(r"<path\b", svg)) >= 5
    # the respondent's <script> comment is text, not markup
    assert SCRIPT_COMMENT.replace("<", "&lt;").replace(">", "&gt;") in page
    assert SCRIPT_COMMENT in text.replace("&lt;", "<").replace("&gt;", ">")
    # no code, prompts, tracebacks or None/NaN on the page
    assert "load_report_data" not in page and "display(HTML" not in page
    assert not re.search(r"In&nbsp;\[|Out\[|Traceback", page)
    assert not re.search(r"\b(None|NaN|nan)\b", text)
    assert "jp-InputArea-editor" not in page


@pytest.mark.slow
def test_html_shows_what_each_side_got_wrong_and_how_firm_the_verdict_is(
        executed: nbformat.NotebookNode) -> None:
    page = notebook_to_html(executed, "Demo report")
    text = page_text(page)
    assert "What each side got wrong about the other" in text
    assert "This verdict is firm:" in text  # next to the verdict and in the summary
    section = page.split('class="wb-sec wb-sec-expectations"', 1)[1].split("</section>", 1)[0]
    svgs = re.findall(r"<svg\b.*?</svg>", section, re.S)
    assert len(svgs) == 1 and "what each side expected of the other" in svgs[0]
    assert len(re.findall(r'class="mark-symbol', svgs[0])) >= 3
    assert "The largest misses, question by question" in page_text(section)
    # the section sits between the profile and the gaps
    assert page.index("wb-sec-profile") < page.index("wb-sec-expectations") < \
        page.index("wb-sec-gaps")
