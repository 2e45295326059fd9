"""The product's look in one place: brand colours and the names shown for sides.

Colours are from the Okabe-Ito colour-blind-safe set: host blue and partner orange stay
distinct for every common kind of colour blindness and in greyscale (different lightness).
The apps' CSS (templates/voila/.../workbook/widgets.css and page.css) repeats these values.
"""

from __future__ import annotations

from ..domain import TYPE_LABELS
from .speaking import N_, _

__all__ = ["SIDE_COLOURS", "TYPE_LABELS", "VERDICT_COLOURS", "VERDICT_LABELS", "side_label"]

INK = "#1f2a37"          # body text
NAVY = "#16324f"         # header, titles
MUTED = "#5b6675"        # secondary text, axes
RULE = "#d5dbe3"         # grid lines and borders
PAPER = "#f6f8fb"        # page background
HOST = "#0072b2"         # host side (Okabe-Ito blue)
PARTNER = "#d55e00"      # partner side (Okabe-Ito vermillion)
POOLED = "#555555"       # both sides together
ACCENT = "#009e73"       # success / saved (Okabe-Ito green)
WARN = "#b35900"         # warnings (dark orange, readable on white)
# A recommendation of another form (licensing, outsourcing...): slate blue, neutral on purpose,
# neither a verdict colour nor a side colour; 6.3:1 on white, distinct from red and green for
# every common colour blindness.
NEUTRAL = "#4b5d9e"
# Estimates of the other side's answer (expectation questions): Okabe-Ito reddish purple for
# bands and rings, a dark shade of it for text (6.7:1 on white). Never a side's colour, so a
# respondent of either side sees "estimate" as different from "my own answer".
EXPECT = "#cc79a7"
EXPECT_DARK = "#8f3f71"
# Robustness of the verdict: plain ink on a pale grey, on purpose neither good nor bad.
ROBUST_BG = "#f1f3f6"

WHITE = "#ffffff"        # text on dark fills, table header text
# Chart backgrounds: pale, and on purpose neither a side's colour nor a verdict's.
# The fit map's quadrants: alliance or joint venture (pale green), licensing, supply-chain
# integration (pale slate), outsourcing (pale grey).
QUADRANT_FILLS: tuple[str, str, str, str] = ("#e3f1ea", "#eef1f5", "#eef1f5", "#f4f4f4")
TRACK = "#eef1f5"        # the unanswered part of a progress bar
BLIND_BAND = "#fff1c2"   # pale yellow behind a flagged blind spot
TREND_BAND = "#e8ebf1"   # the gap between the two sides' scores across rounds
# The heat map's bins, favourable position 0-19 ... 80-100: a single-hue lightness ramp
# (ColorBrewer "Purples") that reads the same for every kind of colour blindness and in
# greyscale; ink text on the three light bins, white on the two dark ones (>= 4.5:1).
HEAT_RAMP: tuple[str, ...] = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#6a51a3", "#3f007d")
HEAT_DONT_KNOW = "#e7e9ee"  # a don't-know answer's cell (muted text on it)

SIDE_COLOURS: dict[str, str] = {"host": HOST, "partner": PARTNER}
VERDICT_COLOURS: dict[str, str] = {
    "fit": "#007a5a",
    "conditional": "#9a6700",
    "no-fit": "#b42318",
    "insufficient-data": "#5b6675",
}
VERDICT_LABELS: dict[str, str] = {
    "fit": N_("Fit"),
    "conditional": N_("Conditional fit"),
    "no-fit": N_("No fit"),
    "insufficient-data": N_("Not enough answers yet"),
}
FONT = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"


def side_label(side: str, organisations: dict[str, str] | None = None) -> str:
    """How a side is named to people: the organisation's name when known, else Host/Partner."""
    if organisations and organisations.get(side):
        return str(organisations[side])
    return _("Host") if side == "host" else _("Partner")
