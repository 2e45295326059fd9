"""The divergence heat map: questions by respondents as an HTML table (not a Vega chart):
readable by screen readers, searchable, and drawn by the browser for free."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...domain import SIDES, is_dont_know, is_estimate
from .. import brand
from .. import speaking as sp
from .labels import respondent_labels, short
from .theme import side_names

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ...bank import Bank
    from ...scoring.model import ScoreResult

__all__ = ["HEAT_BINS", "HEAT_DONT_KNOW", "answer_matrix", "divergence_heatmap", "heat_bin",
           "heatmap_cells"]


def answer_matrix(answers: pd.DataFrame, bank: Bank) -> list[dict[str, Any]]:
    """Each current own answer as a favourable position 0-100 (None for don't know), for
    heatmaps; estimates of the other side (`about = other-side`) are left out."""
    out: list[dict[str, Any]] = []
    qmap = bank.question_map
    for row in answers.itertuples(index=False):
        if is_estimate(row):
            continue
        q = qmap.get(str(row.question_id))
        if q is None:
            continue
        dk = is_dont_know(row)
        out.append({"respondent": str(row.respondent), "question_id": q.id,
                    "position": None if dk else round(q.favourable(int(row.value)), 1)})
    return out


# The heat map's colour bins (favourable position 0-19, 20-39, ... 80-100) as (background,
# text): the brand's ramp, with a text colour at least 4.5:1 on each cell.
HEAT_BINS: list[tuple[str, str]] = [
    (bg, brand.INK if i < 3 else brand.WHITE) for i, bg in enumerate(brand.HEAT_RAMP)]
HEAT_DONT_KNOW = (brand.HEAT_DONT_KNOW, brand.MUTED)
HEAT_TITLE = sp.N_("Where people agree and disagree, question by question")


def heat_bin(position: float) -> int:
    """The colour bin (0-4) of a favourable position 0-100."""
    return max(0, min(len(HEAT_BINS) - 1, int(float(position) // 20)))


def heatmap_cells(result: ScoreResult, bank: Bank, anonymous: bool = False,
                  answers: pd.DataFrame | None = None,
                  matrix: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """What the heat map shows: `columns` (label and side of each, in order), `rows` (each
    question in bank order: `qid`, `question` label, `list` title and `cells`, the
    position 0-100 per column, None for don't know, absent when not answered), the flat
    `values` (one dict per answer: question, qid, who, side, position) and a `subtitle`.

    Per-respondent answers come from `answers` (the store's `current_answers` frame) or from
    `matrix` (see `answer_matrix`); with neither, the columns are the two sides and each
    cell is the side's mean position on the question.
    """
    labels = respondent_labels(result, anonymous)
    orgs = side_names(result)
    qtext = {q.id: short(q.text) if q.scored else short(q.text, 44) + sp._(" (not scored)")
             for q in bank.questions}
    if answers is not None:
        matrix = answer_matrix(answers, bank)
    people = result.respondents
    if matrix is not None:
        side_of = {p.id: p.side for p in people}
        ordered = sorted(people, key=lambda p: (p.side != "host", labels.get(p.id, "")))
        columns = [{"who": labels[p.id], "side": p.side} for p in ordered]
        values = [{"question": qtext[m["question_id"]], "qid": m["question_id"],
                   "who": labels.get(m["respondent"], m["respondent"]),
                   "side": orgs.get(side_of.get(m["respondent"], "host"), ""),
                   "position": m["position"]}
                  for m in matrix if m["question_id"] in qtext and m["respondent"] in labels]
        subtitle = sp._("Each column is one person; mixed colours along a row mean "
                        "disagreement.")
    else:
        columns = [{"who": orgs[s], "side": s} for s in SIDES]
        values = [{"question": qtext[q.id], "qid": q.id, "who": orgs[s], "side": orgs[s],
                   "position": getattr(q, s)}
                  for q in result.questions if q.id in qtext
                  for s in SIDES]
        subtitle = sp._("Each column is one side's average answer.")
    by_q: dict[str, dict[str, Any]] = {}
    for v in values:
        by_q.setdefault(v["qid"], {})[v["who"]] = v["position"]
    lists = {lst.id: lst.title for lst in bank.lists}
    rows = [{"qid": q.id, "question": qtext[q.id], "list": lists.get(q.list, q.list),
             "cells": by_q[q.id]} for q in bank.iter_ordered() if q.id in by_q]
    return {"columns": columns, "rows": rows, "values": values, "subtitle": subtitle,
            "by_person": matrix is not None}


def _cell(position: Any, present: bool) -> dict[str, Any]:
    """One answer's cell: not answered, don't know, or its position with the bin's colours."""
    if not present:
        return {"kind": "none"}
    if position is None:
        bg, fg = HEAT_DONT_KNOW
        return {"kind": "dk", "bg": bg, "fg": fg}
    b = heat_bin(position)
    bg, fg = HEAT_BINS[b]
    return {"kind": "value", "bin": b, "bg": bg, "fg": fg, "text": f"{float(position):.0f}"}


def _legend() -> list[dict[str, str]]:
    keys = []
    for i, (bg, fg) in enumerate(HEAT_BINS):
        lo, hi = 20 * i, (100 if i == len(HEAT_BINS) - 1 else 20 * i + 19)
        keys.append({"bg": bg, "fg": fg, "label": f"{lo}–{hi}"})
    bg, fg = HEAT_DONT_KNOW
    keys.append({"bg": bg, "fg": fg, "label": sp._("don’t know")})
    return keys


def divergence_heatmap(result: ScoreResult, bank: Bank, anonymous: bool = False,
                       answers: pd.DataFrame | None = None,
                       matrix: list[dict[str, Any]] | None = None) -> str:
    """Questions (rows) by respondents (columns) as an HTML table: each answer's favourable
    position 0-100, printed in its cell and shown by the cell's colour, with a legend.

    The arguments are those of `heatmap_cells`. Evidence questions (not scored) show the
    answer's position on its scale and say so in their row label. The table is the template
    `shared/heatmap.html.j2`, which escapes every name and question; it needs no CSS to be
    read (the colours are inline), and the report and app style sheets give it its compact
    look (`.wb-heatmap`).
    """
    from ..templating import render

    hm = heatmap_cells(result, bank, anonymous, answers, matrix)
    orgs = side_names(result)
    cols: list[dict[str, Any]] = hm["columns"]
    groups = []
    if hm["by_person"]:
        for side in SIDES:
            n = sum(1 for c in cols if c["side"] == side)
            if n:
                groups.append((side, n, orgs[side], brand.SIDE_COLOURS[side]))
    lists: list[tuple[str, list[dict[str, Any]]]] = []
    for row in hm["rows"]:
        if not lists or lists[-1][0] != row["list"]:
            lists.append((row["list"], []))
        cells = [_cell(row["cells"].get(c["who"]), c["who"] in row["cells"]) for c in cols]
        lists[-1][1].append({"question": row["question"], "cells": cells})
    return render("shared/heatmap.html.j2", lang=sp.current(), domain="report",
                  title=sp._(HEAT_TITLE), subtitle=hm["subtitle"],
                  legend=_legend(), groups=groups, lists=lists,
                  columns=[{"who": c["who"], "side": c["side"],
                            "colour": brand.SIDE_COLOURS[c["side"]]} for c in cols])
