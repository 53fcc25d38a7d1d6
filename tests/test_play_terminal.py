"""Whole games through the terminal front end with scripted typing: hotseat, a person against a bot, bad input."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pytest

from game.cli import main
from game.menu import action_menu
from game.record import load_record, verify
from game.scenario import default_scenario
from game.terminal.console import SCREEN_CLEARED, Console
from game.terminal.play import Play, start_play


class Typist(io.RawIOBase):
    """Stdin for the front end: each line is decided when it is read, from the prompt and what the match shows."""

    def __init__(self, decide, script=()):
        self.decide = decide
        self.script = list(script)
        self.play: Play | None = None
        self.out: io.StringIO | None = None
        self.typed: list[bytes] = []

    def readline(self, size=-1):
        prompt = self.out.getvalue()[-80:].rpartition("\n")[2] if self.out is not None else ""
        line = self.script.pop(0) if self.script else self.decide(self.play, prompt)
        self.typed.append(line)
        return line

    def readable(self):
        return True


def menu_player(seed: int, deal_every: int = 3):
    """Types what a careless but legal student would: a random legal menu number, now and then a deal."""
    rng = random.Random(seed)
    count = {"menu": 0, "deal": 0}

    def decide(play: Play, prompt: str) -> bytes:
        m = play.match
        if prompt.startswith("deal>"):
            # Add an item or two (a refused one gets its reason), send; if it cannot go yet, go back (free).
            count["deal"] += 1
            return [b"1\n", b"send\n", b"back\n"][min(count["deal"] - 1, 2)]
        count["deal"] = 0
        if not m.person_to_move or not prompt.endswith("> "):
            return b"\n"  # a hand-off or 'press Enter' prompt
        menu = action_menu(m.view(m.to_move))
        legal = [n for n, e in enumerate(menu, 1) if e.legal]
        count["menu"] += 1
        deals = [n for n in legal if menu[n - 1].group == "deals"]
        if deals and count["menu"] % deal_every == 0:
            return f"{rng.choice(deals)}\n".encode()
        return f"{rng.choice(legal)}\n".encode()

    return decide


def run_play(tmp_path, argv, decide, script=()):
    """Run `play` with scripted typing; returns (exit code, printed text, the Typist)."""
    from game.cli import _parser

    args = _parser().parse_args(["play", *argv])
    out = io.StringIO()
    typist = Typist(decide, script)
    typist.out = out
    console = Console(typist, out, plain=True)
    play = start_play(args, console)
    typist.play = play
    try:
        code = play.run()
    finally:
        play.match.close()
    return code, out.getvalue(), typist


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSROADS_HOME", str(tmp_path / "home"))


def card_texts(record_path: Path) -> dict[str, list[str]]:
    """Each side's secret card texts, from the finished record (the truth)."""
    from game.engine import agenda_cards

    rep = verify(load_record(record_path))
    return {s: [c.text for c in agenda_cards(rep.final, s)] for s in rep.final.scenario.side_ids}


def test_hotseat_game_to_the_debrief_hides_each_card_after_the_hand_off(tmp_path):
    save = tmp_path / "hotseat.json"
    code, text, _ = run_play(tmp_path, ["--us", "human:Ana", "--dprk", "human:Ben", "--seed", "5", "--save", str(save)],
                             menu_player(1), script=[b"\n", b"agenda\n", b"\n"])
    assert code == 0
    assert "DEBRIEF" in text and "Trust and tension, round by round" in text
    cards = card_texts(save)
    # Between one hand-off and the next only the side that took the keyboard is at the screen: the other
    # side's card must not appear there (nor anywhere before the debrief reveals both).
    mover, checked = None, 0
    for part in text.split(SCREEN_CLEARED):
        if "DEBRIEF" in part:
            part = part.split("DEBRIEF")[0]
        who = re.search(r"Pass the keyboard to the (United States|DPRK) player", part)
        if who is not None:
            mover = "us" if who.group(1) == "United States" else "dprk"
        if mover is not None:
            other = "dprk" if mover == "us" else "us"
            assert not any(t in part for t in cards[other])
            checked += 1
    assert checked > 10
    assert any(t in text.split("DEBRIEF")[0] for t in cards["us"])  # Ana did look at her card
    record = load_record(save)
    assert record.players["us"].kind == "human" and record.players["us"].name == "Ana"
    assert record.finished


def test_person_against_a_bot_plays_to_the_end_and_keeps_the_bot_card_hidden(tmp_path):
    save = tmp_path / "vs-bot.json"
    code, text, _ = run_play(tmp_path, ["--us", "human", "--dprk", "trapper", "--seed", "11", "--save", str(save)],
                             menu_player(2))
    assert code == 0
    record = load_record(save)
    assert record.players["dprk"].label() == "trapper" and record.finished
    before_debrief = text.split("DEBRIEF")[0]
    for card_text in card_texts(save)["dprk"]:
        assert card_text not in before_debrief


def test_bad_typing_gets_one_line_of_help_never_a_traceback(tmp_path):
    script = [b"\n", b"99\n", b"banana\n", b"\xff\xfe\n", b"?1\n", b"log\n", b"score\n", b"rules\n", b"help\n"]
    code, text, _ = run_play(tmp_path, ["--us", "human", "--dprk", "passive", "--seed", "3"],
                             menu_player(3), script=script)
    assert code == 0
    assert "Traceback" not in text
    assert "'99' is not on the menu" in text
    assert "not readable text" in text


def test_quit_saves_and_resume_continues_to_the_same_end(tmp_path):
    save = tmp_path / "q.json"
    first = menu_player(4)
    steps = {"n": 0}

    def quit_after_some(play, prompt):
        steps["n"] += 1
        return b"quit\n" if steps["n"] > 12 and prompt.endswith("> ") and not prompt.startswith("deal") \
            else first(play, prompt)

    code, text, _ = run_play(tmp_path, ["--us", "human:Ana", "--dprk", "verifier", "--seed", "8", "--save", str(save)],
                             quit_after_some)
    assert code == 0 and f"play --resume {save}" in text
    partial = load_record(save)
    assert not partial.finished and partial.steps
    code, text, _ = run_play(tmp_path, ["--resume", str(save)], menu_player(5))
    assert code == 0 and "DEBRIEF" in text
    record = load_record(save)
    assert record.finished and record.players["us"].name == "Ana" and not record.takeovers
    assert [s.action for s in record.steps[:len(partial.steps)]] == [s.action for s in partial.steps]


def test_end_of_input_saves_to_the_autosave(tmp_path):
    code, text, _ = run_play(tmp_path, ["--us", "human", "--dprk", "dove", "--seed", "2"],
                             lambda play, prompt: b"", script=[b"\n"])
    assert code == 0
    where = re.search(r"play --resume (\S+)", text).group(1)
    assert load_record(where).steps is not None


@pytest.mark.parametrize("argv, message", [
    (["--us", "robot"], "unknown bot 'robot'"),
    (["--us", "dove", "--dprk", "hawk"], "play needs a person"),
    (["--resume", "nowhere.json"], "nowhere.json"),
    (["--us", "human:" + "x" * 50], "at most 40"),
])
def test_wrong_flags_give_one_line_and_exit_non_zero(argv, message, capsys):
    assert main(["play", *argv]) != 0
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_the_deal_builder_asks_a_bot_what_it_would_take_and_sends_nothing():
    from game.actions import Propose
    from game.bots import make_bot
    from game.engine import legal_actions
    from game.match import Human, LiveMatch
    from game.terminal.deals import DealBuilder
    from game.terminal.turn import PersonTurn

    m = LiveMatch(default_scenario(), 3, {"us": Human("Ana"), "dprk": make_bot("verifier")})
    for _ in range(300):  # until the person may start a deal
        m.run_bots()
        legal = legal_actions(m.state)
        deal = next((a for a in legal if isinstance(a, Propose)), None)
        if deal is not None:
            break
        m.submit(next((a for a in legal if a.verb in ("accept", "open", "exchange", "meet")), legal[-1]))
    assert deal is not None
    out = io.StringIO()
    console = Console(io.BytesIO(b"1\nask\nback\n"), out, plain=True)
    turn = PersonTurn(console, m, "us", news=lambda: [])
    steps = len(m.steps)
    assert DealBuilder(console, m.view("us"), deal.channel, "the channel", advisor=turn._advisor()).run() is None
    assert re.search(r"The other side would (not )?accept this deal", out.getvalue())
    assert len(m.steps) == steps  # asking sent nothing
