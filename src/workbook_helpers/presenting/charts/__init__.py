"""Charts of a score result, drawn offline as inline SVG (no JavaScript, no CDN).

Every chart function takes the typed `ScoreResult` of `scoring.score_engagement` (or the
report's data) and returns a Vega-Lite spec as a plain dict (a `Spec`: Altair is not needed
to build or draw one, which keeps it out of the report kernel); `to_svg` turns any of them
into an SVG string with vl-convert (Vega runs inside the Python process), which the Voila
apps and the reports embed directly in the page.

One module per chart family, the look set once in `theme` (colours from `presenting.brand`):
- `profile`: each list's score by side;
- `fit_map`: sharing against importance, for one engagement or a portfolio;
- `completion`: how far each respondent has got;
- `expectations`: what each side expected of the other against what it got;
- `trend`: how the scores moved across rounds;
- `heatmap`: questions by respondents as an HTML table (readable by screen readers,
  searchable, drawn by the browser for free), not a Vega chart;
- `labels`: respondent labels and non-overlapping point labels.

To add a chart: a function in the family's module (or a new module) that builds its layers
with `theme`'s helpers and returns `theme.spec(...)`, re-exported here.
"""

from __future__ import annotations

from .completion import completion_chart
from .expectations import BLIND_BAND, EXPECT_NOTE, expectation_chart
from .fit_map import QUADRANT_SPLIT, QUADRANTS, fit_map_chart, portfolio_fit_map
from .heatmap import (
    HEAT_BINS,
    HEAT_DONT_KNOW,
    HEAT_TITLE,
    answer_matrix,
    divergence_heatmap,
    heat_bin,
    heatmap_cells,
)
from .labels import place_labels, respondent_labels
from .profile import profile_chart
from .theme import CONFIG, SCHEMA, WIDTH, Spec, to_svg
from .trend import trend_chart

__all__ = [
    "BLIND_BAND",
    "CONFIG",
    "EXPECT_NOTE",
    "HEAT_BINS",
    "HEAT_DONT_KNOW",
    "HEAT_TITLE",
    "QUADRANTS",
    "QUADRANT_SPLIT",
    "SCHEMA",
    "WIDTH",
    "Spec",
    "answer_matrix",
    "completion_chart",
    "divergence_heatmap",
    "expectation_chart",
    "fit_map_chart",
    "heat_bin",
    "heatmap_cells",
    "place_labels",
    "portfolio_fit_map",
    "profile_chart",
    "respondent_labels",
    "to_svg",
    "trend_chart",
]
