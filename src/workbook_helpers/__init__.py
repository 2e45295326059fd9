"""Alliance Workbook: make the assumptions behind a prospective alliance visible and score them.

Importing the package is cheap: pandas, charts, widgets and the store load only when used.

Importing it also makes `jsonschema` (imported by Voila's server, nbformat, nbconvert,
papermill and altair) skip its optional IRI checker: `rfc3987_syntax` compiles a Lark grammar
at import time, about 1.5 s of CPU in every process that imports jsonschema (each Voila
server, each dashboard, setup and portfolio kernel, each report), for a format check ("iri",
"iri-reference") that nothing here uses. jsonschema then falls back to not checking those two
formats, as where that package is not installed.
"""

from __future__ import annotations

import sys as _sys

__version__ = "0.1.0"
__all__ = ["__version__"]


def _skip_slow_optional_imports() -> None:
    """Make jsonschema skip its optional IRI checker (before jsonschema is imported)."""
    if "jsonschema" not in _sys.modules and "rfc3987_syntax" not in _sys.modules:
        _sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]


_skip_slow_optional_imports()
