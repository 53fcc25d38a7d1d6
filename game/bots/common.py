"""Shared helpers for the built-in bots: reading a view, valuing items by one's own card, composing deals.

Everything here reads a `View` (never a `State`) plus the scenario's static
tables, so a heuristic bot sees exactly what a human player at its seat sees.
`HeuristicBot` is the skeleton the rule-based bots share: it dispatches on the
view's phase (answer a proposal, settle a commitment that fell due, draft a
deal, or act) and carries a deal once it decides to propose one, step by step
(`propose`, `give`..., `get`..., `send`), as `game.actions.deal_steps` spells it.
It remembers a deal the other side refused and offers something else for a
few rounds. `Valuer` counts, besides the items themselves, what they lead to:
the steps toward peace or a settlement are worth the better ending to both
sides (`end_stakes`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable, Collection, Iterable, Sequence

from game.actions import (
    Accept, Action, Break, Call, Cancel, Counter, Exchange, Fake, Get, Give, Implement, Intel, Meet, OpenChannel, Pass,
    Pressure, Propose, ProposeSummit, Reject, Send,
)
from game.engine import MAX_DEAL_ITEMS, SUMMIT, ItemWorth, Tables, item_worth, tables
from game.menu import deal_options
from game.scenario import Scenario, default_scenario
from game.view import CommitmentView, ProposalView, View

KEPT = ("verified", "claimed")            # a promise kept, as the receiver sees it
BROKEN = ("broken", "exposed", "reversed")  # a promise broken, as everyone sees it


def free_breaks(mine: int, theirs: int) -> int:
    """How many of my broken promises cost no reputation: those so far, and as many more as answer theirs.

    Tit for tat is expected, so the search bot's evaluation charges only breaks past this count.
    """
    return mine + max(0, theirs - mine)

_known: dict[str, Scenario] = {}


def register_scenario(scenario: Scenario) -> None:
    """Make a scenario known to the built-in bots by its id (for bots used outside `play_match`, which sets
    `bot.scenario` itself)."""
    _known[scenario.id] = scenario


def scenario_for(view: View) -> Scenario:
    """The scenario a view belongs to: a registered one with its id, or the default scenario."""
    sc = _known.get(view.scenario)
    if sc is not None:
        return sc
    sc = default_scenario()
    if sc.id != view.scenario:
        raise ValueError(f"bots know no scenario {view.scenario!r}: call game.bots.common.register_scenario first")
    _known[sc.id] = sc
    return sc


# ---------------------------------------------------------------- valuing items

class Valuer:
    """Values items by the holder's own agenda cards (and the other side's by the scenario's base numbers).

    Its own worth of an item is the engine's (`game.engine.item_worth`: the
    rule the scores use), plus what the item leads to (`end_stakes`).
    """

    def __init__(self, view: View, T: Tables):
        self.T = T
        self.me = view.side
        self.other = view.other
        self.cards = [T.card[c.deck][c.id] for c in view.agenda if T.sc.deck_by_id[c.deck].side == view.side]
        self.bonuses = view.bonuses
        self.verified = [i for i, c in latest(view).items() if c.giver == self.other and c.status == "verified"]
        self.free: set[str] = set()  # items this side means to give only on paper (a trap's fakes)
        self.stakes = end_stakes(view, T)
        self._worth: dict[str, ItemWorth] = {}

    def worth(self, item: str) -> ItemWorth:
        """The item's worth to me by my cards, as the scores count it (cached for this decision)."""
        w = self._worth.get(item)
        if w is None:
            w = self._worth[item] = item_worth(self.T, self.me, item, self.cards, self.bonuses, self.verified)
        return w

    def stake(self, item: str) -> float:
        """What an item is worth to me beyond itself because it leads to a better end of the game."""
        return self.stakes.get(item, 0.0)

    def value(self, item: str) -> float:
        """What receiving an item is worth to me (my cards' multipliers and bonuses, and the ending it leads to)."""
        w = self.worth(item)
        return w.value + w.bonus + self.stake(item)

    def cost(self, item: str) -> float:
        """What giving an item costs me (my cards' cost multipliers, less their bonus for it and its ending)."""
        if item in self.free:
            return 0.0
        w = self.worth(item)
        return w.cost - w.bonus - self.stake(item)

    def their_value(self, item: str) -> float:
        """What an item I give is worth to the other side: the scenario's base number, plus the ending it leads to."""
        return self.T.items[item].value + self.stake(item)

    def their_cost(self, item: str) -> float:
        """What an item the other side gives costs it: the base number, less the ending it leads to."""
        return self.T.items[item].cost - self.stake(item)

    def gain(self, give: Iterable[str], get: Iterable[str], doubt: float = 0.0) -> float:
        """My net gain from a deal; `doubt` discounts unverifiable items I would receive."""
        g = 0.0
        for i in get:
            v = self.value(i)
            if not self.T.items[i].verifiable:
                v *= 1.0 - doubt
            g += v
        return g - sum(self.cost(i) for i in give)

    def their_gain(self, give: Iterable[str], get: Iterable[str]) -> float:
        """The other side's net gain from a deal I propose (give = what I give)."""
        return sum(self.their_value(i) for i in give) - sum(self.their_cost(i) for i in get)

    def is_trap(self) -> bool:
        """Whether my card pays for summits and exploitation (a 'trap' intent)."""
        return any(c.exploit_bonus > 0 for c in self.cards)

    def summit_points(self) -> float:
        """What one more summit is worth to me."""
        pts = sum(c.summit_points for c in self.cards)
        for c in self.cards:
            pts *= c.summit_multiplier
        return pts


def item_chain(T: Tables, item: str) -> set[str]:
    """An item and everything it requires, all the way down."""
    out = {item}
    for r in T.items[item].requires:
        out |= item_chain(T, r)
    return out


def ending_chains(T: Tables) -> tuple[set[str], set[str]]:
    """The items peace needs (its item and all that requires) and the items a settlement needs."""
    rules = T.sc.outcomes
    peace = item_chain(T, rules.peace_item) if rules.peace_item in T.items else set()
    settlement = set().union(*(item_chain(T, i) for i in rules.settlement_items if i in T.items))
    return peace, settlement


def end_stakes(view: View, T: Tables) -> dict[str, float]:
    """Items that lead to a better end than the plain one, with what each step is worth to either side.

    Both sides score the ending, so both count it. Peace is worth the peace
    bonus less the plain end's trust bonus as things stand; the settlement
    its bonus less the better of those two, owed to the steps peace does not
    already need. Every step of a goal's chain (the goal item and what it
    requires) not yet agreed is worth the whole prize: without it there is no
    prize at all, so that is what it adds once the other steps follow. A chain
    that can no longer be finished in the rounds left (each step takes its
    tier's delay before the next can be agreed) is worth nothing, so bots stop
    paying for it late in the game.
    """
    rules = T.sc.outcomes
    lt = latest(view)
    plain = view.trust_index / rules.plain_trust_divisor
    rounds_left = view.rounds - view.round

    def agreed(item: str) -> bool:
        c = lt.get(item)
        return c is not None and c.status in ("pending", "verified", "claimed")

    def steps(item: str) -> int:
        """Rounds until `item` can be in force, if agreed as soon as its prerequisites are."""
        if agreed(item):
            return 0
        return max((steps(r) for r in T.items[item].requires), default=0) + T.delay[T.items[item].tier]

    stakes: dict[str, float] = {}

    def share(goals: list[str], chain: set[str], prize: float) -> None:
        goals = [g for g in goals if g in T.items]
        if prize <= 0 or not goals or any(steps(g) > rounds_left for g in goals):
            return
        for item in sorted(chain - {i for i in T.items if agreed(i)}):
            stakes[item] = stakes.get(item, 0.0) + prize

    peace_chain, settlement_chain = ending_chains(T)
    share([rules.peace_item], peace_chain, rules.peace - plain)
    # What a settlement adds over peace is owed to the steps peace does not already need.
    share(list(rules.settlement_items), settlement_chain - peace_chain, rules.settlement - max(rules.peace, plain))
    return stakes


# ---------------------------------------------------------------- reading a view

@dataclass(frozen=True)
class Record:
    """One side's record of promises as the viewer sees it."""

    kept: int
    broken: int
    exposed: int
    last: str | None       # 'kept', 'broken' or None: the most recently settled promise
    last_round: int
    verified_given: int    # verifiable items implemented (seen done)


def record(view: View, side: str) -> Record:
    """The kept and broken promises of `side` as `view` sees them; the last one decides tit for tat."""
    kept = broken = exposed = verified = 0
    last, last_round = None, 0
    for c in view.commitments:
        if c.giver != side or c.status in ("pending", "fallen"):
            continue
        if c.status in KEPT:
            kept += 1
            verified += c.status == "verified"
            kind = "kept"
        else:
            broken += 1
            exposed += c.status == "exposed"
            kind = "broken"
        if c.settled >= last_round:
            last, last_round = kind, c.settled
    return Record(kept, broken, exposed, last, last_round, verified)


def latest(view: View) -> dict[str, CommitmentView]:
    """Each item's most recent commitment, by item id."""
    return {c.item: c for c in view.commitments}


def in_force(view: View, item: str) -> bool:
    """Whether an item is in force as the viewer sees it."""
    c = latest(view).get(item)
    return c is not None and c.in_force_as_seen


def inspected(view: View, T: Tables) -> bool:
    """Whether an inspection item (inspectors) is verified in force, so claims get checked."""
    lt = latest(view)
    return any(i in lt and lt[i].status == "verified" for i in T.inspection_items)


def waiting(view: View) -> ProposalView | None:
    """The first proposal waiting for the viewer's answer."""
    return next((p for p in view.proposals if p.receiver == view.side), None)


def due(view: View) -> CommitmentView | None:
    """The viewer's first commitment that has fallen due and is unsettled."""
    return next((c for c in view.commitments
                 if c.giver == view.side and c.status == "pending" and c.due <= view.round), None)


def eligible(view: View, T: Tables, giver: str, channel: str) -> list[str]:
    """Items `giver` could put in a new deal through `channel` now, in scenario order (`game.menu.deal_options`:
    the engine's own rule, read from the view)."""
    options = deal_options(view, channel, scenario=T.sc)
    return [o.item for o in (options.give if giver == view.side else options.get) if o.addable]


# ---------------------------------------------------------------- composing deals

def best_deal(val: Valuer, gives: Sequence[str], gets: Sequence[str], *, min_mine: float = 0.5,
              min_theirs: float = 0.0, weight_theirs: float = 0.3, doubt: float = 0.0,
              max_each: int = 3, exclude: Collection[tuple[frozenset[str], frozenset[str]]] = (),
              allowed: Callable[[tuple[str, ...], tuple[str, ...]], bool] | None = None,
              fairness: float = 0.0) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The deal (give, get) that maximises my gain plus `weight_theirs` times theirs, within the two floors.

    `fairness` charges that many points per point of difference between the
    two gains, so a fair-minded proposer does not keep the whole surplus.

    Deals have up to `max_each` items each way, chosen among the candidates in
    scenario order (stable, so the same view gives the same deal); deals in
    `exclude`, as (give, get) sets, and deals `allowed(give, get)` refuses are skipped.
    """
    max_each = min(max_each, MAX_DEAL_ITEMS)
    give_sets: list[tuple[str, ...]] = [()] + [(g,) for g in gives]
    get_sets: list[tuple[str, ...]] = [()] + [(g,) for g in gets]
    if max_each >= 2:
        give_sets += [(a, b) for n, a in enumerate(gives) for b in gives[n + 1:]]
        get_sets += [(a, b) for n, a in enumerate(gets) for b in gets[n + 1:]]
    if max_each >= 3:
        give_sets += [(a, b, c) for n, a in enumerate(gives) for m, b in enumerate(gives[n + 1:], n + 1)
                      for c in gives[m + 1:]]
        get_sets += [(a, b, c) for n, a in enumerate(gets) for m, b in enumerate(gets[n + 1:], n + 1)
                     for c in gets[m + 1:]]
    best, best_score = None, float("-inf")
    for gv in give_sets:
        cost = val.gain(gv, ())
        tv = sum(val.their_value(i) for i in gv)
        for gt in get_sets:
            if not gv and not gt:
                continue
            mine = cost + val.gain((), gt, doubt)
            theirs = tv - sum(val.their_cost(i) for i in gt)
            if mine < min_mine or theirs < min_theirs or (exclude and (frozenset(gv), frozenset(gt)) in exclude):
                continue
            score = mine + weight_theirs * theirs - fairness * abs(mine - theirs) - 0.01 * (len(gv) + len(gt))
            if score > best_score and (allowed is None or allowed(gv, gt)):
                best, best_score = (gv, gt), score
    return best


def deal_channel(view: View, T: Tables, legal: set[Action]) -> list[str]:
    """Channels I may propose a deal through now, widest first (the summit, then the hotline...)."""
    me = view.side
    order = [SUMMIT] + sorted(T.channels, key=lambda c: -len(T.tiers_of[c]))
    return [c for c in order if Propose(me, c) in legal]


# ---------------------------------------------------------------- the heuristic skeleton

class Ctx:
    """One decision's context: the view, the legal actions as a set, tables, valuer and the side ids."""

    def __init__(self, view: View, legal: Sequence[Action], scenario: Scenario):
        self.view = view
        self.legal_seq = legal
        self.legal = set(legal)
        self.T = tables(scenario)
        self.me = view.side
        self.other = view.other
        self.val = Valuer(view, self.T)

    def can(self, action: Action) -> bool:
        """Whether an action is legal now."""
        return action in self.legal

    def first(self, *candidates: Action | None) -> Action | None:
        """The first legal action among candidates (None entries are skipped)."""
        for a in candidates:
            if a is not None and a in self.legal:
                return a
        return None

    def open_(self, channel: str) -> bool:
        """Whether a channel is open."""
        return self.view.channel(channel).open

    def trust(self, channel: str) -> float:
        """A channel's trust."""
        return self.view.channel(channel).trust

    def pressure_moves(self) -> list[Pressure]:
        """My pressure moves that would not break a promise of mine in force, then the rest."""
        safe, unsafe = [], []
        for p in self.T.side[self.me].pressure:
            a = Pressure(self.me, p.id)
            if a not in self.legal:
                continue
            (unsafe if p.breaks and in_force(self.view, p.breaks) else safe).append(a)
        return safe + unsafe

    def meet_target(self, prefer: Sequence[str] = ()) -> Meet | None:
        """A working-level meeting, on the item I most want groundwork for (preferred items first)."""
        meets = [a for a in self.legal_seq if isinstance(a, Meet)]
        if not meets:
            return None
        by_item = {a.item: a for a in meets}
        for item in prefer:
            if item in by_item:
                return by_item[item]
        # Groundwork on what I would receive that I value most, else the first offered.
        ranked = sorted((a for a in meets if a.item), key=lambda a: (
            -(self.val.value(a.item) if self.T.items[a.item].giver == self.other
              else 0.5 * self.val.their_value(a.item) + self.val.stake(a.item)),
            self.T.item_order.index(a.item)))
        return ranked[0] if ranked else meets[0]

    def intel_moves(self) -> list[Intel]:
        """My legal intelligence moves, claim checks first."""
        moves = [a for a in self.legal_seq if isinstance(a, Intel)]
        return sorted(moves, key=lambda a: a.target is None)


class HeuristicBot:
    """Mixin skeleton of the rule-based bots: dispatch on the phase and carry a planned deal through drafting."""

    # Overridden by each bot.
    def answer(self, ctx: Ctx, p: ProposalView, rng: random.Random) -> tuple[Action, str]:
        """Answer a waiting proposal."""
        raise NotImplementedError

    def settle(self, ctx: Ctx, c: CommitmentView, rng: random.Random) -> tuple[Action, str]:
        """Settle a commitment that fell due."""
        raise NotImplementedError

    def act(self, ctx: Ctx, rng: random.Random) -> tuple[Action, str]:
        """Spend an action point (or pass)."""
        raise NotImplementedError

    def reset(self, side: str, seed: int) -> None:
        """Clear the planned deal and any memory."""
        self.side = side
        self._plan: tuple[str, tuple[str, ...], tuple[str, ...], str] | None = None
        self._sent: tuple[int, tuple[str, ...], tuple[str, ...]] | None = None  # my last deal: (round, give, get)
        self._refused: dict[tuple[frozenset[str], frozenset[str]], int] = {}  # deal -> round it was refused

    REMEMBER_REFUSAL = 3  # rounds a refused deal is not offered again (the board may have changed by then)

    def _note_answer(self, view: View) -> None:
        """Once my last deal is answered, remember it as refused unless its items became commitments."""
        sent = self._sent
        if sent is None or any(p.sender == view.side and p.kind == "deal" for p in view.proposals):
            return
        made, give, get = sent
        agreed = {c.item for c in view.commitments if c.agreed >= made}
        if not set(give + get) <= agreed:
            self._refused[(frozenset(give), frozenset(get))] = view.round
        self._sent = None

    def refused(self, view: View) -> set[tuple[frozenset[str], frozenset[str]]]:
        """Deals of mine the other side refused recently (not to be offered again yet)."""
        return {d for d, r in self._refused.items() if view.round - r < self.REMEMBER_REFUSAL}

    def choose(self, view: View, legal: Sequence[Action], rng: random.Random):
        """Dispatch on the phase of the view."""
        sc = getattr(self, "scenario", None) or scenario_for(view)
        ctx = Ctx(view, legal, sc)
        if not hasattr(self, "_plan"):
            self.reset(view.side, 0)
        self._note_answer(view)
        phase = view.phase
        if phase == "answer":
            p = waiting(view)
            choice = self.answer(ctx, p, rng)
        elif phase == "settle":
            choice = self.settle(ctx, due(view), rng)
        elif phase == "draft":
            choice = self._draft(ctx)
        else:
            choice = self.act(ctx, rng)
        action = choice[0] if isinstance(choice, tuple) else choice
        if action not in ctx.legal:  # a rule-based choice that the rules refuse: fall back safely
            fallback = ctx.first(Pass(ctx.me), Reject(ctx.me)) or legal[0]
            return fallback, "nothing better is possible"
        return choice

    # -- deals

    def start_deal(self, ctx: Ctx, channel: str, give: Sequence[str], get: Sequence[str], why: str,
                   counter: bool = False) -> tuple[Action, str]:
        """Remember a deal and take its first step (propose or counter)."""
        self._plan = (channel, tuple(give), tuple(get), why)
        first = Counter(ctx.me) if counter else Propose(ctx.me, channel)
        return first, why

    def draft_step(self, me: str, round_: int, have_give: Sequence[str], have_get: Sequence[str],
                   can) -> Action | None:
        """The next step of drafting my planned deal (an item still to add, else Send), or None if neither is legal.

        Reads only the draft, so a playout can ask it without building a view (`game.bots.ismcts_lines`).
        """
        plan = self._plan
        if plan is not None:
            _, give, get, _ = plan
            for item in give:
                if item not in have_give and can(Give(me, item)):
                    return Give(me, item)
            for item in get:
                if item not in have_get and can(Get(me, item)):
                    return Get(me, item)
        self._plan = None
        if can(Send(me)):
            self._sent = (round_, tuple(have_give), tuple(have_get))
            return Send(me)
        return None

    def _draft(self, ctx: Ctx) -> tuple[Action, str]:
        plan = self._plan
        v = ctx.view
        step = self.draft_step(ctx.me, v.round, v.draft[1], v.draft[2], ctx.can)
        if step is not None:
            return step, plan[3] if plan else "sending the deal"
        if ctx.can(Cancel(ctx.me)):
            return Cancel(ctx.me), "the deal I wanted is no longer possible"
        # A counter with nothing added yet must carry something: ask for the cheapest item on offer.
        gets = [a for a in ctx.legal_seq if isinstance(a, (Get, Give))]
        return gets[0], "a minimal counter"

    def offer(self, ctx: Ctx, why: str, **kw) -> tuple[Action, str] | None:
        """Propose the best deal by `best_deal` through the widest channel that has one, or None."""
        for ch in deal_channel(ctx.view, ctx.T, ctx.legal):
            options = deal_options(ctx.view, ch, scenario=ctx.T.sc)
            gives = self.filter_gives(ctx, [o.item for o in options.give if o.addable])
            gets = self.filter_gets(ctx, [o.item for o in options.get if o.addable])
            deal = best_deal(ctx.val, gives, gets, exclude=self.refused(ctx.view),
                             allowed=lambda gv, gt: self.deal_ok(ctx, gv, gt), **kw)
            if deal is not None:
                return self.start_deal(ctx, ch, deal[0], deal[1], why)
        return None

    def deal_ok(self, ctx: Ctx, give: tuple[str, ...], get: tuple[str, ...]) -> bool:
        """Whether this bot would propose a deal at all (override to refuse some combinations)."""
        return True

    def filter_gives(self, ctx: Ctx, items: list[str]) -> list[str]:
        """Items this bot is willing to offer (override to restrict)."""
        return items

    def filter_gets(self, ctx: Ctx, items: list[str]) -> list[str]:
        """Items this bot is willing to ask for (override to restrict)."""
        return items


def trust_building(ctx: Ctx, *, hotline: bool = True) -> list[tuple[Action, str]]:
    """The usual ways to build trust, most useful first: open channels, meet, exchange."""
    me, v = ctx.me, ctx.view
    out: list[tuple[Action, str]] = []
    for ch, why in (("working", "opening working-level talks"), ("exchange", "opening cultural exchanges"),
                    ("hotline", "opening a leaders' hotline")):
        if ch == "hotline" and not hotline:
            continue
        a = OpenChannel(me, ch)
        if ctx.can(a):
            out.append((a, why))
    m = ctx.meet_target()
    if m is not None and v.channel("working").trust < 60:
        out.append((m, "a working-level meeting builds trust and groundwork"))
    if ctx.can(Exchange(me)) and v.channel("exchange").last_used != v.round:
        out.append((Exchange(me), "a cultural exchange builds trust"))
    if m is not None:
        out.append((m, "groundwork for bigger items"))
    return out


def calm(ctx: Ctx, at: int) -> tuple[Action, str] | None:
    """A hotline call when tension is at or above `at` (the way to step back from the brink)."""
    if ctx.view.tension >= at and ctx.can(Call(ctx.me)):
        return Call(ctx.me), f"tension is {ctx.view.tension}: calling to calm things"
    return None


def keep(ctx: Ctx, c: CommitmentView) -> tuple[Action, str]:
    """Implement a commitment that fell due (or break it when a prerequisite has fallen)."""
    a = ctx.first(Implement(ctx.me, c.item), Break(ctx.me, c.item))
    return a, f"keeping my promise: {c.name}"


def fake_or_break(ctx: Ctx, c: CommitmentView) -> tuple[Action, str]:
    """Claim an unverifiable commitment without doing it, or break a verifiable one."""
    a = ctx.first(Fake(ctx.me, c.item))
    if a is not None:
        return a, f"claiming {c.name} without doing it"
    return Break(ctx.me, c.item), f"refusing {c.name}"


def accept_or_reject(ctx: Ctx, ok: bool, why_yes: str, why_no: str) -> tuple[Action, str]:
    """Accept when `ok` and acceptance is legal, else reject."""
    if ok and ctx.can(Accept(ctx.me)):
        return Accept(ctx.me), why_yes
    return Reject(ctx.me), why_no


def summit_move(ctx: Ctx) -> tuple[Action, str] | None:
    """Propose a summit if the rules allow it."""
    if ctx.can(ProposeSummit(ctx.me)):
        return ProposeSummit(ctx.me), "proposing a summit"
    return None


def pass_(ctx: Ctx, why: str = "nothing worth the action point") -> tuple[Action, str]:
    """Pass."""
    return Pass(ctx.me), why
