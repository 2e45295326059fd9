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
from typing import TYPE_CHECKING, Any

from ..exceptions import BadInputError, Problem, WorkbookError
from ..ids import check_slug, is_slug

if TYPE_CHECKING:
    from .data import ReportData


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

    started = False
    kernel: Any = None
    printer: Any = None
    warming: Any = None


def _start_kernel() -> Any:
    from .notebook import WarmKernel

    return WarmKernel()


def _cleanup() -> None:
    _Worker.started = False
    if _Worker.printer is not None:
        with contextlib.suppress(Exception):
            _Worker.printer.close()
        _Worker.printer = None
    if _Worker.kernel is not None:
        _Worker.kernel.shutdown()
        _Worker.kernel = None


def init_worker(want_pdf: bool = False, want_page: bool = True) -> None:
    """Start this process's warm kernel (and browser); stop them when the process ends.

    The kernel boots and imports in its own process while this one compiles the HTML
    template and launches Chromium, so the three start-up costs overlap. `want_page` False
    (only formats made from the data, such as xlsx and pptx): no kernel, no template.
    """
    from multiprocessing import util

    from .html import warm_up

    # the report runs at the priority it was started with: lowering it (as this once did, to
    # leave the CPU to the kernel) gained nothing measurable alone and made every report
    # three to four times slower whenever anything else ran (docs/decisions.md)
    _Worker.started = True
    util.Finalize(None, _cleanup, exitpriority=10)
    if not want_page:
        return
    _Worker.kernel = _start_kernel()
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


def _load(job: Job) -> ReportData:
    """The engagement's data, loaded once for every format of the job."""
    from .data import load_report_data

    return load_report_data(job.engagement, job.database_url or None,
                            round_id=job.round or None, anonymous=job.anonymous,
                            organisation=job.organisation, logo_path=job.logo_path,
                            lang=job.lang)


def _run_notebook(job: Job, running: Path) -> Any:
    """The report notebook executed for the job on this process's warm kernel."""
    from .notebook import run_report_notebook

    if _Worker.kernel is not None and not _Worker.kernel.ready():
        _Worker.kernel = _start_kernel()
    params = {"engagement": job.engagement, "database_url": job.database_url,
              "anonymous": job.anonymous, "organisation": job.organisation,
              "logo_path": job.logo_path, "round": job.round, "lang": job.lang}
    return run_report_notebook(running, params, kernel=_Worker.kernel)


def _page(nb: Any, data: ReportData) -> str:
    """The executed notebook as the report page (title and language from the data)."""
    from .html import notebook_to_html

    if _Worker.warming is not None:
        _Worker.warming.join()
        _Worker.warming = None
    return notebook_to_html(nb, data.engagement.title, data.lang)


def _printer() -> Any:
    """This process's browser for PDFs, started on first use."""
    if _Worker.printer is None:
        from .pdf import PdfPrinter

        _Worker.printer = PdfPrinter()
    return _Worker.printer


def _export(job: Job, running: Path, outcome: Outcome) -> None:
    """Load the engagement once (while the kernel runs the notebook, when a format needs its
    page) and write every requested format through its exporter."""
    from concurrent.futures import ThreadPoolExecutor

    from .exporters import EXPORTERS, Resources

    chosen = [e for name, e in EXPORTERS.items() if name in job.formats]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-data") as loader:
        loading = loader.submit(_load, job)
        nb = _run_notebook(job, running) if any(e.needs_page for e in chosen) else None
        data = loading.result()
    resources = Resources(page_size=job.page_size, make_page=lambda: _page(nb, data),
                          make_printer=_printer)
    out = Path(job.out)
    for exporter in chosen:
        name = exporter.file_name(job.stem)
        exporter.export(data, out / name, resources)
        outcome.files.append(name)


def render_one(job: Job) -> Outcome:
    """Write every requested format of one engagement's report into `job.out`."""
    start = time.perf_counter()
    eng = check_slug(job.engagement, "engagement id")
    Path(job.out).mkdir(parents=True, exist_ok=True)
    running = Path(job.out) / f".{job.stem}.running-{os.getpid()}.ipynb"
    failed = Path(job.out) / f"{job.stem}.failed.ipynb"
    outcome = Outcome(eng, ok=False)
    try:
        _export(job, running, outcome)
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


# ---- the batch ----------------------------------------------------------------------------
def _all_engagements(database_url: str | None) -> list[str]:
    from ..store import Store

    store = Store.open(database_url or None)
    try:
        return [str(e) for e in store.engagements()["engagement"]]
    finally:
        store.close()


def _wants(jobs_list: list[Job]) -> tuple[bool, bool]:
    """Whether any job asks for a PDF, and whether any asks for a format made from the
    report page (those need the kernel)."""
    from .exporters import EXPORTERS

    formats = {f for j in jobs_list for f in j.formats}
    return "pdf" in formats, any(EXPORTERS[f].needs_page for f in formats if f in EXPORTERS)


def _without_the_round(job_list: list[Job], database_url: str | None
                       ) -> tuple[list[Job], list[Outcome]]:
    """The jobs whose engagement has the round they ask for, and a failed outcome for each
    other one, found before any kernel starts (a round that does not exist is a typo, not a
    reason to boot Jupyter). Anything else the store says is left to the job itself."""
    from ..exceptions import NotFoundError
    from ..store import Store

    if not any(j.round for j in job_list):
        return job_list, []
    try:
        store = Store.open(database_url or None)
    except WorkbookError:
        return job_list, []
    keep, failed = [], []
    try:
        for job in job_list:
            try:
                if job.round:
                    store.round(job.engagement, job.round)
            except NotFoundError as exc:
                if f"no round '{job.round}'" not in str(exc):
                    keep.append(job)
                    continue
                failed.append(Outcome(job.engagement, ok=False, error=_error_text(exc)))
                continue
            keep.append(job)
    finally:
        store.close()
    return keep, failed


def run_batch(jobs_list: list[Job], workers: int, progress: Any = None) -> list[Outcome]:
    """Run every job, in this process (one worker) or in a pool of worker processes."""
    outcomes: list[Outcome] = []
    want_pdf, want_page = _wants(jobs_list)

    def done(o: Outcome) -> None:
        outcomes.append(o)
        if progress is not None:
            progress(o)

    if workers <= 1 or len(jobs_list) <= 1:
        try:
            if not _Worker.started:
                init_worker(want_pdf, want_page)
            for job in jobs_list:
                done(render_one(job))
        finally:
            _cleanup()
        return outcomes
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    from . import html as _html  # noqa: F401  (imported once here, inherited by forks)
    from . import notebook as _nb  # noqa: F401

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs_list)), mp_context=ctx,
                             initializer=init_worker, initargs=(want_pdf, want_page)) as pool:
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
    from .exporters import parse_formats
    from .options import check_logo

    formats = parse_formats(formats)
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
    job_list, no_round = _without_the_round(job_list, database_url)
    skipped += no_round
    if max(1, jobs) == 1 or len(job_list) == 1:
        # one process: boot the kernel first, so it starts while we import the rest
        init_worker(*_wants(job_list))
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


__all__ = ["Job", "Outcome", "init_worker", "render_one", "report_main",
           "run_batch"]
