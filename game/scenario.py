"""Scenario files: pydantic models of every rule number, and loading with one-line errors.

A scenario is untrusted input (teachers edit it), so every model forbids unknown
keys and every cross-reference (an item's prerequisites, an event's channel, a
card's item multipliers) is checked when the file is loaded, not when a game
happens to reach it.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_serializer, model_validator

DEFAULT_SCENARIO_PATH = Path(__file__).resolve().parent.parent / "rules" / "summit_2018.toml"

# Every number a scenario holds is bounded: a scenario can arrive inside an untrusted record, and an event
# count of 10**30 would make the deck (or a tension of 10**30 the arithmetic) eat the machine.
LIMIT = 1_000_000
NonNeg = Annotated[int, Field(ge=0, le=LIMIT)]
Bounded = Annotated[int, Field(ge=-LIMIT, le=LIMIT)]
Real = Annotated[float, Field(ge=-LIMIT, le=LIMIT, allow_inf_nan=False)]
Trust = Annotated[int, Field(ge=0, le=100)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Multiplier = Annotated[float, Field(ge=0.0, le=10.0)]


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message is one line naming file, field and problem."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Actor(_Model):
    """A node of the relationship graph."""

    id: str = Field(description="Node id, e.g. 'us.leader'.")
    name: str = Field(description="Name shown on the board.")
    side: str | None = Field(None, description="The side this actor belongs to; none for third parties.")
    x: float = Field(0.5, ge=0.0, le=1.0, description="Board layout position, 0-1 from the left.")
    y: float = Field(0.5, ge=0.0, le=1.0, description="Board layout position, 0-1 from the top.")


class Tie(_Model):
    """A fixed edge of the graph: inside a side, or to a third party."""

    a: str = Field(description="One end (actor id).")
    b: str = Field(description="The other end (actor id).")
    kind: str = Field(description="'internal' inside a side, or a label such as 'ally' or 'patron'.")
    value: Trust = Field(50, description="Starting warmth of the tie, moved by events.")


class Channel(_Model):
    """A cross channel between the two sides: closed or open, with trust 0-100."""

    id: str = Field(description="Short id used in actions, e.g. 'hotline'.")
    name: str = Field(description="Name shown to players.")
    a: str = Field(description="The first side's actor at this end.")
    b: str = Field(description="The second side's actor at this end.")
    tiers: list[str] = Field(description="Item tiers a deal through this channel may carry.")
    gain: NonNeg = Field(description="Trust added by using the channel.")
    decay: NonNeg = Field(description="Trust lost by an open channel not used in a round.")
    weight: float = Field(ge=0.0, le=1.0, description="Share of the trust index.")
    open: bool = Field(False, description="Whether the channel is open at the start.")
    requires_channel: str | None = Field(None, description="Channel whose trust gates proposing to open this one.")
    requires_trust: Trust = Field(0, description="Trust that channel needs before this one can be proposed.")


class TrustRules(_Model):
    """How trust moves."""

    opened_at: Trust = Field(description="Trust of a channel when it opens.")
    high_tension: int = Field(ge=0, le=LIMIT, description="At or above this tension, channel gains are halved.")
    kept_same: NonNeg = Field(description="A kept promise: trust added to the channel it was agreed through.")
    kept_other: NonNeg = Field(description="A kept promise: trust added to every other open channel.")
    broken_same: NonNeg = Field(description="A broken promise: trust lost by the channel it was agreed through.")
    broken_other: NonNeg = Field(description="A broken promise: trust lost by every other open channel.")
    diffusion: float = Field(ge=0.0, le=1.0, description="Share of the gap to the other channels' mean closed each round.")
    pressure_loss: NonNeg = Field(description="Trust every open channel loses on a pressure move.")


class TensionRules(_Model):
    """The tension track."""

    start: NonNeg = Field(description="Tension at the start.")
    crisis: int = Field(ge=1, le=LIMIT, description="Tension at which the game ends in crisis.")
    drift: NonNeg = Field(description="Tension lost at every round's resolution.")
    pressure: Bounded = Field(description="Tension added by a pressure move.")
    broken_promise: Bounded = Field(description="Tension added by a broken promise.")
    deal_signed: Bounded = Field(description="Tension change when a deal is signed.")
    call: Bounded = Field(description="Tension change of a hotline call.")
    call_strong: Bounded = Field(description="Tension change of a hotline call over a trusted hotline.")
    call_strong_trust: Trust = Field(description="Hotline trust from which a call is strong.")
    spike_halving_channel: str = Field(description="A spike is halved when this channel is open with enough trust.")
    spike_halving_trust: Trust = Field(description="Trust the halving channel needs.")

    @model_validator(mode="after")
    def _start_below_crisis(self) -> "TensionRules":
        if self.start >= self.crisis:
            raise ValueError(f"tension.start: {self.start} must be below tension.crisis ({self.crisis})")
        return self


class Groundwork(_Model):
    """Working-level groundwork that big items need before they can be agreed."""

    needed: NonNeg = Field(description="Groundwork points an item of these tiers needs.")
    tiers: list[str] = Field(description="Tiers that need groundwork.")


class SummitRules(_Model):
    """When a summit may be proposed and what it does."""

    requires_channel: str = Field(description="Channel whose trust a summit proposal needs.")
    requires_trust: Trust = Field(description="Trust that channel needs.")
    max_tension: NonNeg = Field(description="Highest tension at which a summit may be proposed.")
    cooldown: NonNeg = Field(description="No summit may be proposed within this many rounds of the last.")
    hotline_bonus: NonNeg = Field(description="Trust the summit adds to its trust channel.")
    trust_channel: str = Field(description="Channel the summit opens, lifts, and keeps or breaks trust on.")
    tiers: list[str] = Field(description="Tiers a deal at the summit may carry.")
    legitimacy: dict[str, NonNeg] = Field(default_factory=dict, description="Legitimacy each side gains per summit.")


class Tier(_Model):
    """An item tier."""

    id: str
    name: str
    delay: int = Field(ge=1, le=LIMIT, description="Rounds after agreement when an item of this tier falls due.")


class PressureMove(_Model):
    """One kind of pressure a side can apply."""

    id: str = Field(description="Short id used in actions, e.g. 'missile_test'.")
    name: str = Field(description="Name shown to players.")
    breaks: str | None = Field(None, description="An own item this move breaks if that item is in force.")


class PressureBoost(_Model):
    """What a side's pressure does to the other side's values."""

    side: str = Field(description="The side whose values rise.")
    tag: str = Field(description="Items with this tag gain value.")
    amount: Bounded = Field(description="Value added per pressure move.")
    cap: NonNeg = Field(description="Most value added in a game.")


class Intelligence(_Model):
    """One kind of intelligence move."""

    id: str = Field(description="Short id used in actions, e.g. 'motive'.")
    kind: Literal["rule_out", "check_claim"] = Field(description="Rule out a card, or check a claim.")
    deck: str | None = Field(None, description="For rule_out: the other side's deck to rule a card out of.")
    chance: Probability = Field(1.0, description="For check_claim: chance to learn the truth.")

    @model_validator(mode="after")
    def _deck_for_rule_out(self) -> "Intelligence":
        if self.kind == "rule_out" and not self.deck:
            raise ValueError(f"intelligence {self.id!r}: a rule_out move needs a deck")
        return self


class Side(_Model):
    """A seat at the table."""

    id: str = Field(description="Short id, e.g. 'us'.")
    name: str = Field(description="Name shown to players.")
    leader: str
    officials: str
    society: str
    first_in: Literal["odd", "even"] = Field(description="Rounds in which this side moves first.")
    pressure: list[PressureMove] = Field(min_length=1)
    pressure_boost: PressureBoost | None = None
    intelligence: list[Intelligence] = Field(default_factory=list)


class Item(_Model):
    """A concession one side can give."""

    id: str = Field(description="Short id used in actions, e.g. 'aid'.")
    giver: str = Field(description="The side that gives it.")
    name: str
    tier: str
    min_trust: Trust = Field(description="Trust index a deal with this item needs.")
    cost: float = Field(ge=0, le=LIMIT, description="Cost to the giver while in force.")
    value: float = Field(ge=0, le=LIMIT, description="Value to the receiver while in force.")
    verifiable: bool = Field(False, description="Whether implementing it can be seen at once.")
    reversible: bool = Field(False, description="Whether the giver may withdraw it once in force.")
    requires: list[str] = Field(default_factory=list, description="Items that must be in force first.")
    tension: Bounded = Field(0, description="Tension change when it is implemented.")
    tags: list[str] = Field(default_factory=list)
    inspection: bool = Field(False, description="While in force, inspectors check every open claim each round.")


class Card(_Model):
    """A hidden agenda card; every field but the names is an optional modifier."""

    id: str
    name: str
    text: str = Field(description="What the holder reads on the card.")
    weight: float = Field(1.0, gt=0, le=LIMIT, description="Relative chance of being drawn.")
    value: dict[str, Multiplier] = Field(default_factory=dict, description="Multipliers on what the holder receives, by item.")
    all_cost: Multiplier = Field(1.0, description="Multiplier on the holder's every cost.")
    tier_cost: dict[str, Multiplier] = Field(default_factory=dict, description="Multipliers on own costs, by tier.")
    tag_cost: dict[str, Multiplier] = Field(default_factory=dict, description="Multipliers on own costs, by tag.")
    cost_waived_by_verified_tag: str | None = Field(None, description="tier_cost lapses once an item with this tag, given by the other side, is verified.")
    summit_points: float = Field(0.0, description="Points per summit held.")
    summit_multiplier: Multiplier = Field(1.0, description="Multiplier on summit points from other cards.")
    exploit_bonus: float = Field(0.0, description="Points for ending with more value received than given.")
    reform_bonus: float = Field(0.0, description="Points when the reform conditions below are met.")
    reform_needs_received: list[str] = Field(default_factory=list)
    reform_needs_own_tier: str | None = None
    reform_needs_count: NonNeg = 0
    high_tension_penalty: float = Field(0.0, description="Points lost per round ending at high tension.")
    opponent_broken_penalty: float = Field(0.0, description="Points lost per promise the other side breaks.")
    item_bonus: dict[str, float] = Field(default_factory=dict, description="Points while an item is in force.")


class Deck(_Model):
    """A deck of hidden cards; its side draws one at the start."""

    id: str
    side: str
    name: str
    cards: list[Card] = Field(min_length=1)


class TensionEffect(_Model):
    kind: Literal["tension"]
    amount: Bounded
    spike: bool = Field(False, description="Halved when the spike-halving channel is trusted.")
    unless_in_force: str | None = Field(None, description="No effect while this item is in force.")


class ChannelEffect(_Model):
    kind: Literal["channel"]
    channel: str = Field(description="A channel id, or '*' for every open channel.")
    amount: Bounded
    open_if_closed: bool = False


class GiftEffect(_Model):
    kind: Literal["gift"]
    side: str
    item: str


class ValueEffect(_Model):
    kind: Literal["value"]
    side: str
    tag: str
    amount: Bounded


class RevealEffect(_Model):
    kind: Literal["reveal"]
    chance: Probability


class ActionPointsEffect(_Model):
    kind: Literal["action_points"]
    side: str
    amount: NonNeg


class TieEffect(_Model):
    kind: Literal["tie"]
    a: str
    b: str
    amount: Bounded


Effect = Annotated[
    Union[TensionEffect, ChannelEffect, GiftEffect, ValueEffect, RevealEffect, ActionPointsEffect, TieEffect],
    Field(discriminator="kind"),
]


class EventCard(_Model):
    """A card of the event deck."""

    id: str
    name: str
    text: str
    count: int = Field(1, ge=1, le=100, description="Copies in the deck.")
    effects: list[Effect] = Field(default_factory=list)


class Outcomes(_Model):
    """How a game ends and what each ending is worth."""

    settlement: Real
    settlement_items: list[str]
    peace: Real
    peace_item: str
    crisis: Real
    plain_trust_divisor: float = Field(gt=0)


class Scenario(_Model):
    """A whole scenario: the board, the rules' numbers, the items, the cards and the events."""

    id: str
    name: str
    description: str = ""
    rounds: int = Field(ge=1, le=100)
    action_points: int = Field(ge=1, le=10)
    actors: list[Actor]
    ties: list[Tie] = Field(default_factory=list)
    channels: list[Channel] = Field(min_length=1)
    trust: TrustRules
    tension: TensionRules
    groundwork: Groundwork
    summit: SummitRules
    tiers: list[Tier] = Field(min_length=1)
    sides: list[Side] = Field(min_length=2, max_length=2)
    items: list[Item] = Field(min_length=1)
    decks: list[Deck] = Field(default_factory=list)
    events: list[EventCard] = Field(min_length=1)
    outcomes: Outcomes
    settle_at_round_start: bool = Field(
        False, description="Both sides settle the promises falling due at the start of a round, the first mover "
                           "first, before either acts (false: each side settles at the start of its own turn).")

    @model_validator(mode="after")
    def _cross_references(self) -> "Scenario":
        _check_references(self)
        return self

    @model_serializer(mode="wrap")
    def _leave_out_late_options(self, handler):
        # Options added after scenarios were recorded are left out of the dump at their default, so every
        # earlier scenario dumps, embeds and hashes (content_hash) exactly as before they existed.
        data = handler(self)
        for key, default in _LATE_OPTIONS.items():
            if data.get(key, default) == default:
                data.pop(key, None)
        return data

    # Derived lookups, computed once per scenario (the model is frozen).
    @cached_property
    def side_ids(self) -> tuple[str, ...]:
        """Side ids in scenario order."""
        return tuple(s.id for s in self.sides)

    @cached_property
    def item_by_id(self) -> dict[str, Item]:
        """Items by id."""
        return {i.id: i for i in self.items}

    @cached_property
    def channel_ids(self) -> tuple[str, ...]:
        """Cross channel ids in scenario order."""
        return tuple(c.id for c in self.channels)

    @cached_property
    def deck_by_id(self) -> dict[str, Deck]:
        """Agenda decks by id."""
        return {d.id: d for d in self.decks}

    @cached_property
    def event_deck(self) -> tuple[str, ...]:
        """The unshuffled event deck: one entry per copy of each card."""
        return tuple(e.id for e in self.events for _ in range(e.count))

    @cached_property
    def event_by_id(self) -> dict[str, EventCard]:
        """Event cards by id."""
        return {e.id: e for e in self.events}

    @cached_property
    def content_hash(self) -> str:
        """A hash of the scenario's content, for records that name it rather than embed it."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


# Scenario options added after records existed, with their defaults (see Scenario._leave_out_late_options).
_LATE_OPTIONS = {"settle_at_round_start": False}


def _dupes(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for i in ids:
        if i in seen:
            out.append(i)
        seen.add(i)
    return out


def _check_references(sc: Scenario) -> None:
    """Raise ValueError with 'field: problem' for the first dangling or inconsistent reference."""
    for name, ids in (
        ("actors", [a.id for a in sc.actors]),
        ("channels", [c.id for c in sc.channels]),
        ("items", [i.id for i in sc.items]),
        ("sides", [s.id for s in sc.sides]),
        ("tiers", [t.id for t in sc.tiers]),
        ("events", [e.id for e in sc.events]),
        ("decks", [d.id for d in sc.decks]),
    ):
        d = _dupes(ids)
        if d:
            raise ValueError(f"{name}: duplicate id {d[0]!r}")
    actors = {a.id for a in sc.actors}
    sides = {s.id for s in sc.sides}
    tiers = {t.id for t in sc.tiers}
    items = {i.id: i for i in sc.items}
    channels = {c.id for c in sc.channels}
    tags = {t for i in sc.items for t in i.tags}

    def need(cond: bool, where: str, problem: str) -> None:
        if not cond:
            raise ValueError(f"{where}: {problem}")

    for a in sc.actors:
        need(a.side is None or a.side in sides, f"actors[{a.id}].side", f"names no side {a.side!r}")
    for t in sc.ties:
        for end in (t.a, t.b):
            need(end in actors, f"ties[{t.a}-{t.b}]", f"names no actor {end!r}")
    for c in sc.channels:
        for end in (c.a, c.b):
            need(end in actors, f"channels[{c.id}]", f"names no actor {end!r}")
        for tier in c.tiers:
            need(tier in tiers, f"channels[{c.id}].tiers", f"names no tier {tier!r}")
        need(c.requires_channel is None or c.requires_channel in channels,
             f"channels[{c.id}].requires_channel", f"names no channel {c.requires_channel!r}")
    need(sc.tension.spike_halving_channel in channels, "tension.spike_halving_channel",
         f"names no channel {sc.tension.spike_halving_channel!r}")
    for tier in sc.groundwork.tiers:
        need(tier in tiers, "groundwork.tiers", f"names no tier {tier!r}")
    need(sc.summit.requires_channel in channels, "summit.requires_channel", f"names no channel {sc.summit.requires_channel!r}")
    need(sc.summit.trust_channel in channels, "summit.trust_channel", f"names no channel {sc.summit.trust_channel!r}")
    for tier in sc.summit.tiers:
        need(tier in tiers, "summit.tiers", f"names no tier {tier!r}")
    for s in sc.summit.legitimacy:
        need(s in sides, "summit.legitimacy", f"names no side {s!r}")
    for s in sc.sides:
        for actor in (s.leader, s.officials, s.society):
            need(actor in actors, f"sides[{s.id}]", f"names no actor {actor!r}")
        for p in s.pressure:
            if p.breaks is not None:
                need(p.breaks in items and items[p.breaks].giver == s.id,
                     f"sides[{s.id}].pressure[{p.id}].breaks", f"names no item of {s.id!r} called {p.breaks!r}")
        if s.pressure_boost:
            need(s.pressure_boost.side in sides, f"sides[{s.id}].pressure_boost.side", f"names no side {s.pressure_boost.side!r}")
            need(s.pressure_boost.tag in tags, f"sides[{s.id}].pressure_boost.tag", f"no item has tag {s.pressure_boost.tag!r}")
        for intel in s.intelligence:
            if intel.deck is not None:
                deck = next((d for d in sc.decks if d.id == intel.deck), None)
                need(deck is not None and deck.side != s.id, f"sides[{s.id}].intelligence[{intel.id}].deck",
                     f"names no deck of the other side called {intel.deck!r}")
    for i in sc.items:
        need(i.giver in sides, f"items[{i.id}].giver", f"names no side {i.giver!r}")
        need(i.tier in tiers, f"items[{i.id}].tier", f"names no tier {i.tier!r}")
        for r in i.requires:
            need(r in items, f"items[{i.id}].requires", f"names no item {r!r}")
            need(r != i.id, f"items[{i.id}].requires", "an item cannot require itself")
    _check_no_cycles(sc)
    for d in sc.decks:
        need(d.side in sides, f"decks[{d.id}].side", f"names no side {d.side!r}")
        for c in d.cards:
            where = f"decks[{d.id}].cards[{c.id}]"
            for item_id in list(c.value) + list(c.item_bonus) + c.reform_needs_received:
                need(item_id in items, where, f"names no item {item_id!r}")
            for tier in list(c.tier_cost) + ([c.reform_needs_own_tier] if c.reform_needs_own_tier else []):
                need(tier in tiers, where, f"names no tier {tier!r}")
            for tag in list(c.tag_cost) + ([c.cost_waived_by_verified_tag] if c.cost_waived_by_verified_tag else []):
                need(tag in tags, where, f"no item has tag {tag!r}")
        need(len(_dupes([c.id for c in d.cards])) == 0, f"decks[{d.id}].cards", "duplicate card id")
    for e in sc.events:
        for eff in e.effects:
            where = f"events[{e.id}].effects"
            if isinstance(eff, TensionEffect) and eff.unless_in_force:
                need(eff.unless_in_force in items, where, f"names no item {eff.unless_in_force!r}")
            elif isinstance(eff, ChannelEffect):
                need(eff.channel == "*" or eff.channel in channels, where, f"names no channel {eff.channel!r}")
            elif isinstance(eff, GiftEffect):
                need(eff.item in items and items[eff.item].giver == eff.side, where,
                     f"names no item of {eff.side!r} called {eff.item!r}")
            elif isinstance(eff, (ValueEffect, ActionPointsEffect)):
                need(eff.side in sides, where, f"names no side {eff.side!r}")
                if isinstance(eff, ValueEffect):
                    need(eff.tag in tags, where, f"no item has tag {eff.tag!r}")
            elif isinstance(eff, TieEffect):
                need(any({t.a, t.b} == {eff.a, eff.b} for t in sc.ties), where, f"names no tie {eff.a}-{eff.b}")
    for item_id in sc.outcomes.settlement_items + [sc.outcomes.peace_item]:
        need(item_id in items, "outcomes", f"names no item {item_id!r}")
    need(len(sc.event_deck) >= sc.rounds, "events", f"the deck has {len(sc.event_deck)} cards but the game lasts {sc.rounds} rounds")
    need(abs(sum(c.weight for c in sc.channels) - 1.0) < 1e-6, "channels.weight", "weights must add up to 1")
    need({s.first_in for s in sc.sides} == {"odd", "even"}, "sides.first_in", "one side must move first in odd rounds, the other in even")


def _check_no_cycles(sc: Scenario) -> None:
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(i.id for i in sc.items)
    g.add_edges_from((r, i.id) for i in sc.items for r in i.requires)
    if not nx.is_directed_acyclic_graph(g):
        cycle = " -> ".join(a for a, _ in nx.find_cycle(g))
        raise ValueError(f"items.requires: prerequisites form a cycle ({cycle})")


def _format_validation_error(err: ValidationError, raw: dict) -> str:
    """Turn pydantic's first error into 'field: problem', naming list entries by their id."""
    first = err.errors()[0]
    parts: list[str] = []
    node = raw
    for key in first["loc"]:
        if isinstance(key, int) and parts:
            ident = node[key].get("id") if isinstance(node, list) and key < len(node) and isinstance(node[key], dict) else None
            parts[-1] += f"[{ident if ident is not None else key}]"
        elif isinstance(key, str) and key in ("tension", "channel", "gift", "value", "reveal", "action_points", "tie") and parts and parts[-1].startswith("effects"):
            continue  # pydantic adds the discriminator's tag to the location; it says nothing new
        else:
            parts.append(str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    msg = first["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    where = ".".join(parts)
    return f"{where}: {msg}" if where else msg


def parse_scenario(raw: dict, source: str = "<scenario>") -> Scenario:
    """Validate a scenario given as a dict (from TOML or a record) or raise ScenarioError."""
    try:
        return Scenario.model_validate(raw)
    except ValidationError as err:
        raise ScenarioError(f"{source}: {_format_validation_error(err, raw)}") from None


def load_scenario(path: str | Path = DEFAULT_SCENARIO_PATH) -> Scenario:
    """Load and validate a scenario TOML file, or raise ScenarioError naming the file, field and problem."""
    return parse_scenario(read_scenario_toml(path), str(path))


def read_scenario_toml(path: str | Path) -> dict:
    """A scenario file's TOML as a dict, not yet validated; raises ScenarioError if it cannot be read."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(f"{path}: cannot be read ({err.__class__.__name__})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path}: TOML syntax error: {err}") from None


_default: Scenario | None = None


def default_scenario() -> Scenario:
    """The default scenario, loaded once per process."""
    global _default
    if _default is None:
        _default = load_scenario(DEFAULT_SCENARIO_PATH)
    return _default
