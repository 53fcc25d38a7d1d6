"""Opening the window from the command line: one clear line where there is no display, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    base.update(env or {})
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=base)


@pytest.mark.skipif(sys.platform.startswith(("win", "darwin")), reason="a display is always there")
def test_main_without_a_display_says_so_in_one_line_and_names_the_terminal_commands():
    out = _run()
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "No display" in lines[0] and "play" in lines[0] and "match" in lines[0]
    assert "Traceback" not in out.stderr and out.stdout == ""


@pytest.mark.skipif(sys.platform.startswith(("win", "darwin")), reason="a display is always there")
def test_watch_without_a_display_is_one_line():
    out = _run("watch", "--us", "verifier", "--dprk", "trapper", "--seed", "3")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "watch needs a display" in out.stderr


def test_help_still_prints_the_overview():
    out = _run("--help")
    assert out.returncode == 0 and "python main.py watch" in out.stdout


def test_the_window_finds_saves_where_play_puts_them(tmp_path, monkeypatch):
    play = pytest.importorskip("game.terminal.play")
    from game.ui.session import saves_dir

    monkeypatch.setenv("CROSSROADS_HOME", str(tmp_path))
    assert saves_dir() == play.saves_dir()
    monkeypatch.delenv("CROSSROADS_HOME")
    assert saves_dir() == play.saves_dir()


def test_starting_the_menu_loads_neither_matplotlib_nor_the_game_code(tmp_path):
    """Start-up to the menu stays under a second: no charts, no engine, no records, even with autosaves to continue."""
    (tmp_path / "saves").mkdir()
    (tmp_path / "saves" / "play-1.autosave1.json").write_text("{}", encoding="utf-8")
    code = ("import os, sys\nos.environ['SDL_VIDEODRIVER'] = 'dummy'\n"
            "from game.ui.app import App\nfrom game.ui.scenes.menu import MenuScene\n"
            "app = App((1024, 640)); menu = MenuScene(app); app.push(menu); app.frame(0.0)\n"
            "print(next(b for b in menu.focus.buttons if b.key == 'continue').enabled,\n"
            "      [m for m in ('matplotlib', 'game.engine', 'game.record', 'game.match') if m in sys.modules])\n")
    env = dict(os.environ, CROSSROADS_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert out.stdout.split() == ["True", "[]"], out.stderr


def test_an_error_inside_the_window_is_one_line_and_a_log_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("CROSSROADS_HOME", str(tmp_path))
    import game.ui.launch as launch
    from game.ui.scenes.menu import MenuScene

    def broken(self, target):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(MenuScene, "draw", broken)
    assert launch.open_menu() == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "drawing failed" in err[0] and "Continue" in err[0]
    assert "RuntimeError" in (tmp_path / "window-error.log").read_text(encoding="utf-8")


def test_play_opens_the_window_where_there_is_a_display_and_the_terminal_with_terminal(tmp_path, monkeypatch):
    import game.ui.launch as launch
    from game.cli import main

    monkeypatch.setenv("CROSSROADS_HOME", str(tmp_path))
    opened = []
    monkeypatch.setattr(launch, "has_display", lambda: True)
    monkeypatch.setattr(launch, "open_board", lambda session, **kw: opened.append(session) or 0)
    save = tmp_path / "mine.json"
    assert main(["play", "--us", "human:Ana", "--dprk", "passive", "--seed", "5", "--save", str(save)]) == 0
    session = opened[-1]
    assert session.people == ["us"] and session.match.seats["us"].name == "Ana" and session.typed_seed == 5
    assert session.save_path == save
    session.match.close()
    # The same flags as the terminal's, the same one-line errors.
    assert main(["play", "--us", "human", "--dprk", "nobody"]) == 2
    assert main(["play", "--us", "passive", "--dprk", "passive"]) == 2
    # --resume picks up the autosave the window wrote, with its seats.
    autosave = session.match.autosaver.path(1)
    assert main(["play", "--resume", str(autosave)]) == 0
    again = opened[-1]
    assert again.match.seed == session.match.seed and again.match.seats["us"].name == "Ana"
    again.match.close()
    # --terminal keeps the text front end even with a display.
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"quit\n")))
    assert main(["play", "--terminal", "--us", "human", "--dprk", "passive", "--seed", "5"]) == 0
    assert len(opened) == 2
