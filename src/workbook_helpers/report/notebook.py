"""Run the report notebook with papermill, on a fresh kernel or on one kept warm."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .paths import notebook_path

if TYPE_CHECKING:
    from .data import ReportData

KERNEL = "python3"
# Run in a warm kernel ahead of the first report, while the parent does other work: start
# vl-convert's engine (0.3 to 1 s, native code, the GIL released) in a thread while Python
# imports the rest and loads the bank. The thread is not waited for: the first report's
# first cell (reading the store, scoring, building the charts) runs while the engine still
# starts, and its first SVG simply waits for the engine (vl-convert serialises its calls).
PRELOAD = """\
import threading, vl_convert
threading.Thread(target=vl_convert.vegalite_to_svg, daemon=True, name="wb-vl-warm",
                 args=({"mark": "point", "data": {"values": []}},)).start()
import workbook_helpers.report.content, workbook_helpers.report.figures
import workbook_helpers.report.data, workbook_helpers.presenting.charts
import workbook_helpers.bank, workbook_helpers.presenting.templating
_wb_bank = workbook_helpers.bank.load_bank()
workbook_helpers.presenting.templating.warm("report", "shared")
del threading, vl_convert, workbook_helpers, _wb_bank
"""


class WarmKernel:
    """One Jupyter kernel started once and reused for many reports in this process.

    Re-running the report notebook on it skips kernel start-up and the heavy imports
    (pandas, SQLAlchemy, Altair, vl-convert); the namespace is reset between reports.
    """

    def __init__(self, kernel_name: str = KERNEL, preload: bool = True) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        # IPC sockets in a private folder: no TCP ports, no "unencrypted TCP" warning
        self._sockets = tempfile.mkdtemp(prefix="wb-kernel-")
        self.km = AsyncKernelManager(kernel_name=kernel_name, transport="ipc",
                                     ip=os.path.join(self._sockets, "k"))
        # no IPython history: saves start-up time and sqlite lock contention between workers
        run_sync(self.km.start_kernel)(extra_arguments=["--HistoryManager.enabled=False"])
        self._preload_msg: str | None = None
        self._used = not preload
        if preload:
            kc = self.km.blocking_client()
            kc.start_channels()
            # PRELOAD deletes its own names: a clean namespace without `%reset -f`, whose
            # garbage collection (0.1 s with pandas loaded) would delay the first report
            self._preload_msg = kc.execute(PRELOAD, silent=True)
            self._kc = kc

    def ready(self) -> bool:
        """Whether the kernel is still alive (a crashed report may have killed it)."""
        return bool(self._run_sync(self.km.is_alive)())

    def reset(self) -> None:
        """Clear the namespace left by the previous report (imports stay cached)."""
        if not self._used:  # the preload already ended with a reset
            self._used = True
            return
        kc = self.km.blocking_client()
        kc.start_channels()
        try:
            kc.execute_interactive("%reset -f", silent=True, timeout=30)
        finally:
            kc.stop_channels()

    def shutdown(self) -> None:
        """Stop the kernel."""
        try:
            if self._preload_msg is not None:
                self._kc.stop_channels()
            self._run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # best effort at exit
            pass
        shutil.rmtree(self._sockets, ignore_errors=True)


def run_report_notebook(output: Path, parameters: dict[str, Any],
                        kernel: WarmKernel | None = None,
                        notebook: Path | None = None) -> Any:
    """Execute the report notebook with `parameters`, writing the executed copy to `output`.

    Raises papermill's `PapermillExecutionError` when a cell fails; the executed notebook
    (with the error) is still written to `output`.
    """
    import papermill as pm

    logging.getLogger("papermill").setLevel(logging.WARNING)
    extra: dict[str, Any] = {}
    if kernel is not None:
        if not kernel.ready():
            raise RuntimeError("the warm kernel died")
        kernel.reset()
        extra["km"] = kernel.km
    return pm.execute_notebook(
        str(notebook or notebook_path()), str(output), parameters=parameters,
        kernel_name=KERNEL, progress_bar=False, log_output=False,
        request_save_on_cell_execute=False, **extra)


def report_parameters(data: ReportData, database_url: str = "") -> dict[str, Any]:
    """The report notebook's parameters that reproduce `data` (engagement, round, options,
    language)."""
    return {"engagement": data.engagement.id, "database_url": database_url,
            "anonymous": data.options.anonymous, "organisation": data.options.organisation,
            "logo_path": data.options.logo_path, "round": data.round, "lang": data.lang}


def report_page(data: ReportData, kernel: WarmKernel | None = None) -> str:
    """The report page of `data`: the report notebook run for it (on a fresh kernel unless
    one is given) and exported as one self-contained HTML page."""
    from .html import notebook_to_html

    with tempfile.TemporaryDirectory(prefix="wb-report-") as tmp:
        nb = run_report_notebook(Path(tmp) / "report.ipynb", report_parameters(data),
                                 kernel=kernel)
    return notebook_to_html(nb, data.engagement.title, data.lang)
