"""Start-up speed for report processes.

`jsonschema` (imported by nbformat, nbconvert, papermill and altair) optionally imports
`rfc3987_syntax`, which compiles a Lark grammar at import time: about 1.7 s on every process
start, for a format check ("iri", "iri-reference") that no report path uses. Blocking that
optional import makes jsonschema fall back to not checking those two formats.
"""

from __future__ import annotations

import sys


def skip_slow_optional_imports() -> None:
    """Make jsonschema skip its optional IRI checker (call before jsonschema is imported)."""
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
