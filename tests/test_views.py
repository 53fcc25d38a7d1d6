"""Views: what each side may know, what the spectator sees, and what the log shows each side."""

from __future__ import annotations

import json
import random

import pytest

from game.engine import apply, legal_actions, new_game
from game.narrator import narrate
from game.scenario import default_scenario
from game.transcript import transcript_lines
from game.view import SPECTATOR, view, visible_happenings
from tests.helpers import Game, open_at_start, scenario

ALL = ("hotline", "working", "exchange")


def _claimed_game(how: str, **kw) -> Game:
    """The DPRK agrees to dismantle the test site and, in round 2, implements it or only claims it."""
    sc = scenario(open_at_start(*ALL, trust=50), **kw)
    return Game(sc).play("us propose working", "us get test_site", "us send", "us pass", "dprk accept",
                         f"dprk {how} test_site")


def test_own_agenda_only():
    """Each side sees its own cards only; the spectator sees both sides' cards."""
    s = new_game(default_scenario(), 3)
    us, dprk, spec = view(s, "us"), view(s, "dprk"), view(s, SPECTATOR)
    assert [c.deck for c in us.agenda] == ["domestic"]
    assert [c.deck for c in dprk.agenda] == ["motive", "intent"]
    assert [c.id for c in spec.agenda] == [*s.agendas[0], *s.agendas[1]]
    assert us.agenda[0].id == s.agendas[0][0] and [c.id for c in dprk.agenda] == list(s.agendas[1])


@pytest.mark.parametrize("how,done", [("implement", True), ("fake", False)])
def test_claim_shows_as_unverified_to_the_receiver(how, done):
    """An unverifiable item claimed by the DPRK: the US sees 'claimed' with done unknown; giver and spectator see the truth."""
    s = _claimed_game(how).state
    (c_us,) = view(s, "us").commitments
    (c_dprk,) = view(s, "dprk").commitments
    (c_all,) = view(s, SPECTATOR).commitments
    assert (c_us.status, c_us.done) == ("claimed", None)
    assert c_us.in_force_as_seen
    assert (c_dprk.status, c_dprk.done) == ("claimed", done)
    assert (c_all.status, c_all.done) == ("claimed", done)


@pytest.mark.parametrize("how", ["implement", "fake"])
def test_truth_is_shown_after_the_end(how):
    """Once the game is over everything is revealed to both sides: agendas and the truth of claims."""
    s = _claimed_game(how).finish().state
    v = view(s, "us")
    assert v.commitments[0].done is (how == "implement")
    assert {c.deck for c in v.agenda} == {"domestic", "motive", "intent"}
    assert v.final_scores is not None and v.legal == ()


def test_us_view_is_the_same_whether_a_claim_was_true_or_false():
    """The receiver's view of a claim does not depend on whether it was done (the trap's tool)."""
    a = view(_claimed_game("implement").state, "us").to_dict()
    b = view(_claimed_game("fake").state, "us").to_dict()
    assert a == b


def test_us_log_is_the_same_whether_a_claim_was_true_or_false():
    """What the US may see of the log does not tell a real claim from a fake one."""
    def seen(how):
        g = _claimed_game(how)
        return [(h.kind, h.data, narrate(h, g.state.scenario, "us", verbose=True))
                for h in visible_happenings(g.happenings, "us")]
    assert seen("implement") == seen("fake")


def test_us_transcript_hides_the_truth_of_a_claim():
    """The truth of a claim is a private line of the DPRK's transcript, absent from the US's."""
    g = _claimed_game("fake")
    us = "\n".join(transcript_lines(g.happenings, "us", scenario=g.state.scenario))
    dprk = "\n".join(transcript_lines(g.happenings, "dprk", scenario=g.state.scenario))
    spec = "\n".join(transcript_lines(g.happenings, SPECTATOR, scenario=g.state.scenario))
    assert "nothing was done" not in us
    assert "nothing was done" in dprk and "[private]" in spec


def test_private_happenings_are_filtered():
    """Intelligence results and draft steps are seen by their side (and the spectator) only."""
    g = Game(scenario()).play("us intel motive")
    private = [h for h in g.happenings if h.to is not None]
    assert private and all(h.to == "us" for h in private)
    assert all(h.to is None for h in visible_happenings(g.happenings, "dprk"))
    assert visible_happenings(g.happenings, SPECTATOR) == g.happenings


def test_draft_is_seen_only_by_its_author():
    """A deal being drafted is the drafter's secret until it is sent."""
    s = Game(scenario(open_at_start(*ALL, trust=50))).do("us propose working", "us give aid").state
    assert view(s, "us").draft == ("working", ("aid",), (), False)
    assert view(s, "dprk").draft is None
    assert view(s, SPECTATOR).draft is not None


def test_only_the_side_to_move_sees_legal_actions_and_action_points():
    """The legal list and the action points belong to the side to move."""
    s = new_game(default_scenario(), 1)
    us, dprk = view(s, "us"), view(s, "dprk")
    assert us.legal == tuple(str(a) for a in legal_actions(s)) and us.ap == 2
    assert dprk.legal == () and dprk.ap == 0


def test_view_carries_no_generator_or_future_events():
    """No view holds the generator state, the seed, or the order of undrawn event cards."""
    s = new_game(default_scenario(), 5)
    for side in ("us", "dprk", SPECTATOR):
        d = view(s, side).to_dict()
        text = json.dumps(d)
        assert str(s.rng) not in text
        assert not {"rng", "deck", "seed", "agendas"} & set(d)
        assert list(d["events_drawn"]) == list(s.deck[:1]) and d["deck_left"] == len(s.deck) - 1


def test_view_of_unknown_side_is_refused():
    """Asking for the view of a side that does not exist is a one-line ValueError."""
    with pytest.raises(ValueError, match="no side 'prc'"):
        view(new_game(default_scenario(), 1), "prc")


def test_view_to_dict_is_json_ready():
    """A view becomes plain JSON (what a student's bot process receives)."""
    g = _claimed_game("fake")
    for side in ("us", "dprk", SPECTATOR):
        d = view(g.state, side).to_dict()
        assert json.loads(json.dumps(d))["round"] == g.state.round


def _fake_or_real_scan(sc, games: int) -> int:
    """In random games, wherever a commitment may be implemented or faked, compare what the receiver sees of each."""
    import random

    from game.actions import Fake, Implement
    from game.engine import apply

    compared = 0
    for seed in range(games):
        s = new_game(sc, seed)
        rng = random.Random(seed)
        while not s.is_over:
            legal = legal_actions(s)
            fakes = [a for a in legal if isinstance(a, Fake)]
            for f in fakes:
                real, ev_real = apply(s, Implement(f.side, f.item))
                fake, ev_fake = apply(s, f)
                other = s.other(f.side)
                assert view(real, other).to_dict() == view(fake, other).to_dict(), (seed, str(f))
                seen = lambda ev: [(h.kind, h.data, narrate(h, sc, other, verbose=True))  # noqa: E731
                                   for h in visible_happenings(ev, other)]
                assert seen(ev_real) == seen(ev_fake), (seed, str(f))
                compared += 1
            s, _ = apply(s, legal[rng.randrange(len(legal))])
    return compared


def test_receiver_cannot_tell_a_fake_from_a_real_implementation_in_random_games():
    """Every time random play could fake an item, faking and implementing look the same to the receiver."""
    sc = scenario(open_at_start(*ALL, trust=60), events=None)
    assert _fake_or_real_scan(sc, 60) >= 10


def test_an_items_tension_effect_does_not_give_a_fake_away():
    """An unverifiable item with a tension effect: faking it moves tension exactly as implementing it does."""
    def edit(raw):
        open_at_start(*ALL, trust=60)(raw)
        for i in raw["items"]:
            if i["id"] == "test_site":
                i["tension"] = -1
    sc = scenario(edit)
    g_real = Game(sc).play("us propose working", "us get test_site", "us send", "us pass", "dprk accept",
                           "dprk implement test_site")
    g_fake = Game(sc).play("us propose working", "us get test_site", "us send", "us pass", "dprk accept",
                           "dprk fake test_site")
    assert g_real.state.tension == g_fake.state.tension
    assert g_real.state.tension == new_game(sc, 1).tension - 3  # deal signed, drift, then the item itself
    assert view(g_real.state, "us").to_dict() == view(g_fake.state, "us").to_dict()


def test_sample_state_is_consistent_with_the_view():
    """A state determinized from a side's view shows that side the same view and the same legal actions."""
    import random

    from game.engine import apply
    from game.view import sample_state
    from tests.helpers import edits, setting

    sc = scenario(edits(open_at_start(*ALL, trust=60), setting("groundwork.needed", 0)), events=None)
    checked = 0
    # 6 seeds (about 750 positions, every outcome, claims ruled out on two) check what 15 did: more seeds repeat it
    for seed in range(6):
        s = new_game(sc, seed)
        rng = random.Random(seed)
        while not s.is_over:
            side = s.to_move if rng.random() < 0.5 else s.other(s.to_move)
            v = view(s, side)
            sampled = sample_state(v, sc, random.Random(checked))
            assert view(sampled, side).to_dict() == v.to_dict()
            if side == s.to_move:
                assert legal_actions(sampled) == legal_actions(s)
            ruled = set(v.ruled_out)
            other = s.other(side)
            decks = [d.id for d in sc.decks if d.side == other]
            assert not {(d, c) for d, c in zip(decks, sampled.agendas[s.side_index(other)])} & ruled
            checked += 1
            legal = legal_actions(s)
            keen = [a for a in legal if a.verb in ("accept", "implement", "send", "give", "get", "propose", "meet")]
            pool = keen if keen and rng.random() < 0.8 else legal
            s, _ = apply(s, pool[rng.randrange(len(pool))])
    assert checked > 500


def test_sample_state_follows_card_weights():
    """sample_state draws the other side's hidden cards from the given weights."""
    import random

    from game.view import sample_state

    s = new_game(default_scenario(), 2)
    v = view(s, "us")
    weights = {"motive": {"economic_line": 1.0}, "intent": {"trap": 3.0, "sincere": 1.0}}
    draws = [sample_state(v, default_scenario(), random.Random(k), card_weights=weights).agendas[1] for k in range(200)]
    assert {m for m, _ in draws} == {"economic_line"}
    traps = sum(i == "trap" for _, i in draws)
    assert 120 <= traps <= 180


def _perturb_every_secret(state, rng: random.Random):
    """A state that differs from `state` in everything the room may not see (test-only, built with clone())."""
    from game.engine import tables
    from game.state import Draft

    T = tables(state.scenario)
    s = state.clone()
    s.agendas = tuple(tuple(rng.choice(d.cards).id for d in T.decks_of[side]) for side in T.sides)
    s.commitments = tuple(c._replace(done=rng.random() < 0.5) if c.status == "claimed" else c for c in s.commitments)
    s.ruled_out = tuple(tuple((d.id, c.id) for d in T.decks_of[T.other[side]] for c in d.cards if rng.random() < 0.3)
                        for side in T.sides)
    if s.draft is not None:
        free = [i for i in T.item_order if rng.random() < 0.2]
        s.draft = Draft(s.draft.channel, tuple(free[:1]), tuple(free[1:3]), s.draft.counter)
    s.rng = rng.getrandbits(64)
    rest = list(s.deck[s.round:])
    rng.shuffle(rest)
    s.deck = s.deck[:s.round] + tuple(rest)
    return s


def test_the_public_view_holds_no_secret():
    """The room's view: no agenda card, no truth of a claim, no draft, no intelligence, no score by a card.

    Checked the strong way: changing every secret of both sides leaves the public view unchanged.
    """
    from game.view import PUBLIC

    sc = scenario(open_at_start(*ALL, trust=50), events=None)
    checked = 0
    for seed in range(6):
        s = new_game(sc, seed)
        rng = random.Random(seed)
        while True:
            v = view(s, PUBLIC)
            d = v.to_dict()
            if not s.is_over:
                assert view(_perturb_every_secret(s, rng), PUBLIC).to_dict() == d
                assert v.agenda == () and v.draft is None and v.ruled_out == () and v.legal == () and v.ap == 0
                assert v.my_score is None and v.score_parts == () and v.final_scores is None
                assert all(c.done is None for c in v.commitments if c.status == "claimed")
                texts = {c.text for deck in sc.decks for c in deck.cards}
                assert not texts & set(json.dumps(d).split('"'))
                checked += 1
            else:
                assert v.final_scores is not None and len(v.agenda) == 3  # revealed to all at the end
                break
            legal = legal_actions(s)
            keen = [a for a in legal if a.verb in ("accept", "implement", "fake", "send", "give", "get", "propose",
                                                   "intel")]
            pool = keen if keen and rng.random() < 0.8 else legal
            s, _ = apply(s, pool[rng.randrange(len(pool))])
    assert checked > 200


def test_score_parts_include_the_ending_as_it_stands():
    """A side's score so far ends with the ending as things stand: the final trust, or peace once it is in force."""
    from game.state import Commitment

    s = new_game(scenario(open_at_start(*ALL, trust=40)), 1)
    v = view(s, "us")
    assert v.score_parts[-1] == ("final trust, as things stand", s.trust_index() / s.scenario.outcomes.plain_trust_divisor)
    assert v.my_score == round(sum(x for _, x in v.score_parts), 2)
    s2 = s.clone()
    s2.commitments = (Commitment("peace_treaty", "us", "dprk", "hotline", 1, 1, "claimed", False, 1),)
    assert view(s2, "dprk").score_parts[-1] == ("peace, as things stand", s.scenario.outcomes.peace)  # believed
    assert view(s2, "us").score_parts[-1][0] == "final trust, as things stand"  # the US knows it is a fake
    assert view(s2, SPECTATOR).score_parts == ()
