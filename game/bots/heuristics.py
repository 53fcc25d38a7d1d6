"""The rule-based built-in bots, each a simple model of a negotiating stance.

Each reads only its view, values items by its own agenda card (`Valuer`) and
is deterministic given its view (none of them draws on `rng`). They share the
`HeuristicBot` skeleton in `game.bots.common`: answer, settle, act, and a
planned deal carried through drafting.
"""

from __future__ import annotations

import random

from game.actions import Accept, Break, Implement, OpenChannel, Pass, Reject
from game.bots.base import Bot
from game.bots.common import (
    BROKEN, Ctx, HeuristicBot, accept_or_reject, calm, fake_or_break, in_force, inspected, keep, pass_, record,
    scenario_for, summit_move, trust_building,
)
from game.bots.reasons import broken_words, deal_words, names


def _deal_parts(ctx: Ctx, p) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(what I would give, what I would get) in a deal proposed to me."""
    return p.get, p.give


def _mine_waiting(ctx: Ctx) -> bool:
    """Whether a deal I proposed is still waiting for the other side."""
    return any(p.sender == ctx.me and p.kind == "deal" for p in ctx.view.proposals)


class _Turns:
    """Remembers what a bot did in the current round (one deal proposal a turn, one intel a turn...) and the
    deals it said it would accept ("what would it take?"), and keeps its word on them."""

    def choose(self, view, legal, rng):
        """Accept a deal I said I would accept; otherwise decide by the phase (`HeuristicBot.choose`)."""
        word = self.keep_word(view, legal)
        if word is not None:
            return word
        return HeuristicBot.choose(self, view, legal, rng)

    def offer_named(self, ctx: Ctx, why: str, **kw):
        """`offer`, with the deal named in the reason ("I offer aid for remains: something for something")."""
        d = self.offer(ctx, why, **kw)
        if d is None or self._plan is None:
            return d
        channel, give, get, _ = self._plan
        if not get:
            text = f"I offer {names(ctx, give)} as a gift: {why}"
        elif not give:
            text = f"I ask for {names(ctx, get)}: {why}"
        else:
            text = f"I offer {names(ctx, give)} for {names(ctx, get)}: {why}"
        self._plan = (channel, give, get, text)
        return d[0], text

    def would_accept(self, view, proposal, legal):
        """My accept rule is `answer`, asked directly (it reads only the view)."""
        ctx = Ctx(view, legal, getattr(self, "scenario", None) or scenario_for(view))
        action, why = self.answer(ctx, proposal, random.Random(0))
        return isinstance(action, Accept), why

    def did(self, ctx: Ctx, what: str) -> bool:
        """Whether `what` was done this round."""
        return getattr(self, "_done", {}).get(what) == ctx.view.round

    def mark(self, ctx: Ctx, what: str) -> None:
        """Record that `what` is done this round."""
        if not hasattr(self, "_done"):
            self._done = {}
        self._done[what] = ctx.view.round

    def reset(self, side: str, seed: int) -> None:
        """Forget the last match."""
        HeuristicBot.reset(self, side, seed)
        self._done = {}
        self._promised = set()


class PassiveBot(Bot):
    """Does nothing: passes every turn and rejects every proposal (a floor for balance checks)."""

    name = "passive"
    description = "only passes and rejects everything"
    classifier = {"stochastic": False, "search": False}

    def would_accept(self, view, proposal, legal):
        """Its rule: no deal at all."""
        return False, "I accept no deals: I only pass"

    def choose(self, view, legal, rng):
        """Reject when asked, otherwise pass."""
        for a in legal:
            if isinstance(a, (Reject, Pass)):
                return a, "I never act: I pass and refuse everything"
        # Unreachable for a bot that never agrees to anything; settle honestly if it ever happens.
        for a in legal:
            if isinstance(a, Implement):
                return a, "keeping a promise"
        return legal[0], "the only thing left to do"


class HawkBot(_Turns, HeuristicBot, Bot):
    """Maximum pressure: sanctions or threats while tension allows, demands without offers.

    It concedes only in return for verifiable items the other side has
    actually implemented: its 'concession budget' is the value of those items
    less what it has already given, and it keeps promises only within it. It
    agrees to give something only when the deal's items will fall due in a
    round where the other side settles first. It steps back from the brink
    only with a hotline call.
    """

    name = "hawk"
    description = "maximum pressure; concedes only after the other side has implemented verifiable items"
    classifier = {"stochastic": False, "search": False}

    limit = 5  # pressure only while tension is at most this (then a spike of 2 more still leaves it at 8)

    def budget(self, ctx: Ctx) -> float:
        """Value of verified items received, less the cost of what I have given or promised."""
        got = sum(ctx.T.items[c.item].value for c in ctx.view.commitments
                  if c.giver == ctx.other and c.status == "verified")
        gave = sum(ctx.T.items[c.item].cost for c in ctx.view.commitments
                   if c.giver == ctx.me and c.status in ("verified", "claimed"))
        return got - gave

    def answer(self, ctx, p, rng):
        """Accept deals that pay (it will deliver only what verified steps pay for); talk only at working level."""
        if p.kind == "open":
            return accept_or_reject(ctx, p.channel == "working", "working-level talks are where you can show what you deliver",
                                    "I open nothing but working-level talks: no reward before you deliver")
        if p.kind == "summit":
            return accept_or_reject(ctx, self.budget(ctx) > 4, "you have delivered verified steps, so a summit is earned",
                                    "no summit until you deliver steps I can verify")
        give, get = _deal_parts(ctx, p)
        pays = ctx.val.gain(give, get, doubt=0.7) >= 1
        ok = pays and (not give or self._they_settle_first(ctx, give + get))
        no = (f"{deal_words(ctx, give, get)}: not enough for us, since I count promises I cannot check at a third"
              if not pays else f"{deal_words(ctx, give, get)}: you would not have to deliver before I do")
        return accept_or_reject(ctx, ok, f"{deal_words(ctx, give, get)}: it pays us, and you deliver first", no)

    @staticmethod
    def _they_settle_first(ctx: Ctx, items) -> bool:
        """Whether, agreed now, the other side's items fall due in a round where it settles before me.

        Sides alternate moving first each round, so a deal agreed when I move
        first falls due (one round later) when the other side moves first;
        strategic items take two rounds, which flips it.
        """
        delays = {ctx.T.delay[ctx.T.items[i].tier] for i in items}
        if len(delays) != 1:
            return False
        first_now = ctx.view.turn == 0
        return first_now if delays.pop() % 2 else not first_now

    def settle(self, ctx, c, rng):
        """Deliver only what verified steps from the other side have paid for."""
        # The budget already counts nothing of this item: it is still pending.
        if ctx.T.items[c.item].cost <= self.budget(ctx):
            return keep(ctx, c)
        return Break(ctx.me, c.item), f"you have not delivered enough I can verify to pay for {c.name}, so I hold it back"

    def act(self, ctx, rng):
        """Pressure while tension allows; demand; call only near the brink."""
        v = ctx.view
        c = calm(ctx, 7)
        if c:
            return c
        if v.tension <= self.limit and not self.did(ctx, "pressure"):
            self.mark(ctx, "pressure")
            moves = [m for m in ctx.pressure_moves() if not in_force(v, ctx.T.pressure[ctx.me][m.move].breaks or "")]
            if moves:
                return moves[0], f"maximum pressure: {ctx.T.pressure[ctx.me][moves[0].move].name.lower()}, while tension ({v.tension}) leaves room"
        # Proposed while it moves first, a deal is answered this round: the other side will then settle first.
        if not self.did(ctx, "deal") and not _mine_waiting(ctx) and v.turn == 0:
            d = self.offer_named(ctx, "a deal that pays us first", min_mine=1.5, min_theirs=0.0, weight_theirs=0.0,
                           doubt=0.7)
            if d is not None:
                self.mark(ctx, "deal")
                return d
        a = ctx.first(OpenChannel(ctx.me, "working"))
        if a:
            return a, "opening working-level talks: that is where you can give"
        m = ctx.meet_target()
        if m is not None:
            return m, "my officials keep talking, at no cost to me"
        return pass_(ctx, "holding firm until you deliver")


class DoveBot(_Turns, HeuristicBot, Bot):
    """Engagement first: opens every channel early, offers first and generously, keeps every promise.

    It accepts any deal that costs it little, calls on the hotline when
    tension rises, proposes summits and never applies pressure.
    """

    name = "dove"
    description = "opens channels early, offers first, keeps every promise"
    classifier = {"stochastic": False, "search": False}

    def answer(self, ctx, p, rng):
        """Say yes to channels and summits, and to any deal not clearly against me."""
        if p.kind in ("open", "summit"):
            return accept_or_reject(ctx, True, "yes to talking: talks build trust", "the rules do not let me accept now")
        give, get = _deal_parts(ctx, p)
        return accept_or_reject(ctx, ctx.val.gain(give, get) >= -1.5,
                                f"{deal_words(ctx, give, get)}: a deal builds trust, even if it is not my best",
                                f"{deal_words(ctx, give, get)}: too one-sided, even for me")

    def settle(self, ctx, c, rng):
        """Always keep the promise."""
        return keep(ctx, c)

    def act(self, ctx, rng):
        """Calm tension, open channels, offer first, build trust, seek summits."""
        c = calm(ctx, 5)
        if c:
            return c
        for a, why in trust_building(ctx)[:1]:
            if isinstance(a, OpenChannel):
                return a, why
        if not self.did(ctx, "deal") and not _mine_waiting(ctx):
            d = self.offer_named(ctx, "offering first to build trust", min_mine=-0.5, min_theirs=0.5, weight_theirs=1.0)
            if d:
                self.mark(ctx, "deal")
                return d
        s = summit_move(ctx)
        if s:
            return s
        for a, why in trust_building(ctx):
            return a, why
        return calm(ctx, 1) or pass_(ctx)


class ReciprocatorBot(_Turns, HeuristicBot, Bot):
    """Tit for tat on commitments: starts cooperative and mirrors the other side's last kept or broken promise.

    After the other side breaks (or is caught faking) a promise, it breaks its
    own next promise that falls due, once per broken one, and rejects new
    deals until the other side keeps a promise again. Deals it offers are fair
    (something for something).
    """

    name = "reciprocator"
    description = "mirrors the other side's last kept or broken promise (tit for tat on commitments)"
    classifier = {"stochastic": False, "search": False}

    def reset(self, side, seed):
        """Forget retaliations."""
        _Turns.reset(self, side, seed)
        self.retaliated = 0

    def _owed(self, ctx: Ctx) -> bool:
        r = record(ctx.view, ctx.other)
        if not hasattr(self, "retaliated"):
            self.retaliated = 0
        return r.last == "broken" and r.broken > self.retaliated

    def answer(self, ctx, p, rng):
        """Cooperate unless the other side's last promise was broken."""
        last = record(ctx.view, ctx.other).last
        if p.kind in ("open", "summit"):
            return accept_or_reject(ctx, last != "broken", "you have kept your word, so I cooperate",
                                    f"{broken_words(ctx)}, so I hold back until you keep one")
        give, get = _deal_parts(ctx, p)
        ok = last != "broken" and ctx.val.gain(give, get, doubt=0.3) >= 0
        if last == "broken":
            no = f"{broken_words(ctx)}, so I make no new deal until you keep a promise"
        else:
            no = f"{deal_words(ctx, give, get)}: not fair, it costs me more than I get"
        return accept_or_reject(ctx, ok, f"{deal_words(ctx, give, get)}: a fair deal, and you keep your word", no)

    def settle(self, ctx, c, rng):
        """Break this promise if the other side's last one was broken and is not yet answered; else keep it."""
        if self._owed(ctx):
            self.retaliated += 1
            return Break(ctx.me, c.item), f"{broken_words(ctx)}, so I break mine on {c.name}"
        return keep(ctx, c)

    def act(self, ctx, rng):
        """Build trust and offer fair deals while the other side keeps its word."""
        last = record(ctx.view, ctx.other).last
        c = calm(ctx, 6)
        if c:
            return c
        for a, why in trust_building(ctx)[:1]:
            if isinstance(a, OpenChannel):
                return a, why
        if last != "broken" and not self.did(ctx, "deal") and not _mine_waiting(ctx):
            # The fairness weights of this bot and the verifier were tuned with bench/balance.py so that
            # their self-play is balanced between the roles (issue 6's check 6); larger is not fairer there.
            d = self.offer_named(ctx, "something for something", min_mine=0.5, min_theirs=0.0, weight_theirs=0.5, doubt=0.3,
                           fairness=0.25)
            if d:
                self.mark(ctx, "deal")
                return d
        if last != "broken":
            s = summit_move(ctx)
            if s:
                return s
        for a, why in trust_building(ctx):
            return a, why
        return pass_(ctx)


class VerifierBot(_Turns, HeuristicBot, Bot):
    """Trust but verify: asks for verifiable items and inspectors first, checks claims, keeps its promises.

    It refuses (rejects, and never proposes) any deal giving it an
    unverifiable strategic item while inspectors are absent, unless the deal
    itself brings them; spends spare action points on intelligence (checking
    unverified claims until inspectors do it, ruling out motives); and pulls
    back for two rounds, rejecting and offering nothing, when it catches a
    false claim or a broken promise.
    """

    name = "verifier"
    description = "trust but verify: verifiable items and inspectors first, intelligence, keeps its promises"
    classifier = {"stochastic": False, "search": False}

    def _pulled_back(self, ctx: Ctx) -> bool:
        r = ctx.view.round
        return any(c.giver == ctx.other and c.status in BROKEN and r - c.settled <= 1 for c in ctx.view.commitments)

    def _refuses(self, ctx: Ctx, item: str, deal: tuple[str, ...]) -> bool:
        """Whether receiving `item` in a deal of these items would be taking a claim on trust.

        Not when inspectors are in force, nor when the deal itself brings them
        (in the default scenario an inspection item, technical, falls due a
        round before a strategic item agreed with it).
        """
        it = ctx.T.items[item]
        if it.verifiable or it.tier != "strategic" or inspected(ctx.view, ctx.T):
            return False
        return not any(ctx.T.items[i].inspection for i in deal)

    def deal_ok(self, ctx, give, get):
        """No unverifiable strategic item on trust."""
        return not any(self._refuses(ctx, i, give + get) for i in get)

    def filter_gets(self, ctx, items):
        """Inspection items first until inspectors are in force (they win ties between equally good deals).

        Which unverifiable items may be asked for is `deal_ok`'s business, not this list's.
        """
        if inspected(ctx.view, ctx.T):
            return items
        insp = [i for i in items if ctx.T.items[i].inspection]
        return insp + [i for i in items if i not in insp]

    def answer(self, ctx, p, rng):
        """Accept fair deals with no unverifiable strategic item while inspectors are absent."""
        if p.kind in ("open", "summit"):
            return accept_or_reject(ctx, not self._pulled_back(ctx), "talking, with eyes open",
                                    f"{broken_words(ctx)}: I am pulling back for two rounds")
        give, get = _deal_parts(ctx, p)
        refused = [i for i in get if self._refuses(ctx, i, give + get)]
        if refused:
            return Reject(ctx.me), (f"nobody could check {ctx.T.items[refused[0]].name} without inspectors, "
                                    "and I take nothing that big on trust")
        if self._pulled_back(ctx):
            return Reject(ctx.me), f"{broken_words(ctx)}: I am pulling back for two rounds"
        ok = ctx.val.gain(give, get, doubt=0.0 if inspected(ctx.view, ctx.T) else 0.5) >= 0
        return accept_or_reject(ctx, ok, f"{deal_words(ctx, give, get)}: fair, and I can check it",
                                f"{deal_words(ctx, give, get)}: not worth it while I cannot check what you do")

    def settle(self, ctx, c, rng):
        """Keep every promise."""
        return keep(ctx, c)

    def act(self, ctx, rng):
        """Check claims, build trust, ask for verifiable items and inspectors, rule out motives."""
        v = ctx.view
        c = calm(ctx, 6)
        if c:
            return c
        # Once inspectors are in force they check every claim each round: intelligence would only repeat them.
        claims = [a for a in ctx.intel_moves() if a.target is not None] if not inspected(v, ctx.T) else []
        if claims and not self.did(ctx, "intel"):
            self.mark(ctx, "intel")
            return claims[0], f"checking the claim about {ctx.T.items[claims[0].target].name}"
        for a, why in trust_building(ctx)[:1]:
            if isinstance(a, OpenChannel):
                return a, why
        if not self._pulled_back(ctx) and not self.did(ctx, "deal") and not _mine_waiting(ctx):
            d = self.offer_named(ctx, "asking for what can be verified", min_mine=0.5, min_theirs=0.0, weight_theirs=0.5,
                           fairness=0.6)
            if d:
                self.mark(ctx, "deal")
                return d
        rule_out = [a for a in ctx.intel_moves() if a.target is None]
        if rule_out and not self.did(ctx, "intel") and v.round % 3 == 1:
            self.mark(ctx, "intel")
            return rule_out[0], "finding out what you are really after (your hidden motive)"
        if not self._pulled_back(ctx):
            s = summit_move(ctx)
            if s and inspected(v, ctx.T):
                return s
        for a, why in trust_building(ctx):
            return a, why
        return pass_(ctx)


class TrapperBot(_Turns, HeuristicBot, Bot):
    """The trap: takes concessions and legitimacy while giving nothing lasting.

    As the side without inspections to fear (the DPRK in the default
    scenario) it courts summits, gives cheap soft items to build trust,
    promises unverifiable items and only claims them (Fake), and breaks its
    strategic promises late in the game. As the other side (the US) it takes
    what it can, gives little: it keeps only cheap promises and fakes or
    breaks the rest.
    """

    name = "trapper"
    description = "DPRK: courts summits, fakes unverifiable items, breaks strategic promises late; US: takes, gives little"
    classifier = {"stochastic": False, "search": False}

    def _courts(self, ctx: Ctx) -> bool:
        """Whether this side gains legitimacy from summits (the DPRK's trap)."""
        return any(amount > 0 and side == ctx.me for side, amount in ctx.T.sc.summit.legitimacy.items())

    def filter_gives(self, ctx, items):
        """Soft items, and unverifiable items that can be claimed without being done."""
        return [i for i in items if ctx.T.items[i].tier == "soft" or not ctx.T.items[i].verifiable]

    def answer(self, ctx, p, rng):
        """Yes to summits and channels; yes to deals that pay once fakes are counted as free."""
        if p.kind in ("open", "summit"):
            return accept_or_reject(ctx, True, "happy to talk: talks cost me nothing", "the rules do not let me accept now")
        give, get = _deal_parts(ctx, p)
        real_cost = sum(ctx.val.cost(i) for i in give
                        if ctx.T.items[i].verifiable and ctx.T.items[i].tier != "soft")
        value = sum(ctx.val.value(i) for i in get)
        return accept_or_reject(ctx, value - real_cost >= 1, f"{deal_words(ctx, give, get)}: we gain more than we really give",
                                f"{deal_words(ctx, give, get)}: we would give too much that is real")

    def settle(self, ctx, c, rng):
        """Deliver soft items; fake unverifiable ones; break strategic and costly ones (late, for the DPRK)."""
        it = ctx.T.items[c.item]
        v = ctx.view
        if not it.verifiable and not inspected(v, ctx.T):
            return fake_or_break(ctx, c)
        if it.inspection:
            return Break(ctx.me, c.item), f"I will not let inspectors in: I break my promise on {c.name}"
        if self._courts(ctx):
            late = v.round >= v.rounds - 3
            if it.tier == "strategic" and late:
                return Break(ctx.me, c.item), f"late in the game, {c.name} can go: too late for you to answer"
            if not it.verifiable:
                return Break(ctx.me, c.item), f"I never meant to give {c.name}"
            return keep(ctx, c)
        if ctx.val.cost(c.item) <= 1:
            return keep(ctx, c)
        return Break(ctx.me, c.item), f"{c.name} costs too much: I give as little as I can"

    def act(self, ctx, rng):
        """Court summits, offer soft or fake concessions for real ones, keep tension below the brink."""
        c = calm(ctx, 7)
        if c:
            return c
        if self._courts(ctx):
            s = summit_move(ctx)
            if s:
                return s, "a summit brings legitimacy"
        for a, why in trust_building(ctx)[:1]:
            if isinstance(a, OpenChannel):
                return a, why
        if not self.did(ctx, "deal") and not _mine_waiting(ctx):
            if not inspected(ctx.view, ctx.T):
                ctx.val.free = {i for i in ctx.T.items_of[ctx.me] if not ctx.T.items[i].verifiable}
            d = self.offer_named(ctx, "a deal that pays us", min_mine=1.0, min_theirs=0.0, weight_theirs=0.2, doubt=0.0)
            if d:
                self.mark(ctx, "deal")
                return d
        for a, why in trust_building(ctx):
            return a, why
        return pass_(ctx)
