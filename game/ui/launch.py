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


def _run(app) -> int:
    """Run the window; an unexpected error is one line here and its details in a log file, never a traceback."""
    try:
        app.run()
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # the game is autosaved after every move: say where to look, then leave
        import traceback

        from game.ui.session import saves_dir

        log = saves_dir().parent / "window-error.log"
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(traceback.format_exc(), encoding="utf-8")
            where = f"; details in {log}"
        except OSError:
            where = ""
        print(f"error: the window stopped: {type(err).__name__}: {err}{where}. The game is saved up to the last "
              "move: Continue in the menu picks it up.", file=sys.stderr)
        return 1
    finally:
        for scene in reversed(app.scenes):
            scene.leave()  # end the bots' processes whatever happened
        app.scenes.clear()
    return 0


def open_menu(fullscreen: bool = False) -> int:
    """The window at its main menu, until it is closed."""
    return _run(_app(fullscreen))


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
    return _run(app)


def replay_window(path, as_side: str | None = None) -> int:
    """`replay PATH` where there is a display: the record in the viewer, or one line and exit 1 if it is unreadable
    (2 for an --as that names no reader)."""
    from game.replaying import ReplayOpenError, open_replay

    try:
        session = open_replay(path)
    except ReplayOpenError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if as_side is not None:
        readers = (*session.scenario.side_ids, "all", "public")
        if as_side not in readers:
            print(f"error: --as: choose one of {', '.join(readers[:-2])}, all or public, not {as_side!r}",
                  file=sys.stderr)
            return 2
        session.set_perspective("everything" if as_side == "all" else as_side)
    return open_replay_window(session)


def open_replay_window(session, fullscreen: bool = False) -> int:
    """The window straight at the replay viewer of a loaded record (the menu is underneath: Esc goes there)."""
    from game.ui.scenes.replay import ReplayScene

    app = _app(fullscreen)
    app.push(ReplayScene(app, session))
    return _run(app)


def watch_session(us: str, dprk: str, seed: int | None, scenario_path=None):
    """Two bots seated for `watch` (SessionError if a bot spec is bad)."""
    from game.ui.session import SeatChoice, new_session

    return new_session({"us": SeatChoice("bot", bot=us), "dprk": SeatChoice("bot", bot=dprk)}, scenario_path, seed)


def play_session(args):
    """The session `play` asks for (the same flags as the terminal's `play`): new, or resumed from --resume.

    Raises game.terminal.play.PlayError (bad seats or record) or SessionError, each one line.
    """
    from game.terminal.play import PlayError, parse_seat
    from game.ui.session import SeatChoice, load_session, new_session

    if args.resume is not None:
        if args.seed is not None or args.scenario is not None:
            raise PlayError("--resume: the seed and scenario come from the record; drop --seed and --scenario")
        overrides = {side: parse_seat(getattr(args, side), f"--{side}", args.bot_time)
                     for side in ("us", "dprk") if getattr(args, side, None)}
        session = load_session(args.resume, overrides)
        session.save_path = args.save
        return session
    choices = {}
    for side in ("us", "dprk"):
        spec = getattr(args, side, None) or "human"
        seat = parse_seat(spec, f"--{side}", args.bot_time)  # checks the spec (and a bot file) the terminal's way
        getattr(seat, "close", lambda: None)()
        if spec == "human" or spec.startswith("human:"):
            choices[side] = SeatChoice("person", spec.partition(":")[2])
        else:
            choices[side] = SeatChoice("bot", bot=spec)
    if not any(c.kind == "person" for c in choices.values()):
        raise PlayError("play needs a person in at least one seat (--us human or --dprk human:NAME); "
                        "to watch two bots use: python main.py watch")
    session = new_session(choices, args.scenario, args.seed)
    session.save_path = args.save
    return session
