"""Test set-up: no window or sound device is ever needed."""

import compileall
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "disk")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# A fixed secret for new matches' hidden draws, so tests never write to the home folder and always agree.
os.environ.setdefault("CROSSROADS_SECRET_FILE", str(ROOT / "tests" / "data" / "test.secret"))


def pytest_configure(config):
    """Compile the project's modules once, in the controlling process, before any test starts a process.

    The suite starts some 230 Python processes (xdist workers, sandboxed bots, tournament workers, the CLI), and
    each imports the game. Where PYTHONDONTWRITEBYTECODE is set (as on some shared machines) Python never writes
    its bytecode cache but still reads it, so without this every process compiles the game again."""
    if hasattr(config, "workerinput"):
        return
    for folder in ("game", "bench", "examples"):
        compileall.compile_dir(ROOT / folder, quiet=1)
    compileall.compile_file(ROOT / "main.py", quiet=1)


def pytest_collection_modifyitems(items):
    """Tests marked heavy (seconds of CPU each: many processes or matches) run first, the rest in file order.

    Under xdist (--dist loadgroup) the shared groups go out first and then single tests in this order, so a run
    ends on small tests and neither worker waits alone at the end for the other's long one."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


@pytest.fixture(scope="session")
def tournament_reference(tmp_path_factory):
    """One uninterrupted run of tests/test_tournament.py's FIELD with one worker (charts included), shared by the
    tournament tests that compare against it (it was played once per test before; under xdist its users share the
    xdist_group "test_tournament", so one worker plays it once)."""
    from game.tournament import TournamentConfig, run_tournament
    from tests.test_tournament import FIELD

    out = tmp_path_factory.mktemp("ref") / "t"
    stats, results = run_tournament(TournamentConfig(**FIELD, workers=1), out)
    assert stats.complete and stats.played == stats.total == 27
    return out, results


@pytest.fixture
def app(tmp_path, monkeypatch):
    """A window at 1280x720 with its menu (window tests set SDL_VIDEODRIVER=dummy first), saving under a temporary CROSSROADS_HOME."""
    monkeypatch.setenv("CROSSROADS_HOME", str(tmp_path))
    from game.ui.app import App
    from game.ui.scenes.menu import MenuScene

    a = App((1280, 720))
    a.push(MenuScene(a))
    a.frame(0.0)
    yield a
    while a.scenes:
        a.scenes.pop().leave()
