"""The package's shape against the limits of issue 20: `make structure` prints it.

Limits (docs/architecture.md): at most 8 modules directly in the package root, no module over
500 lines, at most 2 functions over 60 lines. A module's lines are its physical lines; a
function's lines are its code lines: from `def` to its end, without its docstring, blank lines
and comment-only lines (what a reader has to hold in mind, not how it is laid out).
`tests/unit/test_structure.py` holds the package to the limits.

It also keeps the module map of docs/architecture.md true: `python tests/structure.py
--module-map` prints the map's rows (a module's line kept from the doc when it is there, else
drafted from the first sentence of its docstring), `--write-map` writes them into the doc, and
the test compares the doc's modules with the package's.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "workbook_helpers"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# the folders in the order the pipeline runs (the map lists them so); others come after
PIPELINE = ("", "bank", "answers", "store", "scoring", "presenting", "apps", "report",
            "server", "cli", "demo", "invitations")
MAP_START, MAP_END = "<!-- module-map -->", "<!-- /module-map -->"
MAP_ROW = re.compile(r"^\| `([^`]+)` \| (.*) \|$", re.M)
MAX_ROOT_MODULES = 8
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
MAX_LONG_FUNCTIONS = 2


@dataclass(frozen=True)
class Shape:
    """The measured shape of the package."""

    root_modules: list[str]
    module_lines: dict[str, int]
    function_lines: dict[str, int]

    @property
    def long_modules(self) -> dict[str, int]:
        return {m: n for m, n in self.module_lines.items() if n > MAX_MODULE_LINES}

    @property
    def long_functions(self) -> dict[str, int]:
        return {f: n for f, n in self.function_lines.items() if n > MAX_FUNCTION_LINES}

    def problems(self) -> list[str]:
        """Each limit the package breaks, as a sentence."""
        found = []
        if len(self.root_modules) > MAX_ROOT_MODULES:
            found.append(f"{len(self.root_modules)} modules in the package root "
                         f"(at most {MAX_ROOT_MODULES}): {', '.join(self.root_modules)}")
        for module, lines in sorted(self.long_modules.items()):
            found.append(f"{module}: {lines} lines (at most {MAX_MODULE_LINES})")
        if len(self.long_functions) > MAX_LONG_FUNCTIONS:
            listed = ", ".join(f"{f} ({n})" for f, n in sorted(self.long_functions.items(),
                                                              key=lambda item: -item[1]))
            found.append(f"{len(self.long_functions)} functions over {MAX_FUNCTION_LINES} "
                         f"lines (at most {MAX_LONG_FUNCTIONS}): {listed}")
        return found


def code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> int:
    """A function's code lines: no docstring, no blank or comment-only line."""
    skip: set[int] = set()
    first = node.body[0] if node.body else None
    if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        skip = set(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    end = node.end_lineno or node.lineno
    return sum(1 for number in range(node.lineno, end + 1)
               if number not in skip and lines[number - 1].strip()
               and not lines[number - 1].strip().startswith("#"))


def module_paths(package: Path = PACKAGE) -> list[Path]:
    """The package's modules (migrations and shipped data excluded), sorted."""
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if "migrations" in relative.parts or "data" in relative.parts[:1]:
            continue
        found.append(path)
    return found


def measure(package: Path = PACKAGE) -> Shape:
    """Measure the package's root, module sizes and function sizes (migrations excluded)."""
    module_lines: dict[str, int] = {}
    function_lines: dict[str, int] = {}
    for path in module_paths(package):
        relative = path.relative_to(package)
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        name = relative.as_posix()
        module_lines[name] = len(lines)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                function_lines[f"{name}:{node.lineno}:{node.name}"] = code_lines(node, lines)
    root = sorted(p.name for p in package.glob("*.py"))
    return Shape(root, module_lines, function_lines)


# ---- the module map of docs/architecture.md -------------------------------------------------
def _order(name: str) -> tuple[int, str]:
    folder = name.split("/")[0] if "/" in name else ""
    rank = PIPELINE.index(folder) if folder in PIPELINE else len(PIPELINE)
    return rank, name.replace("__init__.py", "")  # a package's own row first


def modules(package: Path = PACKAGE) -> list[str]:
    """The package's modules as the map names them (`bank/choice.py`), in pipeline order."""
    return sorted((p.relative_to(package).as_posix() for p in module_paths(package)),
                  key=_order)


def draft_line(path: Path) -> str:
    """A module's line drafted from the first sentence of its docstring."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = " ".join(doc.split("\n\n")[0].split())
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    return sentence.replace("|", "\\|") or "(no docstring yet: write one)"


def documented(text: str) -> dict[str, str]:
    """The map's rows in a document: module -> its line."""
    start, end = text.find(MAP_START), text.find(MAP_END)
    if start < 0 or end < start:
        return {}
    return dict(MAP_ROW.findall(text[start:end]))


def map_differences(text: str, package: Path = PACKAGE) -> tuple[list[str], list[str]]:
    """(modules the map lacks, modules the map names that no longer exist)."""
    have, said = modules(package), documented(text)
    return [m for m in have if m not in said], [m for m in said if m not in have]


def module_map(text: str, package: Path = PACKAGE) -> str:
    """The map's table for the package as it is: each module's line kept from `text` when it
    is there, else drafted from its docstring."""
    said = documented(text)
    rows = ["| module | what it is for |", "|---|---|"]
    for name in modules(package):
        line = said.get(name) or draft_line(package / name)
        rows.append(f"| `{name}` | {line} |")
    return "\n".join(rows)


def write_map(doc: Path = ARCHITECTURE, package: Path = PACKAGE) -> None:
    """Rewrite the map between its markers in `doc`."""
    text = doc.read_text(encoding="utf-8")
    start, end = text.index(MAP_START) + len(MAP_START), text.index(MAP_END)
    doc.write_text(f"{text[:start]}\n{module_map(text, package)}\n{text[end:]}",
                   encoding="utf-8")


def main() -> int:
    """Print the package's shape and its problems; exit 1 when a limit is broken.
    `--module-map` prints the map's rows instead, `--write-map` writes them into the doc."""
    if "--module-map" in sys.argv:
        print(module_map(ARCHITECTURE.read_text(encoding="utf-8")))
        return 0
    if "--write-map" in sys.argv:
        write_map()
        return 0
    shape = measure()
    print(f"root modules: {len(shape.root_modules)} (at most {MAX_ROOT_MODULES}): "
          f"{', '.join(shape.root_modules)}")
    biggest = sorted(shape.module_lines.items(), key=lambda item: -item[1])[:5]
    print("largest modules: " + ", ".join(f"{m} {n}" for m, n in biggest)
          + f" (at most {MAX_MODULE_LINES})")
    longest = sorted(shape.function_lines.items(), key=lambda item: -item[1])[:5]
    print("longest functions: " + ", ".join(f"{f} {n}" for f, n in longest)
          + f" (at most {MAX_LONG_FUNCTIONS} over {MAX_FUNCTION_LINES})")
    problems = shape.problems()
    for problem in problems:
        print(f"over the limit: {problem}")
    print("within the limits" if not problems else f"{len(problems)} limit(s) broken")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
