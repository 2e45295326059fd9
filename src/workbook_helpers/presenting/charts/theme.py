"""The charts' look, set once: the Vega-Lite schema, the shared `config` (fonts, colours
and sizes from `presenting.brand`), the `Spec` every chart returns, small encoding helpers,
and `to_svg`, which draws any spec offline as SVG with vl-convert (no JavaScript, no CDN).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from ...domain import SIDES
from .. import brand

if TYPE_CHECKING:  # pragma: no cover
    from ...scoring.model import ScoreResult

__all__ = ["CONFIG", "SCHEMA", "WIDTH", "Spec", "inline", "nominal", "quant", "side_names",
           "side_scale", "spec", "to_svg"]

WIDTH = 560
# The Vega-Lite version of the specs (the one Altair and vl-convert agree on).
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


class Spec(dict):  # type: ignore[type-arg]
    """A Vega-Lite spec, a plain dict; `to_dict` as on an Altair chart, for callers of both."""

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        """A copy of the spec; `validate=True` checks it against the Vega-Lite schema first
        (this needs Altair, which ships the schema)."""
        spec = copy.deepcopy(dict(self))
        if validate:
            from altair.utils.schemapi import validate_jsonschema
            from altair.vegalite.v6.schema import load_schema

            validate_jsonschema(spec, load_schema())
        return spec


def side_names(result: ScoreResult) -> dict[str, str]:
    """Each side as the charts name it: the organisation, else Host / Partner."""
    return {s: brand.side_label(s, result.organisations) for s in SIDES}


def side_scale(result: ScoreResult) -> dict[str, Any]:
    """The colour scale of the two sides (host blue, partner orange), by organisation."""
    orgs = side_names(result)
    return {"domain": [orgs["host"], orgs["partner"]], "range": [brand.HOST, brand.PARTNER]}


# The look of every chart (Vega-Lite `config`).
CONFIG: dict[str, Any] = {
    "font": brand.FONT, "background": "white",
    "axis": {"labelColor": brand.MUTED, "titleColor": brand.INK, "gridColor": brand.RULE,
             "domainColor": brand.RULE, "labelFontSize": 12, "titleFontSize": 12},
    "legend": {"labelColor": brand.INK, "titleColor": brand.INK, "labelFontSize": 12,
               "titleFontSize": 12, "orient": "top"},
    "title": {"color": brand.NAVY, "fontSize": 15, "anchor": "start", "font": brand.FONT,
              "subtitleFont": brand.FONT, "subtitleFontSize": 12},
    "view": {"continuousWidth": 300, "continuousHeight": 300, "stroke": None},
}



def spec(body: dict[str, Any]) -> Spec:
    """A top-level spec: the schema, the shared look and `body`."""
    return Spec({"$schema": SCHEMA, "config": copy.deepcopy(CONFIG), **body})


def nominal(field: str, **kw: Any) -> dict[str, Any]:
    """A nominal encoding of `field`."""
    return {"field": field, "type": "nominal", **kw}


def quant(field: str, **kw: Any) -> dict[str, Any]:
    """A quantitative encoding of `field`."""
    return {"field": field, "type": "quantitative", **kw}


def inline(values: list[dict[str, Any]]) -> dict[str, Any]:
    """Inline data of a spec or layer."""
    return {"values": values}


def to_svg(chart: Any) -> str:
    """The chart (a `Spec`, a plain Vega-Lite dict or an Altair chart) as a standalone SVG
    string, rendered in-process by vl-convert (no network)."""
    import vl_convert

    # the schema check runs in the tests (tests/test_charts.py); at render time it only costs
    spec = dict(chart) if isinstance(chart, dict) else chart.to_dict(validate=False)
    svg: str = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return svg
