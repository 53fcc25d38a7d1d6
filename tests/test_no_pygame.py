"""The rules engine is headless: importing it (and playing a match) never imports pygame."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT

CORE = ["game.engine", "game.view", "game.match", "game.cli", "game.bots", "game.scenario", "game.state",
        "game.actions", "game.graph", "game.transcript"]


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_engine_view_match_cli_and_bots_do_not_import_pygame():
    """Importing the engine, the view, the match loop, the CLI and every bot module leaves pygame unimported."""
    code = (
        "import importlib, pkgutil, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "import game.bots\n"
        "bots = [m.name for m in pkgutil.iter_modules(game.bots.__path__, 'game.bots.')]\n"
        "for name in bots:\n"
        "    importlib.import_module(name)\n"
        "assert 'pygame' not in sys.modules, 'pygame was imported'\n"
        "print(len(bots))\n"
    )
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) >= 2  # base and random at least


def test_no_module_outside_game_ui_imports_pygame():
    """Every module under game/ except game/ui imports without pulling in pygame."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import game\n"
        "names = [m.name for m in pkgutil.walk_packages(game.__path__, 'game.')\n"
        "         if not (m.name == 'game.ui' or m.name.startswith('game.ui.'))]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "    assert 'pygame' not in sys.modules, f'{name} imported pygame'\n"
        "print(len(names))\n"
    )
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) >= 10


def test_a_terminal_match_does_not_import_pygame():
    """Playing a whole match from the command line stays headless."""
    code = (
        "import io, sys, contextlib\n"
        "from game.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['match', '--seed', '3'])\n"
        "assert rc == 0\n"
        "assert 'pygame' not in sys.modules, 'pygame was imported'\n"
    )
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
