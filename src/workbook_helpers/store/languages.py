"""Languages as a part of the store: each engagement's language (its reports, dashboard and
setup), each respondent's (the questionnaire opens in it), and the language each answer was
given in (kept beside the answer's comment, which is stored as written).

Tags are BCP 47 (`en`, `de`, `fr`, `es`), stored normalized (`de-CH`); whether the workbook
speaks a language is checked where the tag comes in (CLI, imports, apps) with
`i18n.check_language`, not here, so a store keeps a tag a later catalogue may serve.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ..exceptions import NotFoundError, Problem
from ..i18n import DEFAULT_LANGUAGE, normalize_tag
from .rounds import RoundsMixin
from .schema import engagements, respondents


def clean_tag(lang: str | None) -> str | None:
    """A tag as the store keeps it (normalized), or None for no tag."""
    return normalize_tag(lang) if lang and str(lang).strip() else None


class LanguagesMixin(RoundsMixin):
    """The languages of engagements and respondents."""

    def engagement_language(self, engagement_id: str) -> str:
        """The engagement's language (reports, dashboard, setup); 'en' unless set."""
        with self._tx("read") as conn:
            lang = conn.execute(select(engagements.c.lang).where(
                engagements.c.id == engagement_id)).scalar()
            known = lang is not None or conn.execute(select(engagements.c.id).where(
                engagements.c.id == engagement_id)).first() is not None
        if not known:
            raise NotFoundError(Problem(f"there is no engagement '{engagement_id}'.",
                                        fix="list them with 'workbook engagement list'."))
        return str(lang or DEFAULT_LANGUAGE)

    def set_engagement_language(self, engagement_id: str, lang: str) -> None:
        """Set the engagement's language (the caller checks that the workbook speaks it)."""
        tag = clean_tag(lang) or DEFAULT_LANGUAGE

        def body(conn: Connection) -> None:
            done = conn.execute(update(engagements).where(engagements.c.id == engagement_id)
                                .values(lang=tag))
            if done.rowcount == 0:
                raise NotFoundError(Problem(f"there is no engagement '{engagement_id}'.",
                                            fix="list them with 'workbook engagement list'."))

        self._write("write to", body)

    def respondent_language(self, engagement_id: str, respondent_id: str) -> str | None:
        """The respondent's own language, or None when not set (then the engagement's
        language applies: `i18n.resolve_language(respondent, engagement)`)."""
        with self._tx("read") as conn:
            row = conn.execute(select(respondents.c.lang).where(
                respondents.c.engagement_id == engagement_id,
                respondents.c.id == respondent_id)).first()
        if row is None:
            raise NotFoundError(Problem(
                f"there is no respondent '{respondent_id}' in engagement '{engagement_id}'.",
                fix="add them with 'workbook respondent add'."))
        return row.lang or None

    def set_respondent_language(self, engagement_id: str, respondent_id: str,
                                lang: str | None) -> None:
        """Set (or, with None, clear) a respondent's language; the caller checks the tag."""
        tag = clean_tag(lang)

        def body(conn: Connection) -> None:
            done = conn.execute(update(respondents).where(
                respondents.c.engagement_id == engagement_id,
                respondents.c.id == respondent_id).values(lang=tag))
            if done.rowcount == 0:
                raise NotFoundError(Problem(
                    f"there is no respondent '{respondent_id}' in engagement "
                    f"'{engagement_id}'.", fix="add them with 'workbook respondent add'."))

        self._write("write to", body)

    def languages(self, engagement_id: str) -> dict[str, str]:
        """The set languages of an engagement's respondents, by respondent id (those without
        one are left out)."""
        with self._tx("read") as conn:
            rows = conn.execute(select(respondents.c.id, respondents.c.lang).where(
                respondents.c.engagement_id == engagement_id)).all()
        return {r.id: r.lang for r in rows if r.lang}
