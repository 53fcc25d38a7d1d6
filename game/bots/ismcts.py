"""`ismcts`: information-set Monte Carlo tree search (single observer), as in Cowling, Powley and Whitehouse (2012).

Each iteration determinizes what the bot cannot see with
`game.view.sample_state`: the other side's agenda cards drawn from the bot's
belief (never a card it has ruled out), whether each unverified claim of the
other side was really done, and the order of the events still to come. On that
sampled state, which is a real `State`, the engine is the simulator:

1. *Selection and expansion* descend a tree over the bot's own decisions
   (its action history). At each of its decisions, only the candidates legal
   in this sample are considered (the availability count of each is raised),
   UCB picks among those already tried, and the first untried one found is
   added to the tree. A candidate is one action or, for a deal, a *macro*:
   the propose/give/get/send steps of one whole deal, taken together.
2. The other side's moves, between the bot's decisions, come from a light
   opponent model (`rollout_action`) that plays the sampled state, hidden card
   included: a sampled 'trap' fakes its unverifiable promises.
3. *Playout* continues with the same light policy for both sides until the
   end of the round `depth` rounds ahead (or the end of the game).
4. *Evaluation and backup*: the bot's score in the sample (the truth of that
   sample), plus promises agreed but not yet due, the final-trust term the
   game would add and the progress made toward peace or a settlement, less a
   crisis risk for high tension and a reputation charge for promises it breaks
   unprovoked, normalised and backed up along the path.

The belief is updated as play goes on: the chance that the other side holds a
trap-like card (one that pays for exploiting, `exploit_bonus`) rises with its
broken and exposed promises and its summit-seeking and falls with promises
seen kept; the chance that an unverified claim is true follows the same
record. Cards it has ruled out are never sampled (`sample_state` sees to it).

The root's candidates include the move its built-in heuristic would make
(the verifier's line, whatever its own card), which also starts with a small
prior, so that a low budget degrades to that heuristic rather than to noise.
A trap card does not switch it to the trapper's line: what the card pays
(summits, ending ahead, faked promises) reaches the search through the
sampled scores, and the fake is one of its candidates when a promise falls
due. Measured, the trapper's line scored less for a trap-holding DPRK, in
self-play and against the field, and left the roles unbalanced
(`bench/balance.py`, check 6).

Budget: `iterations=N` (reproducible) or `ms=N` (a wall-clock budget per
decision: NOT reproducible, since how many iterations fit depends on the
machine's load). Randomness comes only from the `rng` the match passes in.

Two searches: the line search (`search=lines`, the default) chooses among
the rule-based lines' moves, each played out to the end of the game by the
lines themselves, within a budget of playout `steps`: see
`game.bots.ismcts_lines`; it leads the field in both roles, where the tree
(`search=tree`, all of the above) looks one round ahead and does not. A tree
budget (`iterations` or `ms`) without `search` asks for the tree.
"""

from __future__ import annotations

import copy
import math
import random
import time
from dataclasses import dataclass
from typing import Sequence

from game.actions import Accept, Action, Cancel, Counter, Intel, Meet, Pressure, Propose, Reverse, Send, deal_steps
from game.bots.base import Bot
from game.bots.common import BROKEN, Ctx, best_deal, deal_channel, eligible, ending_chains, free_breaks, scenario_for
from game.bots.heuristics import DoveBot, ReciprocatorBot, VerifierBot
from game.bots.ismcts_lines import DEFAULT_STEPS, LineSearch
from game.bots.ismcts_policy import _values, rollout_action
from game.bots.reasons import doing
from game.engine import apply, latest_commitments, legal_actions, score_breakdown, tables
from game.view import View, sample_state

DEFAULT_ITERATIONS = 48
DEFAULT_PRIOR = 0.1  # the heuristic move's head start (see IsmctsBot)


@dataclass(frozen=True)
class Level:
    """What a level changes: the budget, the line the search starts from, and a beginner's two mistakes."""

    iterations: int
    prior: float
    line: type            # the rule-based bot whose move is always a candidate, with a head start
    verifies: bool        # checks the other side's claims (intelligence; doubts what it cannot see)
    trust_after: int      # kept promises after which it stops suspecting a trap (0: it weighs the whole record)
    home: type = ReciprocatorBot  # search=lines: the line that plays its own side and settles its promises
    steps: int = DEFAULT_STEPS    # search=lines: playout steps per searched decision


LEVELS = {
    # A beginner: starts from the dove's line, never checks a claim (believes them all), and stops suspecting a
    # trap after one kept promise; a small budget, so its own line decides most moves.
    # With search=lines, the dove is also its home line and it plays out a third of the normal budget.
    "easy": Level(12, 0.25, DoveBot, verifies=False, trust_after=1, home=DoveBot, steps=DEFAULT_STEPS // 3),
    "normal": Level(DEFAULT_ITERATIONS, DEFAULT_PRIOR, VerifierBot, verifies=True, trust_after=0),
    "hard": Level(3 * DEFAULT_ITERATIONS, DEFAULT_PRIOR, VerifierBot, verifies=True, trust_after=0,
                  steps=3 * DEFAULT_STEPS),
}
SCALE = 20.0  # score points per unit of normalised reward
PENDING_TRUST = 0.8  # share of a promised item's value counted before it is delivered
REPUTATION = 12.0  # points charged per promise seen broken, scaled by the share of the game still to play


def _ending_credit(s, T) -> float:
    """What the road to peace or a settlement travelled so far is worth, in a game not yet over.

    Both sides score the ending, so progress toward it counts for either: the
    share of the peace item's chain agreed (and not broken or faked) times
    what peace adds over the plain end, and likewise, squared because the
    road is long, for the settlement's items. Without this a search that looks
    one round ahead never sees why the first steps are worth paying for.
    """
    o = s.scenario.outcomes
    peace_chain, settlement_chain = ending_chains(T)
    if not peace_chain:
        return 0.0
    plain = s.trust_index() / o.plain_trust_divisor
    lt = latest_commitments(s)

    def agreed(item: str) -> bool:
        c = lt.get(item)
        return c is not None and (c.status in ("pending", "verified") or c.status == "claimed" and c.done)

    def share(items: set[str]) -> float:
        return sum(agreed(i) for i in items) / len(items)

    credit = max(0.0, o.peace - plain) * share(peace_chain)
    if settlement_chain:
        credit += max(0.0, o.settlement - max(o.peace, plain)) * share(settlement_chain) ** 2
    return credit


# ---------------------------------------------------------------- the tree

class _Node:
    """A node of the tree over the bot's own decisions: per-candidate visits, reward and availability."""

    __slots__ = ("children", "n", "w", "avail")

    def __init__(self):
        self.children: dict[tuple[Action, ...], _Node] = {}
        self.n: dict[tuple[Action, ...], int] = {}
        self.w: dict[tuple[Action, ...], float] = {}
        self.avail: dict[tuple[Action, ...], int] = {}


def _state_candidates(state, legal: Sequence[Action], T, me: str) -> list[tuple[Action, ...]]:
    """The bot's candidate moves deeper in the tree: a pruned list of single actions (deal contents by policy)."""
    if state.phase in ("answer", "settle"):
        return [(a,) for a in legal if not isinstance(a, Counter)]
    out: list[tuple[Action, ...]] = []
    meet_done = press_done = intel_done = False
    for a in legal:
        t = type(a)
        if t is Meet:
            if meet_done:
                continue
            meet_done = True
        elif t is Pressure:
            if press_done:
                continue
            press_done = True
        elif t is Intel:
            if intel_done:
                continue
            intel_done = True
        elif t is Reverse:
            continue
        out.append((a,))
    return out


class IsmctsBot(Bot):
    """Information-set MCTS over sampled states, with a belief about the other side's intent and honesty.

    See the module docstring for the algorithm. Parameters: `iterations`
    (default 48; reproducible), `ms` (a time budget per decision, not
    reproducible), `depth` (rounds searched beyond the current one, default 1),
    `c` (UCB exploration, default 0.7), `prior` (the normalised head start of
    the heuristic's move over two virtual visits, default 0.1, i.e. 2 points),
    and `level` (`easy`, `normal` or `hard`: see `LEVELS`; an explicit
    `iterations` or `prior` overrides the level's). `search` is `lines` (the
    default: the line search, `game.bots.ismcts_lines`, whose budget is
    `steps`, playout steps per searched decision: 800 at level normal; the
    tree's parameters do not apply to it) or `tree`; a tree budget
    (`iterations` or `ms`) given without `search` means the tree.
    """

    name = "ismcts"
    description = ("search: plays the rule-based lines' moves out to the end of the game on samples of what it "
                   "cannot see (hidden cards, the truth of claims) and takes the best")
    classifier = {"stochastic": True, "search": True}

    def __init__(self, iterations: int | None = None, ms: float | None = None, depth: int = 1, c: float = 0.7,
                 prior: float | None = None, level: str = "normal", search: str | None = None,
                 steps: int | None = None):
        implied = "tree" if (iterations is not None or ms is not None) else "lines"  # what a spec without search means
        search = implied if search is None else search
        if level not in LEVELS:
            raise TypeError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
        if search not in ("tree", "lines"):
            raise TypeError(f"search must be 'tree' or 'lines', not {search!r}")
        if search == "lines" and (iterations is not None or ms is not None):
            raise TypeError("search=lines has a budget of playout steps (steps=N), not iterations or ms")
        if search == "tree" and steps is not None:
            raise TypeError("steps is the budget of search=lines; the tree's is iterations")
        if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int) or steps < 1):
            raise TypeError(f"steps must be a whole number of at least 1, not {steps!r}")
        lv = LEVELS[level]
        shown: dict[str, object] = {k: v for k, v in (("iterations", iterations), ("ms", ms), ("steps", steps))
                                    if v is not None}
        for key, val, default in (("depth", depth, 1), ("c", c, 0.7), ("prior", prior, None), ("level", level, "normal"),
                                  ("search", search, implied)):
            if val != default:
                shown[key] = val
        super().__init__(**shown)
        for key, val, low in (("iterations", iterations, 1), ("ms", ms, 1), ("depth", depth, 0), ("c", c, 0),
                              ("prior", prior, 0)):
            if val is not None and (isinstance(val, bool) or not isinstance(val, (int, float)) or val < low):
                raise TypeError(f"{key} must be a number of at least {low}, not {val!r}")
        self.level = level
        self.iterations = int(iterations) if iterations is not None else (None if ms is not None else lv.iterations)
        self.ms = float(ms) if ms is not None else None
        self.depth = int(depth)
        self.c = float(c)
        self.prior = float(prior) if prior is not None else lv.prior
        self.search = search
        self.steps = steps if steps is not None else lv.steps
        self.reset("", 0)

    def reset(self, side: str, seed: int) -> None:
        """Start a match: a fresh belief and fresh heuristic helpers."""
        self.side = side
        self._plan: list[Action] = []
        self._summit_asks: set[int] = set()
        self._line = LEVELS[self.level].line()
        self._line.reset(side, seed)
        self.last_iterations = 0
        self._line_why = self._plan_why = ""
        self._promised = set()
        self._lines = None
        if self.search == "lines":
            lv = LEVELS[self.level]
            self._lines = LineSearch(lv.home, self.steps, lv.verifies)
            self._lines.reset(side, seed, getattr(self, "scenario", None))

    # -- "what would it take?"

    def would_accept(self, view: View, proposal, legal) -> tuple[bool, str]:
        """My accept rule is the search: run it on a copy of me, seeded by the deal so the answer is repeatable."""
        rng = random.Random(f"{view.round}|{sorted(proposal.give)}|{sorted(proposal.get)}|{proposal.channel}")
        action, why = copy.deepcopy(self).choose(view, legal, rng)
        return isinstance(action, Accept), why

    def screen_accept(self, view: View, proposal, legal) -> tuple[bool, str]:
        """A quick first look for the nearest-deal search: the rule of the line my search starts from (the tree's
        line; with search=lines, the home line)."""
        line = self._line if self._lines is None else self._lines.lines[0]
        line.scenario = getattr(self, "scenario", None)
        return line.would_accept(view, proposal, legal)  # a rule-based answer only reads the view

    # -- belief

    def belief(self, view: View, T) -> tuple[dict[str, dict[str, float]], dict[str, float], float]:
        """(card weights for the other side's decks, claim truth per item, P(other is trap-like))."""
        other = view.other
        for p in view.proposals:
            if p.kind == "summit" and p.sender == other:
                self._summit_asks.add(p.made)
        kept = broken = exposed = 0
        for c in view.commitments:
            if c.giver != other:
                continue
            if c.status == "verified":
                kept += 1
            elif c.status in BROKEN:
                broken += 1
                exposed += c.status == "exposed"
        # Likelihood ratios trap : sincere for what was seen.
        lr = (2.0 ** (broken - exposed)) * (4.0 ** exposed) * (0.8 ** kept) * (1.3 ** len(self._summit_asks))
        lv = LEVELS[self.level]
        if lv.trust_after and kept >= lv.trust_after:
            lr = 0.0  # the beginner's mistake: a kept promise or two and it trusts them completely
        weights: dict[str, dict[str, float]] = {}
        p_trap = 0.0
        for deck in T.decks_of[other]:
            if not any(c.exploit_bonus > 0 for c in deck.cards):
                continue
            w = {c.id: c.weight * (lr if c.exploit_bonus > 0 else 1.0) for c in deck.cards}
            total = sum(w.values())
            p_trap = sum(v for k, v in w.items() if T.card[deck.id][k].exploit_bonus > 0) / total
            weights[deck.id] = w
        honest = (kept + 1.0) / (kept + broken + exposed + 2.0)
        truth = max(0.05, min(0.95, (1.0 - p_trap) * 0.95 + p_trap * 0.15)) if weights else honest
        if not lv.verifies:
            truth = 0.95  # the other beginner's mistake: whatever they claim to have done, it believes
        claims = {c.item: truth for c in view.commitments if c.giver == other and c.status == "claimed"}
        return weights, claims, p_trap

    # -- the root's candidates

    def _heuristic(self, view: View, legal, rng, ctx: Ctx) -> tuple[Action, ...] | None:
        base = self._line
        base.side = view.side
        base.scenario = getattr(self, "scenario", None)  # set by whoever knows the match's scenario
        choice = base.choose(view, legal, rng)
        a, self._line_why = choice if isinstance(choice, tuple) else (choice, "")
        if isinstance(a, Propose):
            plan = base._plan
            base._plan = None
            if plan is None:
                return None
            return tuple(deal_steps(view.side, a.channel, plan[1], plan[2]))
        return (a,)

    def _root_candidates(self, view: View, legal, ctx: Ctx, rng) -> tuple[list[tuple[Action, ...]], tuple | None]:
        T = ctx.T
        me = view.side
        if view.phase in ("answer", "settle"):
            cands = [(a,) for a in legal if not isinstance(a, Counter)]
            h = self._heuristic(view, legal, rng, ctx)
            return cands, (h if h in cands else None)
        cands: list[tuple[Action, ...]] = []
        for a in legal:
            t = type(a)
            if t in (Meet, Pressure, Intel, Propose, Reverse):
                continue
            cands.append((a,))
        m = ctx.meet_target()
        if m is not None:
            cands.append((m,))
        press = ctx.pressure_moves()
        if press:
            cands.append((press[0],))
        intel = ctx.intel_moves() if LEVELS[self.level].verifies else []
        if intel:
            cands.append((intel[0],))
        for ch in deal_channel(view, T, ctx.legal):
            gives = eligible(view, T, me, ch)
            gets = eligible(view, T, view.other, ch)
            for kw in ({"min_mine": 0.5, "min_theirs": 0.0, "weight_theirs": 0.5, "fairness": 0.5},
                       {"min_mine": 0.5, "min_theirs": 0.0, "weight_theirs": 0.5},
                       {"min_mine": -0.5, "min_theirs": 1.0, "weight_theirs": 1.0},
                       {"min_mine": 2.0, "min_theirs": -1.0, "weight_theirs": 0.2}):
                deal = best_deal(ctx.val, gives, gets, **kw)
                if deal is None:
                    continue
                steps = tuple(deal_steps(me, ch, deal[0], deal[1]))
                if steps not in cands:
                    cands.append(steps)
        h = self._heuristic(view, legal, rng, ctx)
        if h is not None and h not in cands and all(a in ctx.legal for a in h[:1]):
            cands.append(h)
        return cands, h

    # -- choose

    def choose(self, view: View, legal: Sequence[Action], rng: random.Random):
        """Search (or follow the deal being drafted) and return the best candidate's first step."""
        word = self.keep_word(view, legal)
        if word is not None:
            return word
        if view.phase == "draft":
            while self._plan:
                a = self._plan.pop(0)
                if a in legal:
                    return a, self._plan_why
            send = next((a for a in legal if isinstance(a, Send)), None)
            if send is not None:
                return send, self._plan_why
            cancel = next((a for a in legal if isinstance(a, Cancel)), None)
            return (cancel or legal[0]), "the deal I wanted is no longer possible"
        self._plan = []
        if len(legal) == 1:
            return legal[0], "it is the only move I have"
        sc = getattr(self, "scenario", None) or scenario_for(view)
        T = tables(sc)
        ctx = Ctx(view, legal, sc)
        weights, claims, p_trap = self.belief(view, T)
        if self._lines is not None:
            best, self._plan_why = self._lines.decide(view, legal, rng, sc, T, weights, claims, self._evaluate)
            self._plan = list(best[1:])
            return best[0], self._plan_why
        cands, h = self._root_candidates(view, legal, ctx, rng)
        if len(cands) == 1:
            best = cands[0]
        else:
            best = self._search(view, sc, T, cands, h, weights, claims, rng)
        self._plan = list(best[1:])
        self._plan_why = self._reason(view, T, best, h, p_trap, len(cands))
        return best[0], self._plan_why

    def _reason(self, view: View, T, best, h, p_trap: float, n_cands: int) -> str:
        """Why, in words a student reads: its line's own reason when the search agrees, else what the search saw."""
        if n_cands == 1:
            return "it is the only sensible move"
        if best == h and self._line_why:
            why = self._line_why
        else:
            why = f"{doing(T, view, best)}: of the futures I played out, this went best for me"
        if p_trap >= 0.5:
            why += " (I suspect you want concessions without giving anything lasting)"
        return why

    def _search(self, view, sc, T, cands, h, weights, claims, rng) -> tuple[Action, ...]:
        me = view.side
        root = _Node()
        prior_n = 2
        for k in cands:
            root.n[k] = prior_n
            root.w[k] = prior_n * (self.prior if k == h else 0.0)
            root.avail[k] = prior_n
        deadline = None if self.ms is None else time.perf_counter() + self.ms / 1000.0
        it = 0
        cutoff = view.round + self.depth
        while True:
            if self.iterations is not None and it >= self.iterations:
                break
            if deadline is not None and it > 0 and time.perf_counter() >= deadline:
                break
            it += 1
            s = sample_state(view, sc, rng, weights, claims)
            self._iterate(s, root, cands, me, T, rng, cutoff)
        self.last_iterations = it
        return max(cands, key=lambda k: (root.w[k] / root.n[k], root.n[k]))

    def _iterate(self, s, root: _Node, root_cands, me: str, T, rng, cutoff: int) -> None:
        node: _Node | None = root
        path: list[tuple[_Node, tuple]] = []
        first = True
        c = self.c
        broken0 = free_breaks(s.broken[T.sides.index(me)], s.broken[1 - T.sides.index(me)])
        while not s.is_over and s.round <= cutoff:
            legal = legal_actions(s)
            if s.to_move != me or s.phase == "draft" or node is None:
                s, _ = apply(s, rollout_action(s, legal, rng, T))
                continue
            if first:
                cands = root_cands
                first = False
            else:
                cands = _state_candidates(s, legal, T, me)
            expanded = False
            if len(cands) == 1:
                key = cands[0]
            else:
                for k in cands:
                    node.avail[k] = node.avail.get(k, 0) + 1
                untried = [k for k in cands if k not in node.n]
                if untried:
                    key = untried[rng.randrange(len(untried))]
                    node.n[key] = 0
                    node.w[key] = 0.0
                    expanded = True
                else:
                    n, w, av = node.n, node.w, node.avail
                    key = max(cands, key=lambda k: w[k] / n[k] + c * math.sqrt(math.log(av[k]) / n[k]))
                path.append((node, key))
            for a in key:
                if a not in legal_actions(s):
                    break
                s, _ = apply(s, a)
                if s.is_over:
                    break
            if len(cands) > 1:
                node = None if expanded else node.children.setdefault(key, _Node())
        r = self._evaluate(s, me, T, broken0) / SCALE
        for n, k in path:
            n.n[k] += 1
            n.w[k] += r

    def _evaluate(self, s, me: str, T, broken0: int) -> float:
        """The bot's score in the sampled state, plus what the trust built is worth, less the risk of crisis.

        A promise it is seen to break costs it up to `REPUTATION` more than
        the score shows, in proportion to the rounds left: the other side
        deals less with a side that breaks its word, mostly after the search
        horizon. Promises agreed but not yet due count too (what it will give
        in full, what it will get at `PENDING_TRUST` of its value): a strategic
        item falls due after the search horizon, and a search that saw only the
        ending it leads to, not its cost, would promise too readily.
        """
        total = sum(v for _, v in score_breakdown(s, me))
        if s.is_over:
            return total
        vals = _values(s, T, me)
        for c in latest_commitments(s).values():
            if c.status == "pending":
                if c.giver == me:
                    total -= vals.cost[c.item]
                elif c.receiver == me:
                    total += PENDING_TRUST * vals.value[c.item]
        left = max(0, s.scenario.rounds - s.round) / s.scenario.rounds
        total -= REPUTATION * left * max(0, s.broken[T.sides.index(me)] - broken0)
        total += s.trust_index() / s.scenario.outcomes.plain_trust_divisor * 1.5
        total += _ending_credit(s, T)
        crisis = s.scenario.tension.crisis
        gap = crisis - s.tension
        if gap <= 4:
            total -= 10.0 * (0.5 ** (gap - 1)) * 0.5
        return total
