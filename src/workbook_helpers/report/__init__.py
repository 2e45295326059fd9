"""Engagement reports: the executive report notebook and its HTML, PDF, Excel and deck outputs.

Modules, one concern each:
- `data`: loads everything one report needs from the store (`ReportData`);
- `content`: pure functions that turn `ReportData` into escaped HTML sections;
- `evidence`: the answers behind each point to discuss (the gap cards' blocks);
- `notebook`: runs `notebooks/report.ipynb` with papermill (optionally on a warm kernel);
- `html`: exports an executed notebook to one self-contained, offline HTML file;
- `pdf`: prints that HTML to PDF with Debian's headless Chromium (page numbers, A4/Letter);
- `excel`: scores, flags, answers and comments as an Excel workbook (formula-safe);
- `exporters`: the report formats as a registry (name, extension, mimetype, `export`);
- `folder`: the reports folder and the report files found in it;
- `batch`: many engagements in worker processes, with progress, summary and exit code.
"""

from __future__ import annotations

# (the package's own import makes jsonschema skip its slow optional IRI checker, which
# report processes and their kernels import through nbformat and altair)

__all__: list[str] = []
