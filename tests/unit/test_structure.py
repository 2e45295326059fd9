"""The package's shape (issue 20): the limits of docs/architecture.md, measured by
`tests/structure.py`, and the module map of that document kept true."""

from __future__ import annotations

from pathlib import Path

from tests import structure


def test_the_package_keeps_to_the_limits() -> None:
    assert structure.measure().problems() == []


def test_the_module_map_names_every_module_and_no_other() -> None:
    text = structure.ARCHITECTURE.read_text(encoding="utf-8")
    missing, gone = structure.map_differences(text)
    assert (missing, gone) == ([], []), (
        "docs/architecture.md's module map is out of step with the package: run "
        "`python tests/structure.py --write-map` and check the drafted lines")
    assert all(line.strip() for line in structure.documented(text).values())


# ---- the measure itself can fail: a small package made to break each limit -----------------
def _function(name: str, code_lines: int) -> str:
    """A function of exactly `code_lines` code lines, padded with what must not count: a
    docstring, blank lines and comment-only lines."""
    body = [f"def {name}() -> int:", '    """A docstring', '    over two lines."""', "    x = 0"]
    for i in range(code_lines - 3):
        body += ["", "    # a comment", f"    x += {i}"]
    return "\n".join([*body, "    return x", ""])


def _package(root: Path, root_modules: int, big_module_lines: int,
             long_functions: int) -> Path:
    pkg = root / "pkg"
    (pkg / "sub" / "migrations").mkdir(parents=True)
    for i in range(root_modules):
        (pkg / f"m{i}.py").write_text('"""Root module."""\n', encoding="utf-8")
    (pkg / "sub" / "__init__.py").write_text('"""A folder."""\n', encoding="utf-8")
    (pkg / "sub" / "big.py").write_text('"""Big."""\n' + "x = 1\n" * (big_module_lines - 1),
                                        encoding="utf-8")
    for i in range(long_functions):  # one module each: the padding makes them long
        (pkg / "sub" / f"f{i}.py").write_text('"""A long function."""\n\n\n'
                                              + _function(f"long{i}", 61), encoding="utf-8")
    (pkg / "sub" / "ok.py").write_text('"""Functions."""\n\n\n' + _function("just_right", 60),
                                       encoding="utf-8")
    # migrations are not the package's code: never counted
    (pkg / "sub" / "migrations" / "rev.py").write_text("y = 1\n" * 900, encoding="utf-8")
    return pkg


def test_a_package_within_the_limits_passes(tmp_path: Path) -> None:
    shape = structure.measure(_package(tmp_path, 8, 500, 2))
    assert shape.problems() == []
    assert shape.function_lines["sub/ok.py:4:just_right"] == 60
    assert all("migrations" not in m for m in shape.module_lines)


def test_the_measure_fails_a_package_over_each_limit(tmp_path: Path) -> None:
    shape = structure.measure(_package(tmp_path, 9, 501, 3))
    problems = shape.problems()
    assert len(problems) == 3, problems
    assert "9 modules in the package root" in problems[0]
    assert "sub/big.py: 501 lines" in problems[1]
    assert "3 functions over 60 lines" in problems[2]
    assert set(shape.long_functions.values()) == {61}


def test_the_map_check_finds_missing_and_vanished_modules(tmp_path: Path) -> None:
    pkg = _package(tmp_path, 1, 10, 0)
    doc = tmp_path / "architecture.md"
    doc.write_text(f"# Map\n\n{structure.MAP_START}\n{structure.MAP_END}\n", encoding="utf-8")
    missing, gone = structure.map_differences(doc.read_text(encoding="utf-8"), pkg)
    assert (missing, gone) == (["m0.py", "sub/__init__.py", "sub/big.py", "sub/ok.py"], [])
    structure.write_map(doc, pkg)
    text = doc.read_text(encoding="utf-8")
    assert structure.map_differences(text, pkg) == ([], [])
    assert structure.documented(text)["sub/__init__.py"] == "A folder."
    # a line written by hand survives a rewrite; a removed module's row goes
    doc.write_text(text.replace("| Big. |", "| The big one, described by hand. |"),
                   encoding="utf-8")
    (pkg / "m0.py").unlink()
    assert structure.map_differences(doc.read_text(encoding="utf-8"), pkg) == ([], ["m0.py"])
    structure.write_map(doc, pkg)
    rows = structure.documented(doc.read_text(encoding="utf-8"))
    assert rows["sub/big.py"] == "The big one, described by hand." and "m0.py" not in rows
