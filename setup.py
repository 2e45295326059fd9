"""Build hook: the wheel carries the files the package reads at run time.

The question bank and templates (`templates/`), the notebooks (`notebooks/`) and `voila.json`
stay where the product's contracts put them, at the top of the checkout (an editable install
reads them there, see `workbook_helpers.config.data_root`). A wheel gets a copy of them as
package data under `workbook_helpers/data/`; the Alembic migrations are package data already.
Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DATA = ("notebooks", "templates", "voila.json")
SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")


class build_py_with_data(build_py):  # noqa: N801 - setuptools command naming
    """build_py, then copy the shipped data files into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        target = Path(self.build_lib) / "workbook_helpers" / "data"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for name in DATA:
            src = HERE / name
            if src.is_dir():
                shutil.copytree(src, target / name, ignore=SKIP)
            else:
                shutil.copy2(src, target / name)


setup(cmdclass={"build_py": build_py_with_data})
