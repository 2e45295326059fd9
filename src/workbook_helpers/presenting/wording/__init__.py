"""The sentences of a score result: flag details, reasons, form evidence and fixed steps.

Numbers are decided elsewhere (`scoring.verdict`, `scoring.forms`, `scoring.readiness`); this
package only puts them into words a facilitator can read aloud to both teams, one module per
concern: `common` (words they all share), `flags`, `forms`, `readiness` and `verdict`.
Callers read them all from here (`from ..presenting import wording as w`).
"""

from __future__ import annotations

from ..speaking import _, lower_noun  # re-exported: scoring.result words through `w._`
from .common import (
    FORM_PHRASES,
    HOBBY_LABEL,
    INCOMPLETE_STEP,
    NO_ANSWERS,
    ROUND_WORDS,
    SPONSOR_LABEL,
    STRUCTURE_EVIDENCE,
    TYPE_MISMATCH_STEP,
    _and,
    _q,
    anchor_quote,
    for_round,
    modal_option,
    phrase,
    target_text,
    votes_text,
    who,
)
from .flags import (
    contested_detail,
    contested_step,
    expectation_detail,
    incomplete_detail,
    list_flag_detail,
    lone_dissent_detail,
    lone_dissent_step,
    low_trust_detail,
    seniority_detail,
    share_detail,
    spread_text,
    too_few_detail,
)
from .forms import (
    ask_step,
    dispute_detail,
    dispute_step,
    form_unreadable,
    label_step,
    list_evidence,
    pursue_text,
    ruled_out,
    side_picture,
    structure_evidence,
    unknown_structure,
)
from .readiness import hobby_detail, hobby_ok, readiness_detail, readiness_gaps, sponsor_detail
from .verdict import (
    answer_flip,
    cause_blocking,
    cause_clear_form,
    cause_far,
    cause_other_form,
    cause_readiness,
    cause_unclear_form,
    reason_fit,
    reason_insufficient,
    reason_side_form,
    weight_flip,
)

__all__ = [
    "FORM_PHRASES", "HOBBY_LABEL", "INCOMPLETE_STEP", "NO_ANSWERS", "ROUND_WORDS",
    "SPONSOR_LABEL", "STRUCTURE_EVIDENCE", "TYPE_MISMATCH_STEP", "_", "_and", "_q",
    "anchor_quote", "answer_flip", "ask_step", "cause_blocking", "cause_clear_form",
    "cause_far", "cause_other_form", "cause_readiness", "cause_unclear_form",
    "contested_detail", "contested_step", "dispute_detail", "dispute_step",
    "expectation_detail", "for_round", "form_unreadable", "hobby_detail", "hobby_ok",
    "incomplete_detail", "label_step", "list_evidence", "list_flag_detail",
    "lone_dissent_detail", "lone_dissent_step", "low_trust_detail", "lower_noun",
    "modal_option", "phrase", "pursue_text", "readiness_detail", "readiness_gaps",
    "reason_fit", "reason_insufficient", "reason_side_form", "ruled_out", "seniority_detail",
    "share_detail", "side_picture", "sponsor_detail", "spread_text", "structure_evidence",
    "target_text", "too_few_detail", "unknown_structure", "votes_text", "weight_flip", "who",
]
