"""view(state, side): the one door for hidden information.

Bots, the game window and replays-as-a-side see a `View`, never a `State`.
A side's view holds the public board, its own agenda cards and intelligence,
and every commitment as that side can see it: an unverifiable item the other
side claims to have implemented shows as 'claimed' with `done=None`, whether
or not it was really done. The spectator view (side 'all') shows everything;
the public view (side 'public') is what the whole room may see during a match
(no agenda card, no truth of a claim, no draft, no intelligence), for the
hand-off screen and the projector. A view holds no generator state and no deck
order, so no bot can predict a draw. `board(view)` is the view's board as the
engine's rules read it, so `game.menu` can say what is legal from a view alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from operator import is_
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from game.scenario import Scenario
    from game.state import Happening, State

SPECTATOR = "all"
PUBLIC = "public"

# The engine's names, bound on first use (`_load_engine`): a student's bot process only rebuilds views from
# data (game.bots.sandbox_wire) and must start quickly, without the engine's imports (pydantic, networkx:
# about a third of a second for each of a tournament's dozens of bot processes).
NO_SUMMIT = SUMMIT = agenda_cards = deal_text = legal_actions = score_breakdown = scores = tables = Draft = None


def _load_engine() -> None:
    """Bind the engine's names in this module (once; see the note above)."""
    global NO_SUMMIT, SUMMIT, agenda_cards, deal_text, legal_actions, score_breakdown, scores, tables, Draft
    from game.engine import NO_SUMMIT, SUMMIT, agenda_cards, deal_text, legal_actions, score_breakdown, scores, tables
    from game.state import Draft


@dataclass(frozen=True, slots=True)
class ChannelView:
    """A cross channel as seen on the board."""

    id: str
    name: str
    open: bool
    trust: float
    last_used: int


@dataclass(frozen=True, slots=True)
class CommitmentView:
    """A commitment as the viewer can see it; `done` is None where the viewer cannot know."""

    item: str
    name: str
    giver: str
    receiver: str
    channel: str
    agreed: int
    due: int
    status: str
    done: bool | None
    settled: int

    @property
    def in_force_as_seen(self) -> bool:
        """In force as the viewer sees it (verified, or claimed and not found out)."""
        return self.status in ("verified", "claimed")

    @property
    def publicly_in_force(self) -> bool:
        """In force as both sides can see it (the rules' name for `in_force_as_seen`)."""
        return self.status in ("verified", "claimed")

    @property
    def live(self) -> bool:
        """Agreed and not (yet) broken, reversed or exposed, so it cannot be agreed again."""
        return self.status in ("pending", "verified", "claimed")


@dataclass(frozen=True, slots=True)
class ProposalView:
    """A proposal waiting for an answer (proposals are public once sent)."""

    kind: str
    sender: str
    receiver: str
    made: int
    channel: str | None
    give: tuple[str, ...]
    get: tuple[str, ...]
    counter: bool
    text: str


@dataclass(frozen=True, slots=True)
class CardView:
    """An agenda card, shown to its holder (and to everyone once the game is over)."""

    deck: str
    id: str
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class View:
    """What one side (or the spectator 'all', or the room 'public') may know about a game at one moment.

    `last_summit` is the round of the last summit, None before the first.
    `score_parts` (a side's view only) are its score so far, as it sees it:
    items received and given, its card's bonuses, and while the match runs the
    ending as it stands (peace if the treaty is in force, else the final trust).
    `rules` is the scenario the view was made from (not part of `to_dict`).
    """

    side: str
    scenario: str
    round: int
    rounds: int
    turn: int
    to_move: str
    phase: str
    ap: int
    tension: int
    crisis_at: int
    channels: tuple[ChannelView, ...]
    trust_index: float
    groundwork: tuple[tuple[str, int], ...]
    ties: tuple[tuple[str, str, int], ...]
    legitimacy: tuple[tuple[str, int], ...]
    summits: int
    last_summit: int | None
    summit_next: int
    summit_round: bool
    event: str | None
    events_drawn: tuple[str, ...]
    deck_left: int
    commitments: tuple[CommitmentView, ...]
    proposals: tuple[ProposalView, ...]
    draft: tuple[str, tuple[str, ...], tuple[str, ...], bool] | None
    gifts: tuple[tuple[str, str], ...]
    ap_this_round: tuple[tuple[str, int], ...]
    bonuses: tuple[tuple[str, str, int], ...]
    boost_used: tuple[tuple[str, int], ...]
    hot_rounds: int
    broken: tuple[tuple[str, int], ...]
    agenda: tuple[CardView, ...]
    ruled_out: tuple[tuple[str, str], ...]
    outcome: str | None
    my_score: float | None
    score_parts: tuple[tuple[str, float], ...]
    final_scores: tuple[tuple[str, float], ...] | None
    legal: tuple[str, ...]
    rules: Scenario | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The view as plain JSON-ready data (what a student's bot process receives); `rules` is left out."""
        d = asdict(replace(self, rules=None))
        del d["rules"]
        return d

    def channel(self, channel_id: str) -> ChannelView:
        """One channel by id."""
        return next(c for c in self.channels if c.id == channel_id)

    def groundwork_of(self, item: str) -> int:
        """Groundwork points on an item."""
        return dict(self.groundwork).get(item, 0)

    def commitments_of(self, giver: str) -> tuple[CommitmentView, ...]:
        """Commitments given by one side, oldest first."""
        return tuple(c for c in self.commitments if c.giver == giver)

    @property
    def other(self) -> str:
        """The other side's id (for a side's view)."""
        return next(s for s, _ in self.legitimacy if s != self.side)


def view(state: State, side: str) -> View:
    """What `side` may know now; side 'all' is the spectator, who sees everything; 'public' is the room."""
    return View(*view_values(state, side), rules=state.scenario)


def view_values(state: State, side: str) -> tuple:
    """The values of `view(state, side)`'s fields in their order, without making the View (a bot host's wire
    sends only those that changed, game.bots.sandbox_wire; a tournament asks for one at every decision)."""
    if tables is None:
        _load_engine()
    T = tables(state.scenario)
    spectator = side == SPECTATOR
    public = side == PUBLIC
    if not (spectator or public) and side not in T.sides:
        raise ValueError(f"no side {side!r}: choose one of {', '.join(T.sides)}, {SPECTATOR!r} or {PUBLIC!r}")
    over = state.is_over
    cache = _cache(T)
    commitments = _shared(cache, ("cs", side, over), (state.commitments,), lambda: tuple(
        _commitment_view(cache, T, c, c.status == "claimed" and not (spectator or over or c.giver == side))
        for c in state.commitments))
    proposals = tuple(_proposal_view(cache, T, p) for p in state.proposals)
    seen_sides = T.sides if (spectator or over) else () if public else (side,)
    agenda = _agenda_view(cache, T, state, seen_sides)
    if spectator:
        ruled = tuple((d, c) for r in state.ruled_out for d, c in r)
    elif public:
        ruled = ()
    else:
        ruled = tuple(state.ruled_out[T.sides.index(side)])
    draft = None
    if state.draft is not None and (spectator or state.to_move == side):
        d = state.draft
        draft = (d.channel, d.give, d.get, d.counter)
    final = tuple(scores(state).items()) if over else None
    trust_index = state.trust_index()
    if spectator or public:
        my_score, parts = None, ()
    else:
        if over:
            parts = tuple(score_breakdown(state, side, believe_claims=False))
        else:  # what it is made from, as the same objects (a move shares what it does not change): made again rarely
            parts = _shared(cache, ("sb", side, state.summits, state.hot_rounds),
                            (state.commitments, state.agendas, state.bonuses, state.broken),
                            lambda: tuple(score_breakdown(state, side, believe_claims=True)))
            parts += (_ending_as_it_stands(state, T, side, trust_index),)
        my_score = round(sum(v for _, v in parts), 2)
    mine = spectator or state.to_move == side
    sides = T.sides
    return (
        side, state.scenario.id, state.round, state.scenario.rounds, state.turn,  # side, scenario, round, rounds, turn
        state.to_move, state.phase, state.ap if mine else 0, state.tension,  # to_move, phase, ap, tension
        state.scenario.tension.crisis, _channel_views(cache, state), trust_index,  # crisis_at, channels, trust_index
        _from(cache, T, "gw", state.groundwork, _groundwork), _from(cache, T, "ti", state.ties, _ties),  # groundwork, ties
        tuple(zip(sides, state.legitimacy)), state.summits,  # legitimacy, summits
        state.last_summit if state.last_summit > 0 else None, state.summit_next, state.summit_round,  # last_summit ...
        state.deck[state.round - 1] if state.round else None,  # event
        state.deck[:state.round], len(state.deck) - state.round,  # events_drawn, deck_left
        commitments, proposals, draft, state.gifts,  # commitments, proposals, draft, gifts
        tuple(zip(sides, state.ap_this_round)), state.bonuses,  # ap_this_round, bonuses
        tuple(zip(sides, state.boost_used)), state.hot_rounds,  # boost_used, hot_rounds
        tuple(zip(sides, state.broken)), agenda, ruled,  # broken, agenda, ruled_out
        state.outcome, my_score, parts, final,  # outcome, my_score, score_parts, final_scores
        tuple(map(str, legal_actions(state))) if mine else (),  # legal
    )


# The parts of a view that are the same from step to step (a commitment, a proposal, the agenda cards, the
# channels) are made once and shared: views are immutable, and a tournament makes one for every decision.
# Each scenario's tables hold a bounded memo of them, keyed by everything they are made from.
_MEMO_SIZE = 16384


def _cache(T) -> dict[Any, Any]:
    memo = T.__dict__.get("_view_memo")
    if memo is None or len(memo) > _MEMO_SIZE:
        memo = T._view_memo = {}
    return memo


def _from(cache: dict[Any, Any], T, tag: str, source: tuple, make) -> Any:
    """`make(T, source)`, or what it made before from this same `source` object (a move shares the state's
    tuples it does not change, so the view's part is the same object too, and a bot host's wire skips it)."""
    key = (tag, id(source))
    hit = cache.get(key)
    if hit is not None and hit[0] is source:
        return hit[1]
    out = make(T, source)
    cache[key] = (source, out)  # holding the source keeps its id from being reused while the entry lives
    return out


def _groundwork(T, groundwork: tuple) -> tuple[tuple[str, int], ...]:
    return tuple(zip(T.gw_items, map(groundwork.__getitem__, T.gw_index)))


def _ties(T, ties: tuple) -> tuple[tuple[str, str, int], ...]:
    return tuple((t.a, t.b, v) for t, v in zip(T.sc.ties, ties))


def _shared(cache: dict[Any, Any], key: tuple, sources: tuple, make) -> Any:
    """`make()`, or what it made before from the same `sources` objects (compared by identity, not equality:
    cheaper, and a value equal but of another type, 1 and 1.0, is never taken for the same)."""
    key = (*key, *map(id, sources))
    hit = cache.get(key)
    if hit is not None and all(map(is_, hit[0], sources)):
        return hit[1]
    out = make()
    cache[key] = (sources, out)  # holding the sources keeps their ids from being reused while the entry lives
    return out


def _commitment_view(cache: dict[Any, Any], T, c, hidden: bool) -> CommitmentView:
    key = ("c", c, hidden)
    out = cache.get(key)
    if out is None:
        out = cache[key] = CommitmentView(c.item, T.items[c.item].name, c.giver, c.receiver, c.channel, c.agreed,
                                          c.due, c.status, None if hidden else c.done, c.settled)
    return out


def _proposal_view(cache: dict[Any, Any], T, p) -> ProposalView:
    key = ("p", p)
    out = cache.get(key)
    if out is None:
        out = cache[key] = ProposalView(p.kind, p.sender, p.receiver, p.made, p.channel, p.give, p.get, p.counter,
                                        _proposal_text(T, p))
    return out


def _agenda_view(cache: dict[Any, Any], T, state: State, seen_sides) -> tuple[CardView, ...]:
    key = ("a", state.agendas, seen_sides)
    out = cache.get(key)
    if out is None:
        out = cache[key] = tuple(CardView(deck.id, card.id, card.name, card.text) for s in seen_sides
                                 for deck, card in zip(T.decks_of[s], agenda_cards(state, s)))
    return out


def _channel_views(cache: dict[Any, Any], state: State) -> tuple[ChannelView, ...]:
    key = ("ch", state.is_open, state.trust, state.used)
    out = cache.get(key)
    if out is None:
        out = cache[key] = tuple(_channel_view(cache, c, o, t, u) for c, o, t, u in
                                 zip(state.scenario.channels, state.is_open, state.trust, state.used))
    return out


def _channel_view(cache: dict[Any, Any], c, is_open: bool, trust: float, used: int) -> ChannelView:
    # One channel's view is shared too: a move changes one channel, and the others stay the same objects
    # (a bot host's wire then sends only the one that changed).
    key = ("c1", c.id, is_open, trust, used)
    out = cache.get(key)
    if out is None:
        out = cache[key] = ChannelView(c.id, c.name, is_open, trust, used)
    return out


def _ending_as_it_stands(state: State, T, side: str, trust_index: float) -> tuple[str, float]:
    """The ending's part of a side's score if the match ended now, as the side sees it (claims believed)."""
    rules = state.scenario.outcomes
    c = next((c for c in reversed(state.commitments) if c.item == rules.peace_item), None)
    if c is not None and (c.in_force or c.status == "claimed" and c.giver != side):
        return "peace, as things stand", float(rules.peace)
    return "final trust, as things stand", trust_index / rules.plain_trust_divisor


class _ViewBoard:
    """A view's board as the engine's rules read it (`game.engine.Board`): public facts and the viewer's own."""

    def __init__(self, v: View, sc: Scenario):
        if tables is None:
            _load_engine()
        T = tables(sc)
        self.scenario = sc
        self.round, self.phase, self.to_move, self.tension = v.round, v.phase, v.to_move, v.tension
        self.is_open = tuple(c.open for c in v.channels)
        self.trust = tuple(c.trust for c in v.channels)
        self._trust_index = v.trust_index
        gw = dict(v.groundwork)
        self.groundwork = tuple(gw.get(i, 0) for i in T.item_order)
        self.commitments = v.commitments
        self.proposals = v.proposals
        self.draft = Draft(*v.draft) if v.draft is not None else None
        self.summit_next, self.summit_round = v.summit_next, v.summit_round
        self.last_summit = NO_SUMMIT if v.last_summit is None else v.last_summit
        self.gifts = v.gifts
        self.bonuses = v.bonuses
        # Each side rules out the other side's cards, so a ruled-out card's deck says whose list it is in.
        owner = {d.id: d.side for d in sc.decks}
        self.ruled_out = tuple(tuple(r for r in v.ruled_out if owner[r[0]] != side) for side in T.sides)

    def trust_index(self) -> float:
        """The trust index the view shows."""
        return self._trust_index


def board(v: View, scenario: Scenario | None = None) -> _ViewBoard:
    """The view's board as the engine's rules read it; `scenario` only for a view without `rules` (a rebuilt one)."""
    sc = scenario or v.rules
    if sc is None:
        raise ValueError("this view carries no scenario (it was rebuilt from data): pass the scenario")
    if sc.id != v.scenario:
        raise ValueError(f"the view is of scenario {v.scenario!r}, not {sc.id!r}")
    return _ViewBoard(v, sc)


def _proposal_text(T, p) -> str:
    if p.kind == "open":
        return f"open the {T.channel[p.channel].name} channel"
    if p.kind == "summit":
        return "hold a summit"
    where = "at the summit" if p.channel == SUMMIT else f"through {T.channel[p.channel].name}"
    return ("counter " if p.counter else "") + f"{where}: {T.side[p.sender].name} {deal_text(T, p.give, p.get)}"


def reason_visible(acting_side: str, reader: str, over: bool) -> bool:
    """Whether `reader` may read a bot's stated reason for its move: its own side always, anyone once the match is over.

    A reason can tell the truth of a claim or a card ("claiming X without doing it"), so before the end the
    other side and the room do not see it. The window's live board and the replay viewer both ask here.
    """
    return over or reader == acting_side or reader == SPECTATOR


def visible(happening: Happening, side: str) -> bool:
    """Whether a reader may see one thing that happened: a side its own and the public ones, 'all' everything.

    'public' (the room) matches no side's private happening, so it sees only those meant for everyone.
    """
    return side == SPECTATOR or happening.to is None or happening.to == side


def visible_happenings(happenings, side: str) -> list[Happening]:
    """The things that happened that a side (or the spectator) may see, in order."""
    return [h for h in happenings if visible(h, side)]


def sample_state(v: View, scenario, rng, card_weights: dict[str, dict[str, float]] | None = None,
                 claim_truth: dict[str, float] | None = None) -> State:
    """A full game state consistent with a side's view, its hidden parts drawn from `rng`.

    This is how a search bot 'determinizes' what it cannot see: the other
    side's agenda cards (from `card_weights`, deck id -> card id -> weight,
    default the scenario's weights, never a card the viewer has ruled out),
    whether each of the other side's unverified claims was really done
    (`claim_truth`, item -> probability, default 0.5), the order of the event
    cards not yet drawn, and the generator. Nothing here reads the real state.
    """
    from game.engine import NO_SUMMIT, tables
    from game.state import Commitment, Draft, Proposal, State, rng_seed

    T = tables(scenario)
    me = v.side
    other = T.other[me]
    ruled = set(v.ruled_out)
    agendas = []
    mine = {c.deck: c.id for c in v.agenda}
    for side in T.sides:
        cards = []
        for deck in T.decks_of[side]:
            if side == me or (v.outcome is not None and deck.id in mine):
                cards.append(mine[deck.id])
                continue
            weights = (card_weights or {}).get(deck.id)
            options = [c for c in deck.cards if (deck.id, c.id) not in ruled]
            w = [weights.get(c.id, 0.0) if weights else c.weight for c in options]
            if sum(w) <= 0:
                w = [c.weight for c in options]
            cards.append(rng.choices(options, weights=w)[0].id)
        agendas.append(tuple(cards))
    commitments = []
    for c in v.commitments:
        done = c.done
        if done is None:
            done = rng.random() < (claim_truth or {}).get(c.item, 0.5)
        commitments.append(Commitment(c.item, c.giver, c.receiver, c.channel, c.agreed, c.due, c.status, done, c.settled))
    left = list(scenario.event_deck)
    for card in v.events_drawn:
        left.remove(card)
    rng.shuffle(left)
    s = State()
    s.scenario = scenario
    s.seed = 0
    s.rng = rng_seed(rng.getrandbits(63))
    s.agendas = tuple(agendas)
    s.deck = tuple(v.events_drawn) + tuple(left)
    s.round, s.turn, s.to_move, s.phase, s.ap = v.round, v.turn, v.to_move, v.phase, v.ap
    s.tension = v.tension
    s.trust = tuple(c.trust for c in v.channels)
    s.is_open = tuple(c.open for c in v.channels)
    s.used = tuple(c.last_used for c in v.channels)
    gw = dict(v.groundwork)
    s.groundwork = tuple(gw.get(i, 0) for i in T.item_order)
    s.ties = tuple(t[2] for t in v.ties)
    s.legitimacy = tuple(n for _, n in v.legitimacy)
    s.commitments = tuple(commitments)
    s.proposals = tuple(Proposal(p.kind, p.sender, p.receiver, p.made, p.channel, p.give, p.get, p.counter)
                        for p in v.proposals)
    s.draft = Draft(*v.draft) if v.draft is not None else None
    s.ruled_out = tuple(tuple(v.ruled_out) if side == me else () for side in T.sides)
    s.summit_next, s.summits, s.summit_round = v.summit_next, v.summits, v.summit_round
    s.last_summit = NO_SUMMIT if v.last_summit is None else v.last_summit
    s.gifts = v.gifts
    s.ap_this_round = tuple(n for _, n in v.ap_this_round)
    s.bonuses = v.bonuses
    s.boost_used = tuple(n for _, n in v.boost_used)
    s.hot_rounds = v.hot_rounds
    s.broken = tuple(n for _, n in v.broken)
    s.outcome = v.outcome
    s.happened = ()
    return s
