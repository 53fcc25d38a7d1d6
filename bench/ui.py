"""Benchmark of the game window: start-up to the menu, a board frame, frames per second while animating, idle CPU.

    python bench/ui.py                       the figures (headless: SDL's dummy video driver)
    python bench/ui.py --screenshots DIR     also a PNG of every screen at 1280x720, taken from a real run

Runs headless so it measures the drawing, not the display server. Numbers
depend on the machine: quote them with it.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "disk")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

STARTUP = """
import time, sys
t0 = time.perf_counter()
from game.ui.app import App
from game.ui.scenes.menu import MenuScene
app = App((1280, 720)); app.push(MenuScene(app)); app.frame(0.0)
print(time.perf_counter() - t0, 'matplotlib' in sys.modules, 'pygame_gui' in sys.modules)
"""

IDLE = """
import pygame, sys, time
from game.ui.app import App
from game.ui.scenes.menu import MenuScene
app = App((1280, 720)); app.push(MenuScene(app))
pygame.time.set_timer(pygame.QUIT, int(float(sys.argv[1]) * 1000), 1)
t0 = time.process_time(); w0 = time.perf_counter()
app.run()
print(time.process_time() - t0, time.perf_counter() - w0, app.frames)
"""


def startup(runs: int = 5) -> tuple[float, float, bool]:
    """Seconds from starting Python to the menu drawn (median of runs; and the same inside the process)."""
    walls, insides, heavy = [], [], False
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", STARTUP], cwd=ROOT, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - t0)
        inside, mpl, _ = out.stdout.split()
        insides.append(float(inside))
        heavy = heavy or mpl == "True"
    return statistics.median(walls), statistics.median(insides), heavy


def idle_cpu(seconds: float = 4.0) -> tuple[float, int]:
    """CPU share of the window sitting at its menu (per cent of one core) and the frames it drew meanwhile."""
    out = subprocess.run([sys.executable, "-c", IDLE, str(seconds)], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    cpu, wall, frames = out.stdout.split()
    return 100 * float(cpu) / float(wall), int(frames)


def board_frames(n: int = 300):
    """Milliseconds per full board frame (mean, 95th percentile) with animations running, and the frames per
    second the loop keeps at its 60 fps cap while animating."""
    import pygame

    from game.match import LiveMatch
    from game.bots import make_bot
    from game.scenario import default_scenario
    from game.ui.app import App
    from game.ui.scenes.board import BoardScene
    from game.ui.session import Session

    app = App((1280, 720))
    sc = default_scenario()
    match = LiveMatch(sc, 3, {"us": make_bot("verifier"), "dprk": make_bot("trapper")})
    for _ in range(60):  # into the middle of a match: open channels, promises, a long log
        match.step_bot()
    scene = BoardScene(app, Session(match), watching=True)
    scene.paused = True
    app.push(scene)
    app.frame(0.0)
    hs = list(match.happenings)
    times, cpu = [], []
    for i in range(n):
        if i % 60 == 0:  # keep the board animating: replay recent changes as fresh happenings
            scene.renderer.show(match.view("public"), hs[-40:])
        scene.update(1 / 60)
        t0, c0 = time.perf_counter(), time.process_time()
        scene.draw(app.screen)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    clock = pygame.time.Clock()
    frames, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 2.0:
        if frames % 60 == 0:
            scene.renderer.show(match.view("public"), hs[-40:])
        clock.tick(60)
        app.dirty = True
        app.frame(1 / 60)
        frames += 1
    fps = frames / (time.perf_counter() - t0)
    match.close()
    pygame.display.quit()
    return statistics.median(times), times[int(len(times) * 0.95)], statistics.mean(cpu), fps


def take_screenshots(folder: Path, size: tuple[int, int] = (1280, 720)) -> list[Path]:
    """Every screen from a real run, driven by synthetic clicks: menu, new game, a game against a bot (moves,
    a greyed move's tooltip, the deal builder, the private panel), a hotseat hand-off, a watched bot match
    with its story pause, the debrief's two tabs and the rules."""
    import tempfile

    import pygame

    from game.ui.app import App
    from game.ui.drive import click, keys, person_move
    from game.ui.scenes.board import BoardScene
    from game.ui.scenes.menu import MenuScene
    from game.ui.session import SeatChoice, new_session

    os.environ["CROSSROADS_HOME"] = tempfile.mkdtemp(prefix="crossroads-shots-")
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    app = App(size)

    shot = _shooter(app, folder, saved)

    def until(cond, limit: int = 3000, dt: float = 0.25) -> None:
        for _ in range(limit):
            if cond():
                return
            app.frame(dt)
        raise RuntimeError("the run did not reach the screen to capture")

    menu = MenuScene(app)
    app.push(menu)
    shot("01-menu")
    click(app, "new")
    shot("02-new-game")
    app.pop()

    # A student against a bot: a few rounds, then the screens of a turn.
    session = new_session({"us": SeatChoice("person", "Ana"), "dprk": SeatChoice("bot", bot="verifier")}, None, 4)
    board = BoardScene(app, session)
    board.pace_index = 0
    app.push(board)
    mine = lambda: session.match.person_to_move and app.scene is board and board.active == session.match.to_move
    while session.match.state.round < 4:
        until(mine)
        person_move(app)
    until(mine)
    app.frame(0.0)
    shot("03-board-your-turn")
    greyed = next((b for b in board.focus.buttons if b.key.startswith("move:") and not b.enabled), None)
    if greyed is None:
        for g in [k for k in keys(app) if k.startswith("group:")]:
            click(app, g)
            greyed = next((b for b in board.focus.buttons if b.key.startswith("move:") and not b.enabled), None)
            if greyed is not None:
                break
    if greyed is not None:
        app.frame(0.0, [pygame.event.Event(pygame.MOUSEMOTION, pos=greyed.rect.center, rel=(0, 0), buttons=(0, 0, 0))])
        shot("04-greyed-move-tooltip")
    deals = [e for e in board._entries if e.group == "deals" and e.legal and e.action.verb == "propose"]
    if deals:
        click(app, "group:deals")
        while f"move:{deals[0].key}" not in keys(app):
            click(app, "more")
        click(app, f"move:{deals[0].key}")
        for side in ("give:", "get:"):
            item = next((b for b in app.scene.focus.buttons if b.key.startswith(side) and b.enabled), None)
            if item is not None:
                click(app, item.key)
        if "ask" in keys(app):
            click(app, "ask")
        shot("05-deal-builder")
        click(app, "cancel")
    next(b for b in board.focus.buttons if b.key == "private").held = True
    shot("06-private-panel")
    next(b for b in board.focus.buttons if b.key == "private").held = False
    app.home(menu)

    # Two people at one screen: the hand-off.
    hot = new_session({"us": SeatChoice("person", "Ana"), "dprk": SeatChoice("person", "Ben", pin="1234")}, None, 6)
    app.push(BoardScene(app, hot))
    until(lambda: type(app.scene).__name__ == "HandoffScene")
    shot("07-hand-off")
    app.home(menu)

    # Bots on a projector: a move at a readable pace, then the story pause at the end of round 1.
    watch = new_session({"us": SeatChoice("bot", bot="verifier"), "dprk": SeatChoice("bot", bot="trapper")}, None, 3)
    wb = BoardScene(app, watch, watching=True)
    wb.pace_index = 0
    app.push(wb)
    until(lambda: type(app.scene).__name__ == "StoryScene", dt=0.1)
    shot("08-story-mode")
    app.pop()
    wb.story = False
    until(lambda: watch.match.state.round >= 3 and wb.wait > 0 and len(wb.bot_history) > 4, dt=0.05)
    shot("09-watch-bots")
    until(lambda: type(app.scene).__name__ == "DebriefScene", dt=0.5)
    shot("10-debrief")
    click(app, "tab:charts")
    shot("11-debrief-charts")
    app.home(menu)
    click(app, "rules")
    shot("12-rules")
    while app.scenes:
        app.scenes.pop().leave()
    pygame.display.quit()
    return saved + replay_screenshots(folder, size)


def _shooter(app, folder: Path, saved: list[Path]):
    """A function that saves the window's next settled frame as folder/NAME.png and notes the path in `saved`."""
    import pygame

    def shot(name: str) -> None:
        for _ in range(3):  # let trust and tension ease most of the way (the pulses are still running)
            app.frame(0.2)
        app.dirty = True
        app.frame(0.0)
        path = folder / f"{name}.png"
        pygame.image.save(app.screen, str(path))
        saved.append(path)

    return shot


def replay_screenshots(folder: Path, size: tuple[int, int] = (1280, 720)) -> list[Path]:
    """The replay viewer's screens, driven by synthetic clicks and keys: the Replays list (the golden records as
    saved matches), the viewer in the room's view and in everything, Play on from here with two bots to the
    debrief, Compare of the original and that fork, and a tampered record's divergence banner."""
    import json
    import shutil
    import tempfile

    import pygame

    from game.ui.app import App
    from game.ui.drive import click, press
    from game.ui.scenes.menu import MenuScene

    home = Path(tempfile.mkdtemp(prefix="crossroads-replay-shots-"))
    os.environ["CROSSROADS_HOME"] = str(home)
    golden = ROOT / "tests" / "data" / "golden"
    (home / "saves").mkdir(parents=True)
    for n, name in enumerate(("crisis_random", "plain_hawk_dove", "peace_dove_trapper")):
        copy = Path(shutil.copy(golden / f"{name}.json", home / "saves" / f"{name}.json"))
        os.utime(copy, (1_790_000_000 + n * 3600, 1_790_000_000 + n * 3600))  # newest last: the peace match first
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    app = App(size)

    shot = _shooter(app, folder, saved)

    menu = MenuScene(app)
    app.push(menu)
    click(app, "replays")
    shot("replay-list")
    click(app, "replay:0")
    viewer = app.scene
    viewer.set_step(viewer.rs.round_start(7) + 3)
    shot("replay-public")
    press(app, pygame.K_4)
    shot("replay-everything")
    press(app, pygame.K_1)
    viewer.set_step(viewer.rs.round_start(5))
    click(app, "playon")
    for side, bot in (("us", "verifier"), ("dprk", "dove")):
        app.scene.choice[side] = next(n for n, o in enumerate(app.scene.options) if o[2] == bot)
    app.scene.layout(app.scene.size)
    click(app, "start")
    board = app.scene
    assert type(board).__name__ == "BoardScene", getattr(board, "message", "")
    board.pace_index = 0
    board.story = False
    for _ in range(4000):
        if type(app.scene).__name__ == "DebriefScene":
            break
        app.frame(0.5)
    app.scene.save()
    click(app, "menu")  # back to the viewer the fork was played from
    click(app, "compare")
    click(app, "replay:0")
    shot("replay-compare")
    app.home(menu)
    data = json.loads((golden / "peace_dove_trapper.json").read_text(encoding="utf-8"))
    data["steps"][41]["checksum"] = "0" * 16
    bad = home / "saves" / "edited.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    from game.replaying import open_replay
    from game.ui.scenes.replay import ReplayScene

    app.push(ReplayScene(app, open_replay(bad)))
    press(app, pygame.K_END)
    shot("replay-divergence")
    while app.scenes:
        app.scenes.pop().leave()
    pygame.display.quit()
    return saved


def main() -> int:
    """Print the figures (and take the screenshots when asked)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--screenshots", type=Path, default=None, metavar="DIR", help="also save a PNG of every screen")
    args = p.parse_args()
    wall, inside, heavy = startup()
    print(f"start-up to the menu: {wall * 1000:.0f} ms from a cold `python` (median of 5), "
          f"{inside * 1000:.0f} ms of it importing and drawing; matplotlib loaded: {heavy}")
    cpu, frames = idle_cpu()
    print(f"idle at the menu: {cpu:.1f}% of one core, {frames} frame(s) drawn in 4 s")
    med, p95, cpu_ms, fps = board_frames()
    print(f"board frame (1280x720, animating): {med:.2f} ms median, {p95:.2f} ms 95th percentile wall; "
          f"{cpu_ms:.2f} ms CPU mean; loop while animating: {fps:.0f} fps")
    print(f"(machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} during the run)")
    if args.screenshots is not None:
        for path in take_screenshots(args.screenshots):
            print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
