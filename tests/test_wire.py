"""The compact wire of a bot host (game.bots.sandbox_wire): the view a hosted bot gets is the view, exactly."""

import json
import random
from pathlib import Path

import pytest

from game.bots.heuristics import DoveBot, HawkBot, ReciprocatorBot, TrapperBot, VerifierBot
from game.bots.random_bot import RandomBot
from game.bots.sandbox_child import rebuild_view
from game.bots.sandbox_wire import FIELDS, LEGAL, VALUES, Receiver, Sender, view_delta
from game.engine import apply, legal_actions, new_game
from game.scenario import default_scenario
from game.view import view

KINDS = [RandomBot, HawkBot, DoveBot, ReciprocatorBot, TrapperBot, VerifierBot]


def test_every_rebuilt_view_is_the_view_field_by_field():
    """Many matches, both sides, through JSON as the pipe carries it: each decision's view and legal actions
    in the bot's process equal the worker's field by field, and are of the same types as the whole view sent
    as JSON gives (a phase arrives as text); what travels is a fraction of a whole view."""
    sc = default_scenario()
    receiver, sender = Receiver(), Sender()
    sender.add_legal(1, {}, ("dummy",))  # one process (pid 1) for all matches, as in a tournament
    decisions = sent = 0
    for seed in range(24):  # the six pairings of KINDS, four times each, both sides
        bots = {"us": KINDS[seed % 6](), "dprk": KINDS[(seed * 5 + 1) % 6]()}
        for side, bot in bots.items():
            bot.scenario = sc
            bot.reset(side, seed)
        rngs = {side: random.Random(seed * 2 + i) for i, side in enumerate(bots)}
        state = new_game(sc, seed, secret=b"wire" * 8)
        previous: dict[str, tuple] = {}
        while not state.is_over:
            side = state.to_move
            v = view(state, side)
            values = VALUES(v)
            item = {"m": seed, "s": 0 if side == "us" else 1, "d": view_delta(previous.get(side), values)}
            if side not in previous or previous[side][LEGAL] != values[LEGAL]:
                sender.add_legal(1, item, values[LEGAL])
            previous[side] = values
            blob = json.dumps(item)
            sent += len(blob)
            got, legal = receiver.view((seed, item["s"]), json.loads(blob))
            today = rebuild_view(json.loads(json.dumps(v.to_dict())))  # what a bot file got before the wire
            assert got == v
            for name in FIELDS:
                a, b = getattr(got, name), getattr(today, name)
                assert a == getattr(v, name) and repr(a) == repr(b), name  # repr: the same types (1 is not 1.0)
            assert got.rules is None  # the scenario object never travels (as in View.to_dict)
            assert legal == tuple(legal_actions(state))
            choice = bots[side].choose(v, legal_actions(state), rngs[side])
            state, _ = apply(state, choice[0] if isinstance(choice, tuple) else choice)
            decisions += 1
        for key in ((seed, 0), (seed, 1)):
            receiver.forget(key)
    assert not receiver.matches
    assert sent / decisions < 600  # a whole view is about 2,200 bytes of JSON


def test_a_new_process_or_a_full_table_starts_the_legal_lists_again():
    """A list is defined before it is used, again in a new process (in every batch sent while none runs: a start
    may fail and the next batch start another); a full table is cleared on both sides."""
    import game.bots.sandbox_wire as wire

    sender = Sender()
    first: dict = {}
    sender.add_legal(10, first, ("us pass",))
    assert first == {"L": 0, "Ld": ("us pass",)}
    again: dict = {}
    sender.add_legal(10, again, ("us pass",))
    assert again == {"L": 0}
    fresh: dict = {}
    sender.add_legal(11, fresh, ("us pass",))  # a new process: defined again, under a new number
    assert fresh == {"L": 1, "Ld": ("us pass",)}
    for _ in range(2):  # no process runs (the batch starts one; a start may fail and the next batch start another)
        unknown: dict = {}
        sender.add_legal(None, unknown, ("us pass",))
        assert "Ld" in unknown
    sender.add_legal(11, {}, ("us pass",))  # (pid 11 again after None: a new process that got that pid)
    later: dict = {}
    sender.add_legal(11, later, ("us pass",))
    assert later == {"L": later["L"]}
    old = wire.LEGAL_TABLE_SIZE
    wire.LEGAL_TABLE_SIZE = 2
    try:
        items = [{} for _ in range(3)]
        for i, item in enumerate(items):
            sender.add_legal(11, item, (f"us pass {i}",))
        assert "Lc" not in items[0] and items[1].get("Lc") == 1 and "Lc" not in items[2]
    finally:
        wire.LEGAL_TABLE_SIZE = old


def test_an_equal_value_of_another_type_travels_again():
    """1 == 1.0, but a bot can print either: a float field whose type changed is sent, not kept."""
    from dataclasses import replace

    sc = default_scenario()
    state = new_game(sc, 5, secret=b"wire" * 8)
    v = view(state, state.to_move)
    as_int = replace(v, trust_index=int(v.trust_index), score_parts=tuple((k, int(x)) for k, x in v.score_parts),
                     channels=tuple(replace(c, trust=int(c.trust)) for c in v.channels))
    as_float = replace(as_int, trust_index=float(as_int.trust_index),
                       score_parts=tuple((k, float(x)) for k, x in as_int.score_parts),
                       channels=tuple(replace(c, trust=float(c.trust)) for c in as_int.channels))
    assert as_int == as_float
    delta = view_delta(VALUES(as_int), VALUES(as_float))
    sent = {FIELDS[i % len(FIELDS)] for i in delta[::2]}
    assert {"trust_index", "score_parts", "channels"} <= sent
    receiver = Receiver()
    receiver.view(1, {"d": view_delta(None, VALUES(as_int)), "L": 0, "Ld": list(v.legal)})
    got, _ = receiver.view(1, json.loads(json.dumps({"d": delta})))
    assert repr(got.trust_index) == repr(as_float.trust_index) and repr(got.channels) == repr(as_float.channels)
    assert repr(got.score_parts) == repr(as_float.score_parts)


@pytest.mark.parametrize("path", sorted(Path(__file__).resolve().parent.parent.glob("rules/*.toml")),
                         ids=lambda p: p.stem)
def test_changes_made_from_the_state_are_the_changes_of_the_whole_views(path):
    """ViewChanges (the worker's wire) gives, at every decision of many matches and at their end, exactly what
    view_delta makes of the whole views (values and types: repr), and keeps the legal list's texts."""
    from game.bots.sandbox_wire import ViewChanges
    from game.scenario import load_scenario
    from game.view import view_values

    sc = load_scenario(path)
    decisions = 0
    for seed in range(36):  # every pairing of KINDS, random bots (every kind of move) on both sides often
        a, b = sc.side_ids
        bots = {a: KINDS[seed % 6](), b: KINDS[(seed // 6) % 6]()}
        for side, bot in bots.items():
            bot.scenario = sc
            bot.reset(side, seed)
        rngs = {side: random.Random(seed * 2 + i) for i, side in enumerate(bots)}
        state = new_game(sc, seed, secret=b"wire" * 8)
        changes = {side: ViewChanges(side) for side in bots}
        sent: dict[str, tuple] = {}
        while True:
            sides = [state.to_move] if not state.is_over else list(bots)
            for side in sides:
                values = view_values(state, side)
                expected = view_delta(sent.get(side), values)
                got = changes[side].delta(state)
                assert repr(got) == repr(expected), (seed, decisions, side)
                assert changes[side].values[LEGAL] == values[LEGAL]
                sent[side] = values
            if state.is_over:
                break
            side = state.to_move
            choice = bots[side].choose(view(state, side), legal_actions(state), rngs[side])
            state, _ = apply(state, choice[0] if isinstance(choice, tuple) else choice)
            decisions += 1
    assert decisions > 1000


def test_changes_from_the_state_send_a_trust_of_another_type():
    """A channel's trust equal to the one sent but of another type (0 and 0.0) travels, as view_delta sends it."""
    from game.bots.sandbox_wire import ViewChanges
    from game.engine import tables
    from game.view import view_values

    sc = default_scenario()
    state = new_game(sc, 3, secret=b"wire" * 8)
    side = state.to_move
    as_int = state.clone()
    as_int.trust = tuple(int(t) for t in state.trust)
    assert as_int.trust == state.trust
    for first, then in ((state, as_int), (as_int, state)):
        changes = ViewChanges(side)
        changes.delta(first)
        got = changes.delta(then)
        memo = tables(sc).__dict__
        memo.pop("_view_memo", None)  # (the memo takes equal channels for the same: 0 == 0.0)
        before = view_values(first, side)
        memo.pop("_view_memo", None)
        expected = view_delta(before, view_values(then, side))
        assert got and repr(got) == repr(expected)
