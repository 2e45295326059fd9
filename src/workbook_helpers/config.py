"""Every setting in one place: read from the environment here and nowhere else.

`settings()` returns a `Settings` (where the store lives, the question bank, the facilitator
key, the public address, the Chromium binary). `SETTINGS` describes each one; the README's
table and `workbook --help` are written from it (a test keeps them in step).

It also finds the files the package ships (question bank, notebooks, Voila and report
templates, `voila.json`): inside an installed wheel they are package data under
`workbook_helpers/data/`; in a source checkout (editable install) they are read from the
checkout itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATABASE_URL_ENV = "WORKBOOK_DATABASE_URL"
DATA_DIR_ENV = "WORKBOOK_DATA_DIR"
BANK_ENV = "WORKBOOK_BANK"
FACILITATOR_KEY_ENV = "WORKBOOK_FACILITATOR_KEY"
PUBLIC_URL_ENV = "WORKBOOK_PUBLIC_URL"
CHROMIUM_ENV = "WORKBOOK_CHROMIUM"
DEBUG_ENV = "WORKBOOK_DEBUG"
ROOM_ENV = "WORKBOOK_ROOM"
QUESTIONNAIRE_ENV = "WORKBOOK_QUESTIONNAIRE"
QUESTIONNAIRE_KINDS = ("light", "voila")
IDLE_MINUTES_ENV = "WORKBOOK_IDLE_MINUTES"
MAX_VISITORS_ENV = "WORKBOOK_MAX_VISITORS"
# set by `workbook serve` for the kernels it starts, not by people: the store is already at
# the newest schema, and the banks in use are parsed into this file
SCHEMA_READY_ENV = "WORKBOOK_SCHEMA_READY"
BANK_CACHE_ENV = "WORKBOOK_BANK_CACHE"
PROXY_API_ENV = "WORKBOOK_PROXY_API"
PROXY_TOKEN_ENV = "WORKBOOK_PROXY_TOKEN"
SMTP_URL_ENV = "WORKBOOK_SMTP_URL"
SMTP_USER_ENV = "WORKBOOK_SMTP_USER"
SMTP_PASSWORD_ENV = "WORKBOOK_SMTP_PASSWORD"

# the port `workbook serve` listens on unless told otherwise (`--port`)
DEFAULT_PORT = 8866

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA = PACKAGE_DIR / "data"


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, command-line option, default and meaning."""

    name: str
    env: str
    option: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", DATA_DIR_ENV, "", "./data",
            "Folder of the embedded SQLite store (workbook.db)."),
    Setting("database_url", DATABASE_URL_ENV, "", "sqlite:///$WORKBOOK_DATA_DIR/workbook.db",
            "Any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db; wins over the "
            "data folder."),
    Setting("bank", BANK_ENV, "--bank FILE", "the shipped bank",
            "Question bank YAML used by every command, app and report."),
    Setting("facilitator_key", FACILITATOR_KEY_ENV, "serve --token KEY",
            "none on 127.0.0.1; generated elsewhere",
            "Key that the setup and dashboard pages require (?key=...)."),
    Setting("public_url", PUBLIC_URL_ENV, "", "http://HOST:PORT of serve",
            "Address respondents use, written into personal links."),
    Setting("chromium", CHROMIUM_ENV, "", "Debian's chromium",
            "Chromium binary that prints PDF reports."),
    Setting("debug", DEBUG_ENV, "", "0", "1 shows tracebacks instead of one-line errors."),
    Setting("room", ROOM_ENV, "serve --room N", "4",
            "People expected to open their questionnaire at the same moment; with "
            "--questionnaire voila, serve keeps that many widget questionnaires ready (about "
            "60 MiB of memory each)."),
    Setting("questionnaire", QUESTIONNAIRE_ENV, "serve --questionnaire light|voila", "light",
            "What a personal link opens: 'light', a plain page that needs no kernel (a room "
            "of 40 starts in seconds), or 'voila', the widget questionnaire in a kernel of "
            "its own."),
    Setting("idle_minutes", IDLE_MINUTES_ENV, "serve --idle-minutes M", "20",
            "A page left open without any activity for this long gives its kernel back; its "
            "answers are already saved and reloading the page carries on."),
    Setting("max_visitors", MAX_VISITORS_ENV, "serve --max-visitors N",
            "from the machine's memory",
            "Pages open at once before newcomers see 'the room is full' (it retries by "
            "itself)."),
    Setting("proxy_api", PROXY_API_ENV, "serve --proxy-api URL", "none",
            "REST API of a configurable-http-proxy in front of several serve processes: each "
            "adds its --prefix route there while it runs (docs/deploy.md)."),
    Setting("proxy_token", PROXY_TOKEN_ENV, "", "$CONFIGPROXY_AUTH_TOKEN",
            "Token of that proxy's API."),
    Setting("smtp_url", SMTP_URL_ENV, "", "none (use invite --eml DIR)",
            "Mail server for invitations and reminders: smtp://host:587 (STARTTLS) or "
            "smtps://host:465 (TLS), optionally with user:password@ and ?from=ADDRESS."),
    Setting("smtp_user", SMTP_USER_ENV, "", "the URL's user",
            "Login name for the mail server, when it is not in the URL."),
    Setting("smtp_password", SMTP_PASSWORD_ENV, "", "the URL's password",
            "Password for the mail server (keeps it out of the URL and the shell history)."),
)


@dataclass(frozen=True)
class Settings:
    """The settings in force, as read from the environment by `settings()`."""

    data_dir: Path
    database_url: str
    bank: Path
    facilitator_key: str
    public_url: str
    chromium: str
    debug: bool
    room: int = 4
    questionnaire: str = "light"
    idle_minutes: float = 20.0
    max_visitors: int = 0  # 0: from the machine's memory
    proxy_api: str = ""
    proxy_token: str = ""
    smtp_url: str = ""
    smtp_user: str = ""
    smtp_password: str = ""
    reports_dir: Path = Path("reports")  # not a variable of its own: see `reports_dir()`


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def settings() -> Settings:
    """Read every setting from the environment (cheap; read again on each call, so a test or
    a process that changes the environment sees the change)."""
    return Settings(data_dir=data_dir(), database_url=database_url(), bank=default_bank_path(),
                    facilitator_key=_env(FACILITATOR_KEY_ENV),
                    public_url=_env(PUBLIC_URL_ENV).rstrip("/"), chromium=_env(CHROMIUM_ENV),
                    debug=_env(DEBUG_ENV) == "1",
                    room=_number(ROOM_ENV, 4, int), idle_minutes=_number(IDLE_MINUTES_ENV, 20.0,
                                                                         float),
                    max_visitors=_number(MAX_VISITORS_ENV, 0, int),
                    questionnaire=_choice(QUESTIONNAIRE_ENV, QUESTIONNAIRE_KINDS),
                    proxy_api=_env(PROXY_API_ENV),
                    proxy_token=_env(PROXY_TOKEN_ENV) or _env("CONFIGPROXY_AUTH_TOKEN"),
                    smtp_url=_env(SMTP_URL_ENV),
                    smtp_user=_env(SMTP_USER_ENV),
                    smtp_password=os.environ.get(SMTP_PASSWORD_ENV, ""),
                    reports_dir=reports_dir())


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    """A setting with a fixed set of values (the first is the default); anything else is an
    error naming the variable and the values it takes."""
    raw = _env(name).lower() or allowed[0]
    if raw not in allowed:
        from .exceptions import WorkbookError

        raise WorkbookError(f"{name}={raw!r} is not one of {', '.join(allowed)}; set it to one "
                          "of them or unset it.")
    return raw


def _number(name: str, default: Any, kind: Any) -> Any:
    """A numeric setting; a value that is not a number is an error naming the variable."""
    raw = _env(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = -1
    if value < 0:
        from .exceptions import WorkbookError

        raise WorkbookError(f"{name}={raw!r} is not a number of the right kind; set it to a "
                            f"whole number such as {default} or unset it.")
    return value


def schema_ready() -> bool:
    """Whether `workbook serve` has already brought the store to the newest schema for the
    kernels it starts (they then skip the check)."""
    return _env(SCHEMA_READY_ENV) == "1"


def bank_cache_file() -> Path | None:
    """The file of banks that `workbook serve` parsed once for all its kernels, if any."""
    raw = _env(BANK_CACHE_ENV)
    return Path(raw) if raw else None


def help_text() -> str:
    """The settings as lines for `workbook --help`."""
    rows = [f"  {s.env}: {s.help} Default: {s.default}." for s in SETTINGS]
    return "\n".join(rows)


def readme_table() -> str:
    """The settings as the Markdown table the README carries."""
    lines = ["| environment variable | option | default | what |", "|---|---|---|---|"]
    for s in SETTINGS:
        opt = f"`{s.option}`" if s.option else ""
        lines.append(f"| `{s.env}` | {opt} | {s.default} | {s.help} |")
    return "\n".join(lines)


# ---- where data lives ------------------------------------------------------------------------
def data_dir() -> Path:
    """The folder of the embedded store (`$WORKBOOK_DATA_DIR`, default `./data`)."""
    return Path(_env(DATA_DIR_ENV) or "data")


def reports_dir() -> Path:
    """Where the portfolio and the server find report files: `reports/` beside the data
    folder (for the default `./data`, the `./reports` that `workbook report` writes to)."""
    return data_dir().resolve().parent / "reports"


def database_url(explicit: str | None = None) -> str:
    """The SQLAlchemy URL of the store: explicit, else the environment, else SQLite."""
    if explicit:
        return explicit
    env = _env(DATABASE_URL_ENV)
    if env:
        return env
    return f"sqlite:///{(data_dir() / 'workbook.db').resolve()}"


# ---- the files the package ships -------------------------------------------------------------
def repo_root() -> Path | None:
    """The source checkout holding this package, when run from one (editable install)."""
    for parent in PACKAGE_DIR.parents:
        if (parent / "pyproject.toml").exists() and (parent / "templates").is_dir() \
                and (parent / "notebooks").is_dir():
            return parent
    return None


def data_root() -> Path:
    """The folder holding `notebooks/`, `templates/` and `voila.json`: the package's own data
    in an installed wheel, else the source checkout."""
    if (PACKAGE_DATA / "templates").is_dir():
        return PACKAGE_DATA
    root = repo_root()
    if root is not None:
        return root
    return PACKAGE_DATA


def resource(*parts: str) -> Path:
    """A shipped file, e.g. `resource("notebooks", "report.ipynb")`; raises `WorkbookError`
    naming where it looked when the file is missing (a broken install)."""
    path = data_root().joinpath(*parts)
    if not path.exists():
        from .exceptions import WorkbookError

        raise WorkbookError(f"cannot find {'/'.join(parts)} (looked in {path}); the "
                            "installation is incomplete: reinstall alliance-workbook.")
    return path


def default_bank_path() -> Path:
    """The bank file in use: `$WORKBOOK_BANK`, else the shipped `templates/question_bank.yaml`."""
    env = _env(BANK_ENV)
    if env:
        return Path(env)
    return data_root() / "templates" / "question_bank.yaml"
