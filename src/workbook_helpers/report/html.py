"""Executed report notebook -> one self-contained HTML file that opens offline."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from html import escape
from typing import Any

from ..presenting.speaking import N_
from .paths import templates_dir

# <script src=http...>, <link href=http...>, @import / url(http...) in CSS
_REMOTE = [
    re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?(?:https?:)?//[^;]*;", re.I),
    re.compile(r"url\(\s*[\"']?(?:https?:)?//[^)]*\)", re.I),
]


def _exporter_class() -> Any:
    """nbconvert's HTML exporter without its final pass over the page.

    That pass parses the whole rendered page with BeautifulSoup to give images without alt
    text a placeholder and to make every output area a tab stop, then writes the page out
    again. The report has no such images (the cover's logo is marked decorative beside the
    firm's name; the charts are inline SVG with their own titles) and its sections are text
    to read, not cells to tab through. The pass cost half a CPU-second per report."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            resources = self._init_resources(resources)  # type: ignore[no-untyped-call]
            # the two filters the lab template reads, as the HTML exporter registers them
            for name, flt in (
                    ("highlight_code", Highlight2HTML(parent=self)),  # type: ignore[no-untyped-call]
                    ("filter_data_type", WidgetsDataTypeFilter(  # type: ignore[no-untyped-call]
                        notebook_metadata=self._nb_metadata, parent=self, resources=resources))):
                self.register_filter(name, flt)  # type: ignore[no-untyped-call]
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReportExporter


@lru_cache(maxsize=1)
def _exporter() -> Any:
    exporter = _exporter_class()(
        extra_template_basedirs=[str(templates_dir())],
        template_name="report",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,
        exclude_raw=True,
        exclude_unknown=True,
    )
    # the template never uses these; blank them so no CDN address can reach the page
    exporter.require_js_url = ""
    exporter.mathjax_url = ""
    exporter.mermaid_js_url = ""
    exporter.mermaid_layout_elk_js_url = ""
    exporter.jupyter_widgets_base_url = ""
    exporter.widget_renderer_url = ""
    return exporter


def warm_up() -> threading.Thread:
    """Build the exporter and compile its templates in a background thread (join it before
    the first export); used while the kernel is busy running the notebook."""

    def work() -> None:
        import nbformat

        _exporter().from_notebook_node(nbformat.v4.new_notebook())  # type: ignore[no-untyped-call]

    thread = threading.Thread(target=work, name="nbconvert-warm-up", daemon=True)
    thread.start()
    return thread


def strip_remote(page: str) -> str:
    """Remove any script, stylesheet, import or url() that points at the network."""
    for pattern in _REMOTE:
        page = pattern.sub("", page)
    return page


def notebook_to_html(nb: Any, title: str, lang: str = "en") -> str:
    """Render an executed report notebook with the `report` template (no code, no prompts);
    the page says which language it is in (`<html lang>`: hyphenation, screen readers)."""
    nb.metadata["title"] = title
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    if lang != "en":  # the exporter's language is English (one exporter serves every report)
        from ..presenting.speaking import _ as tr
        from ..presenting.speaking import speaking

        body = body.replace('<html lang="en">', f'<html lang="{lang}">', 1)
        if ERROR_TEXT in body:
            with speaking(lang):
                body = body.replace(ERROR_TEXT, escape(tr(ERROR_TEXT), quote=False))
    return strip_remote(body)


#: what the template (templates/report/index.html.j2, block `error`) says in place of a
#: section that failed; nbconvert's template cannot reach the catalogue, so other languages
#: replace it after the export
ERROR_TEXT = N_("This part of the report could not be produced. The executed notebook\nkept "
                "next to the report explains why.")
