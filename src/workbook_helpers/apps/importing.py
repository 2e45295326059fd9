"""The setup page's import: upload an answers CSV or a survey tool's export (with its mapping
file), see a preview of what would be imported, and confirm. Nothing is written before the
facilitator confirms, and a file with any problem is refused whole with the problems listed.
It speaks the setup page's language (`apps` catalogue)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from ..bank import Bank
from ..exceptions import WorkbookError
from ..i18n import NGettext, gettext_for, ngettext_for
from ..presenting.templating import render
from ..store import Store
from .html import notice


def preview_html(summary: dict[str, Any], file: str, lang: str = "en") -> str:
    """What an import would write, as an escaped panel (nothing written yet), in `lang`."""
    return render("apps/import_preview.html.j2", summary=summary, file=file, lang=lang,
                  domain="apps")


class ImportPanel:
    """Upload, preview, confirm."""

    def __init__(self, store: Store, bank: Bank, on_done: Callable[[dict[str, int]], None],
                 lang: str = "en") -> None:
        self.store, self.bank, self.on_done = store, bank, on_done
        self.lang = lang
        _ = self._ = gettext_for(lang, "apps")
        self.upload = w.FileUpload(accept=".csv,.xlsx", multiple=False,
                                   description=_("Answers or export"),
                                   layout=w.Layout(width="auto"))
        self.mapping = w.FileUpload(accept=".yaml,.yml", multiple=False,
                                    description=_("Mapping (exports)"),
                                    layout=w.Layout(width="auto"))
        self.preview = w.HTML()
        self.confirm = w.Button(description=_("Confirm import"), button_style="success",
                                disabled=True,
                                layout=w.Layout(width="auto", align_self="flex-start"))
        self.confirm.on_click(lambda _b: self.commit())
        for up in (self.upload, self.mapping):
            up.observe(lambda _c: self.prepare(), names="value")
        self.frame: pd.DataFrame | None = None
        self.file = ""
        self.widget = w.VBox([
            w.HTML(render("apps/setup_headings.html.j2", part="import", lang=lang,
                          domain="apps")),
            w.HBox([self.upload, self.mapping]), self.preview, self.confirm])

    @staticmethod
    def _first(up: w.FileUpload) -> dict[str, Any] | None:
        files = list(up.value or [])
        return dict(files[0]) if files else None

    def plan(self, data: bytes, name: str, mapping: bytes | None) -> tuple[pd.DataFrame,
                                                                           dict[str, Any]]:
        """Read an upload (and its mapping) into answers and a summary; raises on problems."""
        from ..answers.survey import ImportPlan, plan_import

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(name).name
            path.write_bytes(data)
            if mapping is not None:
                map_path = Path(tmp) / "mapping.yaml"
                map_path.write_bytes(mapping)
                plan = plan_import(path, map_path, self.bank)
            else:
                from ..answers.csv_file import read_answers_csv
                from ..bank.choice import round_banks

                frame, _ = read_answers_csv(path, self.bank, round_banks(self.store, self.bank))
                people = frame.drop_duplicates(["engagement", "respondent"])[
                    ["engagement", "respondent", "side", "name", "role"]]
                plan = ImportPlan(frame, people.reset_index(drop=True))
        return plan.answers, plan.summary(self.bank)

    def prepare(self) -> None:
        """Preview the chosen files."""
        self.frame, self.confirm.disabled = None, True
        item = self._first(self.upload)
        if item is None:
            self.preview.value = ""
            return
        name = str(item.get("name") or "answers.csv")
        mapping = self._first(self.mapping)
        if name.lower().endswith(".xlsx") and mapping is None:
            self.preview.value = notice(self._("An XLSX export needs its mapping file: "
                                               "choose it with the second button."), "info")
            return
        try:
            self.frame, summary = self.plan(bytes(item["content"]), name,
                                            bytes(mapping["content"]) if mapping else None)
        except WorkbookError as exc:
            self.preview.value = notice(str(exc), "error")
            return
        self.file = name
        self.preview.value = preview_html(summary, name, self.lang)
        self.confirm.disabled = False

    def commit(self) -> dict[str, int] | None:
        """Import what the preview showed."""
        if self.frame is None:
            return None
        try:
            added = self.store.import_answers(self.frame, file=self.file,
                                              bank_version=self.bank.version)
        except WorkbookError as exc:
            self.preview.value = notice(str(exc), "error")
            return None
        self.frame, self.confirm.disabled = None, True
        self.preview.value = notice(
            imported_text(ngettext_for(self.lang, "apps"), added, self.file), "ok")
        self.on_done(added)
        return added


def imported_text(n_: NGettext, added: dict[str, int], file: str = "") -> str:
    """What an import wrote, in the page's language ("Imported 12 answers ...")."""
    counts = {"unchanged": added["unchanged"], "new": added["respondents"]}
    if file:
        return n_("Imported %(num)d answer from %(file)s (%(unchanged)d unchanged, %(new)d "
                  "new respondents).",
                  "Imported %(num)d answers from %(file)s (%(unchanged)d unchanged, %(new)d "
                  "new respondents).", added["answers"], file=file, **counts)
    return n_("Imported %(num)d answer (%(unchanged)d unchanged, %(new)d new respondents).",
              "Imported %(num)d answers (%(unchanged)d unchanged, %(new)d new respondents).",
              added["answers"], **counts)
