""""What would it take?": a bot says whether it would accept a deal the other side is composing, and the nearest
deal it would accept, with its reasons in plain words.

The question is put to a bot's own accept rule (`Bot.would_accept`) on the
view the bot would have if the deal were waiting for its answer now, so the
answer is the bot's, not a guess about it. Every deal the bot says it would
accept is remembered for the round (`Bot.advised`), and every built-in bot
accepts such a deal when it arrives (`Bot.keep_word`): the board can change
before the bot's turn comes (an event, a call), and a bot that said yes keeps
its word rather than re-deciding behind the student's back.

"Nearest" counts changes: adding or dropping one item is one change. The
search tries every deal one change away, then two, then three (items the
asker could give or ask for on that channel, up to the deal limit) and stops
at the first distance where the bot says yes; among those it prefers the deal
best for the asker by the scenario's base numbers.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from game.actions import Accept, Reject
from game.bots.common import eligible, scenario_for
from game.engine import MAX_DEAL_ITEMS, SUMMIT, deal_text, tables
from game.view import ProposalView, View

if TYPE_CHECKING:
    from game.bots.base import Bot

MAX_CHANGES = 3  # how far the search for a nearest acceptable deal looks
CONFIRM = 4      # deals passing a bot's quick screen put to its rule itself, per distance


@dataclass(frozen=True)
class DealAdvice:
    """A bot's answer to "what would it take?" about a deal the other side is composing.

    `give` and `get` are from the asker's side, as composed: what the asker
    gives and what it asks for. `nearest` is the deal the bot would accept as
    (channel, give, get): the deal itself when `accept`, the nearest other one
    otherwise, or None when no deal within `MAX_CHANGES` changes would do.
    """

    accept: bool
    reason: str                       # why the bot would accept or refuse the deal as composed
    nearest: tuple[str, tuple[str, ...], tuple[str, ...]] | None
    changes: tuple[str, ...] = ()     # the changes that lead to `nearest`, in words ("add X to what you give")
    nearest_reason: str = ""          # why the bot would accept `nearest`

    def text(self) -> str:
        """The advice as a few plain sentences for a student."""
        if self.accept:
            return f"Yes: {self.reason}."
        out = f"No: {self.reason}."
        if self.nearest is None:
            return out + " No small change to this deal would make me say yes."
        return out + " I would say yes if you " + _and(list(self.changes)) + f" ({self.nearest_reason})."


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def answer_view(view: View, channel: str, give: Sequence[str], get: Sequence[str]) -> tuple[View, ProposalView]:
    """The bot's view as it would be with the asker's deal waiting for its answer now, and that proposal."""
    T = tables(scenario_for(view))
    asker = view.other
    where = "at the summit" if channel == SUMMIT else f"through {T.channel[channel].name}"
    p = ProposalView("deal", asker, view.side, view.round, channel, tuple(give), tuple(get), False,
                     f"{where}: {T.side[asker].name} {deal_text(T, tuple(give), tuple(get))}")
    hv = dataclasses.replace(view, to_move=view.side, phase="answer", proposals=view.proposals + (p,), draft=None,
                             legal=(f"{view.side} accept", f"{view.side} reject"))
    return hv, p


def _composable(view: View, channel: str) -> tuple[list[str], list[str]]:
    """Items the asker could give, and ask the bot for, in a new deal through `channel` (the engine's rule)."""
    T = tables(scenario_for(view))
    return eligible(view, T, view.other, channel), eligible(view, T, view.side, channel)


def advise(bot: "Bot", view: View, channel: str, give: Sequence[str], get: Sequence[str]) -> DealAdvice:
    """Put a composed deal to `bot`'s accept rule; if it says no, find the nearest deal it would accept."""
    T = tables(scenario_for(view))
    give, get = tuple(give), tuple(get)
    if channel != SUMMIT and channel not in T.channels:
        raise ValueError(f"no channel {channel!r}")
    unknown = [i for i in give + get if i not in T.items]
    if unknown:
        raise ValueError(f"no item {unknown[0]!r}")
    if len(give) > MAX_DEAL_ITEMS or len(get) > MAX_DEAL_ITEMS:
        raise ValueError(f"a deal holds at most {MAX_DEAL_ITEMS} items each way")
    wrong = [i for i in give if T.items[i].giver != view.other] + [i for i in get if T.items[i].giver != view.side]
    if wrong:
        raise ValueError(f"{T.items[wrong[0]].name} is not the giver's to give in this deal")
    legal = (Accept(view.side), Reject(view.side))
    ok, why = bot.would_accept(*answer_view(view, channel, give, get), legal) if (give or get) else (
        False, "an empty deal gives nothing to answer")
    if ok:
        bot.advised(view, channel, give, get)
        return DealAdvice(True, why, (channel, give, get))
    can_give, can_get = _composable(view, channel)
    pool_give = list(dict.fromkeys(give + tuple(can_give)))
    pool_get = list(dict.fromkeys(get + tuple(can_get)))
    base = {i: T.items[i] for i in pool_give + pool_get}

    def for_asker(gv: tuple[str, ...], gt: tuple[str, ...]) -> float:
        return sum(base[i].value for i in gt) - sum(base[i].cost for i in gv)

    # A bot whose rule is costly to ask (a search) offers a quick screen; what passes it is then put to the
    # rule itself, best for the asker first, so the answer stays the rule's.
    screen = getattr(bot, "screen_accept", None)
    for n in range(1, MAX_CHANGES + 1):
        found = []
        for gv, gt in _at_distance(give, get, pool_give, pool_get, n):
            hv, p = answer_view(view, channel, gv, gt)
            yes, reason = (screen or bot.would_accept)(hv, p, legal)
            if yes:
                found.append((-for_asker(gv, gt), len(gv) + len(gt), gv, gt, reason))
        found.sort(key=lambda f: f[:2])
        for _, _, gv, gt, reason in found[:CONFIRM] if screen else found[:1]:
            if screen:
                yes, reason = bot.would_accept(*answer_view(view, channel, gv, gt), legal)
                if not yes:
                    continue
            bot.advised(view, channel, gv, gt)
            return DealAdvice(False, why, (channel, gv, gt), _changes(T, give, get, gv, gt), reason)
    return DealAdvice(False, why, None)


def _at_distance(give, get, pool_give, pool_get, n: int):
    """Every deal exactly `n` changes from (give, get), drawn from the pools, within the deal limit, not empty."""
    seen = set()
    moves = [("give", i) for i in pool_give] + [("get", i) for i in pool_get]
    for combo in itertools.combinations(moves, n):
        gv, gt = list(give), list(get)
        for side, item in combo:
            lst = gv if side == "give" else gt
            if item in lst:
                lst.remove(item)
            else:
                lst.append(item)
        if not gv and not gt or len(gv) > MAX_DEAL_ITEMS or len(gt) > MAX_DEAL_ITEMS:
            continue
        key = (frozenset(gv), frozenset(gt))
        if key in seen:
            continue
        seen.add(key)
        # Keep the asker's order, new items after, so the deal reads as composed.
        yield (tuple(i for i in pool_give if i in gv), tuple(i for i in pool_get if i in gt))


def _changes(T, give, get, gv, gt) -> tuple[str, ...]:
    """The changes from the composed deal to another, in words."""
    out = []
    for i in gv:
        if i not in give:
            out.append(f"add {T.items[i].name} to what you give")
    for i in give:
        if i not in gv:
            out.append(f"leave {T.items[i].name} out of what you give")
    for i in get:
        if i not in gt:
            out.append(f"stop asking for {T.items[i].name}")
    for i in gt:
        if i not in get:
            out.append(f"ask for {T.items[i].name} too")
    return tuple(out)
