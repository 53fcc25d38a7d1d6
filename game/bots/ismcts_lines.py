"""The line search of `ismcts` (`ismcts:search=lines`): choose among the rule-based lines by playing them out.

The points of the game are in peace and a settlement, reached over five or
six rounds; a tree search that looks one round ahead does not see that road,
and the rule-based lines (`game.bots.heuristics`) walk it better than it does.
So this mode searches among the lines' own moves rather than among all moves:

1. *Ask the lines.* At a decision, each line (reciprocator, verifier, dove,
   trapper: `LINES`) says what it would play in this view, from its own memory
   of the match. A deal is taken whole (its propose/give/get/send steps).
2. *Agreement is cheap.* If they all name the same move, that move is played
   without any search: most decisions cost a few heuristic calls.
3. *Disagreement is played out to the end.* Each distinct candidate is played
   on determinized states (`game.view.sample_state`, the other side's cards
   and the truth of its claims drawn from the bot's belief, as the tree mode
   draws them) to the END of the game (or its share of the budget: 4.), the
   rest of which the lines play themselves: the bot's own side by its home
   line (the reciprocator; the dove at level easy), the other side by a line
   drawn from a belief over how it plays (`stance_weights`, read from its
   record of promises, the same rule for both sides: see there), with a
   trap-like card drawn for it where the trapper plays it. The score of a
   playout is the bot's real final score in that sample; the best mean wins
   (ties: the home line's move, then the order of `LINES`). All candidates
   share each round's sample (common random numbers), so their difference is
   not drowned by the samples' spread.
4. *A fixed budget of playout steps* (`steps`; 800 by default, 2,400 at
   level hard, 266 at easy): every move applied in a playout counts one, and
   so does starting a playout. No decision uses more than its budget, the
   first round of playouts included: each playout of a round may use at most
   its share of the steps left (what is left over, divided by the
   candidates), and one that reaches its share before the game ends stops
   there and is scored by the tree mode's evaluation of an unfinished game
   (`IsmctsBot._evaluate`: the score so far, promises pending, trust built
   and the road to peace or a settlement travelled): early in a game, where
   a whole game does not fit a third or a quarter of the budget, and in a
   last round whose futures run longer than the round before. A new round
   (one playout per candidate) starts only while the steps used plus the
   last round's (and at least two a candidate) fit the budget. Where the
   budget cannot give each candidate two steps, only the first candidates
   (the home line's first) are played out. The work is thus the same on any
   machine and the choice reproducible for a given seed and spec.

*Promises are the home line's call.* Where a promise falls due, the home line
settles it and nothing is searched: breaking or faking a promise is never a
searched candidate. The home line (the reciprocator) breaks one only in
answer to one the other side broke, so the bot never breaks a promise
unprovoked. Searching it instead (the first version of this mode) took the
trapper's "break it" wherever no answer could come before the end, mostly a
US promise due in the last even round, when the DPRK settles first, and
left the roles unbalanced in self-play.

Only a line whose move was played remembers it (its deal marked as made this
round, its retaliation counted); the others keep the memory they had.
"""

from __future__ import annotations

import copy
import random
from typing import Sequence

from game.actions import Action, Break, Fake, Intel, Propose, deal_steps
from game.bots.common import BROKEN, free_breaks
from game.bots.heuristics import DoveBot, ReciprocatorBot, TrapperBot, VerifierBot
from game.engine import apply, legal_actions, score_breakdown
from game.view import View, sample_state, view as view_of

LINES = (ReciprocatorBot, VerifierBot, DoveBot, TrapperBot)
# The other side's stance when it is not a trap: shares of the rest of the belief.
SINCERE = ((ReciprocatorBot, 0.4), (VerifierBot, 0.3), (DoveBot, 0.3))
DEFAULT_STEPS = 800


def _clone(line):
    """A copy of a line with its own memory (dicts and sets copied; the scenario and tuples shared)."""
    c = copy.copy(line)
    for k, v in vars(line).items():
        if isinstance(v, (dict, set, list)):
            setattr(c, k, type(v)(v))
    return c


def stance_weights(view: View) -> list[tuple[type, float]]:
    """The belief over how the other side plays: the trapper by its record of promises, the sincere lines the rest.

    A fifth with no record, rising with its broken promises and falling with
    its kept ones, for both sides alike. The other side's hidden card is not
    its play: a DPRK holding the trap card may keep every promise (this bot's
    own lines do), and only a broken promise shows a trap. Read from the card
    (the trapper in half the futures, in the default scenario), the US
    searched against a promise-breaker that never came while the DPRK searched
    against a US judged by its record, and in self-play the DPRK's search
    out-bargained the US's (docs/bots.md).
    """
    kept = sum(c.giver == view.other and c.status == "verified" for c in view.commitments)
    bad = sum(c.giver == view.other and c.status in BROKEN for c in view.commitments)
    p_trap = (bad + 0.25) / (kept + bad + 1.25)
    return [(TrapperBot, p_trap)] + [(cls, (1.0 - p_trap) * w) for cls, w in SINCERE]


class LineSearch:
    """One `ismcts` bot's line search for a match: its lines (with their memories) and its step budget."""

    def __init__(self, home: type, steps: int, verifies: bool):
        self.home_cls = home
        self.steps = steps
        self.verifies = verifies
        self.last_steps = 0     # playout steps the last decision used (0: no search)
        self.last_rounds = 0    # rounds of playouts (one per candidate) it played
        self.last_round_steps: list[int] = []  # the steps of each of those rounds
        self.last_candidates = 0
        self.last_cut = 0       # its playouts stopped at their share of the budget before the game's end

    def reset(self, side: str, seed: int, scenario) -> None:
        """Fresh lines for a new match; the home line first, then the rest of `LINES`."""
        order = [self.home_cls] + [c for c in LINES if c is not self.home_cls]
        self.lines = []
        for cls in order:
            line = cls()
            line.scenario = scenario
            line.reset(side, seed)
            self.lines.append(line)

    def _ask(self, line, view: View, legal: Sequence[Action], sc) -> tuple[tuple[Action, ...], str, object]:
        """What a line would play here, asked on a copy: (its move, a whole deal as one, its reason, the copy)."""
        c = _clone(line)
        c.scenario = sc
        choice = c.choose(view, legal, random.Random(0))  # the lines draw nothing from rng
        a, why = choice if isinstance(choice, tuple) else (choice, "")
        if isinstance(a, Propose) and c._plan is not None:
            channel, give, get, _ = c._plan
            c._plan = None
            c._sent = (view.round, tuple(give), tuple(get))  # what its own drafting would have remembered
            return tuple(deal_steps(view.side, channel, give, get)), why, c
        return (a,), why, c

    def decide(self, view: View, legal: Sequence[Action], rng: random.Random, sc, T, weights, claims,
               evaluate) -> tuple[tuple[Action, ...], str]:
        """The move to play (a whole deal as one) and why: the lines' move if they agree, else the best played out."""
        self.last_steps = self.last_rounds = self.last_cut = 0
        self.last_round_steps = []
        asked = [self._ask(line, view, legal, sc) for line in self.lines]
        if view.phase == "settle":
            asked = asked[:1]  # keeping, breaking or faking a promise is the home line's call alone
        cands: list[tuple[Action, ...]] = []
        who: dict[tuple[Action, ...], list[int]] = {}
        for i, (move, _, _) in enumerate(asked):
            if move[0] not in legal or isinstance(move[0], (Break, Fake)) and i > 0:
                continue
            if not self.verifies and isinstance(move[0], Intel):
                continue  # a beginner does not check claims
            if move not in who:
                cands.append(move)
                who[move] = []
            who[move].append(i)
        if not cands:  # no line's move is legal here (cannot happen with the rules as they are): the home line's
            cands, who = [asked[0][0]], {asked[0][0]: [0]}
        self.last_candidates = len(cands)
        if len(cands) == 1:
            best = cands[0]
        else:
            best = self._search(view, sc, T, cands, asked[0], weights, claims, rng, evaluate)
        for i in who[best]:
            self.lines[i] = asked[i][2]
        why = asked[who[best][0]][1] or "it is what my usual line would do"
        if len(cands) > 1:
            why += " (of the futures I played out, this went best for me)"
        return best, why

    def _search(self, view: View, sc, T, cands, home_asked, weights, claims, rng: random.Random,
                evaluate) -> tuple[Action, ...]:
        """Play each candidate out on shared samples, within the step budget; the best mean wins.

        `evaluate(state, side, T, broken0)` scores a playout stopped at its
        share of the budget before the game's end.
        """
        me, other = view.side, view.other
        stances = stance_weights(view)
        # Each playout needs at least two steps (its start and one move): past that, fewer candidates.
        cands = cands[:max(1, self.steps // 2)]
        self.last_candidates = len(cands)
        total = {k: 0.0 for k in cands}
        used = last = rounds = 0
        mine, theirs = (sum(c.giver == side and c.status in BROKEN for c in view.commitments) for side in (me, other))
        broken0 = free_breaks(mine, theirs)
        while rounds == 0 or used + max(last, 2 * len(cands)) <= self.steps:
            seed = rng.getrandbits(63)
            before = used
            cap = max(1, (self.steps - used) // len(cands) - 1)  # moves a playout may apply: its share, less its start
            for k in cands:
                r = random.Random(seed)
                stance = r.choices([c for c, _ in stances], weights=[w for _, w in stances])[0]
                cards = self._cards_for(stance, weights, T)
                s = sample_state(view, sc, r, cards, claims)
                # My side is played by the home line, remembering the move if it was its own.
                home = _clone(home_asked[2] if k == home_asked[0] else self.lines[0])
                s, n = self._playout(s, k, home, stance, me, other, sc, T, r, cap)
                if s.is_over:
                    total[k] += sum(v for _, v in score_breakdown(s, me))
                else:
                    total[k] += evaluate(s, me, T, broken0)
                    self.last_cut += 1
                used += n + 1
            last = used - before
            rounds += 1
            self.last_round_steps.append(last)
        self.last_steps, self.last_rounds = used, rounds
        return max(cands, key=lambda k: total[k])  # max keeps the first of equals: the home line's, then LINES order

    @staticmethod
    def _cards_for(stance: type, weights: dict[str, dict[str, float]], T) -> dict[str, dict[str, float]]:
        """Card weights for a playout: a trap-like card where the trapper plays it, else the belief as it is."""
        if stance is not TrapperBot:
            return weights
        out: dict[str, dict[str, float]] = {}
        for deck, w in weights.items():
            cards = T.card[deck]
            keep = {k: v for k, v in w.items() if cards[k].exploit_bonus > 0}
            out[deck] = keep if sum(keep.values()) > 0 else w
        return out

    @staticmethod
    def _playout(s, move: tuple[Action, ...], home, stance: type, me: str, other: str, sc, T,
                 r: random.Random, cap: int) -> tuple[object, int]:
        """Apply `move`, then let the lines play the sample on, to the end or `cap` moves: (the state, moves applied)."""
        n = 0
        for a in move:
            if s.is_over or n >= cap or a not in legal_actions(s):
                break
            s, _ = apply(s, a)
            n += 1
        them = stance()
        them.scenario = sc
        them.reset(other, 0)
        if isinstance(them, ReciprocatorBot):
            # Assume it has already answered my past broken promises with its own.
            mine = sum(c.giver == me and c.status in BROKEN for c in s.commitments)
            theirs = sum(c.giver == other and c.status in BROKEN for c in s.commitments)
            them.retaliated = min(mine, theirs)
        bots = {me: home, other: them}
        while not s.is_over and n < cap:
            legal = legal_actions(s)
            if len(legal) == 1:
                a = legal[0]
            elif s.phase == "draft" and (a := bots[s.to_move].draft_step(
                    s.to_move, s.round, s.draft.give, s.draft.get, legal.__contains__)) is not None:
                pass  # a third of a playout's moves are drafting steps: no view is built for them
            else:
                choice = bots[s.to_move].choose(view_of(s, s.to_move), legal, r)
                a = choice[0] if isinstance(choice, tuple) else choice
            s, _ = apply(s, a)
            n += 1
        return s, n
