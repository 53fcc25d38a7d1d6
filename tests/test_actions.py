"""Action text forms: every legal action round-trips through its text; garbage is refused with ActionParseError."""

from __future__ import annotations

import random

import pytest

from game.actions import (
    ALL_ACTION_TYPES, Action, ActionParseError, Call, Counter, Get, Give, Intel, Meet, Pass, Propose, Send,
    deal_steps,
)
from game.engine import legal_actions, new_game
from game.scenario import default_scenario
from tests.helpers import random_playout

GAMES = 150


def test_every_legal_action_round_trips_over_random_games():
    """Action.parse(str(a)) == a for every action legal anywhere in many random games; every verb is seen."""
    sc = default_scenario()
    seen_verbs: set[str] = set()
    checked = 0
    for seed in range(GAMES):
        rng = random.Random(seed)
        for before, _, after in random_playout(new_game(sc, seed), rng):
            for a in legal_actions(before):
                text = str(a)
                back = Action.parse(text)
                assert back == a and type(back) is type(a), text
                assert str(back) == text
                seen_verbs.add(a.verb)
                checked += 1
    assert checked > 5000
    # Every action type but the rare ones appears in random play; the rare ones are covered below.
    common = {"pass", "open", "call", "meet", "exchange", "propose", "give", "get", "send", "cancel", "summit",
              "pressure", "intel", "accept", "reject", "counter", "implement", "break"}
    assert common <= seen_verbs, common - seen_verbs


@pytest.mark.parametrize("action", [
    Pass("us"), Call("dprk"), Meet("us"), Meet("us", "peace_treaty"), Propose("us", "summit"), Give("us", "aid"),
    Get("dprk", "aid"), Send("us"), Counter("dprk"), Intel("us", "motive"), Intel("us", "claim", "declaration"),
    Intel("dprk", "washington"),
    *[cls("us", *(["x"] if cls.verb in ("open", "propose", "give", "get", "pressure", "reverse", "intel", "gift",
                                           "implement", "break", "fake") else [])) for cls in ALL_ACTION_TYPES],
])
def test_each_action_type_round_trips(action):
    """Every action type, including the ones random play rarely reaches, round-trips."""
    assert Action.parse(str(action)) == action


def test_text_examples():
    """The documented text forms."""
    assert str(Propose("us", "working")) == "us propose working"
    assert Action.parse("dprk implement remains") == Action.parse("  dprk   implement remains ")
    assert str(Intel("us", "claim", "declaration")) == "us intel claim declaration"
    assert str(Meet("us")) == "us meet"


@pytest.mark.parametrize("text", [
    "", "   ", "us", "us fly", "pass us", "us pass now", "us open", "us open working hotline", "us give",
    "us intel", "us intel claim declaration extra", "us implement a b",
])
def test_garbage_is_refused(text):
    """Text that is not an action raises ActionParseError (a ValueError) with a one-line message."""
    with pytest.raises(ActionParseError) as err:
        Action.parse(text)
    assert isinstance(err.value, ValueError)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("value", [None, 3, b"us pass", ["us", "pass"]])
def test_non_text_is_refused(value):
    """Only strings parse."""
    with pytest.raises(ActionParseError):
        Action.parse(value)


def test_deal_steps():
    """deal_steps composes a deal: propose (or counter), gives, gets, send."""
    assert [str(a) for a in deal_steps("us", "working", give=["aid"], get=["remains", "detainees"])] == [
        "us propose working", "us give aid", "us get remains", "us get detainees", "us send"]
    assert [str(a) for a in deal_steps("dprk", "working", get=["aid"], counter=True)] == [
        "dprk counter", "dprk get aid", "dprk send"]


def test_actions_are_hashable_values():
    """Actions are frozen values: equal text, equal action, equal hash; different types never equal."""
    assert Give("us", "aid") == Give("us", "aid") and hash(Give("us", "aid")) == hash(Give("us", "aid"))
    assert Give("us", "aid") != Get("us", "aid")
    assert Pass("us") != Call("us")
    with pytest.raises(AttributeError):
        Give("us", "aid").item = "travel"  # type: ignore[misc]


from hypothesis import given, settings, strategies as st  # noqa: E402

_WORDS = st.sampled_from(["us", "dprk", "pass", "open", "give", "get", "intel", "claim", "meet", "aid", "working",
                          "send", "counter", "fake", "x"]) | st.text(min_size=1, max_size=6)


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(st.lists(_WORDS, max_size=5).map(" ".join) | st.text(max_size=30))
def test_parse_accepts_or_refuses_any_text_cleanly(text):
    """Any text either parses to an action whose text form parses back to it, or raises ActionParseError."""
    try:
        a = Action.parse(text)
    except ActionParseError as err:
        assert "\n" not in str(err) or "\n" in text
        return
    assert Action.parse(str(a)) == a
    assert str(a).split() == text.split()
