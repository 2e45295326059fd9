"""Writing files whole or not at all (reports, exports, mail files, the bank cache).

Every file the product writes for someone else to read goes through `write_atomic`: the
content lands in a hidden temporary file beside the target and is renamed over it, so a
reader (a browser, Excel, a mail program, another process) never sees half a file and a
failure leaves neither a partial target nor a stray temporary file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

__all__ = ["temporary_name", "write_atomic"]

Content = str | bytes | Callable[[Path], object]


def temporary_name(path: Path) -> Path:
    """The hidden temporary file `write_atomic` writes before renaming: beside `path`, unique
    to this process and thread, ending in `path`'s own suffix (writers such as openpyxl
    refuse a name that does not end in .xlsx)."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}"
                          f"{path.suffix}")


def write_atomic(path: str | Path, content: Content) -> Path:
    """Write the whole file `path` or nothing, and return it.

    `content` is text (written as UTF-8, newlines as given), bytes, or a function that
    writes the file at the path it is given (a PDF printer, an Excel writer). The folder is
    created when missing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        if isinstance(content, str):
            tmp.write_bytes(content.encode("utf-8"))
        elif isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            content(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
