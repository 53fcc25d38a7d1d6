"""The hand-off screen draws nothing private; the agenda card shows only while "hold to reveal" is held."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "disk")

pygame = pytest.importorskip("pygame")

from game.ui.drive import click, person_move  # noqa: E402


@pytest.fixture
def hotseat(tmp_path, monkeypatch):
    """A window with a hotseat match on its board (US: Ana with a PIN, DPRK: Ben)."""
    monkeypatch.setenv("CROSSROADS_HOME", str(tmp_path))
    from game.ui.app import App
    from game.ui.scenes.board import BoardScene
    from game.ui.scenes.menu import MenuScene
    from game.ui.session import SeatChoice, new_session
    from game.ui.text import INK

    app = App((1280, 720))
    app.push(MenuScene(app))
    session = new_session({"us": SeatChoice("person", "Ana", pin="7"), "dprk": SeatChoice("person", "Ben")}, None, 8)
    board = BoardScene(app, session)
    app.push(board)
    INK.drawn.clear()
    INK.recording = True
    yield app, session, board
    INK.recording = False
    INK.drawn.clear()
    while app.scenes:
        app.scenes.pop().leave()


def secrets_of(session) -> list[str]:
    """Every string that would give a side's hidden cards away: both sides' agenda card names and texts."""
    v = session.match.view("all")
    return [c.name for c in v.agenda] + [c.text for c in v.agenda]


def drawn_now(app) -> list[str]:
    """The texts of one full frame, exactly as handed to the renderer."""
    from game.ui.text import INK

    INK.drawn.clear()
    app.dirty = True
    app.frame(0.0)
    return INK.texts()


def test_every_hand_off_screen_draws_only_public_text(hotseat):
    app, session, board = hotseat
    secrets = secrets_of(session)
    handoffs = 0
    for _ in range(400):
        if type(app.scene).__name__ == "HandoffScene":
            assert board.active is None and not board.held_private   # the private side was torn down first
            texts = drawn_now(app)
            joined = "\n".join(texts)
            assert texts and "Pass to the" in joined
            leaked = [s for s in secrets if s in joined]
            assert not leaked, f"the hand-off screen drew {leaked}"
            assert "PRIVATE" not in joined
            handoffs += 1
            if handoffs >= 6:
                break
            if app.scene.pin:
                app.scene.pin_field.value = app.scene.pin
            click(app, "ready")
        elif session.match.person_to_move and board.active == session.match.to_move and app.scene is board:
            person_move(app)
        else:
            app.frame(0.1)
    assert handoffs >= 6


def test_the_card_shows_only_while_held_and_says_so(hotseat):
    app, session, board = hotseat
    for _ in range(20):
        if type(app.scene).__name__ == "HandoffScene":
            app.scene.pin_field.value = app.scene.pin
            click(app, "ready")
            break
        app.frame(0.1)
    side = board.active
    mine = [c.text for c in session.match.view(side).agenda]
    theirs = [c.text for c in session.match.view("all").agenda if c not in session.match.view(side).agenda]
    closed = "\n".join(drawn_now(app))
    assert not any(t in closed for t in mine) and "PRIVATE" not in closed
    app.frame(0.0, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_h, mod=0, unicode="h", scancode=0)])
    shown = "\n".join(drawn_now(app))
    assert "PRIVATE - shown" in shown
    assert all(" ".join(t.split()[:4]) in shown for t in mine)        # its own card (wrapped over lines)
    assert not any(" ".join(t.split()[:4]) in shown for t in theirs)  # never the other side's
    app.frame(0.0, [pygame.event.Event(pygame.KEYUP, key=pygame.K_h, mod=0, unicode="h", scancode=0)])
    hidden = "\n".join(drawn_now(app))
    assert "PRIVATE" not in hidden and not any(" ".join(t.split()[:4]) in hidden for t in mine)
