"""The sentences of a score result: flag details, reasons, form evidence and fixed steps.

Numbers are decided elsewhere (`scoring.verdict`, `scoring.forms`, `scoring.readiness`); this
package only puts them into words a facilitator can read aloud to both teams, one module per
concern: `common` (words they all share), `flags`, `forms`, `readiness` and `verdict`.
Callers read them all from here (`from ..presenting import wording as w`).
"""

from __future__ import annotations

from ..speaking import _ as _  # re-exported: scoring.result words through `w._`
from ..speaking import lower_noun as lower_noun
from .common import (
    FORM_PHRASES as FORM_PHRASES,
)
from .common import (
    HOBBY_LABEL as HOBBY_LABEL,
)
from .common import (
    INCOMPLETE_STEP as INCOMPLETE_STEP,
)
from .common import (
    NO_ANSWERS as NO_ANSWERS,
)
from .common import (
    ROUND_WORDS as ROUND_WORDS,
)
from .common import (
    SPONSOR_LABEL as SPONSOR_LABEL,
)
from .common import (
    STRUCTURE_EVIDENCE as STRUCTURE_EVIDENCE,
)
from .common import (
    TYPE_MISMATCH_STEP as TYPE_MISMATCH_STEP,
)
from .common import (
    _and as _and,
)
from .common import (
    _q as _q,
)
from .common import (
    anchor_at as anchor_at,
)
from .common import (
    anchor_quote as anchor_quote,
)
from .common import (
    for_round as for_round,
)
from .common import (
    modal_option as modal_option,
)
from .common import (
    phrase as phrase,
)
from .common import (
    side_word as side_word,
)
from .common import (
    target_text as target_text,
)
from .common import (
    votes_text as votes_text,
)
from .common import (
    who as who,
)
from .flags import (
    contested_detail as contested_detail,
)
from .flags import (
    contested_step as contested_step,
)
from .flags import (
    expectation_detail as expectation_detail,
)
from .flags import (
    incomplete_detail as incomplete_detail,
)
from .flags import (
    list_flag_detail as list_flag_detail,
)
from .flags import (
    lone_dissent_detail as lone_dissent_detail,
)
from .flags import (
    lone_dissent_step as lone_dissent_step,
)
from .flags import (
    low_trust_detail as low_trust_detail,
)
from .flags import (
    seniority_detail as seniority_detail,
)
from .flags import (
    share_detail as share_detail,
)
from .flags import (
    spread_text as spread_text,
)
from .flags import (
    too_few_detail as too_few_detail,
)
from .forms import (
    ask_step as ask_step,
)
from .forms import (
    dispute_detail as dispute_detail,
)
from .forms import (
    dispute_step as dispute_step,
)
from .forms import (
    form_unreadable as form_unreadable,
)
from .forms import (
    label_step as label_step,
)
from .forms import (
    list_evidence as list_evidence,
)
from .forms import (
    mismatch_detail as mismatch_detail,
)
from .forms import (
    pursue_text as pursue_text,
)
from .forms import (
    ruled_out as ruled_out,
)
from .forms import (
    side_picture as side_picture,
)
from .forms import (
    structure_evidence as structure_evidence,
)
from .forms import (
    unknown_structure as unknown_structure,
)
from .readiness import (
    hobby_detail as hobby_detail,
)
from .readiness import (
    hobby_ok as hobby_ok,
)
from .readiness import (
    readiness_detail as readiness_detail,
)
from .readiness import (
    readiness_gaps as readiness_gaps,
)
from .readiness import (
    sponsor_detail as sponsor_detail,
)
from .verdict import (
    STABLE as STABLE,
)
from .verdict import (
    answer_flip as answer_flip,
)
from .verdict import (
    cause_blocking as cause_blocking,
)
from .verdict import (
    cause_clear_form as cause_clear_form,
)
from .verdict import (
    cause_far as cause_far,
)
from .verdict import (
    cause_other_form as cause_other_form,
)
from .verdict import (
    cause_readiness as cause_readiness,
)
from .verdict import (
    cause_unclear_form as cause_unclear_form,
)
from .verdict import (
    reason_fit as reason_fit,
)
from .verdict import (
    reason_insufficient as reason_insufficient,
)
from .verdict import (
    reason_side_form as reason_side_form,
)
from .verdict import (
    weight_flip as weight_flip,
)
