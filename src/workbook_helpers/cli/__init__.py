"""The `workbook` command line: the top group in `app`, one module per command family.

`workbook_helpers.cli:main` is the console script's entry point (pyproject.toml).
"""

from .app import main

__all__ = ["main"]
