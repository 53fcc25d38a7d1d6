"""Imports run one way (ARCHITECTURE.md: ui -> match -> bots -> view -> engine -> scenario), and the rooms stay small.

Every module under game/ is parsed with `ast` (nothing is imported), so an import inside a function counts too:
a lazy import still ties the modules together.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parent.parent / "game"
MAX_LINES = 500

# The named layers, lowest first: a module may import its own layer or a lower one, never a higher one.
LAYERS = [("game.scenario",), ("game.engine",), ("game.view", "game.menu", "game.rule_texts"), ("game.bots",),
          ("game.match",), ("game.ui",)]
# Within a package, the order its parts import in: each imports only parts after it in the list.
ORDER = {
    "game.engine": ["setup", "moves", "flow", "scoring", "effects", "explain", "legality", "board", "lookup"],
    "game.record": ["playback", "files", "build", "decode", "schema"],
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(GAME.rglob("*.py")):
        parts = path.relative_to(GAME.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


@functools.cache
def _tree(path: Path) -> ast.Module:
    """A module's syntax tree, parsed once per test process (not at collection: a worker that runs none of these
    tests parses nothing)."""
    return ast.parse(path.read_text(encoding="utf-8"))


def _imports(name: str, path: Path) -> set[str]:
    """The game modules `name` imports anywhere in its text (a name imported from a package counts as the package)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([node.module] if node.module else []))
            for a in node.names:
                sub = f"{base}.{a.name}"
                found.add(sub if sub in MODULES else base)
    return {m for m in found if m == "game" or m.startswith("game.")}


@functools.cache
def imports() -> dict[str, set[str]]:
    """Every game module's game imports, by module name."""
    return {name: _imports(name, path) for name, path in MODULES.items()}


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _layer(module: str) -> int | None:
    for i, prefixes in enumerate(LAYERS):
        if any(_within(module, p) for p in prefixes):
            return i
    return None


def _importers(importer_prefix: str, imported_prefix: str) -> list[str]:
    return sorted(f"{m} imports {i}" for m, deps in imports().items() if _within(m, importer_prefix)
                  for i in deps if _within(i, imported_prefix))


def test_the_named_layers_import_only_downwards():
    """No module of a layer imports a module of a higher layer (engine never imports view, bots never match...)."""
    wrong = []
    for module, deps in imports().items():
        mine = _layer(module)
        if mine is None:
            continue
        wrong += [f"{module} imports {d}" for d in sorted(deps) if (_layer(d) or 0) > mine]
    assert wrong == []


@pytest.mark.parametrize("importer, imported", [
    ("game.bots", "game.match"), ("game.bots", "game.tournament"), ("game.bots", "game.cli"),
    ("game.record", "game.match"), ("game.record", "game.bots"), ("game.record", "game.cli"),
    ("game.engine", "game.record"), ("game.view", "game.record"),
    ("game.tournament.cli", "game.cli"),
])
def test_forbidden_imports(importer, imported):
    """Records and bots never import the loop that uses them; the tournament's CLI does not import the main CLI."""
    assert _importers(importer, imported) == []


def test_the_two_cli_modules_do_not_import_each_other():
    """game.cli hands the tournament command to game.tournament.cli, which does not import game.cli back."""
    found = imports()
    assert not ("game.cli" in found["game.tournament.cli"] and "game.tournament.cli" in found["game.cli"])
    assert not any(_within(d, "game.cli") for m, deps in found.items() if _within(m, "game.tournament") for d in deps)


@pytest.mark.parametrize("package", sorted(ORDER))
def test_a_package_s_parts_import_in_order(package):
    """The engine's and the records' parts import each other one way only (no cycles, no import back up)."""
    order = ORDER[package]
    assert sorted(order) == sorted(m.rpartition(".")[2] for m in MODULES if m.startswith(package + "."))
    wrong = []
    for part in order:
        for dep in sorted(imports()[f"{package}.{part}"]):
            if dep == package:
                wrong.append(f"{part} imports the package {package} itself (import the part)")
            elif dep.startswith(package + "."):
                if order.index(dep.rpartition(".")[2]) <= order.index(part):
                    wrong.append(f"{part} imports {dep}")
    assert wrong == []


@pytest.mark.parametrize("name", ["Step", "Forfeit", "BotForfeit"])
def test_match_types_are_defined_once(name):
    """`Step`, `Forfeit` and `BotForfeit` have one definition (game.match re-exports them)."""
    where = [m for m, path in MODULES.items() for node in ast.walk(_tree(path))
             if isinstance(node, ast.ClassDef) and node.name == name]
    assert len(where) == 1, where


@pytest.mark.parametrize("package", ["game.engine", "game.record"])
def test_the_split_packages_keep_small_modules(package):
    """No module of the engine or the records is over about 500 lines."""
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items() if _within(m, package)}
    assert sizes and all(n <= MAX_LINES for n in sizes.values()), sizes


def test_old_names_are_still_importable():
    """Callers that import from game.engine, game.record and game.match keep working after the split."""
    import game.engine as engine
    import game.match as match
    import game.record as record

    for mod in (engine, record, match):
        missing = [n for n in mod.__all__ if not hasattr(mod, n)]
        assert missing == [], (mod.__name__, missing)
    assert callable(engine.tables) and callable(record.replay)  # the functions, not submodules of the same name
    assert match.BotForfeit is __import__("game.bots.base", fromlist=["BotForfeit"]).BotForfeit
