"""Respondents' e-mail addresses: one check, used by the CLI, the imports, the JSON export's
reader and the setup app, so that every way in refuses the same addresses with the same
sentence.

The syntax check is `email-validator` (RFC 5321/5322 with internationalised addresses, the
special-use domains such as `.test` and `localhost` refused), without a DNS look-up: the
workbook runs offline and a facilitator typing an address before the workshop must not wait
on the network. The address is kept in its normalised form (domain in lower case, Unicode
NFC).
"""

from __future__ import annotations

from ..exceptions import BadInputError, Problem

MAX_LENGTH = 320


def normalise_email(value: str | None) -> str | None:
    """A valid address in normalised form, None for an empty value; raises `ValueError`
    with the validator's reason for a bad one."""
    text = (value or "").strip()
    if not text:
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None
    if len(checked.normalized) > MAX_LENGTH:
        raise ValueError(f"it is longer than {MAX_LENGTH} characters.")
    return str(checked.normalized)


def check_email(value: str | None, *, file: str | None = None, row: int | None = None,
                column: str | None = "email", who: str = "") -> str | None:
    """`normalise_email`, raising `BadInputError` that names file, row, column and the fix."""
    try:
        return normalise_email(value)
    except ValueError as exc:
        whose = f" of {who}" if who else ""
        raise BadInputError(Problem(
            f"the e-mail address{whose} {value!r} is not valid: {exc}", file=file, row=row,
            column=column, fix="write a full address such as name@company.com, or leave the "
            "cell empty when it is not known.")) from None
