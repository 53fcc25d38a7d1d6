"""Property tests (hypothesis): random legal play to the end, invariants after every step, and no view leaks.

Two scenarios are played: the default one, and a variant whose channels all start open at
trust 50, so that random play reaches deals, claims, inspections and summits far more often.
A few thousand steps are checked in all; the settings are derandomized so CI runs the same
examples every time.
"""

from __future__ import annotations

import json
import math
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from game.actions import (
    Accept, Break, Call, Cancel, Counter, Exchange, Fake, Get, Gift, Give, IllegalActionError, Implement, Intel, Meet,
    OpenChannel, Pass, Pressure, Propose, ProposeSummit, Reject, Reverse, Send,
)
from game.engine import SUMMIT, apply, legal_actions, new_game, scores, tables
from game.scenario import default_scenario
from game.view import SPECTATOR, view
from tests.helpers import open_at_start, scenario

SCENARIOS = {
    "default": default_scenario(),
    "open50": scenario(open_at_start("hotline", "working", "exchange", trust=50), events=None),
}
COMMON = dict(derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STEPS = {"total": 0}
QUICK_GAMES = 26  # per scenario (random games got shorter once every pressure move was listed)


def action_universe(sc) -> list:
    """Every action that could be written for a scenario (legal or not), for illegal-action checks."""
    T = tables(sc)
    out = []
    for side in T.sides:
        out += [Pass(side), Call(side), Exchange(side), Send(side), Cancel(side), ProposeSummit(side), Accept(side),
                Reject(side), Counter(side), Meet(side), Intel(side, "motive"), Intel(side, "washington")]
        out += [OpenChannel(side, c) for c in T.channels] + [Propose(side, c) for c in (*T.channels, SUMMIT)]
        out += [Pressure(side, p.id) for s in sc.sides for p in s.pressure]
        for i in T.item_order:
            out += [Give(side, i), Get(side, i), Implement(side, i), Break(side, i), Fake(side, i), Reverse(side, i),
                    Gift(side, i), Meet(side, i), Intel(side, "claim", i)]
    out += [Pass("prc"), Propose("us", "telegraph"), Give("us", "unicorn")]
    return out


def check_invariants(state) -> None:
    """The invariants every state must satisfy."""
    sc = state.scenario
    assert all(0.0 <= t <= 100.0 for t in state.trust), state.trust
    assert 0 <= state.tension <= sc.tension.crisis
    assert state.ap >= 0
    assert 1 <= state.round <= sc.rounds
    assert all(math.isfinite(v) for v in scores(state).values())
    legal = legal_actions(state)
    if state.is_over:
        assert state.phase == "over" and legal == ()
        assert state.outcome in ("crisis", "settlement", "peace", "plain")
        assert state.outcome != "crisis" or state.tension >= sc.tension.crisis
    else:
        assert state.phase in ("answer", "settle", "act", "draft")
        assert legal, f"no legal action in {state!r}"
        assert len(set(legal)) == len(legal), "duplicate legal actions"
        assert all(a.side == state.to_move for a in legal)
        assert state.phase != "act" or state.ap > 0


def _strings(obj) -> list[str]:
    """Every string inside a nested structure (keys included)."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(obj, (list, tuple)):
        return [s for v in obj for s in _strings(v)]
    return []


_PATTERNS: dict[tuple[str, ...], re.Pattern] = {}


def _card_pattern(cards: tuple[str, ...]) -> re.Pattern:
    """A regex finding any of these card ids as a whole word."""
    p = _PATTERNS.get(cards)
    if p is None:
        p = _PATTERNS[cards] = re.compile(r"\b(" + "|".join(re.escape(c) for c in cards) + r")\b")
    return p


def check_no_leak(state, side: str) -> dict:
    """A side's view holds no secret of the other side: agenda, truth of claims, generator, future events."""
    v = view(state, side)
    d = v.to_dict()
    if state.is_over:
        return d
    other = state.other(side)
    secret_cards = state.agendas[state.side_index(other)]
    strings = set(_strings(d))
    text = json.dumps(d)
    for card in secret_cards:
        assert card not in strings, f"{side} sees {other}'s card {card!r}"
    found = _card_pattern(secret_cards).search(text)
    assert found is None, f"{side}'s view mentions {other}'s card {found.group(0)!r}"
    for c in v.commitments:
        if c.giver == other and c.status == "claimed":
            assert c.done is None, f"{side} sees the truth of {c.item}"
    assert str(state.rng) not in text
    assert not {"rng", "deck", "seed", "agendas"} & set(d)
    assert tuple(d["events_drawn"]) == state.deck[:state.round]
    assert d["deck_left"] == len(state.deck) - state.round
    return d


def perturb_hidden(state, side: str, rng: random.Random):
    """A state that differs from `state` only in what `side` cannot know (test-only, built with clone()).

    The other side's agenda cards (never one `side` has ruled out), the truth of the
    other side's open claims, the generator and the order of the undrawn events.
    """
    T = tables(state.scenario)
    s = state.clone()
    other = T.other[side]
    ruled = set(s.ruled_out[T.sides.index(side)])
    cards = [rng.choice([c.id for c in d.cards if (d.id, c.id) not in ruled]) for d in T.decks_of[other]]
    agendas = list(s.agendas)
    agendas[T.sides.index(other)] = tuple(cards)
    s.agendas = tuple(agendas)
    s.commitments = tuple(c._replace(done=rng.random() < 0.5) if c.giver == other and c.status == "claimed" else c
                          for c in s.commitments)
    s.rng = rng.getrandbits(64)
    rest = list(s.deck[s.round:])
    rng.shuffle(rest)
    s.deck = s.deck[:s.round] + tuple(rest)
    return s


def check_view_invariance(state, side: str, rng: random.Random) -> None:
    """A side's view is the same whatever the hidden parts it cannot see are."""
    if state.is_over:
        return
    assert view(perturb_hidden(state, side, rng), side).to_dict() == view(state, side).to_dict()


def play_random_game(sc, seed: int, pick_seed: int, universe: list, deep: bool) -> int:
    """Play one random game, checking everything after every step; return the number of steps."""
    rng = random.Random(pick_seed)
    state = new_game(sc, seed)
    check_invariants(state)
    steps = 0
    limit = sc.rounds * 200
    while not state.is_over:
        legal = legal_actions(state)
        action = legal[rng.randrange(len(legal))]
        before = state.checksum()
        before_happened = state.happened
        after, happened = apply(state, action)
        assert state.checksum() == before, "apply changed its input state"
        assert state.happened is before_happened
        assert legal_actions(state) == legal
        assert list(after.happened) == happened
        check_invariants(after)
        if deep:
            for side in sc.side_ids:
                check_no_leak(after, side)
                check_view_invariance(after, side, rng)
        else:  # the cheaper pass checks one side's view per step, alternating
            check_no_leak(after, sc.side_ids[steps % 2])
        if deep:
            again, _ = apply(state, action)
            assert again.checksum() == after.checksum(), "apply is not a function of (state, action)"
            for bad in rng.sample(universe, 4):
                if bad not in legal:
                    with pytest.raises(IllegalActionError):
                        apply(state, bad)
                    assert state.checksum() == before
        assert after.round >= state.round
        state = after
        steps += 1
        assert steps < limit, "the game did not end"
    assert state.round <= sc.rounds
    assert state.outcome in ("crisis", "settlement", "peace", "plain")
    assert state.outcome != "plain" or state.round == sc.rounds
    for side in sc.side_ids:  # the end reveals the agendas to both sides
        assert {c.id for c in view(state, side).agenda} == set(state.agendas[0] + state.agendas[1])
    STEPS["total"] += steps
    return steps


@pytest.mark.parametrize("name", list(SCENARIOS))
@settings(max_examples=10, **COMMON)
@given(seed=st.integers(0, 2**31), pick_seed=st.integers(0, 2**31))
def test_random_play_keeps_the_invariants(name, seed, pick_seed):
    """Random legal play to the end: invariants, immutability and no view leak after every step."""
    sc = SCENARIOS[name]
    play_random_game(sc, seed, pick_seed, _UNIVERSE[name], deep=True)


_UNIVERSE = {name: action_universe(sc) for name, sc in SCENARIOS.items()}


def test_many_quick_random_games():
    """Thousands more steps with the cheaper checks (invariants, immutability, leak scan), over fixed seeds."""
    total = 0
    for name, sc in SCENARIOS.items():
        for seed in range(QUICK_GAMES):
            total += play_random_game(sc, seed, seed + 1000, _UNIVERSE[name], deep=False)
    assert total > 3000


@pytest.mark.parametrize("name", list(SCENARIOS))
@settings(max_examples=60, **COMMON)
@given(seed=st.integers(0, 2**31), data=st.data())
def test_illegal_actions_raise_and_change_nothing(name, seed, data):
    """Any action not in legal_actions raises IllegalActionError and leaves the state as it was."""
    sc = SCENARIOS[name]
    state = new_game(sc, seed)
    n = data.draw(st.integers(0, 60), label="steps")
    rng = random.Random(seed)
    for _ in range(n):
        if state.is_over:
            break
        legal = legal_actions(state)
        state, _ = apply(state, legal[rng.randrange(len(legal))])
    bad = data.draw(st.sampled_from(_UNIVERSE[name]), label="action")
    legal = legal_actions(state)
    if bad in legal:
        return
    before = state.checksum()
    with pytest.raises(IllegalActionError) as err:
        apply(state, bad)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)
    assert state.checksum() == before and legal_actions(state) == legal


class GameMachine(RuleBasedStateMachine):
    """A hypothesis state machine: random legal moves, illegal attempts and revisits of old states."""

    def __init__(self):
        super().__init__()
        self.sc = SCENARIOS["open50"]
        self.universe = _UNIVERSE["open50"]
        self.history: list[tuple[object, str]] = []
        self.state = None

    @precondition(lambda self: self.state is None)
    @rule(seed=st.integers(0, 10_000))
    def start(self, seed):
        """Begin a game."""
        self.state = new_game(self.sc, seed)
        self.history = [(self.state, self.state.checksum())]

    @precondition(lambda self: self.state is not None and not self.state.is_over)
    @rule(data=st.data())
    def move(self, data):
        """Apply one legal action chosen by hypothesis."""
        legal = legal_actions(self.state)
        action = data.draw(st.sampled_from(legal), label="action")
        self.state, _ = apply(self.state, action)
        self.history.append((self.state, self.state.checksum()))

    @precondition(lambda self: self.state is not None)
    @rule(data=st.data())
    def illegal(self, data):
        """An action that is not legal raises and changes nothing."""
        bad = data.draw(st.sampled_from(self.universe), label="bad")
        if bad in legal_actions(self.state):
            return
        before = self.state.checksum()
        with pytest.raises(IllegalActionError):
            apply(self.state, bad)
        assert self.state.checksum() == before

    @precondition(lambda self: len(self.history) > 1)
    @rule(data=st.data())
    def branch(self, data):
        """Playing on from an old state (undo, lookahead) leaves every recorded state as it was."""
        k = data.draw(st.integers(0, len(self.history) - 1), label="back")
        old, _ = self.history[k]
        if not old.is_over:
            apply(old, legal_actions(old)[0])
        for s, checksum in self.history:
            assert s.checksum() == checksum

    @invariant()
    def holds(self):
        """The step invariants hold in the current state."""
        if self.state is not None:
            check_invariants(self.state)


TestGameMachine = GameMachine.TestCase
TestGameMachine.settings = settings(max_examples=25, stateful_step_count=50, **COMMON)


def test_leak_checks_are_not_vacuous(monkeypatch):
    """The leak checks catch a view that shows too much: the spectator's view, passed off as a side's."""
    state = new_game(SCENARIOS["default"], 4)
    rng = random.Random(0)
    assert any(view(perturb_hidden(state, "us", rng), SPECTATOR).to_dict() != view(state, SPECTATOR).to_dict()
               for _ in range(10))
    real_view = view
    monkeypatch.setitem(globals(), "view", lambda s, side: real_view(s, SPECTATOR))
    with pytest.raises(AssertionError, match="card"):
        check_no_leak(state, "us")


# Commitment status changes the rules allow (GAME.md: implemented, claimed, broken, exposed, reversed, fallen).
TRANSITIONS = {("pending", "verified"), ("pending", "claimed"), ("pending", "broken"), ("claimed", "verified"),
               ("claimed", "exposed"), ("claimed", "fallen"), ("verified", "reversed"), ("verified", "broken"),
               ("verified", "fallen"), ("pending", "fallen")}  # a dependent falls with its prerequisite
KEEN = frozenset({"accept", "implement", "send", "give", "get", "propose", "meet", "summit", "call", "exchange", "open"})


def _keen_choice(state, rng: random.Random):
    """A random player keen on deals: mostly accepts, implements and proposes, sometimes fakes or does anything."""
    legal = legal_actions(state)
    keen = [a for a in legal if a.verb in KEEN]
    if state.phase == "settle" and rng.random() < 0.3:
        keen = [a for a in legal if a.verb == "fake"] or keen
    pool = keen if keen and rng.random() < 0.85 else legal
    return pool[rng.randrange(len(pool))]


@pytest.mark.heavy
def test_keen_random_play_reaches_every_outcome_and_keeps_the_semantics():
    """Deal-keen random play reaches peace, settlement and plain ends; commitments and counters stay consistent."""
    from game.engine import latest_commitments
    from tests.helpers import edits, setting

    sc = scenario(edits(open_at_start("hotline", "working", "exchange", trust=60), setting("groundwork.needed", 0)),
                  events=None)
    outcomes = set()
    for seed in range(30):
        s = new_game(sc, seed)
        rng = random.Random(seed)
        while not s.is_over:
            a = _keen_choice(s, rng)
            t, ev = apply(s, a)
            check_invariants(t)
            check_no_leak(t, sc.side_ids[len(t.commitments) % 2])
            before = {(c.item, c.agreed): c.status for c in s.commitments}
            for c in t.commitments:
                old = before.get((c.item, c.agreed))
                assert old in (None, c.status) or (old, c.status) in TRANSITIONS, (old, c.status, str(a))
            live = [c.item for c in t.commitments if c.live]
            assert len(live) == len(set(live)), "an item is promised twice"
            broken_now = sum(1 for h in ev if h.kind in ("broken", "exposed", "reversed"))
            assert sum(t.broken) - sum(s.broken) == broken_now
            assert t.legitimacy[1] == t.summits
            assert all(t.round - p.made <= 1 for p in t.proposals), "a proposal went unanswered"
            s = t
        latest = latest_commitments(s)
        if s.outcome == "settlement":
            assert all(latest[i].status == "verified" for i in sc.outcomes.settlement_items)
        treaty = latest.get(sc.outcomes.peace_item)
        if s.outcome in ("peace", "plain"):
            assert (s.outcome == "peace") == (treaty is not None and treaty.in_force)
        outcomes.add(s.outcome)
    assert {"peace", "settlement", "plain"} <= outcomes, outcomes


@st.composite
def scenarios(draw):
    """Inline scenarios with hypothesis-chosen numbers: rounds, action points, tension, trust, groundwork, delays."""
    from game.scenario import parse_scenario
    from tests.helpers import raw_baseline

    raw = raw_baseline()
    raw["rounds"] = draw(st.integers(1, 14))
    raw["action_points"] = draw(st.integers(1, 4))
    crisis = draw(st.integers(2, 12))
    raw["tension"].update(crisis=crisis, start=draw(st.integers(0, crisis - 1)), drift=draw(st.integers(0, 2)))
    raw["trust"].update(opened_at=draw(st.integers(0, 100)), high_tension=draw(st.integers(0, 12)),
                        diffusion=draw(st.sampled_from([0.0, 0.1, 0.5, 1.0])))
    raw["groundwork"]["needed"] = draw(st.integers(0, 3))
    for c in raw["channels"]:
        c["open"] = draw(st.booleans())
        c["decay"] = draw(st.integers(0, 5))
    raw["summit"].update(cooldown=draw(st.integers(0, 4)), max_tension=draw(st.integers(0, 10)),
                         requires_trust=draw(st.integers(0, 60)))
    for t in raw["tiers"]:
        t["delay"] = draw(st.integers(1, 3))
    return parse_scenario(raw, "<hypothesis>")


@settings(max_examples=25, **COMMON)
@given(sc=scenarios(), seed=st.integers(0, 2**31))
def test_invariants_hold_in_any_valid_scenario(sc, seed):
    """Whatever a teacher sets the numbers to, random play keeps the invariants and ends by the last round."""
    play_random_game(sc, seed, seed + 1, action_universe(sc), deep=False)
