"""The question bank: lists, questions with anchored scales, thresholds, form profiles and
readiness checks.

The bank is a YAML file that facilitators may edit; `load_bank` validates it and reports
every problem with the file name and the question id it concerns. The package's modules:
`model` (the bank's shape), `checks` (the rules across the whole bank), `load` (reading,
inheriting, caching), `served` (the banks `workbook serve` parses once), `translations` (the
bank in other languages) and `choice` (which bank a round is asked on).
"""

from .checks import REQUIRED_LISTS
from .load import INHERITED, load_bank, parse_bank
from .model import (
    LIST_ID,
    SLUG,
    Bank,
    BankInfo,
    FitMapAxes,
    FormModel,
    FormProfile,
    FormTarget,
    HobbyCheck,
    Question,
    QuestionList,
    Readiness,
    ReadinessItem,
    RelationshipType,
    RoleLevel,
    Scale,
    Source,
    SponsorMatch,
    Thresholds,
    TrustFloor,
)
from .served import write_parsed_banks

__all__ = ["INHERITED", "LIST_ID", "REQUIRED_LISTS", "SLUG", "Bank", "BankInfo", "FitMapAxes",
           "FormModel", "FormProfile", "FormTarget", "HobbyCheck", "Question", "QuestionList",
           "Readiness", "ReadinessItem", "RelationshipType", "RoleLevel", "Scale", "Source",
           "SponsorMatch", "Thresholds", "TrustFloor", "load_bank", "parse_bank",
           "write_parsed_banks"]
