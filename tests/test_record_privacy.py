"""Privacy of replays: `replay --text --as SIDE` shows only what that side could see before the end.

It never prints the other side's agenda cards, its private intelligence, or
whether its unverified claims were really carried out, until the game is over
(then the engine reveals the agendas). The strongest check plays two worlds
that differ only in whether a claim was true: the other side's replay must be
the same text in both, up to the moment the claim is checked.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from game import cli
from game.actions import Action
from game.bots import make_bot
from game.engine import agenda_cards, apply, legal_actions, new_game
from game.match import play_match
from game.narrator import narrate
from game.record import build_record, record_from_result, save_record
from game.scenario import default_scenario

SIDES = ("us", "dprk")
OTHER = {"us": "dprk", "dprk": "us"}
PAIRS = [("dove", "trapper", 0), ("reciprocator", "trapper", 2), ("random", "trapper", 5), ("random", "random", 3),
         ("random", "random", 8), ("verifier", "random", 4), ("trapper", "dove", 1), ("hawk", "reciprocator", 6),
         ("random", "trapper", 12), ("random", "dove", 9)]


@pytest.fixture(scope="module")
def matches(tmp_path_factory):
    """A few saved matches (with unverified claims, intelligence and agenda reveals), plus two cut short."""
    folder = tmp_path_factory.mktemp("privacy")
    scenario = default_scenario()
    out = []
    for n, (us, dprk, seed) in enumerate(PAIRS):
        stop = 40 if n in (0, 4) else 100_000  # two unfinished records: nothing is revealed at all
        result = play_match(scenario, seed, {"us": make_bot(us), "dprk": make_bot(dprk)}, max_steps=stop)
        path = save_record(record_from_result(result), folder / f"m{n}.json")
        out.append((path, result))
    return out


def replay_text(path: Path, side: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["replay", str(path), "--text", "--as", side]) == 0
    return out.getvalue()


def before_the_end(text: str) -> str:
    """The replay text before the engine's game-over line (all of it for an unfinished match)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("The game ends"):
            return "\n".join(lines[:i])
    return "\n".join(lines)


@pytest.mark.parametrize("side", SIDES)
def test_a_side_never_sees_the_other_sides_agenda_before_the_end(matches, side):
    revealed = 0
    for path, result in matches:
        text = replay_text(path, side)
        early = before_the_end(text)
        for card in agenda_cards(result.final, OTHER[side]):
            assert card.name not in early, f"{path.name} --as {side} shows {OTHER[side]}'s card {card.name!r}"
            revealed += card.name in text
        spectator = replay_text(path, "all")
        if result.final.is_over:
            assert all(c.name in spectator for s in SIDES for c in agenda_cards(result.final, s))
    assert revealed > 0  # the end reveals them, so the check above had something to find


@pytest.mark.parametrize("side", SIDES)
def test_a_side_never_sees_the_other_sides_private_happenings(matches, side):
    private_seen = 0
    for path, result in matches:
        text = replay_text(path, side)
        said = [(h, narrate(h, result.scenario, "all", verbose=True)) for h in result.happenings]
        mine_or_public = {line for h, line in said if h.to in (None, side)}
        theirs = {line for h, line in said if h.to == OTHER[side]} - mine_or_public
        private_seen += len(theirs)
        for line in theirs:
            assert line not in text, f"{path.name} --as {side} prints {OTHER[side]}'s private {line!r}"
        assert "[private]" not in text
        shown = {line for h, line in said if h.to == OTHER[side] and h.kind != "draft"}  # drafts: only when verbose
        assert all(line in replay_text(path, "all") for line in shown)
    assert private_seen > 0


def _world(scenario, seed, actions, swap_at, swap_to):
    """Replay `actions` with action `swap_at` replaced, as far as they stay legal; the happenings per step."""
    state = new_game(scenario, seed)
    per_step = [list(state.happened)]
    done = []
    for i, text in enumerate(actions):
        action = Action.parse(swap_to if i == swap_at else text)
        if state.is_over or action not in legal_actions(state):
            break
        state, ev = apply(state, action)
        per_step.append(ev)
        done.append(str(action))
    return per_step, done


def _claim_settled(happenings, item) -> bool:
    return any(h.kind in ("verified", "exposed", "game_over") and h.data.get("item", item) == item
               for h in happenings)


def test_a_true_and_a_false_claim_replay_the_same_for_the_other_side(matches, tmp_path):
    """Swap each 'fake' for 'implement': until the claim is checked, the receiver's replay must not change."""
    scenario = default_scenario()
    compared = 0
    for path, result in matches:
        actions = [s.action for s in result.steps]
        for i, text in enumerate(actions):
            if " fake " not in text:
                continue
            giver, _, item = text.split()
            worlds = [_world(scenario, result.seed, actions, i, t) for t in (text, f"{giver} implement {item}")]
            # Compare both worlds up to the first step at which either checks the claim or the game ends.
            cut = min(len(w[0]) for w in worlds)
            for k in range(i + 1, cut):
                if any(_claim_settled(w[0][k], item) for w in worlds):
                    cut = k
                    break
            outputs = []
            for n, (_, done) in enumerate(worlds):
                steps, state = _steps(scenario, result.seed, done[:cut - 1])
                rec = build_record(scenario, result.seed, steps, state,
                                   {"us": make_bot("random"), "dprk": make_bot("random")})
                p = save_record(rec, tmp_path / f"world{n}.json")
                outputs.append((replay_text(p, OTHER[giver]), replay_text(p, "all")))
            assert outputs[0][0] == outputs[1][0], f"{path.name}: {OTHER[giver]} can tell '{text}' from a real one"
            assert outputs[0][1] != outputs[1][1]  # the spectator can: the worlds really differ
            compared += 1
    assert compared >= 3


def _steps(scenario, seed, actions):
    """Recorded steps (with checksums) for a list of action texts, and the state after them."""
    from game.record import RecordedStep

    state = new_game(scenario, seed)
    steps = []
    for text in actions:
        side, taken_in = state.to_move, state.round
        state, _ = apply(state, Action.parse(text))
        steps.append(RecordedStep(side=side, round=taken_in, action=text, checksum=state.checksum()))
    return steps, state


def test_an_unfinished_replay_as_a_side_shows_its_own_view_of_the_score(matches):
    path, result = matches[0]
    assert not result.final.is_over
    text = replay_text(path, "us")
    assert text.splitlines()[-1].startswith("Outcome: unfinished; us ") and "(as us sees it)" in text
    assert "dprk" not in text.splitlines()[-1]
