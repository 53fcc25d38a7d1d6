"""Every screen at 1024x640, 1280x720 and 1920x1080: no text leaves its panel or the window, text is at least
18 px, and no two buttons overlap."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "disk")

pygame = pytest.importorskip("pygame")

from game.ui.drive import click, person_move  # noqa: E402

# Its module-scoped fixtures are costly: run the whole file on one test worker (pytest.ini: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_ui_layout")

SIZES = [(1024, 640), (1280, 720), (1920, 1080)]


@pytest.fixture(scope="module")
def screens(tmp_path_factory):
    """One window and every screen in it, built once: name -> a function that puts that screen on top."""
    os.environ["CROSSROADS_HOME"] = str(tmp_path_factory.mktemp("home"))
    from game.ui.app import App
    from game.ui.scenes.board import BoardScene
    from game.ui.scenes.deal import DealScene
    from game.ui.scenes.debrief import DebriefScene
    from game.ui.scenes.handoff import HandoffScene
    from game.ui.scenes.menu import MenuScene
    from game.ui.scenes.rules import RulesScene
    from game.ui.scenes.setup import SetupScene
    from game.ui.scenes.story import StoryScene
    from game.ui.session import SeatChoice, new_session

    app = App((1280, 720))
    menu = MenuScene(app)
    app.push(menu)
    session = new_session({"us": SeatChoice("person", "Ana"), "dprk": SeatChoice("person", "Ben")}, None, 3)
    board = BoardScene(app, session)
    app.push(board)
    for _ in range(40):  # play a few moves so the log, promises and trust have something in them
        if type(app.scene).__name__ == "HandoffScene":
            click(app, "ready")
        elif session.match.person_to_move and board.active == session.match.to_move and app.scene is board:
            if session.match.state.round >= 3:
                break
            person_move(app)
        else:
            app.frame(0.1)
    watch = new_session({"us": SeatChoice("bot", bot="passive"), "dprk": SeatChoice("bot", bot="passive")}, None, 3)
    watch.match.run_bots()
    deal_entry = next((e for e in board._entries if e.action is not None and e.action.verb == "propose"), None)

    def on_top(scene):
        def put():
            while len(app.scenes) > 1:
                app.scenes.pop()
            app.scenes.append(scene)
            scene.layout(app.screen.get_size())
        return put

    def private():
        on_top(board)()
        next(b for b in board.focus.buttons if b.key == "private").held = True
        board.update(0.0)

    built = {
        "menu": lambda: (app.scenes.__delitem__(slice(1, None)), menu.layout(app.screen.get_size())),
        "setup": on_top(SetupScene(app)),
        "board": on_top(board),
        "private": private,
        "handoff": on_top(HandoffScene(app, session, "dprk", lambda side: None)),
        "rules": on_top(RulesScene(app)),
        "story": on_top(StoryScene(app, 2, session.match.scenario, ["United States passes"] * 30, board.renderer.view)),
        "debrief": on_top(DebriefScene(app, watch)),
    }
    if deal_entry is not None:
        built["deal"] = on_top(DealScene(app, board, deal_entry))
    built.update(_replay_screens(app, on_top))
    yield app, built
    for b in board.focus.buttons:
        b.held = False
    while app.scenes:
        app.scenes.pop().leave()


def _replay_screens(app, on_top) -> dict:
    """The replay viewer's screens: the list, the viewer (the room's view; everything on an edited record, with
    both banners; the key help), Play on from here and Compare."""
    import json
    import shutil
    from pathlib import Path

    from game.replaying import open_replay
    from game.ui.scenes.compare import CompareScene
    from game.ui.scenes.playon import PlayOnScene
    from game.ui.scenes.replay import ReplayScene
    from game.ui.scenes.replays import ReplaysScene

    golden = Path(__file__).resolve().parent / "data" / "golden"
    saves = Path(os.environ["CROSSROADS_HOME"]) / "saves"
    saves.mkdir(parents=True, exist_ok=True)
    for p in sorted(golden.glob("*.json")):
        shutil.copy(p, saves / p.name)
    peace = open_replay(golden / "peace_dove_trapper.json")
    peace.set_step(peace.last // 2)
    data = json.loads((golden / "plain_hawk_dove.json").read_text(encoding="utf-8"))
    data["steps"][50]["checksum"] = "0" * 16
    (saves / "edited.json").write_text(json.dumps(data), encoding="utf-8")
    edited = open_replay(saves / "edited.json")
    edited.set_perspective("everything")
    edited.set_step(edited.last)
    helped = ReplayScene(app, open_replay(golden / "crisis_random.json"))
    helped.help = True
    return {
        "replays": on_top(ReplaysScene(app)),
        "replay": on_top(ReplayScene(app, peace)),
        "replay-edited": on_top(ReplayScene(app, edited)),
        "replay-help": on_top(helped),
        "playon": on_top(PlayOnScene(app, peace)),
        "compare": on_top(CompareScene(app, peace, edited)),
    }


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_text_leaves_its_panel_and_no_buttons_overlap(screens, size):
    from game.ui.text import INK

    app, built = screens
    app.resize(size)
    problems = []
    for name, put in built.items():
        put()
        tabs = ["tab:summary", "tab:charts"] if name == "debrief" else [None]
        for tab in tabs:
            if tab:
                next(b for b in app.scene.focus.buttons if b.key == tab).on_click()
            INK.drawn.clear()
            INK.recording = True
            try:
                app.scene.draw(app.screen)
                app.scene.draw_overlays(app.screen)
            finally:
                INK.recording = False
            window = app.screen.get_rect()
            assert INK.drawn, f"{name} drew no text"
            for d in INK.drawn:
                if d.panel.clip(d.rect) != d.rect or window.clip(d.rect) != d.rect:
                    problems.append(f"{name}{'/' + tab if tab else ''}: {d.text!r} at {d.rect} outside {d.panel}")
                if size == (1280, 720) and d.size < 18:
                    problems.append(f"{name}: {d.text!r} is {d.size} px")
            buttons = [b for b in app.scene.focus.buttons]
            for i, a in enumerate(buttons):
                if window.clip(a.rect) != a.rect:
                    problems.append(f"{name}: button {a.key} leaves the window")
                for b in buttons[i + 1:]:
                    if a.rect.colliderect(b.rect):
                        problems.append(f"{name}: buttons {a.key} and {b.key} overlap")
    assert not problems, "\n".join(problems[:20])
