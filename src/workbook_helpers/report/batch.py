"""`workbook report`: many engagements, many formats, in worker processes.

Each worker process keeps one warm Jupyter kernel (reports re-run the notebook on it with
papermill), one nbconvert exporter and, when PDFs are wanted, one headless Chromium. A
failed engagement does not stop the others: its executed notebook is kept as
`OUT/ENG.failed.ipynb`, the summary names it, and the exit code is 1.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..exceptions import BadInputError, Problem, WorkbookError
from ..ids import check_slug, is_slug

FORMATS = ("html", "pdf", "xlsx", "pptx")
WORKER_NICENESS = 10


@dataclass(frozen=True)
class Job:
    """One engagement to report on, with every option the worker needs."""

    engagement: str
    out: str
    formats: tuple[str, ...]
    anonymous: bool = False
    database_url: str = ""
    organisation: str = ""
    logo_path: str = ""
    page_size: str = "A4"
    round: str = ""
    lang: str = ""  # the report's language; empty: the engagement's, else English

    @property
    def stem(self) -> str:
        """The report files' name: the engagement id, plus the round when one was asked."""
        return f"{self.engagement}.{self.round}" if self.round else self.engagement


@dataclass
class Outcome:
    """What happened to one engagement."""

    engagement: str
    ok: bool
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""
    kept: str = ""


# ---- one worker ---------------------------------------------------------------------------
class _Worker:
    """Per-process state: warm kernel, lazily started browser."""

    kernel: Any = None
    printer: Any = None
    warming: Any = None


def _start_kernel() -> Any:
    from .notebook import WarmKernel

    return WarmKernel()


def _cleanup() -> None:
    if _Worker.printer is not None:
        with contextlib.suppress(Exception):
            _Worker.printer.close()
        _Worker.printer = None
    if _Worker.kernel is not None:
        _Worker.kernel.shutdown()
        _Worker.kernel = None


def init_worker(want_pdf: bool = False) -> None:
    """Start this process's warm kernel (and browser); stop them when the process ends.

    The kernel boots and imports in its own process while this one compiles the HTML
    template and launches Chromium, so the three start-up costs overlap.
    """
    from multiprocessing import util

    from .html import warm_up

    _Worker.kernel = _start_kernel()
    # the kernel (started above, so at normal priority) is the critical path of a report:
    # its imports, the vl-convert engine and the notebook; this process only waits for it
    # and compiles templates meanwhile, so it yields the CPU to it when both want it
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    util.Finalize(None, _cleanup, exitpriority=10)
    _Worker.warming = warm_up()
    if want_pdf:
        from .pdf import PdfPrinter

        _Worker.printer = PdfPrinter()


def _error_text(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:  # papermill's PapermillExecutionError: the error raised inside the notebook
        evalue = str(getattr(exc, "evalue", "")).strip().splitlines()
        return f"{ename}: {evalue[0] if evalue else ''}".strip()
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def _write(path: Path, data: str | bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    tmp.replace(path)


def render_one(job: Job) -> Outcome:
    """Write every requested format of one engagement's report into `job.out`."""
    start = time.perf_counter()
    eng = check_slug(job.engagement, "engagement id")
    out = Path(job.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = job.stem
    running = out / f".{stem}.running-{os.getpid()}.ipynb"
    failed = out / f"{stem}.failed.ipynb"
    outcome = Outcome(eng, ok=False)
    try:
        from .notebook import run_report_notebook

        if _Worker.kernel is not None and not _Worker.kernel.ready():
            _Worker.kernel = _start_kernel()
        lang = job.lang or _engagement_language(eng, job.database_url)
        params = {"engagement": eng, "database_url": job.database_url,
                  "anonymous": job.anonymous, "organisation": job.organisation,
                  "logo_path": job.logo_path, "round": job.round, "lang": lang}
        if "html" in job.formats or "pdf" in job.formats:
            nb = run_report_notebook(running, params, kernel=_Worker.kernel)
            title = _title(nb, eng, lang)
            from .html import notebook_to_html

            if _Worker.warming is not None:
                _Worker.warming.join()
                _Worker.warming = None
            page = notebook_to_html(nb, title, lang)
            if "html" in job.formats:
                _write(out / f"{stem}.html", page)
                outcome.files.append(f"{stem}.html")
            if "pdf" in job.formats:
                if _Worker.printer is None:
                    from .pdf import PdfPrinter

                    _Worker.printer = PdfPrinter()
                tmp = out / f".{stem}.pdf.tmp-{os.getpid()}"
                _Worker.printer.print_html(page, tmp, title, job.page_size, lang)
                tmp.replace(out / f"{stem}.pdf")
                outcome.files.append(f"{stem}.pdf")
        if "xlsx" in job.formats or "pptx" in job.formats:
            from .data import load_report_data

            data = load_report_data(eng, job.database_url or None, round_id=job.round or None,
                                    anonymous=job.anonymous,
                                    organisation=job.organisation, logo_path=job.logo_path,
                                    lang=lang)
            if "xlsx" in job.formats:
                from .excel import write_excel

                tmp = out / f".{stem}.xlsx.tmp-{os.getpid()}.xlsx"
                write_excel(data, tmp)
                tmp.replace(out / f"{stem}.xlsx")
                outcome.files.append(f"{stem}.xlsx")
            if "pptx" in job.formats:
                from .deck import build_deck

                _write(out / f"{stem}.pptx", build_deck(data).save())
                outcome.files.append(f"{stem}.pptx")
        outcome.ok = True
        failed.unlink(missing_ok=True)
    except Exception as exc:
        outcome.error = _error_text(exc)
        if running.exists():
            running.replace(failed)
            outcome.kept = failed.name
    finally:
        running.unlink(missing_ok=True)
        outcome.seconds = time.perf_counter() - start
    return outcome


def _engagement_language(eng: str, database_url: str) -> str:
    """The language the engagement was set up in (English when the store does not say)."""
    from ..store import Store
    from .data import engagement_language

    store = Store.open(database_url or None, upgrade=False)
    try:
        return engagement_language(store, eng)
    finally:
        store.close()


def _title(nb: Any, eng: str, lang: str = "en") -> str:
    """The engagement title shown on the cover (for the PDF footer and <title>)."""
    import re

    for cell in nb.cells:
        for o in cell.get("outputs", []):
            m = re.search(r'<h1 class="wb-title">(.*?)</h1>', o.get("data", {}).get(
                "text/html", ""), re.S)
            if m:
                import html

                return html.unescape(m.group(1))
    from ..presenting.speaking import _, speaking

    with speaking(lang):
        return _("Alliance readiness report: {engagement}").format(engagement=eng)


# ---- the batch ----------------------------------------------------------------------------
def _all_engagements(database_url: str | None) -> list[str]:
    from ..store import Store

    store = Store.open(database_url or None)
    try:
        return [str(e) for e in store.engagements()["engagement"]]
    finally:
        store.close()


def run_batch(jobs_list: list[Job], workers: int, progress: Any = None) -> list[Outcome]:
    """Run every job, in this process (one worker) or in a pool of worker processes."""
    outcomes: list[Outcome] = []
    want_pdf = any("pdf" in j.formats for j in jobs_list)

    def done(o: Outcome) -> None:
        outcomes.append(o)
        if progress is not None:
            progress(o)

    if workers <= 1 or len(jobs_list) <= 1:
        try:
            if _Worker.kernel is None:
                init_worker(want_pdf=want_pdf)
            for job in jobs_list:
                done(render_one(job))
        finally:
            _cleanup()
        return outcomes
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    from . import html as _html  # noqa: F401  (imported once here, inherited by forks)
    from . import notebook as _nb  # noqa: F401

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs_list)), mp_context=ctx,
                             initializer=init_worker, initargs=(want_pdf,)) as pool:
        pending: dict[Future[Outcome], Job] = {pool.submit(render_one, j): j
                                               for j in jobs_list}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                job = pending.pop(fut)
                try:
                    done(fut.result())
                except Exception as exc:  # the worker process itself died
                    done(Outcome(job.engagement, ok=False,
                                 error=f"worker process failed: {_error_text(exc)}"))
    return outcomes


def _summary(console: Any, outcomes: list[Outcome], out: Path, wall: float) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Reports in {escape(str(out))} ({wall:.1f} s)")
    for col in ("Engagement", "Result", "Files", "Seconds", "Problem"):
        table.add_column(col, justify="right" if col == "Seconds" else "left")
    for o in sorted(outcomes, key=lambda o: (o.ok, o.engagement)):
        problem = o.error + (f" (notebook kept: {o.kept})" if o.kept else "")
        table.add_row(escape(o.engagement), "[green]ok[/]" if o.ok else "[bold red]FAILED[/]",
                      escape(", ".join(o.files)), f"{o.seconds:.1f}", escape(problem))
    console.print(table)
    bad = [o.engagement for o in outcomes if not o.ok]
    if bad:
        console.print(f"[bold red]{len(bad)} of {len(outcomes)} report(s) failed:[/] "
                      + escape(", ".join(sorted(bad))))


def report_main(engagements: list[str], all_: bool, out: str, formats: list[str], jobs: int,
                anonymous: bool = False, database_url: str | None = None, *,
                organisation: str = "", logo_path: str = "", page_size: str = "A4",
                round_id: str = "", lang: str = "") -> int:
    """Write reports for `engagements` (or every engagement) and return the exit code.

    0 when every report was written, 1 when any failed (the others are still written).
    """
    from .options import check_logo

    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise BadInputError(Problem(f"unknown format(s): {', '.join(bad) or '(none)'}.",
                                    column="--format", fix="use html, pdf, xlsx and/or pptx."))
    if page_size not in ("A4", "Letter"):
        raise BadInputError(Problem(f"unknown page size {page_size!r}.", fix="use A4 or Letter."))
    ids = [check_slug(e, "engagement id", column="ENGAGEMENT") for e in engagements]
    if all_:
        ids += [e for e in _all_engagements(database_url) if e not in ids]
    if not ids:
        raise BadInputError(Problem("no engagement to report on.",
                                    fix="name engagement ids, or use --all on a store that "
                                        "holds engagements."))
    logo = check_logo(logo_path)
    target = Path(out)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(f"cannot create the output folder {target}: {exc.strerror}.") \
            from None
    if database_url:
        # handed to workers and kernels through the environment, never as a notebook
        # parameter: a kept .failed.ipynb must not contain a database password
        from ..config import DATABASE_URL_ENV

        os.environ[DATABASE_URL_ENV] = database_url
    if round_id:
        check_slug(round_id, "round id", column="--round")
    if lang:
        from ..presenting.speaking import check_language

        lang = check_language(lang, "--lang")
    job_list = [Job(e, str(target.resolve()), tuple(dict.fromkeys(formats)), anonymous,
                    "", organisation, logo, page_size, round_id, lang)
                for e in ids if is_slug(e)]
    skipped = [Outcome(e, ok=False, error="not a valid engagement id") for e in ids
               if not is_slug(e)]
    if max(1, jobs) == 1 or len(job_list) == 1:
        # one process: boot the kernel first, so it starts while we import the rest
        init_worker(want_pdf=any("pdf" in j.formats for j in job_list))
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True, highlight=False)
    started = time.perf_counter()
    # auto_refresh=False: no refresh thread may be running when the worker pool forks
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                  transient=False, auto_refresh=False) as bar:
        task = bar.add_task("Writing reports", total=len(job_list))
        bar.refresh()

        def tick(o: Outcome) -> None:
            bar.update(task, advance=1,
                       description=f"{'done' if o.ok else 'FAILED'}: {o.engagement}")
            bar.refresh()

        outcomes = run_batch(job_list, max(1, jobs), tick)
    outcomes += skipped
    _summary(console, outcomes, target, time.perf_counter() - started)
    return 0 if all(o.ok for o in outcomes) else 1


__all__ = ["FORMATS", "Job", "Outcome", "init_worker", "render_one", "report_main",
           "run_batch"]
