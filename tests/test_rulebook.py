"""rules/RULES.md must state the default scenario's numbers: every check builds the expected text from the TOML.

When a balance change edits rules/summit_2018.toml, these tests name the sentence or
table row of the rulebook that has to change with it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.engine import MAX_DEAL_ITEMS
from game.scenario import (
    ActionPointsEffect, ChannelEffect, RevealEffect, TensionEffect, ValueEffect, default_scenario,
)

RULES = Path(__file__).resolve().parent.parent / "rules" / "RULES.md"
SC = default_scenario()


@pytest.fixture(scope="module")
def text() -> str:
    """The rulebook with line breaks inside paragraphs folded to spaces, so sentences can be matched whole."""
    raw = RULES.read_text(encoding="utf-8")
    return re.sub(r"(?<=\S)\n(?=[^\n|#\-0-9 ])", " ", raw)


def table(header_start: tuple[str, ...]) -> list[list[str]]:
    """The body rows of the first markdown table whose header begins with these cells."""
    lines = [line.strip() for line in RULES.read_text(encoding="utf-8").splitlines()]
    for n, line in enumerate(lines):
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if tuple(cells[: len(header_start)]) == header_start:
            rows = []
            for body in lines[n + 2:]:
                if not body.startswith("|"):
                    break
                rows.append([c.strip() for c in body.strip().strip("|").split("|")])
            return rows
    raise AssertionError(f"RULES.md has no table whose header starts with {header_start}")


def card(deck: str, card_id: str):
    return next(c for c in SC.deck_by_id[deck].cards if c.id == card_id)


def channel(cid: str):
    return next(c for c in SC.channels if c.id == cid)


def test_items_table_matches_the_scenario():
    rows = table(("gives", "item", "id", "tier"))
    side_name = {"us": "US", "dprk": "DPRK"}
    by_id = {r[2]: r for r in rows}
    assert [r[2] for r in rows] == [i.id for i in SC.items], "RULES.md section 9 lists other items than the scenario"
    for it in SC.items:
        gives, name, _id, tier, min_trust, cost_value, v, r, needs = by_id[it.id]
        assert gives == side_name[it.giver], it.id
        assert name == it.name, it.id
        assert tier == it.tier, it.id
        assert min_trust == str(it.min_trust), it.id
        assert cost_value == f"{it.cost:g} / {it.value:g}", it.id
        assert v == ("V" if it.verifiable else ""), it.id
        assert r == ("R" if it.reversible else ""), it.id
        assert needs == ", ".join(it.requires), it.id


def test_channel_table_matches_the_scenario():
    rows = {r[0]: r for r in table(("channel", "connects", "can carry"))}
    actor = {a.id: a.name for a in SC.actors}
    assert list(rows) == [c.name for c in SC.channels]
    for c in SC.channels:
        _name, connects, tiers, gain, decay, weight = rows[c.name]
        assert connects == f"{actor[c.a]} – {actor[c.b]}", c.id
        assert tiers == ", ".join(c.tiers), c.id
        assert (gain, decay, weight) == (str(c.gain), str(c.decay), f"{c.weight:.2f}"), c.id


def test_start_tracks_and_turn_numbers(text):
    t = SC.tension
    expected = [
        f"Tension starts at {t.start} on a track from 0 to {t.crisis}.",
        f"If tension reaches {t.crisis}, the game ends at once in a crisis.",
        f"The game lasts {SC.rounds} rounds.",
        f"After round {SC.rounds} the game ends.",
        f"spend {SC.action_points} action points.",
        f"with every pressure move (+{t.pressure})",
        f"with every broken promise (+{t.broken_promise})",
        f"with every signed deal ({t.deal_signed:+d})",
        f"and by {t.drift} at the end of every round.",
        f"up to {MAX_DEAL_ITEMS} items each way",
    ]
    for sentence in expected:
        assert sentence in text, f"RULES.md should say: {sentence}"


def test_trust_rules(text):
    tr = SC.trust
    hot, work, exch = channel("hotline"), channel("working"), channel("exchange")
    expected = [
        f"A channel opens with trust {tr.opened_at}.",
        f"While tension is {tr.high_tension} or more, these gains are halved.",
        f"each open channel moves {tr.diffusion:.0%} of the way toward the average of the other open channels.",
        f"The trust index is {hot.weight:.2f} × hotline + {work.weight:.2f} × working-level + "
        f"{exch.weight:.2f} × exchange",
        f"A kept promise adds {tr.kept_same} trust to the channel the deal went through and {tr.kept_other} "
        "to every other open channel.",
        f"(The typhoon gift adds {tr.kept_other} to every open channel.)",
        f"A broken promise takes {tr.broken_same} trust from that channel and {tr.broken_other} from every other "
        f"open channel, and adds {SC.tension.broken_promise} to tension.",
        f"Tension +{SC.tension.pressure} and every open channel loses {tr.pressure_loss} trust.",
    ]
    for sentence in expected:
        assert sentence in text, f"RULES.md should say: {sentence}"


def test_trust_index_example_adds_up(text):
    work, exch = channel("working"), channel("exchange")
    w, e = 40 * work.weight, 20 * exch.weight
    sentence = f"working-level 40, exchange 20 gives {w:g} + {e:g} = {w + e:g}."
    assert sentence in text, f"RULES.md should say: {sentence}"


def test_action_conditions(text):
    t, s, gw = SC.tension, SC.summit, SC.groundwork
    hot = channel("hotline")
    assert hot.requires_channel == "working" and s.requires_channel == "working" and s.trust_channel == "hotline"
    assert gw.tiers == ["strategic"]
    expected = [
        f"The hotline can only be proposed once working-level trust is {hot.requires_trust} or more",
        f"lowers tension by {-t.call}, or by {-t.call_strong} if hotline trust was already {t.call_strong_trust} or more.",
        f"A strategic item needs {gw.needed} groundwork",
        f"if strategic, have {gw.needed} groundwork;",
        f"Needs working-level trust of {s.requires_trust} or more, tension of {s.max_tension} or less, "
        f"no summit in the last {s.cooldown} rounds",
        f"hotline trust +{s.hotline_bonus}",
    ]
    for sentence in expected:
        assert sentence in text, f"RULES.md should say: {sentence}"


def test_promise_delays(text):
    words = {1: "next round", 2: "two rounds later", 3: "three rounds later"}
    delay = {tier.id: tier.delay for tier in SC.tiers}
    assert delay["soft"] == delay["technical"], "RULES.md gives soft and technical items the same delay"
    sentence = f"Items in a signed deal are due {words[delay['soft']]}; strategic items {words[delay['strategic']]}."
    assert sentence in text, f"RULES.md should say: {sentence}"


def test_pressure_and_intelligence(text):
    for s in SC.sides:
        assert s.pressure_boost is not None
        assert f"1 more (at most +{s.pressure_boost.cap} a game" in text
    claim = next(m for m in SC.sides[0].intelligence if m.kind == "check_claim")
    assert f"unverified DPRK claim ({claim.chance:.0%} chance to learn the truth)" in text
    assert f"and **US intelligence** ({claim.chance:.0%})" in text
    rows = table(("side", "move", "extra effect"))
    names = {(r[0].lower(), r[1]) for r in rows}
    for side in SC.sides:
        for move in side.pressure:
            assert (side.id, move.name.lower()) in names, f"RULES.md lacks the pressure move {move.name!r}"


def test_outcomes_table(text):
    o = SC.outcomes
    rows = {r[0]: r[2] for r in table(("ending", "when"))}
    assert rows["Settlement"] == f"{o.settlement:+g}"
    assert rows["Peace"] == f"{o.peace:+g}"
    assert rows["Crisis"] == f"{o.crisis:+g}"
    assert rows["Plain end"] == f"the final trust index ÷ {o.plain_trust_divisor:g}"
    assert f"tension reaches {SC.tension.crisis}; the game ends at once" in text


def test_agenda_tables(text):
    motives = {r[0]: r[-1] for r in table(("DPRK motive (one of six, equal odds)",))}
    deck = SC.deck_by_id["motive"]
    assert list(motives) == [c.name for c in deck.cards]
    assert len({c.weight for c in deck.cards}) == 1, "RULES.md says the motives have equal odds"
    for c in deck.cards:
        row = motives[c.name]
        for mult in set(c.value.values()):
            assert f"×{mult:g}" in row, f"{c.name}: RULES.md lacks ×{mult:g}"
        if c.high_tension_penalty:
            assert f"-{c.high_tension_penalty:g} point for every round that ends at tension {SC.trust.high_tension}" in row
        if c.summit_multiplier != 1:
            assert f"summit points ×{c.summit_multiplier:g}" in row
        for mult in c.tag_cost.values():
            assert f"cost ×{mult:g}" in row
        if c.all_cost != 1:
            assert f"all own costs ×{c.all_cost:g}" in row

    intents = {r[0]: r for r in table(("DPRK intent", "chance"))}
    total = sum(c.weight for c in SC.deck_by_id["intent"].cards)
    sincere, trap = card("intent", "sincere"), card("intent", "trap")
    for c in (sincere, trap):
        assert intents[c.name][1] == f"{c.weight / total:.0%}"
    assert f"+{sincere.reform_bonus:g} if the peace treaty is in force and at least {sincere.reform_needs_count} " \
           "of your own strategic items" in intents["Sincere"][2]
    assert f"+{trap.summit_points:g} per summit held; own strategic items cost ×{trap.tier_cost['strategic']:g}; " \
           f"+{trap.exploit_bonus:g} if you end" in intents["Trap"][2]

    domestic = {r[0]: r[1] for r in table(("US domestic card (one of three)",))}
    assert list(domestic) == [c.name for c in SC.deck_by_id["domestic"].cards]
    hawk, election, mandate = (card("domestic", i) for i in ("hawkish_congress", "election_year", "engagement_mandate"))
    assert f"cost ×{hawk.tier_cost['strategic']:g}" in domestic[hawk.name]
    assert f"+{election.summit_points:g} per summit held; -{election.opponent_broken_penalty:g} for every promise" \
        in domestic[election.name]
    assert f"+{mandate.item_bonus['peace_treaty']:g} while the peace treaty" in domestic[mandate.name]


def test_event_table(text):
    assert f"The deck has {len(SC.event_deck)} cards" in text
    assert f"when the hotline is open with trust {SC.tension.spike_halving_trust} or more." in text
    assert SC.tension.spike_halving_channel == "hotline"
    rows = table(("card", "copies", "effect"))
    seen: dict[str, tuple[str, str]] = {}
    for names, copies, effect in rows:
        for name in names.split(", "):
            seen[name] = (copies, effect)
    assert sorted(seen) == sorted(e.name for e in SC.events), "RULES.md's event table lists other cards"
    for e in SC.events:
        copies, effect = seen[e.name]
        assert copies in (str(e.count), f"{e.count} each"), e.id
        for eff in e.effects:
            if isinstance(eff, TensionEffect):
                want = f"tension {eff.amount:+d}"
            elif isinstance(eff, ChannelEffect):
                want = f"+{eff.amount}"
            elif isinstance(eff, RevealEffect):
                want = f"{eff.chance:.0%} chance"
            elif isinstance(eff, ActionPointsEffect):
                want = f"has {eff.amount} action point"
            elif isinstance(eff, ValueEffect):
                want = f"values {eff.tag} items {eff.amount} more"
            else:
                continue
            assert want in effect, f"{e.name}: RULES.md's effect should mention {want!r}"


def test_worked_examples_use_the_scenario_s_numbers(text):
    tr, items = SC.trust, {i.id: i for i in SC.items}
    office, mora, site = items["liaison_office"], items["missile_moratorium"], items["test_site"]
    assert office.tier == mora.tier == "technical" and not site.verifiable and mora.verifiable
    assert f"the trust index is above {max(office.min_trust, mora.min_trust)}." in text
    delay = {tier.id: tier.delay for tier in SC.tiers}["technical"]
    assert f"both promises are due in round {3 + delay}." in text
    assert f"working-level trust rises by {tr.kept_same} and every other open channel by {tr.kept_other}." in text
    assert f"the US scores the moratorium's value ({mora.value:g}) and loses the office's cost ({office.cost:g}); " \
           f"the DPRK scores the office's value ({office.value:g}) and loses the moratorium's cost ({mora.cost:g})." in text
    assert f"working-level trust falls by {tr.broken_same}, every other open channel by {tr.broken_other}, and " \
           f"tension rises by {SC.tension.broken_promise}." in text
    assert f'Later the DPRK promises "{site.name}"' in text


# Terms a student meets in the rulebook that need a plain-words entry (issue 14 names the first five).
GLOSSARY_TERMS = ("moratorium", "normalization", "liaison office", "verification", "sanctions relief", "tier",
                  "in force", "groundwork", "trust index", "tension", "agenda", "concession", "claim", "spike",
                  "promise", "summit", "peace treaty", "end-of-war declaration", "security guarantee",
                  "denuclearization", "legitimacy", "verifiable", "reversible", "action point")


def test_the_glossary_explains_the_terms():
    raw = RULES.read_text(encoding="utf-8")
    body, glossary = raw.split("## Glossary")
    entries = {m.group(1).lower() for m in re.finditer(r"^- \*\*([^*]+)\*\*", glossary, re.M)}
    for term in GLOSSARY_TERMS:
        assert term in entries, f"the glossary should explain {term!r}"
        assert term in body.lower(), f"the glossary explains {term!r}, which the rules never use"
    for term in ("tier", "in force", "groundwork", "trust index"):
        first = body.lower().index(term)
        assert f"**{term}" in body.lower()[first - 2: first + len(term) + 2] or \
            body.lower().index(f"**{term}") - first < 400, f"{term!r} should be explained where it is first used"


def test_the_rulebook_points_to_the_quick_start(text):
    assert "rules/QUICKSTART.md" in text
    assert (RULES.parent / "QUICKSTART.md").exists()
