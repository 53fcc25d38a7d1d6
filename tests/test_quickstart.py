"""rules/QUICKSTART.md must be true: its sample round replays in the engine and its numbers are the scenario's.

The sample round is played on the default scenario with seed 3, whose first event card is the one
the quick start names. Each row's "typed as" cell holds the actions, applied in order; the end row's
trust and tension figures must be what the engine gives.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.actions import Action
from game.engine import apply, legal_actions, new_game
from game.scenario import default_scenario

ROOT = Path(__file__).resolve().parent.parent
QUICK = ROOT / "rules" / "QUICKSTART.md"
SC = default_scenario()
SEED = 3


def rows() -> list[list[str]]:
    """The sample round's table rows: (who, does, typed as)."""
    lines = QUICK.read_text(encoding="utf-8").splitlines()
    start = lines.index("| who | does | typed as |")
    out = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        out.append([c.strip() for c in line.strip().strip("|").split("|")])
    return out


@pytest.fixture(scope="module")
def played():
    """The state after the sample round's actions, and every state on the way."""
    state = new_game(SC, SEED)
    happened = []
    for who, _does, typed in rows():
        for text in re.findall(r"`([^`]+)`", typed):
            state = step(state, text)
            happened += state.happened
    return state, happened


def step(state, text: str):
    """The state after the action `text`, which must be legal."""
    action = Action.parse(text)
    assert action in legal_actions(state), f"the quick start's `{text}` is not legal there"
    return apply(state, action)[0]


def test_the_page_is_short():
    text = QUICK.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 70, "the quick start must fit on one printed page"


def test_the_first_event_is_the_one_named():
    event_row = rows()[0]
    assert event_row[0] == "event"
    first = new_game(SC, SEED).deck[0]
    name = next(e.name for e in SC.events if e.id == first)
    assert f"*{name}*" in event_row[1]


def test_the_sample_round_replays_and_ends_where_the_page_says(played):
    state, happened = played
    assert state.round == 2, "the sample's actions should play exactly one round"
    end_of_round = next(h for h in happened if h.kind == "round_end" and h.round == 1).data
    end = rows()[-1]
    assert end[0] == "end"
    work, exch = (float(x) for x in re.search(r"working ([\d.]+), exchange ([\d.]+)", end[1]).groups())
    assert round(end_of_round["trust"]["working"], 2) == work
    assert round(end_of_round["trust"]["exchange"], 2) == exch
    t0, t1 = (int(x) for x in re.search(r"tension (\d+) → (\d+)", end[1]).groups())
    assert t0 == SC.tension.start and t1 == end_of_round["tension"]


def test_round_two_goes_as_the_page_says(played):
    state, _ = played
    text = " ".join(QUICK.read_text(encoding="utf-8").split())
    m = re.search(r"Round 2 opens with \*([^*]+)\*: tension jumps to (\d+)\.(.*?), which brings tension down to "
                  r"(\d+); both promises are due in round (\d+)\.", text)
    assert m, "the quick start should tell how round 2 opens"
    name, jumped, middle, down, due = m.groups()
    assert name == next(e.name for e in SC.events if e.id == state.deck[1])
    assert state.tension == int(jumped)
    assert "The DPRK moves first in even rounds" in middle and SC.sides[1].first_in == "even"
    after = state
    for typed in re.findall(r"`([^`]+)`", middle):
        after = step(after, typed)
    assert after.tension == int(down)
    assert sorted({c.due for c in after.commitments}) == [int(due)]


def test_the_figures_in_between(played):
    text = QUICK.read_text(encoding="utf-8")
    assert f"tension starts at {SC.tension.start}" in text
    assert f"each with trust {SC.trust.opened_at}" in text
    work = next(c for c in SC.channels if c.id == "working")
    assert f"trust {SC.trust.opened_at} → {SC.trust.opened_at + work.gain}" in text
    assert f"groundwork 1 of {SC.groundwork.needed}" in text
    hot = next(c for c in SC.channels if c.id == "hotline")
    assert f"opens once working-level trust reaches {hot.requires_trust}" in text


def test_the_endings_and_numbers_are_the_scenario_s():
    text = QUICK.read_text(encoding="utf-8")
    o = SC.outcomes
    assert f"(+{o.peace:g} each)" in text
    assert f"verified (+{o.settlement:g} each" in text
    assert f"tension reaches {SC.tension.crisis}." in text
    assert f"both sides lose {-o.crisis:g}." in text
    assert f"You have {SC.rounds} rounds" in text and f"the {SC.rounds} rounds run out" in text
    assert f"Spend {SC.action_points} action points" in text
    assert f"tension falls by {SC.tension.drift}." in text
