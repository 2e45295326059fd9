"""Dependencies point down the pipeline (docs/architecture.md): a stage imports only the stages
below it, and each exception is named here with its reason.

Ranks are the order in which the package could be built bottom-up; a package may import a
package of a lower rank. The few imports that go the other way are listed in `ALLOWED` so
that a new one is a decision (and a line here), not an accident.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "workbook_helpers"

RANK = {"root": 0, "bank": 1, "store": 2, "answers": 3, "scoring": 4, "presenting": 5,
        "demo": 6, "invitations": 6, "report": 7, "apps": 8, "server": 9, "cli": 10}

ALLOWED = {
    # a round's bank is looked up in the store (bank/choice.py, imported when called)
    ("bank", "store"),
    # a score result carries its reasons and next steps as sentences (presenting/wording)
    ("scoring", "presenting"),
    # an invitation carries the respondent's personal link (apps/links.py)
    ("invitations", "apps"),
    # `python -m workbook_helpers` starts the command line
    ("root", "cli"),
    # domain.py marks its labels for translation with presenting.speaking.N_
    ("root", "presenting"),
}


def stage_of(parts: list[str], package: Path) -> str:
    """The pipeline stage a dotted module path (without the package name) belongs to."""
    if parts and (package / parts[0]).is_dir():
        return parts[0]
    return "root"


def imports_between_stages(package: Path = PACKAGE) -> dict[tuple[str, str], list[str]]:
    """Each (importing stage, imported stage) pair with the places it happens."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if "migrations" in relative.parts:
            continue
        inside = list(relative.with_suffix("").parts)
        here = inside[:-1]
        source = stage_of(inside if len(inside) > 1 else [], package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                target = [*here[: len(here) - (node.level - 1)],
                          *(node.module.split(".") if node.module else [])]
            elif (node.module or "").split(".")[0] == package.name:
                target = (node.module or "").split(".")[1:]
            else:
                continue
            names = [alias.name for alias in node.names] if not target else [target[0]]
            for name in names:
                stage = stage_of([name], package)
                if stage != source:
                    found[(source, stage)].append(f"{relative.as_posix()}:{node.lineno}")
    return dict(found)


def upward(edges: dict[tuple[str, str], list[str]]) -> dict[tuple[str, str], list[str]]:
    """The imports that go up the pipeline and are not among the allowed ones."""
    return {edge: places for edge, places in edges.items()
            if RANK[edge[1]] >= RANK[edge[0]] and edge not in ALLOWED}


def test_every_stage_has_a_rank() -> None:
    stages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert stages | {"root"} == set(RANK)


def test_dependencies_point_down_the_pipeline() -> None:
    edges = imports_between_stages()
    assert ("cli", "store") in edges  # the walk sees the package's imports
    assert upward(edges) == {}


def test_the_allowed_exceptions_are_still_needed() -> None:
    edges = imports_between_stages()
    assert sorted(ALLOWED - set(edges)) == []


def test_an_import_up_the_pipeline_is_found(tmp_path: Path) -> None:
    package = tmp_path / "workbook_helpers"
    for stage in ("store", "report"):
        (package / stage).mkdir(parents=True)
        (package / stage / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "store" / "lazy.py").write_text("def f():\n    from ..report import page\n")
    assert upward(imports_between_stages(package)) == {
        ("store", "report"): ["store/lazy.py:2"]}
