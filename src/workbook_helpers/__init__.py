"""Alliance Workbook: make the assumptions behind a prospective alliance visible and score them.

Importing the package is cheap: pandas, charts, widgets and the store load only when used.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
