"""Write the sample survey exports under templates/imports/ (run by hand when the bank changes).

Each sample holds the answers of the 'marketing-low-priority' reference case, as a survey tool
would export them, with a few don't-knows, an empty cell, a skipped row and (Qualtrics)
expectation columns; beside each, the same answers in the long answers CSV.
Usage: python tests/make_import_samples.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import yaml
from openpyxl import Workbook

from workbook_helpers.bank import load_bank
from workbook_helpers.demo.cases import case, case_answers

OUT = Path(__file__).resolve().parents[1] / "templates" / "imports"
PEOPLE = {"h-ceo": ("Hanna Okafor", "hanna.okafor@northwind.example", "Northwind Foods", "CEO"),
          "h-vp": ("Ravi Mehta", "ravi.mehta@northwind.example", "Northwind Foods",
                   "VP Alliances"),
          "h-cfo": ("Léa Dubois", "lea.dubois@northwind.example", "Northwind Foods", "CFO"),
          "p-coo": ("Tom Becker", "tom.becker@contoso-media.example", "Contoso Media", "COO"),
          "p-bu": ("Ana López", "Ana.Lopez@Contoso-Media.example", "Contoso Media", "BU lead"),
          "p-cto": ("Kenji Sato", "kenji.sato@contoso-media.example", "Contoso Media", "CTO")}
LABELS = ["Not at all", "A little", "Partly", "Largely", "Fully"]
DK = {("p-bu", "risk-exit"), ("h-cfo", "sf-unique-outcomes")}
EMPTY = {("h-vp", "mut-health-check")}


def main() -> None:
    bank = load_bank()
    c = case("marketing-low-priority")
    a = case_answers(c, bank, engagement="northwind-contoso")
    value = {(r.respondent, r.question_id): int(r.value) for r in a.itertuples()}
    qs = list(bank.iter_ordered())
    exp_qs = bank.expectation_questions

    def expect(pid: str, q) -> int:  # everyone expects the other side to answer one up
        own = value[(pid, q.id)]
        return min(own + 1, q.scale.max)

    def long_rows(with_expect: bool, empty_ok: bool) -> list[list[str]]:
        rows = [["engagement", "respondent", "side", "role", "question_id", "value", "comment",
                 "about"]]
        for pid, (_, email, _, role) in PEOPLE.items():
            side = "host" if pid.startswith("h") else "partner"
            rid = email.lower().replace("@", "-").replace(".", "-")
            for q in qs:
                if (pid, q.id) in EMPTY and empty_ok:
                    continue
                v = "dk" if (pid, q.id) in DK else str(value[(pid, q.id)])
                rows.append(["northwind-contoso", rid, side, role, q.id, v, "", "self"])
            if with_expect:
                for q in exp_qs:
                    rows.append(["northwind-contoso", rid, side, role, q.id,
                                 str(expect(pid, q)), "", "other-side"])
        return rows

    def write(name: str, rows: list[list[str]]) -> None:
        with open(OUT / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)

    # 1. a forms tool: question text as header, the anchor's own text as the answer
    head = ["Timestamp", "Email Address", "Your name", "Which company do you work for?",
            "Your role", *[q.text for q in qs]]
    rows = [head]
    for k, (pid, (name, email, org, role)) in enumerate(PEOPLE.items()):
        cells = []
        for q in qs:
            if (pid, q.id) in EMPTY:
                cells.append("")
            elif (pid, q.id) in DK:
                cells.append("I don't know")
            else:
                cells.append(q.scale.anchors[value[(pid, q.id)]])
        rows.append([f"2026/11/2{k} 10:1{k}:00", email, name, org, role, *cells])
    rows.append(["2026/11/29 18:00:00", "", "test run", "Northwind Foods", "", *[""] * len(qs)])
    write("forms-anchor-text.csv", rows)
    write("forms-anchor-text.long.csv", long_rows(False, True))

    # 2. a research survey tool: short codes, two extra header rows, numeric codes, a
    # 'Finished' column, expectation columns
    codes = [f"Q{i + 1}" for i in range(len(qs))]
    exp_codes = [f"Q{qs.index(q) + 1}_other" for q in exp_qs]
    head = ["ResponseId", "Finished", "RecipientEmail", "Q_name", "Q_org", "Q_role", *codes,
            *exp_codes]
    text = ["Response ID", "Finished", "Recipient Email", "Your name", "Your company",
            "Your role", *[q.text for q in qs],
            *[f"What will the other company's team answer? - {q.text}" for q in exp_qs]]
    ids = ['{"ImportId":"' + h + '"}' for h in head]
    rows = [head, text, ids]
    for k, (pid, (name, email, org, role)) in enumerate(PEOPLE.items()):
        cells = ["" if (pid, q.id) in EMPTY else "Not sure" if (pid, q.id) in DK
                 else str(value[(pid, q.id)]) for q in qs]
        rows.append([f"R_{k:03d}x", "True", email, name, org, role, *cells,
                     *[str(expect(pid, q)) for q in exp_qs]])
    rows.append(["R_999x", "False", "kenji.sato@contoso-media.example", "Kenji Sato",
                 "Contoso Media", "CTO", *["1"] * len(qs), *["1"] * len(exp_qs)])
    write("research-codes.csv", rows)
    write("research-codes.long.csv", long_rows(True, True))

    # 3. a web survey tool's XLSX: two header rows, answers as labels of one scale
    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    ws.append(["Respondent ID", "Email Address", "Full name", "Organisation", "Role",
               *[q.text for q in qs]])
    ws.append(["", "", "", "", "", *["Response"] * len(qs)])
    for k, (pid, (name, email, org, role)) in enumerate(PEOPLE.items()):
        cells = ["" if (pid, q.id) in EMPTY else "Don't know" if (pid, q.id) in DK
                 else LABELS[value[(pid, q.id)] - 1] for q in qs]
        ws.append([11800 + k, email, name, org, role, *cells])
    wb.save(OUT / "web-labels.xlsx")
    write("web-labels.long.csv", long_rows(False, True))
    _maps(qs, exp_qs, codes, exp_codes)


def _dump(name: str, comment: str, data: dict) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    (OUT / name).write_text(comment + text, encoding="utf-8")


def _maps(qs, exp_qs, codes, exp_codes) -> None:
    orgs = {"Northwind Foods": "host", "Contoso Media": "partner"}
    base = {"format": "alliance-workbook-survey-map", "version": 1}
    _dump("forms-anchor-text.map.yaml",
          "# A forms tool's CSV: one column per question, headed by the question's text;\n"
          "# answers are the anchors' own text. E-mail addresses become respondent ids.\n",
          {**base, "tool": "forms (question text as header, anchor text as answer)",
           "engagement": {"value": "northwind-contoso"},
           "respondent": {"email": {"column": "Email Address"},
                          "name": {"column": "Your name"},
                          "side": {"column": "Which company do you work for?", "values": orgs},
                          "role": {"column": "Your role"}},
           "dont_know": ["I don't know"],
           "questions": [{"column": q.text, "question": q.id} for q in qs]})
    _dump("research-codes.map.yaml",
          "# A research survey tool's CSV: short codes in row 1, question text and import ids\n"
          "# in rows 2-3 (skipped), numeric codes as answers, unfinished responses skipped,\n"
          "# and one extra column per expectation question (what the other side will say).\n",
          {**base, "tool": "research survey (codes, three header rows)",
           "engagement": {"value": "northwind-contoso"}, "header_row": 1, "skip_rows": [2, 3],
           "respondent": {"email": {"column": "RecipientEmail"}, "name": {"column": "Q_name"},
                          "side": {"column": "Q_org", "values": orgs},
                          "role": {"column": "Q_role"}},
           "dont_know": ["Not sure"],
           "skip": [{"column": "Finished", "values": ["False"],
                     "reason": "response not finished"}],
           "questions": [{"column": c, "question": q.id} for c, q in zip(codes, qs, strict=True)]
           + [{"column": c, "question": q.id, "about": "other-side"}
              for c, q in zip(exp_codes, exp_qs, strict=True)]})
    _dump("web-labels.map.yaml",
          "# A web survey tool's XLSX: question text in row 1, 'Response' in row 2 (skipped);\n"
          "# every answer is a label of one five-point scale.\n",
          {**base, "tool": "web survey (XLSX, two header rows, labels)", "sheet": "Responses",
           "engagement": {"value": "northwind-contoso"}, "header_row": 1, "skip_rows": [2],
           "respondent": {"email": {"column": "Email Address"},
                          "name": {"column": "Full name"},
                          "side": {"column": "Organisation", "values": orgs},
                          "role": {"column": "Role"}},
           "labels": {"five": {label: i + 1 for i, label in enumerate(LABELS)}},
           "dont_know": ["Don't know"],
           "questions": [{"column": q.text, "question": q.id, "labels": "five"} for q in qs]})


if __name__ == "__main__":
    main()
