"""Errors that teach: each first mistake of a student's bot is one line that says how to put it right."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.actions import Action
from game.bots import make_bot
from game.bots.loader import BotLoadError, load_bot_class
from game.bots.teach import clip_detail, return_problem
from game.cli import main as cli_main
from game.match import play_match
from game.scenario import default_scenario


BOTS = Path(__file__).resolve().parent / "data" / "bots"
FILE = BOTS / "first_mistakes.py"


@pytest.fixture(scope="module")
def scenario():
    return default_scenario()


@pytest.mark.parametrize("cls, words", [
    ("Typo", ["Typo has no choose method", "'chose'", "def choose(self, view, legal, rng):"]),
    ("TwoArgs", ["TwoArgs.choose(self, view, legal) takes the wrong arguments", "def choose(self, view, legal, rng):"]),
    ("NoRng", ["NoRng.reset(self, side) takes the wrong arguments", "def reset(self, side, seed):"]),
    ("Rest", ["has rest(...) but no reset", "rename it to reset"]),
    ("Typ", ["no class 'Typ'", "did you mean 'Typo'?"]),
])
def test_a_bot_class_that_cannot_work_is_a_load_error_that_names_the_fix(cls, words):
    # the loader runs in the bot's process in a match; here it is called directly (no process to start)
    with pytest.raises(BotLoadError) as err:
        load_bot_class(FILE, cls)
    for w in words:
        assert w in str(err.value), (w, str(err.value))


def test_a_load_error_is_one_line_on_the_command_line(capsys):
    code = cli_main(["match", "--us", f"{FILE}:Typo", "--dprk", "random", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Typo has no choose method" in err, err


@pytest.mark.parametrize("cls, words", [
    ("ReasonFirst", ["choose returned (reason, action)", "put the action first"]),
    ("WholeList", ["choose returned a tuple of", "not one action", "rng.choice(legal)"]),
    ("Number", ["choose returned int 0, not an action", "return legal[0]"]),
    ("Words", ["choose returned the text 'open', which is not an action", "return legal[0] (here us "]),
])
def test_a_wrong_return_forfeits_with_what_to_return(scenario, cls, words):
    with make_bot(f"{FILE}:{cls}") as bot:
        result = play_match(scenario, 3, {"us": bot, "dprk": make_bot("random")})
    assert result.forfeit.kind == "garbage" and result.forfeit.side == "us"
    for w in words:
        assert w in result.forfeit.detail, (w, result.forfeit.detail)


def test_an_illegal_move_says_why_and_what_was_legal(scenario):
    with make_bot(f"{FILE}:CallsEarly") as bot:
        result = play_match(scenario, 3, {"us": bot, "dprk": make_bot("random")})
    f = result.forfeit
    assert f.kind == "illegal", f
    first = f.detail.splitlines()[0]
    assert first.startswith("us call is not a legal action: ") and "legal now (" in first and "us pass" in first
    assert "round 1: I want to call" in f.detail  # the bot's own output follows


def test_an_illegal_move_of_a_bot_in_this_process_is_explained_the_same_way(scenario):
    class Early:
        name = "early"
        scenario = None

        def label(self):
            return "early"

        def reset(self, side, seed):
            pass

        def choose(self, view, legal, rng):
            return Action.parse(f"{view.side} call")

    result = play_match(scenario, 3, {"us": Early(), "dprk": make_bot("random")})
    assert result.forfeit.detail.startswith("us call is not a legal action: ") and "legal now (" in result.forfeit.detail


def test_what_a_bot_prints_is_shown_with_its_name_in_match(capsys):
    code = cli_main(["match", "--us", f"{FILE}:Chatty", "--dprk", "random", "--seed", "2", "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "What the bots printed:" in out and "[Chatty (us), round 1] round 1: " in out
    assert "[Chatty (us), round 12]" in out


def test_return_problem_accepts_what_the_protocol_allows():
    a = Action.parse("us pass")
    assert return_problem(a, [a]) == (None, "us pass", "")
    assert return_problem((a, "why"), [a]) == (None, "us pass", "why")
    assert return_problem([a, "why"], [a]) == (None, "us pass", "why")
    assert return_problem(" us  pass ", [a]) == (None, "us pass", "")
    assert "forget to return" in return_problem(None, [a])[0]
    assert "put the action first" in return_problem(("why", "us pass"), [a])[0]
    assert "a list of 3 things" in return_problem([a, a, a], [a])[0]


def test_a_long_detail_keeps_the_part_that_matters():
    assert clip_detail("crash", "x" * 50 + "ZeroDivisionError", 30).endswith("ZeroDivisionError")
    assert clip_detail("illegal", "us call is not legal" + "y" * 50, 30).startswith("us call is not legal")
