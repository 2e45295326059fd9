"""Every import of the package's own modules resolves, including those inside functions.

mypy is told to ignore missing imports (some dependencies ship no types), which also hides a
relative import that points nowhere; a lazy import inside a function fails only when that
function first runs. After the re-layout of issue 20 this test walks every `from ... import`
of the package, resolves it and imports it.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "workbook_helpers"


def own_imports(package: Path = PACKAGE) -> list[tuple[str, str, str]]:
    """(where, module, name) for each name imported from the package itself."""
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package.parent).with_suffix("")
        parts = list(relative.parts)
        here = parts[:-1]  # the package a module (or an __init__) belongs to
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            elif (node.module or "").split(".")[0] == package.name:
                module = node.module or ""
            else:
                continue
            for alias in node.names:
                found.append((f"{relative.as_posix()}.py:{node.lineno}", module, alias.name))
    return found


def resolves(module: str, name: str) -> bool:
    """Whether `from module import name` works."""
    try:
        imported = importlib.import_module(module)
    except ImportError:
        return False
    if name == "*" or hasattr(imported, name):
        return True
    try:
        importlib.import_module(f"{module}.{name}")
    except ImportError:
        return False
    return True


def test_every_import_of_the_package_resolves() -> None:
    imports = own_imports()
    assert len(imports) > 300  # the walk found the package's imports
    broken = [f"{where}: from {module} import {name}" for where, module, name in imports
              if "migrations" not in where and not resolves(module, name)]
    assert broken == []


def test_a_broken_relative_import_is_found(tmp_path: Path) -> None:
    pkg = tmp_path / "workbook_helpers"
    (pkg / "inner").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "inner" / "__init__.py").write_text("")
    (pkg / "inner" / "lazy.py").write_text("def f():\n    from ..gone import thing\n")
    imports = own_imports(pkg)
    assert imports == [("workbook_helpers/inner/lazy.py:2", "workbook_helpers.gone", "thing")]
    with pytest.raises(AssertionError):
        assert resolves("workbook_helpers.gone", "thing")
