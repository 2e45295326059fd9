"""The builder's readiness: the conditions any alliance needs on each side, and flags."""

from __future__ import annotations

import numpy as np

from ...domain import SIDES
from ...presenting import wording as w
from ..model import Flag, ReadinessCheck
from .base import SEVERITY, BuilderBase, num, optional


class ReadinessPart(BuilderBase):
    """The builder's readiness: the conditions any alliance needs on each side, and flags."""

    def _readiness(self, i: int
                   ) -> tuple[list[ReadinessCheck], list[tuple[float, Flag, str | None]]]:
        rt = self.d.readiness
        r = self.bank.readiness
        checks: list[ReadinessCheck] = []
        flags: list[tuple[float, Flag, str | None]] = []
        for s, side in enumerate(SIDES):
            unmet: list[tuple[str, float]] = []
            for k, item in enumerate(r.items):
                v = rt.value[i, s, k]
                met = None if np.isnan(rt.met[i, s, k]) else bool(rt.met[i, s, k])
                detail = w.readiness_detail(item.label, side, optional(v), item.min, met)
                checks.append(ReadinessCheck(item.id, side, met, detail, item.step))
                if met is False:
                    unmet.append((item.label, v))
            if unmet:
                flags.append((SEVERITY["readiness"] * (1 + len(unmet) / 3), Flag(
                    "readiness", "resourcing", side, None, float(len(unmet)), True,
                    w.readiness_gaps(side, unmet)), None))
            sm = r.sponsor_match
            if sm is not None:
                lv, other = rt.sponsor_level[i, s], rt.sponsor_level[i, 1 - s]
                sm_met = None if np.isnan(rt.sponsor_met[i, s]) else bool(rt.sponsor_met[i, s])
                detail = w.sponsor_detail(side, optional(lv), optional(other),
                                          bool(rt.sponsor_from_role[i, s]),
                                          rt.top_role[i][s], sm_met, self.level_names)
                checks.append(ReadinessCheck("sponsor-seniority", side, sm_met, detail,
                                             sm.step))
                if sm_met is False:
                    flags.append((SEVERITY["readiness"], Flag(
                        "readiness", None, side, sm.question, None, True, detail), sm.step))
            hb = r.hobby
            if hb is not None:
                pri, com = rt.priority[i, s], rt.commitment[i, s]
                known = not (np.isnan(pri) or np.isnan(com))
                hobby = bool(rt.hobby[i, s])
                detail = (w.hobby_detail(side, pri, com) if hobby else
                          w.hobby_ok(side, known))
                checks.append(ReadinessCheck("hobby-check", side,
                                             (not hobby) if known else None, detail, hb.step))
                if hobby:
                    flags.append((SEVERITY["hobby"], Flag("hobby", "priority", side, None,
                                                          num(pri - com), True, detail),
                                  hb.step))
        hl, pl = rt.top_level[i]
        if not (np.isnan(hl) or np.isnan(pl)) and abs(hl - pl) >= 2:
            detail = w.seniority_detail(rt.top_role[i][0], hl, rt.top_role[i][1], pl)
            flags.append((SEVERITY["seniority-mismatch"], Flag(
                "seniority-mismatch", None, None, None, num(abs(hl - pl)), False, detail),
                None))
        return checks, flags
