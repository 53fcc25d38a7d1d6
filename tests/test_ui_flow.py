"""The window driven headless with synthetic events: a hotseat game and a game against a bot, to the debrief."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "disk")

pygame = pytest.importorskip("pygame")

from game.ui.drive import click, keys, person_move  # noqa: E402


def scene_name(app) -> str:
    return type(app.scene).__name__


def play_to_debrief(app, session, limit: int = 4000, on_turn=None) -> list[str]:
    """Frames until the debrief: people move through the menu, hand-offs are passed; the scenes seen, in order."""
    seen: list[str] = []
    for _ in range(limit):
        name = scene_name(app)
        if not seen or seen[-1] != name:
            seen.append(name)
        if name == "DebriefScene":
            return seen
        if name == "HandoffScene":
            if app.scene.pin:
                app.scene.pin_field.value = app.scene.pin
            click(app, "ready")
        elif name == "BoardScene" and session.match.person_to_move and app.scene.active == session.match.to_move:
            if on_turn is None or not on_turn(app):
                person_move(app)
        else:
            app.frame(0.5)
    raise AssertionError(f"no debrief after {limit} frames: {session.match.state}")


def test_hotseat_game_reaches_the_debrief_with_a_hand_off_before_every_change_of_player(app):
    from game.ui.scenes.board import BoardScene
    from game.ui.session import SeatChoice, new_session

    session = new_session({"us": SeatChoice("person", "Ana", pin="42"), "dprk": SeatChoice("person", "Ben")}, None, 5)
    app.push(BoardScene(app, session))
    seen = play_to_debrief(app, session)
    assert session.match.finished
    assert seen.count("HandoffScene") >= 12          # at least one hand-off per round
    assert "DebriefScene" == seen[-1]
    saver = session.match.autosaver
    assert saver is not None and saver.paths()      # every move autosaved
    app.frame(0.0)
    click(app, "tab:charts")                        # the charts draw (matplotlib, loaded only now)
    click(app, "save")
    assert (saver.folder / f"{saver.stem}.json").is_file()
    click(app, "export")                            # a PNG of the screen and a PDF handout for the class
    exported = saver.folder.parent / "debriefs"
    assert (exported / f"{saver.stem}.png").stat().st_size > 0
    assert (exported / f"{saver.stem}.pdf").read_bytes().startswith(b"%PDF")


def test_a_wrong_pin_keeps_the_hand_off_screen(app):
    from game.ui.scenes.board import BoardScene
    from game.ui.session import SeatChoice, new_session

    session = new_session({"us": SeatChoice("person", "Ana", pin="42"), "dprk": SeatChoice("person", "Ben")}, None, 5)
    app.push(BoardScene(app, session))
    app.frame(0.1)
    assert scene_name(app) == "HandoffScene"
    app.scene.pin_field.value = "99"
    click(app, "ready")
    assert scene_name(app) == "HandoffScene" and "not the PIN" in app.scene.message


def test_a_person_against_a_bot_sends_a_deal_through_the_deal_builder_and_reaches_the_debrief(app):
    from game.ui.scenes.board import BoardScene
    from game.ui.session import SeatChoice, new_session

    session = new_session({"us": SeatChoice("person", "Ana"), "dprk": SeatChoice("bot", bot="dove")}, None, 11)
    board = BoardScene(app, session)
    board.pace_index = 0
    app.push(board)
    sent, bot_lines_seen = [], []

    def try_a_deal(app) -> bool:
        """Once a channel is open, build a one-item deal in the deal builder and send it."""
        # Before the end the bot's reasons are its own: one may tell the truth of a claim.
        assert not any("Why:" in line for line in board.bot_history)
        bot_lines_seen.extend(board.bot_history)
        if sent or app.scene is not board:
            return False
        deals = [e for e in board._entries if e.group == "deals" and e.legal and e.action.verb == "propose"]
        if not deals:
            return False
        click(app, "group:deals")
        while f"move:{deals[0].key}" not in keys(app):
            click(app, "more")
        click(app, f"move:{deals[0].key}")
        assert scene_name(app) == "DealScene"
        deal = app.scene
        item = next(k for k in keys(app) if k.startswith("give:") and next(b for b in deal.focus.buttons
                                                                           if b.key == k).enabled)
        click(app, item)
        assert any(k.startswith("table:") for k in keys(app))   # on the table, nothing sent yet
        assert not session.match.state.proposals
        if not next(b for b in deal.focus.buttons if b.key == "send").enabled:
            click(app, "cancel")
            sent.append("cancelled")
            return True
        click(app, "send")
        assert scene_name(app) == "BoardScene"
        assert session.match.state.proposals or session.match.steps[-1].action.endswith("send"), board.message
        sent.append("sent")
        return True

    seen = play_to_debrief(app, session, on_turn=try_a_deal)
    assert sent and "HandoffScene" not in seen           # no hand-off with one person at the screen
    assert session.match.finished
    assert bot_lines_seen and any(st.reason for st in session.match.steps if st.side == "dprk")


def test_continue_picks_the_game_up_where_it_was_left_even_if_the_newest_autosave_is_damaged(app):
    from game.ui.scenes.board import BoardScene
    from game.ui.session import SeatChoice, new_session

    session = new_session({"us": SeatChoice("person", "Ana"), "dprk": SeatChoice("bot", bot="passive")}, None, 2)
    board = BoardScene(app, session)
    app.push(board)
    for _ in range(200):
        if len(session.match.steps) >= 6 and session.match.person_to_move:
            break
        if session.match.person_to_move and board.active == session.match.to_move:
            person_move(app)
        else:
            app.frame(0.5)
    steps = len(session.match.steps)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="", scancode=0))
    app.frame(0.0, pygame.event.get())
    assert scene_name(app) == "MenuScene"
    saver = session.match.autosaver
    newest, previous = saver.path(1), saver.path(2)
    assert newest.is_file() and previous.is_file()
    newest.write_text("{ not a record", encoding="utf-8")   # a damaged file: Continue takes the one before
    click(app, "continue")
    assert scene_name(app) == "BoardScene"
    resumed = app.scene.match
    assert len(resumed.resumed_from.steps) == steps - 1 and resumed.seed == session.match.seed  # the one before
    assert resumed.seats["us"].name == "Ana"


def test_a_damaged_file_chosen_in_load_game_is_one_line_on_the_menu(app, tmp_path):
    from game.ui.session import saves_dir

    saves_dir().mkdir(parents=True, exist_ok=True)
    (saves_dir() / "broken.json").write_text("nonsense", encoding="utf-8")
    app.scene.layout(app.screen.get_size())
    click(app, "load")
    assert scene_name(app) == "LoadScene"
    click(app, "file:broken.json")
    assert scene_name(app) == "MenuScene"
    assert app.scene.message and "\n" not in app.scene.message


def key(app, k: int, text: str = "") -> None:
    """One key pressed and released, as the keyboard sends it."""
    app.frame(0.0, [pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=text, scancode=0),
                    pygame.event.Event(pygame.KEYUP, key=k, mod=0, unicode=text, scancode=0)])


def test_the_keyboard_alone_sets_up_a_game_and_makes_a_move(app):
    key(app, pygame.K_n)
    assert scene_name(app) == "SetupScene"
    setup = app.scene
    while setup.focus.current.key != "name:us":
        key(app, pygame.K_TAB)
    for ch in "Kim":
        key(app, ord(ch.lower()), ch)
    assert setup.fields["name:us"].value == "Kim"
    while setup.focus.current.key != "seed":
        key(app, pygame.K_TAB)
    for ch in "12":
        key(app, ord(ch), ch)
    while setup.focus.current.key != "start":
        key(app, pygame.K_TAB)
    key(app, pygame.K_RETURN)
    assert scene_name(app) == "BoardScene"
    board = app.scene
    assert board.session.typed_seed == 12 and board.match.seats["us"].name == "Kim"
    for _ in range(200):
        if board.match.person_to_move and board.active == board.match.to_move:
            break
        app.frame(0.5)
    steps = len(board.match.steps)
    groups = [b.key for b in board.focus.buttons if b.key.startswith("group:")]
    key(app, pygame.K_1 + groups.index("group:pass"))       # the group's number opens it
    while not board.focus.current.key.startswith("move:"):  # Tab to its move, Enter makes it
        key(app, pygame.K_TAB)
    key(app, pygame.K_RETURN)
    assert len(board.match.steps) > steps and board.match.steps[steps].action.endswith("pass")
    key(app, pygame.K_ESCAPE)
    assert scene_name(app) == "MenuScene"


def test_resizing_lays_the_screen_out_again_and_never_below_the_smallest_size(app):
    app.frame(0.0, [pygame.event.Event(pygame.VIDEORESIZE, size=(1500, 900), w=1500, h=900)])
    assert app.screen.get_size() == (1500, 900) and app.scene.size == (1500, 900)
    app.frame(0.0, [pygame.event.Event(pygame.VIDEORESIZE, size=(800, 500), w=800, h=500)])
    assert app.screen.get_size() == (1024, 640) and app.scene.size == (1024, 640)


def test_what_would_it_take_shows_the_bots_answer_and_puts_its_deal_on_the_table(app):
    from dataclasses import dataclass

    from game.bots import PassiveBot
    from game.match import LiveMatch
    from game.scenario import default_scenario
    from game.seats import Human
    from game.ui.scenes.board import BoardScene
    from game.ui.session import Session

    @dataclass
    class Advice:  # the shape of game.bots.advice.DealAdvice
        accept: bool
        nearest: tuple | None

        def text(self) -> str:
            return "No: I need more. I would say yes if you add one more item."

    class AskableBot(PassiveBot):
        asked: list = []

        def what_would_it_take(self, view, channel, give, get):
            self.asked.append((view.side, channel, tuple(give), tuple(get)))
            return Advice(False, (channel, tuple(give), ()))

    sc = default_scenario()
    match = LiveMatch(sc, 4, {"us": Human("Ana"), "dprk": AskableBot()}, background=True)
    board = BoardScene(app, Session(match))
    app.push(board)
    for _ in range(400):
        if match.person_to_move and board.active == match.to_move:
            deals = [e for e in board._entries if e.group == "deals" and e.legal and e.action.verb == "propose"]
            if deals:
                break
            person_move(app)
        else:
            app.frame(0.5)
    click(app, "group:deals")
    while f"move:{deals[0].key}" not in keys(app):
        click(app, "more")
    click(app, f"move:{deals[0].key}")
    deal = app.scene
    give = next(b.key for b in deal.focus.buttons if b.key.startswith("give:") and b.enabled)
    get = next(b.key for b in deal.focus.buttons if b.key.startswith("get:") and b.enabled)
    click(app, give)
    click(app, get)
    click(app, "ask")
    assert AskableBot.asked[-1][0] == "dprk" and AskableBot.asked[-1][2:] == ((give[5:],), (get[4:],))
    assert "unlikely to accept" in deal.advice and "I would say yes" in deal.advice
    click(app, "use")
    assert deal.give == [give[5:]] and deal.get == []
    assert not match.state.proposals                            # asking sent nothing
