"""The built-in bots: each one's signature behaviour in a short scripted scene, legality, views only, determinism."""

from __future__ import annotations

import random

import pytest

from game.actions import Break, Fake, Implement, Pass, Pressure, Reject
from game.bots import BUILTIN, BotSpecError, make_bot
from game.engine import legal_actions, new_game
from game.match import play_match
from game.scenario import default_scenario
from game.view import View, view
from tests.helpers import Game, channel, edits, item, scenario

FAST = {"ismcts": "ismcts:iterations=6"}  # the search bot at a tiny budget, so these tests stay quick


def ask(spec: str, sc, state, side: str | None = None):
    """Ask a fresh bot for its move in `state` (as the side to move) with its view only."""
    side = side or state.to_move
    bot = make_bot(spec)
    bot.reset(side, 1)
    bot.scenario = sc
    choice = bot.choose(view(state, side), legal_actions(state), random.Random(1))
    return choice[0] if isinstance(choice, tuple) else choice


def _deal_due_for_us(sc, dprk_breaks: bool) -> Game:
    """US gives aid for remains (signed in round 3, due in round 4, where the DPRK settles first)."""
    g = Game(sc, seed=3)
    g.play("us open working", "us propose working", "us give aid", "us get remains", "us send")
    g.play("dprk break remains" if dprk_breaks else "dprk implement remains")
    return g.until(lambda s: s.to_move == "us" and s.phase == "settle")


def test_reciprocator_breaks_a_promise_the_turn_after_its_opponent_broke_one():
    sc = scenario()
    g = _deal_due_for_us(sc, dprk_breaks=True)
    assert g.state.round == 4
    assert ask("reciprocator", sc, g.state) == Break("us", "aid")


def test_reciprocator_keeps_its_promise_when_the_opponent_kept_its_own():
    sc = scenario()
    g = _deal_due_for_us(sc, dprk_breaks=False)
    assert ask("reciprocator", sc, g.state) == Implement("us", "aid")


def _open_strategic(raw: dict) -> None:
    item(raw, "declaration")["min_trust"] = 0
    item(raw, "test_site")["min_trust"] = 0
    channel(raw, "working")["tiers"] = ["soft", "technical", "strategic"]
    raw["groundwork"]["needed"] = 0


@pytest.mark.parametrize("offered, answer", [("declaration", "reject"), ("remains", "accept")])
def test_verifier_refuses_an_unverifiable_strategic_item_while_inspectors_are_absent(offered, answer):
    sc = scenario(edits(_open_strategic))
    g = Game(sc, seed=2)
    g.play("us open working", "dprk propose working", f"dprk give {offered}", "dprk get aid", "dprk send")
    g.until(lambda s: s.to_move == "us" and s.phase == "answer")
    assert str(ask("verifier", sc, g.state)) == f"us {answer}"


def test_hawk_pressures_and_concedes_nothing_unpaid():
    sc = scenario()
    g = Game(sc, seed=4)
    assert isinstance(ask("hawk", sc, g.state), Pressure)
    # A promise of the hawk falls due before the other side has implemented anything verifiable: it breaks it.
    g.play("us open working", "dprk propose working", "dprk give remains", "dprk get aid", "dprk send")
    g.until(lambda s: s.to_move == "us" and s.phase == "settle")
    assert ask("hawk", sc, g.state) == Break("us", "aid")


def test_trapper_fakes_an_unverifiable_claim():
    sc = scenario(edits(_open_strategic))
    g = Game(sc, seed=5)
    g.play("us open working", "us propose working", "us give aid", "us get test_site", "us send")
    g.until(lambda s: s.to_move == "dprk" and s.phase == "settle")
    assert ask("trapper", sc, g.state) == Fake("dprk", "test_site")


def _actions_of(spec: str, side: str, opponent: str, seeds) -> list[str]:
    sc = default_scenario()
    other = "dprk" if side == "us" else "us"
    out = []
    for seed in seeds:
        r = play_match(sc, seed, {side: make_bot(spec), other: make_bot(opponent)})
        assert r.forfeit is None
        out += [s.action for s in r.steps if s.side == side]
    return out


@pytest.mark.parametrize("side", ["us", "dprk"])
def test_dove_keeps_every_promise_and_never_pressures(side):
    acts = _actions_of("dove", side, "trapper", range(6)) + _actions_of("dove", side, "random", range(6))
    verbs = {a.split()[1] for a in acts}
    assert "implement" in verbs
    assert not verbs & {"break", "fake", "reverse", "pressure"}


@pytest.mark.parametrize("side", ["us", "dprk"])
def test_passive_only_passes_and_rejects(side):
    acts = _actions_of("passive", side, "dove", range(4)) + _actions_of("passive", side, "random", range(4))
    assert {a.split()[1] for a in acts} == {"pass", "reject"}


class Watched:
    """Wraps a bot: checks it receives exactly its side's view, and that what it returns is legal."""

    def __init__(self, bot, current):
        self.bot = bot
        self.current = current
        self.calls = 0

    def reset(self, side, seed):
        """Remember the side and pass the reset on."""
        self.side = side
        self.bot.reset(side, seed)

    def label(self):
        """The wrapped bot's label."""
        return self.bot.label()

    def choose(self, v, legal, rng):
        """Check the view against the real state's view for this side, then ask the wrapped bot."""
        state = self.current[0]
        assert type(v) is View
        assert v == view(state, self.side)
        assert tuple(legal) == legal_actions(state)
        choice = self.bot.choose(v, legal, rng)
        action = choice[0] if isinstance(choice, tuple) else choice
        assert action in legal, f"{self.bot.name} chose {action}, not legal"
        self.calls += 1
        return choice


@pytest.mark.parametrize("name", list(BUILTIN))
def test_every_bot_sees_only_its_view_and_plays_only_legal_actions(name):
    sc = default_scenario()
    spec = FAST.get(name, name)
    opponents = ["random", "dove", "hawk", "trapper"]
    seeds = range(2) if name == "ismcts" else range(10)
    for seed in seeds:
        for n, opp in enumerate(opponents):
            side = "us" if (seed + n) % 2 == 0 else "dprk"
            other = "dprk" if side == "us" else "us"
            current = [new_game(sc, seed)]
            bot = Watched(make_bot(spec), current)
            r = play_match(sc, seed, {side: bot, other: make_bot(opp)},
                           on_step=lambda state, step, ev: current.__setitem__(0, state))
            assert r.forfeit is None and r.final.is_over
            assert bot.calls > 0


@pytest.mark.parametrize("name", list(BUILTIN))
def test_same_seed_same_choices(name):
    sc = default_scenario()
    spec = FAST.get(name, name)
    for seed in (11, 12):
        runs = [[(s.side, s.action, s.reason) for s in
                 play_match(sc, seed, {"us": make_bot(spec), "dprk": make_bot("reciprocator")}).steps]
                for _ in range(2)]
        assert runs[0] == runs[1]


def test_bots_declare_who_they_are():
    for name, cls in BUILTIN.items():
        assert cls.name == name and cls.description and cls.__doc__
        assert set(cls.classifier) >= {"stochastic", "search"}
    assert BUILTIN["ismcts"].classifier["search"] and not BUILTIN["verifier"].classifier["search"]


def test_ismcts_parameters():
    assert make_bot("ismcts:iterations=50").label() == "ismcts:iterations=50"
    assert make_bot("ismcts").steps > 0 and make_bot("ismcts:search=tree").iterations > 0
    assert make_bot("ismcts:ms=20").ms == 20.0
    for bad in ("ismcts:iterations=0", "ismcts:speed=3", "ismcts:ms=fast"):
        with pytest.raises(BotSpecError):
            make_bot(bad)


def test_ismcts_searches_and_prefers_what_pays():
    # Offered remains for nothing, a search should accept (and a gift of aid when the US may give it free).
    sc = scenario()
    g = Game(sc, seed=6)
    g.play("us open working", "dprk propose working", "dprk give remains", "dprk send")
    g.until(lambda s: s.to_move == "us" and s.phase == "answer")
    assert str(ask("ismcts:iterations=30", sc, g.state)) == "us accept"


def test_trap_holding_ismcts_starts_from_the_verifiers_line_and_searches_its_way_to_the_fake():
    # The trap card does not switch its base line to the trapper's (that unbalanced its self-play, check 6);
    # what the card pays for a fake reaches it through the search instead.
    sc = scenario(edits(_open_strategic), intent="trap")
    g = Game(sc, seed=5)
    g.play("us open working", "us propose working", "us give aid", "us get test_site", "us send")
    g.until(lambda s: s.to_move == "dprk" and s.phase == "settle")
    assert ask("verifier", sc, g.state) == Implement("dprk", "test_site")
    assert ask("ismcts:iterations=1,prior=50", sc, g.state) == Implement("dprk", "test_site")  # the base line
    assert ask("ismcts:iterations=200", sc, g.state) == Fake("dprk", "test_site")  # what the search finds


def test_passive_bot_rejects_in_a_scene():
    sc = scenario()
    g = Game(sc, seed=7)
    g.play("dprk open working")
    g.until(lambda s: s.to_move == "us" and s.phase == "answer")
    assert ask("passive", sc, g.state) == Reject("us")
    g = Game(sc, seed=7)
    assert ask("passive", sc, g.state) == Pass("us")


def test_choices_do_not_depend_on_the_hash_seed():
    import os
    import subprocess
    import sys

    from tests.helpers import ROOT

    code = ("from game.scenario import default_scenario; from game.match import play_match; "
            "from game.bots import make_bot; "
            "print([s.action for u, d in (('ismcts:iterations=6', 'trapper'), ('verifier', 'hawk')) "
            "for s in play_match(default_scenario(), 9, {'us': make_bot(u), 'dprk': make_bot(d)}).steps])")
    outs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": h}).stdout for h in ("1", "2")}
    assert len(outs) == 1 and "us" in outs.pop()
