"""One test (or table) per rule of GAME.md, each on a small inline scenario driven through `apply`.

Every scenario here is the default file with a few numbers changed (see tests/helpers.py):
by default its event deck is all quiet months, so nothing random interferes. Positions are
reached by real play; the few tests that build a position with `State.clone()` say so.
"""

from __future__ import annotations

import pytest

from game.engine import apply, explain_illegal, legal_actions, new_game, score_breakdown, scores
from game.actions import IllegalActionError
from game.state import Commitment
from tests.helpers import A, Game, edits, legal_texts, open_at_start, scenario, setting

ALL = ("hotline", "working", "exchange")


def no_drift_or_trust_moves(raw: dict) -> None:
    """An edit that stops the end-of-round drift, decay and diffusion (to isolate one rule)."""
    raw["tension"]["drift"] = 0
    raw["trust"]["diffusion"] = 0.0
    for c in raw["channels"]:
        c["decay"] = 0


def gives(state, side=None) -> set[str]:
    """Items the side to move may add as its own in the current draft."""
    side = side or state.to_move
    return {a.item for a in legal_actions(state) if a.verb == "give" and a.side == side}


def gets(state) -> set[str]:
    """Items the side to move may ask for in the current draft."""
    return {a.item for a in legal_actions(state) if a.verb == "get"}


def kinds(happenings) -> list[str]:
    """The kinds of a list of happenings."""
    return [h.kind for h in happenings]


# ---------------------------------------------------------------- channels

@pytest.mark.parametrize("ch", ["working", "exchange"])
def test_open_a_channel_needs_the_other_side_to_accept(ch):
    """Opening costs 1 AP; the other side answers at the start of its turn; accepted, it opens at trust 10."""
    g = Game(scenario()).do(f"us open {ch}")
    assert g.state.ap == 1 and not g.state.is_open[g.state.channel_index(ch)]
    g.do("us pass")
    assert g.state.to_move == "dprk" and g.state.phase == "answer"
    assert legal_texts(g.state) == ["dprk accept", "dprk reject"]
    g.do("dprk accept")
    assert g.trust[ch] == 10 and g.state.is_open[g.state.channel_index(ch)]
    assert "channel_opened" in kinds(g.state.happened)


def test_open_a_channel_rejected_stays_closed():
    """A rejected opening leaves the channel closed and the proposal gone."""
    g = Game(scenario()).do("us open working", "us pass", "dprk reject")
    assert not any(g.state.is_open) and g.state.proposals == ()
    assert g.state.phase == "act" and g.state.to_move == "dprk"


@pytest.mark.parametrize("working_trust,may_open", [(0, False), (29, False), (30, True), (60, True)])
def test_hotline_needs_working_trust_30(working_trust, may_open):
    """The hotline can be proposed only once working-level trust is 30 or more."""
    sc = scenario(open_at_start("working", trust=working_trust))
    s = new_game(sc, 1)
    assert ("us open hotline" in legal_texts(s)) is may_open
    if not may_open:
        with pytest.raises(IllegalActionError, match="Working-level meetings trust of 30"):
            apply(s, A("us open hotline"))


def test_hotline_opened_by_real_meetings():
    """Working-level meetings lift working trust to 30, after which the hotline may be opened and accepted."""
    sc = scenario(edits(open_at_start("working", trust=10), no_drift_or_trust_moves))
    g = Game(sc)
    for a, b in (("end_of_war", "peace_treaty"), ("declaration", "reactor_freeze")):  # four meetings a round: +16
        g.play(f"us meet {a}", f"us meet {b}", f"dprk meet {a}", f"dprk meet {b}")
    assert g.trust["working"] >= 30
    g.play("us open hotline", "dprk accept")
    assert g.trust["hotline"] == 10


@pytest.mark.parametrize("hotline_trust,delta", [(10, -1), (49, -1), (50, -2), (80, -2)])
def test_hotline_call_lowers_tension(hotline_trust, delta):
    """A hotline call: tension -1, or -2 when hotline trust is 50 or more; hotline trust +6."""
    sc = scenario(open_at_start("hotline", trust=hotline_trust))
    s0 = new_game(sc, 1)
    s1, _ = apply(s0, A("us call"))
    assert s1.tension == s0.tension + delta
    assert s1.trust[0] == hotline_trust + 6
    assert s1.ap == 1


def test_meeting_adds_shared_groundwork():
    """A working-level meeting adds +4 working trust and one groundwork point, shared by both sides."""
    sc = scenario(open_at_start("working", trust=20))
    g = Game(sc).do("us meet peace_treaty")
    idx = [i.id for i in sc.items].index("peace_treaty")
    assert g.state.groundwork[idx] == 1 and g.trust["working"] == 24
    g.do("us pass").do("dprk meet peace_treaty")
    assert g.state.groundwork[idx] == 2
    # Groundwork is complete: no more meetings on that item are offered.
    assert "dprk meet peace_treaty" not in legal_texts(g.state)
    assert "dprk meet end_of_war" in legal_texts(g.state)


def test_exchange_builds_exchange_trust():
    """A cultural exchange: +3 exchange trust."""
    g = Game(scenario(open_at_start("exchange", trust=20))).do("us exchange")
    assert g.trust["exchange"] == 23


@pytest.mark.parametrize("tension,action,ch,gain", [
    (7, "us meet end_of_war", "working", 4), (8, "us meet end_of_war", "working", 2),
    (7, "us exchange", "exchange", 3), (8, "us exchange", "exchange", 1.5),
    (7, "us call", "hotline", 6), (9, "us call", "hotline", 3),
])
def test_use_gains_halved_at_high_tension(tension, action, ch, gain):
    """Channel gains are halved while tension is 8 or more."""
    sc = scenario(edits(open_at_start(*ALL, trust=20), setting("tension.start", tension)))
    s0 = new_game(sc, 1)
    s1, _ = apply(s0, A(action))
    ci = s0.channel_index(ch)
    assert s1.trust[ci] - s0.trust[ci] == gain


# ---------------------------------------------------------------- promises

def _deal_through(ch: str, *, trust: int = 50, edit=None):
    """All channels open; the US offers aid for remains through `ch`; the DPRK accepts in round 1."""
    sc = scenario(edits(open_at_start(*ALL, trust=trust), no_drift_or_trust_moves, *(e for e in [edit] if e)))
    return Game(sc).play(f"us propose {ch}", "us give aid", "us get remains", "us send", "us pass", "dprk accept")


@pytest.mark.parametrize("ch", ALL)
def test_kept_promise_raises_its_channel_8_and_others_4(ch):
    """Implementing on time: +8 on the deal's channel, +4 on every other open channel."""
    g = _deal_through(ch).to_round(2)
    assert g.state.to_move == "dprk" and g.state.phase == "settle"
    before = g.trust
    g.do("dprk implement remains")
    after = g.trust
    assert {c: after[c] - before[c] for c in ALL} == {c: (8 if c == ch else 4) for c in ALL}
    assert g.commitments["remains"].status == "verified"


@pytest.mark.parametrize("ch", ALL)
def test_broken_promise_costs_25_and_10_and_tension(ch):
    """Breaking: -25 on the deal's channel, -10 on every other, tension +1, and the board counts it."""
    g = _deal_through(ch).to_round(2)
    before, tension = g.trust, g.state.tension
    g.do("dprk break remains")
    after = g.trust
    assert {c: after[c] - before[c] for c in ALL} == {c: (-25 if c == ch else -10) for c in ALL}
    assert g.state.tension == tension + 1
    assert g.state.broken == (0, 1)
    assert g.commitments["remains"].status == "broken"
    assert "broken" in kinds(g.state.happened)


def test_unused_open_channels_decay():
    """At the end of a round an unused open channel decays: hotline -3, working -2, exchange -1; a used one does not."""
    sc = scenario(edits(open_at_start(*ALL, trust=50), setting("trust.diffusion", 0.0)))
    g = Game(sc).to_round(2)
    assert g.trust == {"hotline": 47, "working": 48, "exchange": 49}
    g.play("dprk meet end_of_war").to_round(3)
    assert g.trust == {"hotline": 44, "working": 52, "exchange": 48}


def test_closed_channels_do_not_decay_and_a_channel_opened_this_round_counts_as_used():
    """Decay touches only open channels, and opening is a use."""
    sc = scenario(setting("trust.diffusion", 0.0))
    g = Game(sc).play("us open working", "dprk accept").to_round(2)
    assert g.trust == {"hotline": 0, "working": 10, "exchange": 0}
    g.to_round(3)
    assert g.trust["working"] == 8


def test_diffusion_moves_10_percent_toward_the_mean_of_the_other_open_channels():
    """Diffusion: each open channel closes 10% of the gap to the mean of the other open channels."""
    def no_decay(raw):
        for c in raw["channels"]:
            c["decay"] = 0
    sc = scenario(edits(open_at_start(*ALL, trust=50), no_decay))
    g = Game(sc).play("us meet end_of_war", "us meet peace_treaty").to_round(2)  # working 58 before resolution
    assert g.trust == {"hotline": 50.4, "working": 57.2, "exchange": 50.4}


def test_diffusion_ignores_closed_channels():
    """With only two channels open each diffuses toward the other alone."""
    def no_decay(raw):
        for c in raw["channels"]:
            c["decay"] = 0
    sc = scenario(edits(open_at_start("working", "exchange", trust=50), no_decay))
    g = Game(sc).play("us meet end_of_war", "us meet peace_treaty").to_round(2)  # working 58, exchange 50
    assert g.trust == {"hotline": 0, "working": 57.2, "exchange": 50.8}


@pytest.mark.parametrize("open_channels,index", [
    ((), 0), (("hotline",), 20), (("working",), 17.5), (("exchange",), 12.5),
    (("hotline", "working"), 37.5), (ALL, 50),
])
def test_trust_index_weights(open_channels, index):
    """Trust index: hotline 0.40, working 0.35, exchange 0.25; a closed channel counts 0."""
    s = new_game(scenario(open_at_start(*open_channels, trust=50)), 1)
    assert s.trust_index() == index


# ---------------------------------------------------------------- deals

US_SOFT = {"aid", "travel"}
US_TECH = {"liaison_office", "exercise_suspension", "partial_relief"}


@pytest.mark.parametrize("ch,expected", [
    ("exchange", US_SOFT), ("working", US_SOFT | US_TECH), ("hotline", US_SOFT | US_TECH),
])
def test_channel_tiers_limit_a_deal(ch, expected):
    """Exchange carries soft items, working-level soft and technical, the hotline all (strategic need groundwork)."""
    s = Game(scenario(open_at_start(*ALL, trust=100))).do(f"us propose {ch}").state
    assert s.phase == "draft"
    assert gives(s) == expected


def test_hotline_carries_strategic_items_with_groundwork_2():
    """With groundwork 2 on the end-of-war declaration, the hotline (but not working level) may carry it."""
    sc = scenario(open_at_start(*ALL, trust=100))
    g = Game(sc).play("us meet end_of_war", "us pass", "dprk meet end_of_war", "dprk pass")
    g.to_turn(2, "us").do("us propose working")
    assert "end_of_war" not in gives(g.state)
    g.do("us cancel", "us propose hotline")
    assert "end_of_war" in gives(g.state)
    assert "security_guarantee" not in gives(g.state)  # no groundwork on it


@pytest.mark.parametrize("groundwork,offered", [(0, False), (1, False), (2, True)])
def test_strategic_items_need_groundwork_2(groundwork, offered):
    """Strategic items may be put in a deal only with groundwork 2."""
    sc = scenario(open_at_start(*ALL, trust=100))
    g = Game(sc)
    meets = ["us meet declaration", "dprk meet declaration"][:groundwork]
    g.play(*meets).to_turn(2 if groundwork else 1, "dprk")
    g.do("dprk propose hotline")
    assert ("declaration" in gives(g.state)) is offered
    if not offered:
        with pytest.raises(IllegalActionError, match="groundwork 2"):
            apply(g.state, A("dprk give declaration"))


@pytest.mark.parametrize("trust,offered", [
    (9, {"aid"}), (10, {"aid", "travel"}), (24, {"aid", "travel", "exercise_suspension"}),
    (25, {"aid", "travel", "exercise_suspension", "liaison_office"}), (35, US_SOFT | US_TECH),
])
def test_trust_index_must_reach_each_items_minimum(trust, offered):
    """An item may go into a deal only when the trust index reaches its minimum trust."""
    g = Game(scenario(open_at_start(*ALL, trust=trust))).do("us propose working")
    assert gives(g.state) == offered
    if "travel" not in offered:
        with pytest.raises(IllegalActionError, match="easing of travel limits needs a trust index of 10"):
            apply(g.state, A("us give travel"))


def test_prerequisites_gate_items():
    """A peace treaty can be offered only once the end-of-war declaration is in force (as both sides see it)."""
    sc = scenario(edits(open_at_start(*ALL, trust=100), setting("groundwork.needed", 0)))
    g = Game(sc).do("us propose hotline")
    assert "end_of_war" in gives(g.state) and "peace_treaty" not in gives(g.state)
    g.do("us give end_of_war", "us send", "us pass", "dprk accept")
    assert g.commitments["end_of_war"].due == 3
    g.to_turn(2, "us").do("us propose hotline")
    assert "peace_treaty" not in gives(g.state)  # agreed but not yet implemented
    g.do("us cancel").to_round(3)
    g.do("us implement end_of_war")  # unverifiable: claimed, and publicly in force
    assert g.commitments["end_of_war"].status == "claimed"
    g.do("us propose hotline")
    assert "peace_treaty" in gives(g.state)


def test_answer_accept_reject_counter_once():
    """The answer to a deal: accept, reject or counter; a counter can only be accepted or rejected."""
    sc = scenario(open_at_start(*ALL, trust=50))
    g = Game(sc).play("us propose working", "us give aid", "us get remains", "us send", "us pass")
    assert g.state.phase == "answer" and legal_texts(g.state) == ["dprk accept", "dprk reject", "dprk counter"]
    g.do("dprk counter")
    assert g.state.phase == "draft" and "dprk cancel" not in legal_texts(g.state)
    assert g.state.proposals == ()
    g.do("dprk get aid", "dprk get travel", "dprk give remains", "dprk send")
    assert g.state.proposals[0].counter and g.state.proposals[0].give == ("remains",)
    # The US answers the counter at the start of its own next turn, in round 2.
    g.until(lambda s: s.to_move == "us")
    assert g.state.round == 2 and g.state.phase == "answer"
    assert legal_texts(g.state) == ["us accept", "us reject"]
    g.do("us accept")
    assert {c.item: (c.giver, c.due) for c in g.state.commitments} == {
        "remains": ("dprk", 3), "aid": ("us", 3), "travel": ("us", 3)}


def test_rejected_deal_leaves_no_commitment():
    """A rejected deal makes no commitment and its items may be offered again."""
    sc = scenario(open_at_start(*ALL, trust=50))
    g = Game(sc).play("us propose working", "us give aid", "us send", "us pass", "dprk reject")
    assert g.state.commitments == () and g.state.proposals == ()
    g.do("dprk propose working")
    assert "aid" in gets(g.state)


def test_signed_deal_lowers_tension():
    """A signed deal: tension -1."""
    sc = scenario(open_at_start(*ALL, trust=50))
    g = Game(sc).play("us propose working", "us give aid", "us send", "us pass")
    t = g.state.tension
    g.do("dprk accept")
    assert g.state.tension == t - 1


@pytest.mark.parametrize("give,due", [("aid", 2), ("exercise_suspension", 2), ("end_of_war", 3)])
def test_commitments_fall_due_next_round_strategic_in_two(give, due):
    """Agreed items fall due next round; strategic items in two."""
    sc = scenario(edits(open_at_start(*ALL, trust=100), setting("groundwork.needed", 0)))
    g = Game(sc).play("us propose hotline", f"us give {give}", "us send", "us pass", "dprk accept")
    assert g.commitments[give].due == due
    g.until(lambda s: s.phase == "settle")
    assert g.state.round == due and g.state.to_move == "us"
    assert f"us implement {give}" in legal_texts(g.state) and f"us break {give}" in legal_texts(g.state)


@pytest.mark.parametrize("item_id,action,status,done", [
    ("remains", "implement", "verified", True),
    ("remains", "break", "broken", False),
    ("test_site", "implement", "claimed", True),
    ("test_site", "fake", "claimed", False),
    ("test_site", "break", "broken", False),
])
def test_implement_break_fake(item_id, action, status, done):
    """Implement (verified, or claimed if unverifiable), break, or fake (only an unverifiable item)."""
    sc = scenario(open_at_start(*ALL, trust=50))
    g = Game(sc).play("us propose working", f"us get {item_id}", "us send", "us pass", "dprk accept").to_round(2)
    assert g.state.phase == "settle"
    legal = legal_texts(g.state)
    assert ("dprk fake " + item_id in legal) is (item_id == "test_site")
    g.do(f"dprk {action} {item_id}")
    c = g.commitments[item_id]
    assert (c.status, c.done) == (status, done)


def test_fake_is_refused_for_verifiable_items():
    """A verifiable item cannot be claimed without being done."""
    sc = scenario(open_at_start(*ALL, trust=50))
    g = Game(sc).play("us propose working", "us get remains", "us send", "us pass", "dprk accept").to_round(2)
    with pytest.raises(IllegalActionError, match="verifiable"):
        apply(g.state, A("dprk fake remains"))


def test_claim_earns_kept_promise_trust_until_exposed():
    """A false claim earns the trust of a kept promise; exposure is then a broken promise."""
    sc = scenario(edits(open_at_start(*ALL, trust=50), no_drift_or_trust_moves, setting("sides.0.intelligence.1.chance", 1.0)))
    g = Game(sc).play("us propose working", "us get test_site", "us send", "us pass", "dprk accept").to_round(2)
    before = g.trust
    g.do("dprk fake test_site")
    assert {c: g.trust[c] - before[c] for c in ALL} == {"hotline": 4, "working": 8, "exchange": 4}
    g.until(lambda s: s.to_move == "us" and s.phase == "act")
    before, tension = g.trust, g.state.tension
    g.do("us intel claim test_site")
    assert g.commitments["test_site"].status == "exposed"
    assert {c: g.trust[c] - before[c] for c in ALL} == {"hotline": -10, "working": -25, "exchange": -10}
    assert g.state.tension == tension + 1 and g.state.broken == (0, 1)


@pytest.mark.parametrize("how,status", [("fake", "exposed"), ("implement", "verified")])
def test_inspectors_check_every_open_claim(how, status):
    """Once inspectors are in force, every open claim is checked at the end of each round."""
    sc = scenario(open_at_start(*ALL, trust=50))
    g = Game(sc).play("us propose working", "us get test_site", "us get inspectors", "us send", "us pass",
                      "dprk accept").to_round(2)
    g.do(f"dprk {how} test_site", "dprk implement inspectors")
    assert g.commitments["test_site"].status == "claimed"
    g.to_round(3)
    assert g.commitments["test_site"].status == status
    assert any(h.kind == ("exposed" if how == "fake" else "verified") and h.data.get("by") == "inspectors"
               for h in g.happenings)


def test_claims_stay_unchecked_without_inspectors():
    """Without inspectors (and with quiet months only) a false claim stays 'claimed' to the end."""
    sc = scenario(open_at_start(*ALL, trust=50))
    g = Game(sc).play("us propose working", "us get test_site", "us send", "us pass", "dprk accept",
                      "dprk fake test_site").finish()
    assert g.commitments["test_site"].status == "claimed" and not g.commitments["test_site"].done


# ---------------------------------------------------------------- intelligence

def test_intelligence_rules_out_motives_that_are_not_the_true_one():
    """Each 'intel motive' rules out a motive other than the DPRK's, privately, until only the true one is left."""
    sc = scenario()
    for seed in range(12):
        g = Game(sc, seed)
        true_motive = g.state.agendas[1][0]
        ruled = []
        for n in range(5):
            k = len(g.happenings)
            g.play("us intel motive")
            intel = [h for h in g.since(k) if h.kind == "intel"]
            assert len(intel) == 1 and intel[0].to == "us"
            ruled.append(intel[0].data["card"])
        assert true_motive not in ruled and len(set(ruled)) == 5
        assert [c for _, c in g.state.ruled_out[0]] == ruled
        g.until(lambda s: s.to_move == "us" and s.phase == "act")
        assert "us intel motive" not in legal_texts(g.state)


def test_dprk_reads_washington():
    """The DPRK's intelligence rules out a US domestic card that is not the US's."""
    for seed in range(8):
        g = Game(scenario(), seed).play("dprk intel washington")
        (deck, card), = g.state.ruled_out[1]
        assert deck == "domestic" and card != g.state.agendas[0][0]


@pytest.mark.parametrize("chance,resolved", [(1.0, True), (0.0, False)])
def test_intelligence_checks_a_claim_with_its_chance(chance, resolved):
    """'intel claim' learns the truth of an unverified claim with the scenario's chance (60% by default)."""
    sc = scenario(edits(open_at_start(*ALL, trust=50), setting("sides.0.intelligence.1.chance", chance)))
    g = Game(sc).play("us propose working", "us get test_site", "us send", "us pass", "dprk accept",
                      "dprk implement test_site", "us intel claim test_site")
    assert g.commitments["test_site"].status == ("verified" if resolved else "claimed")
    if not resolved:
        assert any(h.kind == "intel" and h.to == "us" for h in g.state.happened)


def test_intelligence_claim_check_succeeds_about_60_percent():
    """Over many seeds the default claim check learns the truth about 60% of the time."""
    sc = scenario(open_at_start(*ALL, trust=50))
    hits = 0
    n = 80
    for seed in range(n):
        g = Game(sc, seed).play("us propose working", "us get test_site", "us send", "us pass", "dprk accept",
                                "dprk fake test_site", "us intel claim test_site")
        hits += g.commitments["test_site"].status == "exposed"
    assert 0.45 * n <= hits <= 0.75 * n


# ---------------------------------------------------------------- pressure and reversal

def test_pressure_raises_tension_and_costs_every_open_channel_5():
    """Pressure: tension +1 and every open channel -5."""
    sc = scenario(open_at_start("working", "exchange", trust=50))
    s0 = new_game(sc, 1)
    s1, _ = apply(s0, A("us pressure sanctions"))
    assert s1.tension == s0.tension + 1
    assert s1.trust == (0.0, 45.0, 45.0)


@pytest.mark.parametrize("side,move,tag,other", [("us", "sanctions", "relief", "dprk"), ("dprk", "threat", "moratorium", "us")])
def test_pressure_boosts_the_other_sides_values_at_most_3(side, move, tag, other):
    """US pressure raises the DPRK's value of relief by 1, DPRK pressure the US's of moratoria; at most +3 a game."""
    sc = scenario(setting("tension.crisis", 30))
    g = Game(sc)
    for _ in range(5):
        g.play(f"{side} pressure {move}")
    assert sum(a for s, t, a in g.state.bonuses if (s, t) == (other, tag)) == 3
    assert g.state.boost_used[g.state.side_index(side)] == 3


def test_missile_test_breaks_the_missile_moratorium():
    """A missile test while the moratorium is in force breaks it: -25/-10, tension +1 for the promise and +1 for the test."""
    sc = scenario(edits(open_at_start(*ALL, trust=50), no_drift_or_trust_moves))
    g = Game(sc).play("us propose working", "us get missile_moratorium", "us send", "us pass", "dprk accept")
    # Every pressure move is always there; with nothing in force to break, a missile test is just pressure.
    early, _ = apply(g.state, A("dprk pressure missile_test"))
    assert early.broken == (0, 0) and [c.status for c in early.commitments] == ["pending"]
    g.play("dprk implement missile_moratorium")
    assert "dprk pressure missile_test" in legal_texts(g.state)
    before, tension = g.trust, g.state.tension
    g.do("dprk pressure missile_test")
    assert g.commitments["missile_moratorium"].status == "broken"
    assert {c: g.trust[c] - before[c] for c in ALL} == {"hotline": -15, "working": -30, "exchange": -15}
    assert g.state.tension == tension + 2 and g.state.broken == (0, 1)


def test_show_of_force_breaks_the_exercise_suspension():
    """A show of force while exercises are suspended breaks that promise."""
    sc = scenario(open_at_start(*ALL, trust=50))
    g = Game(sc).play("us propose working", "us give exercise_suspension", "us send", "us pass", "dprk accept",
                      "us implement exercise_suspension", "us pressure show_of_force")
    assert g.commitments["exercise_suspension"].status == "broken" and g.state.broken == (1, 0)


def test_reverse_is_a_broken_promise_and_dependents_fall():
    """Reversing partial relief counts as a broken promise and full relief, which needs it, falls with it."""
    sc = scenario(edits(open_at_start(*ALL, trust=100), setting("groundwork.needed", 0), no_drift_or_trust_moves))
    g = Game(sc).play("us propose working", "us give partial_relief", "us send", "us pass", "dprk accept",
                      "us implement partial_relief")
    assert "us reverse partial_relief" in legal_texts(g.state)
    g.play("us propose hotline", "us give full_relief", "us send", "us pass", "dprk accept")
    g.play("us implement full_relief")
    assert g.commitments["full_relief"].publicly_in_force
    before, tension = g.trust, g.state.tension
    g.play("us reverse partial_relief")
    assert g.commitments["partial_relief"].status == "reversed"
    assert g.commitments["full_relief"].status == "fallen"
    assert g.state.broken == (1, 0) and g.state.tension == tension + 1
    assert {c: g.trust[c] - before[c] for c in ALL} == {"hotline": -10, "working": -25, "exchange": -10}


def test_only_reversible_items_in_force_can_be_reversed():
    """Aid (not reversible) offers no reverse action."""
    sc = scenario(open_at_start(*ALL, trust=50))
    g = Game(sc).play("us propose working", "us give aid", "us send", "us pass", "dprk accept", "us implement aid")
    assert not any(a.verb == "reverse" for a in legal_actions(g.state))


# ---------------------------------------------------------------- summits

@pytest.mark.parametrize("working,tension,allowed", [
    (39, 4, False), (40, 4, True), (40, 6, True), (40, 7, False),
])
def test_summit_conditions(working, tension, allowed):
    """A summit needs working-level trust 40 and tension 6 or less."""
    sc = scenario(edits(open_at_start("working", trust=working), setting("tension.start", tension)))
    s = new_game(sc, 1)
    assert ("us summit" in legal_texts(s)) is allowed


def _summit_game(**kw):
    sc = scenario(edits(open_at_start("working", trust=50), setting("tension.drift", 0)), **kw)
    return Game(sc).play("us summit", "us pass", "dprk accept")


def test_summit_opens_the_hotline_and_gives_legitimacy():
    """An accepted summit opens the next round: hotline opened (at opened_at, here 50) and +10, DPRK legitimacy +1."""
    g = _summit_game()
    assert g.state.summit_next == 2
    g.to_round(2)
    assert g.state.summit_round and g.state.summits == 1 and g.state.last_summit == 2
    assert g.trust["hotline"] == 60 and g.state.is_open[0]
    assert g.state.legitimacy == (0, 1)
    assert "summit" in kinds(g.happenings)


def test_summit_lifts_an_open_hotline_by_10():
    """With the hotline already open the summit adds 10 to its trust."""
    sc = scenario(edits(open_at_start("working", "hotline", trust=50), setting("tension.drift", 0),
                        setting("trust.diffusion", 0.0)))
    g = Game(sc).play("us summit", "us pass", "dprk accept").to_round(2)
    assert g.trust["hotline"] == 47 + 10


def test_summit_cooldown_3_rounds():
    """No summit may be proposed within 3 rounds of the last."""
    sc = scenario(edits(open_at_start("working", trust=90), setting("tension.drift", 0)))
    g = Game(sc).play("us summit", "dprk accept").to_round(2)
    for r in (2, 3, 4, 5):
        g.to_round(r)
        assert "us summit" not in legal_texts(g.until(lambda s: s.to_move == "us" and s.phase == "act").state)
    g.to_round(6).until(lambda s: s.to_move == "us" and s.phase == "act")
    assert "us summit" in legal_texts(g.state)


def test_strategic_items_may_be_agreed_at_the_summit():
    """In a summit round a deal 'at the summit' may carry strategic items with groundwork."""
    sc = scenario(edits(open_at_start("working", "exchange", trust=100), setting("tension.drift", 0)))
    g = Game(sc).play("us meet end_of_war", "us summit", "dprk accept", "dprk meet end_of_war").to_round(2)
    g.until(lambda s: s.to_move == "dprk" and s.phase == "act")
    assert "dprk propose summit" in legal_texts(g.state)
    g.do("dprk propose summit")
    assert "end_of_war" in gets(g.state)
    g.do("dprk get end_of_war", "dprk send")
    g.play("us accept")
    c = g.commitments["end_of_war"]
    assert (c.channel, c.due) == ("summit", 4)


# ---------------------------------------------------------------- events

@pytest.mark.parametrize("hotline,tension", [(None, 6), (39, 6), (40, 5)])
def test_spike_halved_with_a_trusted_hotline(hotline, tension):
    """A spike of +2 is halved (rounding down) when the hotline is open with trust 40 or more."""
    edit = open_at_start("hotline", trust=hotline) if hotline is not None else None
    s = new_game(scenario(edit, events="hardliner_launch"), 1)
    assert s.tension == tension


def test_exercises_averted_while_suspension_in_force():
    """Scheduled exercises add 2 tension, unless the exercise suspension is in force."""
    sc = scenario(open_at_start(*ALL, trust=30), events="joint_exercises")
    g = Game(sc)
    assert g.state.tension == 6
    g.play("us propose working", "us give exercise_suspension", "us send", "us pass", "dprk accept",
           "us implement exercise_suspension")
    t = g.state.tension
    k = len(g.happenings)
    g.to_round(3)
    assert "averted" in kinds(g.since(k))
    assert g.state.tension == t - 1  # only the drift


@pytest.mark.parametrize("open_before,trust", [(False, 10), (True, 38)])
def test_sports_diplomacy(open_before, trust):
    """Sports diplomacy opens a closed exchange channel, or adds 8 to an open one."""
    edit = open_at_start("exchange", trust=30) if open_before else None
    s = new_game(scenario(edit, events="sports_diplomacy"), 1)
    assert s.is_open[2] and s.trust[2] == trust


def test_typhoon_lets_the_us_give_aid_at_no_action_point():
    """The typhoon: the US may give aid this round at no action point; once given it is in force."""
    g = Game(scenario(events="typhoon"))
    assert "us gift aid" in legal_texts(g.state)
    g.do("us gift aid")
    assert g.state.ap == 2
    assert g.commitments["aid"].status == "verified"
    assert "us gift aid" not in legal_texts(g.state)
    g.to_round(2)
    assert not any(a.verb == "gift" for a in legal_actions(g.until(lambda s: s.to_move == "us").state))


def test_typhoon_gift_expires_with_the_round():
    """An unused typhoon gift is gone next round (unless another typhoon comes)."""
    g = Game(scenario(events=["typhoon"] + ["quiet_month"] * 11), 1)
    typhoon_round = g.state.deck.index("typhoon") + 1
    g.to_round(typhoon_round).until(lambda s: s.to_move == "us" and s.phase == "act")
    assert "us gift aid" in legal_texts(g.state)
    if typhoon_round < 12:
        g.to_round(typhoon_round + 1).until(lambda s: s.to_move == "us" and s.phase == "act")
        assert "us gift aid" not in legal_texts(g.state)


def test_midterms_leave_the_us_one_action_point():
    """US midterms: the US has 1 action point this round."""
    g = Game(scenario(events="us_midterms"))
    assert g.state.to_move == "us" and g.state.ap == 1
    g.do("us pass")
    assert g.state.to_move == "dprk" and g.state.ap == 2


@pytest.mark.parametrize("chance,how,status", [
    (1.0, "fake", "exposed"), (1.0, "implement", "verified"), (0.0, "fake", "claimed"),
])
def test_satellite_pass_reveals_a_claim(chance, how, status):
    """A satellite pass exposes or confirms an unverified claim with its chance."""
    def edit(raw):
        open_at_start(*ALL, trust=50)(raw)
        for e in raw["events"]:
            e["effects"][0]["chance"] = chance
    g = Game(scenario(edit, events="satellite_pass"))
    g.play("us propose working", "us get test_site", "us send", "us pass", "dprk accept", f"dprk {how} test_site")
    g.to_round(3)
    assert g.commitments["test_site"].status == status


def test_inter_korean_meeting():
    """An inter-Korean meeting: tension -1 and +3 on every open channel."""
    s = new_game(scenario(open_at_start("working", trust=20), events="inter_korean_meeting"), 1)
    assert s.tension == 3 and s.trust == (0.0, 23.0, 0.0)


def test_beijing_tightens_the_border():
    """Beijing tightens the border: the DPRK values relief 1 more."""
    s = new_game(scenario(events="beijing_border"), 1)
    assert s.bonuses == (("dprk", "relief", 1),)


# ---------------------------------------------------------------- tension and the end

def test_tension_drifts_down_each_round_to_zero():
    """Every round's resolution lowers tension by 1, never below 0."""
    g = Game(scenario())
    seen = []
    for r in range(2, 8):
        g.to_round(r)
        seen.append(g.state.tension)
    assert seen == [3, 2, 1, 0, 0, 0]


@pytest.mark.parametrize("script", [
    ["us pressure sanctions"],
    ["dprk pressure threat"],
])
def test_crisis_at_10_ends_the_game_at_once(script):
    """Tension reaching 10 ends the game at once in a crisis: -10 each, no legal action left."""
    g = Game(scenario(setting("tension.start", 9))).play(*script)
    s = g.state
    assert s.is_over and s.outcome == "crisis" and s.phase == "over" and s.tension == 10
    assert legal_actions(s) == ()
    assert ("crisis", -10) in score_breakdown(s, "us") and ("crisis", -10) in score_breakdown(s, "dprk")
    assert "game_over" in kinds(s.happened)
    with pytest.raises(IllegalActionError, match="over"):
        apply(s, A("us pass"))


def test_crisis_from_a_broken_promise():
    """A broken promise at tension 9 tips the game into crisis."""
    sc = scenario(edits(open_at_start(*ALL, trust=50), setting("tension.start", 9), setting("tension.drift", 0),
                        setting("tension.deal_signed", 0)))
    g = Game(sc).play("us propose working", "us get remains", "us send", "us pass", "dprk accept").to_round(2)
    g.do("dprk break remains")
    assert g.state.outcome == "crisis"


def test_crisis_from_the_first_event_ends_the_new_game():
    """A spike that reaches 10 in round 1's event gives a finished game from new_game."""
    s = new_game(scenario(setting("tension.start", 8), events="hardliner_launch"), 1)
    assert s.outcome == "crisis"
    assert s.phase == "over" and legal_actions(s) == ()


def test_crisis_from_a_later_event_ends_the_game():
    """A spike that reaches 10 at the start of a round ends the game before anyone moves."""
    sc = scenario(edits(setting("tension.start", 7), setting("tension.drift", 0)), events="hardliner_launch")
    g = Game(sc)
    assert g.state.tension == 9
    g.until(lambda s: s.is_over)
    assert g.state.round == 2 and g.state.outcome == "crisis" and g.state.phase == "over"
    assert legal_actions(g.state) == ()


def test_plain_end_after_round_12_scores_trust_index_over_10():
    """Without a treaty the game ends after round 12; each side adds the final trust index / 10."""
    sc = scenario(open_at_start(*ALL, trust=60))
    g = Game(sc).finish()
    s = g.state
    assert s.outcome == "plain" and s.round == 12 and s.phase == "over"
    assert s.trust_index() > 0
    expected = round(s.trust_index() / 10, 2)
    assert scores(s) == {"us": expected, "dprk": expected}


def test_peace_when_a_treaty_is_in_force_at_the_end():
    """A treaty in force at the end: peace, +5 each, and no trust bonus."""
    sc = scenario(edits(open_at_start(*ALL, trust=100), setting("groundwork.needed", 0)))
    g = Game(sc).play("us propose hotline", "us give end_of_war", "us send", "dprk accept")
    g.play("us implement end_of_war", "us propose hotline", "us give peace_treaty", "us send", "dprk accept")
    g.play("us implement peace_treaty").finish()
    s = g.state
    assert s.outcome == "peace"
    for side in ("us", "dprk"):
        parts = dict(score_breakdown(s, side))
        assert parts["peace"] == 5 and "final trust" not in parts


def test_a_faked_treaty_is_no_peace():
    """A treaty only claimed, never done, is not in force: the game ends plain."""
    sc = scenario(edits(open_at_start(*ALL, trust=100), setting("groundwork.needed", 0)))
    g = Game(sc).play("us propose hotline", "us give end_of_war", "us send", "dprk accept")
    g.play("us implement end_of_war", "us propose hotline", "us give peace_treaty", "us send", "dprk accept")
    g.play("us fake peace_treaty").finish()
    assert g.state.outcome == "plain"


def test_settlement_ends_the_game_at_once():
    """Treaty and complete denuclearization implemented and verified: settlement at once, +8 each."""
    sc = scenario(edits(open_at_start(*ALL, trust=100), setting("groundwork.needed", 0)))
    g = Game(sc)
    g.play("us propose hotline", "us give end_of_war", "us get inspectors", "us get declaration", "us send",
           "dprk accept", "dprk propose hotline", "dprk give reactor_freeze", "dprk send", "us accept")
    g.play("us implement end_of_war", "us propose hotline", "us give peace_treaty", "us send", "dprk accept")
    g.play("dprk implement reactor_freeze", "dprk propose hotline", "dprk give denuclearization", "dprk send",
           "us accept")
    g.play("us implement peace_treaty", "dprk implement denuclearization")
    g.until(lambda s: s.is_over)
    s = g.state
    assert s.outcome == "settlement" and s.round < 12
    assert g.commitments["denuclearization"].status == "verified"
    assert g.commitments["peace_treaty"].status == "verified"
    for side in ("us", "dprk"):
        assert dict(score_breakdown(s, side))["settlement"] == 8


def test_game_lasts_twelve_rounds_with_alternating_first_movers():
    """The US moves first in odd rounds and the DPRK in even rounds; the game ends after round 12."""
    g = Game(scenario())
    firsts = []
    for r in range(1, 13):
        g.to_round(r)
        firsts.append(g.state.to_move)
    assert firsts == ["us", "dprk"] * 6
    g.finish()
    assert g.state.round == 12 and g.state.outcome == "plain"


# ---------------------------------------------------------------- scoring

def _items_game(motive: str, intent: str, domestic: str):
    """Aid and partial relief for remains, all implemented; the game then runs to a plain end."""
    sc = scenario(open_at_start(*ALL, trust=50), motive=motive, intent=intent, domestic=domestic)
    return Game(sc).play("us propose working", "us give aid", "us give partial_relief", "us get remains", "us send",
                         "us pass", "dprk accept").finish().state


@pytest.mark.parametrize("motive,received,remains_cost", [
    ("sanctions_bite", {"humanitarian aid": 3.0, "partial sanctions relief": 10.0}, 1.0),
    ("fear_of_strike", {"humanitarian aid": 2.0, "partial sanctions relief": 2.5}, 1.0),
    ("rift_with_beijing", {"humanitarian aid": 1.0, "partial sanctions relief": 5.0}, 1.0),
    ("pressure_at_home", {"humanitarian aid": 3.0, "partial sanctions relief": 5.0}, 1.0),
    ("economic_line", {"humanitarian aid": 2.0, "partial sanctions relief": 10.0}, 1.0),
    ("secure_leader", {"humanitarian aid": 1.0, "partial sanctions relief": 5.0}, 0.8),
])
def test_motive_multiplies_the_dprks_values_and_costs(motive, received, remains_cost):
    """The DPRK's motive multiplies what it receives and (for some) what it gives."""
    s = _items_game(motive, "sincere", "engagement_mandate")
    parts = dict(score_breakdown(s, "dprk"))
    assert {k[len("received "):]: v for k, v in parts.items() if k.startswith("received ")} == received
    assert parts["gave return of soldiers' remains"] == pytest.approx(-remains_cost)
    trust = s.trust_index() / 10
    assert scores(s)["dprk"] == round(sum(received.values()) - remains_cost + trust, 2)


@pytest.mark.parametrize("intent,bonus", [("sincere", None), ("trap", 4)])
def test_trap_earns_its_bonus_for_receiving_more_than_it_gave(intent, bonus):
    """A trap that ends having received more value than it gave earns +4; a sincere DPRK does not."""
    s = _items_game("rift_with_beijing", intent, "engagement_mandate")
    assert dict(score_breakdown(s, "dprk")).get("received more than it gave") == bonus


def test_us_score_items():
    """The US scores the value of what it received minus the cost of what it gave, plus trust/10."""
    s = _items_game("rift_with_beijing", "sincere", "hawkish_congress")
    parts = dict(score_breakdown(s, "us"))
    assert parts["received return of soldiers' remains"] == 2
    assert parts["gave humanitarian aid"] == -1 and parts["gave partial sanctions relief"] == -3


# Agenda cards that depend on summits, treaties and broken promises: the position is built by
# cloning a real started game and setting the few fields scoring reads (commitments, summits,
# broken, hot_rounds, outcome), because reaching each by play would take a long script per row.
def _scored(motive, intent, domestic, *, commitments=(), summits=0, broken=(0, 0), hot_rounds=0, outcome="plain"):
    sc = scenario(motive=motive, intent=intent, domestic=domestic)
    s = new_game(sc, 1).clone()
    s.commitments = tuple(Commitment(i, g, r, "hotline", 1, 2, st, st in ("verified", "claimed"), 2)
                          for i, g, r, st in commitments)
    s.summits, s.broken, s.hot_rounds, s.outcome = summits, broken, hot_rounds, outcome
    return {side: dict(score_breakdown(s, side)) for side in ("us", "dprk")}


TREATY = ("peace_treaty", "us", "dprk", "verified")
END_OF_WAR = ("end_of_war", "us", "dprk", "verified")


@pytest.mark.parametrize("motive,intent,domestic,kw,side,label,points", [
    ("rift_with_beijing", "trap", "hawkish_congress", {"summits": 2}, "dprk", "2 summit(s)", 4),
    ("pressure_at_home", "trap", "hawkish_congress", {"summits": 2}, "dprk", "2 summit(s)", 8),
    ("pressure_at_home", "sincere", "hawkish_congress", {"summits": 2}, "dprk", "2 summit(s)", None),
    ("rift_with_beijing", "sincere", "election_year", {"summits": 3}, "us", "3 summit(s)", 6),
    ("rift_with_beijing", "sincere", "election_year", {"broken": (0, 2)}, "us",
     "2 promise(s) broken by the other side", -2),
    ("rift_with_beijing", "sincere", "engagement_mandate", {"commitments": [END_OF_WAR, TREATY]}, "us",
     "peace treaty in force", 3),
    ("fear_of_strike", "sincere", "engagement_mandate", {"hot_rounds": 3}, "dprk", "3 round(s) near the brink", -3),
    ("rift_with_beijing", "sincere", "engagement_mandate",
     {"commitments": [END_OF_WAR, TREATY, ("declaration", "dprk", "us", "verified"),
                      ("reactor_freeze", "dprk", "us", "claimed")]}, "dprk", "reform", 6),
    ("rift_with_beijing", "sincere", "engagement_mandate",
     {"commitments": [END_OF_WAR, TREATY, ("declaration", "dprk", "us", "verified"),
                      ("reactor_freeze", "dprk", "us", "broken")]}, "dprk", "reform", None),
    ("rift_with_beijing", "trap", "hawkish_congress", {"commitments": [("declaration", "dprk", "us", "verified")]},
     "dprk", "gave nuclear declaration", -8),
    ("rift_with_beijing", "sincere", "hawkish_congress", {"commitments": [END_OF_WAR]}, "us",
     "gave end-of-war declaration", -4.5),
    ("rift_with_beijing", "sincere", "hawkish_congress",
     {"commitments": [END_OF_WAR, ("test_site", "dprk", "us", "verified")]}, "us", "gave end-of-war declaration", -3),
    ("secure_leader", "sincere", "hawkish_congress", {"commitments": [TREATY]}, "dprk", "received peace treaty", 12),
    ("economic_line", "sincere", "hawkish_congress", {"commitments": [("declaration", "dprk", "us", "verified")]},
     "dprk", "gave nuclear declaration", -3),
])
def test_agenda_card_scoring(motive, intent, domestic, kw, side, label, points):
    """Each agenda card's bonus or multiplier shows in the score breakdown."""
    parts = _scored(motive, intent, domestic, **kw)[side]
    assert parts.get(label) == (pytest.approx(points) if points is not None else None), parts


def test_broken_and_faked_items_score_nothing():
    """Broken, reversed and faked items score neither value nor cost."""
    parts = _scored("rift_with_beijing", "sincere", "engagement_mandate", commitments=[
        ("aid", "us", "dprk", "broken"), ("partial_relief", "us", "dprk", "reversed"),
        ("remains", "dprk", "us", "exposed")])
    assert not any(k.startswith(("received", "gave")) for side in parts.values() for k in side)


def test_explain_illegal_says_why():
    """Refusals name the reason in plain words."""
    s = new_game(scenario(), 1)
    assert explain_illegal(s, A("dprk pass")) == "it is us's turn"
    assert "no channel" in explain_illegal(s, A("us open telegraph"))
    assert "no pressure move" in explain_illegal(s, A("us pressure missile_test"))
    assert "not possible now" in explain_illegal(s, A("us accept"))
    assert "no item" in explain_illegal(s, A("us reverse unicorn"))
    with pytest.raises(IllegalActionError, match="^us call: "):
        apply(s, A("us call"))
    over = Game(scenario(setting("tension.start", 9))).play("us pressure sanctions").state
    assert explain_illegal(over, A("dprk pass")) == "the game is over"


# ---------------------------------------------------------------- composing deals

def test_a_deal_holds_at_most_three_items_each_way():
    """Deals of up to three items each way can be composed; a fourth is not offered."""
    g = Game(scenario(open_at_start(*ALL, trust=100))).do("us propose working")
    assert "us send" not in legal_texts(g.state)  # an empty deal cannot be sent
    g.do("us give aid", "us give travel", "us give liaison_office")
    assert gives(g.state) == set()
    g.do("us get remains", "us get detainees", "us get missile_moratorium")
    assert gets(g.state) == set()
    g.do("us send")
    p = g.state.proposals[0]
    assert (len(p.give), len(p.get)) == (3, 3)
    g.play("dprk accept")
    assert len(g.state.commitments) == 6


def test_an_item_on_the_table_cannot_be_offered_twice():
    """An item already in a draft, a waiting proposal or a live commitment is not offered again."""
    g = Game(scenario(open_at_start(*ALL, trust=100))).do("us propose working", "us give aid")
    assert "aid" not in gives(g.state)
    g.do("us send", "us propose exchange")
    assert "aid" not in gives(g.state)
    g.do("us give travel", "us send")
    g.play("dprk accept", "dprk reject")
    g.do("dprk propose working")
    assert "aid" not in gets(g.state) and "travel" in gets(g.state)


def test_cancel_keeps_the_action_point_spent():
    """Cancelling a draft does not refund its action point."""
    g = Game(scenario(open_at_start(*ALL, trust=100))).do("us propose working")
    assert g.state.ap == 1
    g.do("us cancel")
    assert g.state.ap == 1 and g.state.phase == "act" and g.state.draft is None


def test_a_deal_becomes_unacceptable_when_trust_falls_below_an_items_minimum():
    """Acceptance re-checks the trust minimums: after pressure drops trust, only reject remains."""
    sc = scenario(open_at_start(*ALL, trust=20))
    g = Game(sc).play("us propose working", "us give exercise_suspension", "us send", "us pressure sanctions")
    assert g.state.phase == "answer" and g.state.trust_index() < 20
    assert "dprk accept" not in legal_texts(g.state) and "dprk reject" in legal_texts(g.state)


def test_satellite_pass_resolves_about_80_percent():
    """With the default chance, a satellite pass exposes or confirms a claim about 80% of the time."""
    sc = scenario(open_at_start(*ALL, trust=50), events="satellite_pass")
    n, hits = 60, 0
    for seed in range(n):
        g = Game(sc, seed).play("us propose working", "us get test_site", "us send", "us pass", "dprk accept",
                                "dprk fake test_site").to_round(3)
        hits += g.commitments["test_site"].status == "exposed"
    assert 0.65 * n <= hits <= 0.95 * n


def test_beijing_border_raises_the_value_of_relief_received():
    """After Beijing tightens the border, partial relief is worth 1 more to the DPRK."""
    sc = scenario(open_at_start(*ALL, trust=50), events=["beijing_border"], motive="rift_with_beijing")
    g = Game(sc).play("us propose working", "us give partial_relief", "us send", "us pass", "dprk accept").finish()
    assert g.state.bonuses == (("dprk", "relief", 1),)
    assert dict(score_breakdown(g.state, "dprk"))["received partial sanctions relief"] == 6


def test_reverse_also_voids_a_pending_dependent():
    """Reversing partial relief while full relief is agreed but not yet due: full relief falls too, no second break."""
    sc = scenario(edits(open_at_start(*ALL, trust=100), setting("groundwork.needed", 0)))
    g = Game(sc).play("us propose working", "us give partial_relief", "us send", "us pass", "dprk accept",
                      "us implement partial_relief", "us propose hotline", "us give full_relief", "us send", "us pass",
                      "dprk accept")
    assert g.commitments["full_relief"].status == "pending"
    g.play("us reverse partial_relief")
    assert g.commitments["full_relief"].status == "fallen"
    assert g.state.broken == (1, 0)
