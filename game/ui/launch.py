"""Opening the window from the command line: the menu, a `play` session, or `watch` (two bots, for a projector).

This module imports no pygame at import time, so `game.cli` can ask
`has_display()` and print one line instead of failing where there is no screen.
"""

from __future__ import annotations

import os
import sys

NO_DISPLAY = ("No display here, so the game window cannot open. In a terminal use: python main.py play "
              "(people at the keyboard), match (bots), replay, tournament, bots, rules; python main.py --help "
              "lists them.")


def has_display() -> bool:
    """Whether a window can open: always on Windows and macOS; on Linux and the BSDs an X or Wayland display."""
    if sys.platform.startswith(("win", "darwin")):
        return True
    driver = os.environ.get("SDL_VIDEODRIVER", "")
    if driver in ("dummy", "offscreen"):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or driver in ("kmsdrm", "directfb"))


def _app(fullscreen: bool = False):
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from game.ui.app import App
    from game.ui.scenes.menu import MenuScene

    app = App(fullscreen=fullscreen)
    app.push(MenuScene(app))
    return app


def open_menu(fullscreen: bool = False) -> int:
    """The window at its main menu, until it is closed."""
    app = _app(fullscreen)
    app.run()
    return 0


def open_board(session, *, watching: bool = False, story: bool | None = None, pace: float | None = None,
               fullscreen: bool = False) -> int:
    """The window straight at a match's board (the menu is underneath: Esc goes there)."""
    from game.ui.scenes.board import PACES, BoardScene

    app = _app(fullscreen)
    scene = BoardScene(app, session, watching=watching)
    if story is not None:
        scene.story = story
    if pace is not None:
        scene.pace_index = min(range(len(PACES)), key=lambda n: abs(PACES[n] - pace))
    app.push(scene)
    app.run()
    return 0


def watch_session(us: str, dprk: str, seed: int | None, scenario_path=None):
    """Two bots seated for `watch` (SessionError if a bot spec is bad)."""
    from game.ui.session import SeatChoice, new_session

    return new_session({"us": SeatChoice("bot", bot=us), "dprk": SeatChoice("bot", bot=dprk)}, scenario_path, seed)
