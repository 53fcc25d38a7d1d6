"""What makes a class tournament fast must not change what it decides: start-up, checks and the wire's state."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from game.tournament.runner import check_bots

ROOT = Path(__file__).resolve().parent.parent
STUDENT = str(ROOT / "examples" / "my_first_bot.py")


def test_a_bot_process_starts_without_the_engine():
    """What a bot file's process imports to serve decisions leaves out pydantic, networkx and the engine
    (they made every one of a tournament's dozens of bot processes start a third of a second slower)."""
    code = ("import sys; import game.bots.sandbox_child, game.bots.host_child, game.bots.sandbox_wire, "
            "game.bots.loader, game.actions; from game.bots import Bot; "
            "print(' '.join(m for m in ('pydantic', 'networkx', 'game.engine', 'game.scenario') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_built_in_bots_are_still_there_when_asked_for():
    """game.bots imports its built-ins on first use: the table and the classes are the same as before."""
    import game.bots as bots
    from game.bots.heuristics import HawkBot

    assert list(bots.BUILTIN) == ["random", "passive", "hawk", "dove", "reciprocator", "verifier", "trapper",
                                  "ismcts"]
    assert bots.HawkBot is HawkBot and bots.BUILTIN["hawk"] is HawkBot
    with pytest.raises(AttributeError):
        bots.NoSuchBot  # noqa: B018 - the attribute access is the test


def test_bot_files_started_from_several_threads_leave_the_parent_as_it_was():
    """Each bot process hides the parent's script and command line while it starts (a window starts its bots'
    processes from background threads); started from several threads at once, they all come back afterwards
    (one lock, not a race between threads)."""
    main, argv = sys.modules.get("__main__"), list(sys.argv)
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda _: check_bots([STUDENT], 2.0, 1024), range(6)))
    assert sys.modules.get("__main__") is main and sys.argv == argv
