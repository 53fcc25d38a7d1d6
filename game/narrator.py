"""The narrator: happenings (data) into sentences for one reader, with names rather than ids.

The engine writes no English; everything a person reads about what happened
is worded here, and the terminal transcript, the human seat, the window and
the debrief all use it.

A reader is a side id (that side's happenings and the public ones), 'all'
(the teacher or the debrief: everything, private lines marked) or 'public'
(the room: only what every side may see). Who may see what is
`game.view.visible`, the same rule as the views.

`narrate` words one happening. `narrate_lines` (and `Narrator`, which does
the same for a stream that arrives in pieces) lays out a transcript: round
and turn headers, and, unless `verbose`, one line per round that sums up the
trust bookkeeping ("trust: Leaders' hotline 35 (+8), Working-level meetings
22 (-2)") in place of a line for every diffusion step or decay. `verbose`
keeps every number, for engineers.
"""

from __future__ import annotations

from typing import Any, Iterable

from game.engine import SUMMIT, verdict
from game.happenings import Cause, HappeningKind as K, Verdict
from game.scenario import Scenario
from game.state import Happening
from game.view import SPECTATOR, visible

PUBLIC = "public"

# Bookkeeping the transcript sums up once a round (unless verbose), and drafts: the sent proposal says it all.
_QUIET = frozenset({K.TRUST, K.DRAFT})

_ENDINGS = {
    "crisis": "The game ends in crisis.",
    "settlement": "The game ends in a settlement.",
    "peace": "The game ends in peace: a treaty is in force.",
    "plain": "The game ends after the last round without a treaty.",
}

_CHECKERS = {"intelligence": "Intelligence", "inspectors": "Inspectors", "the satellite pass": "The satellite pass"}


def readers(scenario: Scenario) -> tuple[str, ...]:
    """Everyone the narrator can speak for: each side id, 'all' and 'public'."""
    return (*scenario.side_ids, SPECTATOR, PUBLIC)


def narrate(h: Happening, scenario: Scenario, reader: str, *, verbose: bool = False) -> str | None:
    """One happening as a sentence for `reader`; None if the reader may not see it or it is bookkeeping.

    Without `verbose`, trust moves and draft steps say nothing here: a
    transcript sums the trust up per round (`narrate_lines`, `Narrator`).
    """
    _check_reader(scenario, reader)
    if not visible(h, reader) or (not verbose and h.kind in _QUIET):
        return None
    words = _Words(scenario)
    text = words.say(h, verbose)
    if h.kind == K.ROUND_END and not verbose:  # alone, with no round start to compare: the values without changes
        now = {c: t for c, t in h.data["trust"].items() if h.data["open"][c]}
        text += "; trust: " + (words.trust_summary(now, None) or "no channel open")
    return text


def narrate_lines(happenings: Iterable[Happening], scenario: Scenario, reader: str, *,
                  verbose: bool = False) -> list[str]:
    """The transcript lines of a stream of happenings for `reader`, round by round."""
    return Narrator(scenario, reader, verbose=verbose).lines(happenings)


def debrief_verdict(scenario: Scenario, final: dict[str, float]) -> str:
    """Name what the final scores mean: both sides gained, both lost, or one exploited the other."""
    return verdict_text(scenario, *verdict(final))


def verdict_text(scenario: Scenario, judged: Verdict | str, winner: str | None, loser: str | None) -> str:
    """The debrief's sentence for a verdict (game.engine.verdict)."""
    w = _Words(scenario)
    return {
        Verdict.BOTH_AHEAD: "Both sides came out ahead.",
        Verdict.BOTH_LOST: "Both sides lost.",
        Verdict.NEITHER: "Neither side gained anything.",
        Verdict.EXPLOITED: f"{w.side(winner)} exploited {w.side(loser)}.",
        Verdict.ONE_AHEAD: f"Only {w.side(winner)} came out ahead.",
    }[Verdict(judged)]


class Narrator:
    """A transcript written as the happenings arrive: call `lines` with each new batch, in order.

    It remembers the trust at the start of the round, so the round's summary
    line can give each channel's change even when the round came in pieces.
    """

    def __init__(self, scenario: Scenario, reader: str, *, verbose: bool = False):
        _check_reader(scenario, reader)
        self.scenario = scenario
        self.reader = reader
        self.verbose = verbose
        self._words = _Words(scenario)
        self._started = False          # a line has been written (a round header then opens with a blank line)
        self._start: dict[str, float] | None = None   # open channels' trust as the round began (None: unknown)
        self._trust: dict[str, float] = {}            # open channels' trust now
        self._summed = False           # this round's trust has been summed up

    def lines(self, happenings: Iterable[Happening]) -> list[str]:
        """The transcript lines for the next happenings of the stream."""
        out: list[str] = []
        for h in happenings:
            self._track(h, out)
            if not visible(h, self.reader) or (not self.verbose and h.kind in _QUIET):
                continue
            text = self._words.say(h, self.verbose)
            if h.kind == K.ROUND:
                if self._started:
                    out.append("")
                out.append(f"== {text} ==")
            elif h.kind == K.TURN:
                out.append(f"  -- {text} --")
            elif h.kind in (K.ROUND_END, K.GAME_OVER, K.REVEAL_AGENDA):
                out.append(text)
            else:
                private = " [private]" if h.to is not None and self.reader == SPECTATOR else ""
                out.append(f"    {text}{private}")
            self._started = True
        return out

    def _track(self, h: Happening, out: list[str]) -> None:
        """Follow the trust through the round; write the round's summary before its end (or the game's)."""
        d = h.data
        if h.kind == K.ROUND:
            self._trust = {c: t for c, t in d["trust"].items() if d["open"][c]}
            self._start = dict(self._trust)
            self._summed = False
        elif h.kind == K.TRUST:
            self._trust[d["channel"]] = d["after"]
        elif h.kind == K.CHANNEL_OPENED:
            self._trust[d["channel"]] = d["trust"]
        elif h.kind == K.ROUND_END:
            self._trust = {c: t for c, t in d["trust"].items() if d["open"][c]}
            self._summary(out)
        elif h.kind == K.GAME_OVER and self._start is not None and self._trust != self._start:
            self._summary(out)  # a game that ends mid-round: what the round did to trust so far

    def _summary(self, out: list[str]) -> None:
        if self.verbose or self._summed:
            return
        self._summed = True
        if self._trust:
            out.append("    trust: " + self._words.trust_summary(self._trust, self._start))


def _check_reader(scenario: Scenario, reader: str) -> None:
    if reader not in readers(scenario):
        raise ValueError(f"no reader {reader!r}: choose one of {', '.join(readers(scenario))}")


def _num(x: float) -> str:
    """A trust value for people: at most one decimal."""
    return f"{round(x, 1):g}"


class _Words:
    """The names of one scenario's things, and a sentence for each kind of happening."""

    def __init__(self, sc: Scenario):
        self.sc = sc
        self._sides = {s.id: s.name for s in sc.sides}
        self._channels = {c.id: c.name for c in sc.channels}
        self._actors = {a.id: a.name for a in sc.actors}

    # -- names

    def side(self, side_id: str | None) -> str:
        return self._sides.get(side_id, str(side_id))

    def item(self, item_id: str | None) -> str:
        it = self.sc.item_by_id.get(item_id)
        return it.name if it else str(item_id)

    def items(self, ids: Iterable[str]) -> str:
        return ", ".join(self.item(i) for i in ids) or "nothing"

    def channel(self, channel_id: str | None) -> str:
        """A channel's own name, e.g. "Leaders' hotline"."""
        return self._channels.get(channel_id, str(channel_id))

    def through(self, channel_id: str | None) -> str:
        """Where a deal goes: 'the summit' or 'the X channel'."""
        return "the summit" if channel_id == SUMMIT else f"the {self.channel(channel_id)} channel"

    def actor(self, actor_id: str) -> str:
        return self._actors.get(actor_id, actor_id)

    def event(self, card_id: str) -> Any:
        return self.sc.event_by_id[card_id]

    def agenda(self, side_id: str, card_ids: Iterable[str]) -> list[str]:
        decks = [d for d in self.sc.decks if d.side == side_id]
        names = []
        for deck, cid in zip(decks, card_ids):
            names.append(next((c.name for c in deck.cards if c.id == cid), cid))
        return names

    def cause(self, cause: str, item: str | None = None) -> str:
        return self.item(item) if cause == Cause.ITEM else str(cause)

    def deal(self, give: Iterable[str], get: Iterable[str]) -> str:
        return f"gives {self.items(give)}; asks for {self.items(get)}"

    def trust_summary(self, now: dict[str, float], start: dict[str, float] | None) -> str:
        """Each open channel's trust with its change since `start` ('opened' if it opened since)."""
        parts = []
        for c in self.sc.channel_ids:
            if c not in now:
                continue
            if start is None:
                change = ""
            elif c not in start:
                change = " (opened)"
            else:
                delta = round(now[c] - start[c], 1)
                change = f" ({'+' if delta >= 0 else '-'}{_num(abs(delta))})"
            parts.append(f"{self.channel(c)} {_num(now[c])}{change}")
        return ", ".join(parts)

    # -- sentences

    def say(self, h: Happening, verbose: bool) -> str:
        """The sentence for one happening."""
        return getattr(self, "_" + str(h.kind))(h.data, verbose)

    def _round(self, d, v):
        return f"Round {d['round']} of {d['rounds']}"

    def _turn(self, d, v):
        ap = d["ap"]
        return f"{self.side(d['side'])} to move ({ap} action point{'s' if ap != 1 else ''})"

    def _event(self, d, v):
        card = self.event(d["card"])
        return f"Event: {card.name}. {card.text}"

    def _summit(self, d, v):
        return "The leaders meet at a summit: big items may be agreed this round."

    def _legitimacy(self, d, v):
        return f"{self.side(d['side'])} gains legitimacy ({d['after']})"

    def _averted(self, d, v):
        return f"No effect: {self.item(d['item'])} is in force"

    def _defused(self, d, v):
        return f"The trusted {self.channel(d['channel'])} halves the spike"

    def _gift_offer(self, d, v):
        return f"{self.side(d['side'])} may give {self.item(d['item'])} this round at no action point"

    def _value(self, d, v):
        return f"{self.side(d['side'])} now values {d['tag']} items {d['amount']} more"

    def _reveal(self, d, v):
        if d["result"] == "none":
            return "No unverified claim to look at"
        return f"Clouds: the imagery of {self.item(d['item'])} shows nothing"

    def _action_points(self, d, v):
        return f"{self.side(d['side'])} has {d['ap']} action point(s) this round"

    def _tie(self, d, v):
        return f"Tie between {self.actor(d['a'])} and {self.actor(d['b'])}: {d['before']} -> {d['after']}"

    def _action(self, d, v):
        who = self.side(d["side"])
        verb = d["verb"]
        if verb == "pass":
            return f"{who} passes"
        if verb == "call":
            return f"{who} calls on the hotline"
        if verb == "meet":
            about = f" on {self.item(d['item'])}" if d["item"] else ""
            return f"{who} holds a working-level meeting{about}"
        if verb == "exchange":
            return f"{who} sponsors a cultural exchange"
        if verb == "cancel":
            return f"{who} drops a draft deal"
        if verb == "intel":
            return f"{who} gathers intelligence"
        return f"{who}: {d['action']}"

    def _proposal(self, d, v):
        who = self.side(d["side"])
        if d["proposal"] == "open":
            return f"{who} proposes opening the {self.channel(d['channel'])} channel"
        if d["proposal"] == "summit":
            return f"{who} proposes a summit"
        word = "counters" if d["counter"] else "proposes"
        return f"{who} {word} through {self.through(d['channel'])}: {self.deal(d['give'], d['get'])}"

    def _draft(self, d, v):
        who = self.side(d["side"])
        if d["step"] == "start":
            return f"{who} starts drafting a deal through {self.through(d['channel'])}"
        if d["step"] == "give":
            return f"Draft: {who} would give {self.item(d['item'])}"
        return f"Draft: {who} asks for {self.item(d['item'])}"

    def _accepted(self, d, v):
        who = self.side(d["side"])
        if d["proposal"] == "open":
            return f"{who} agrees to open the {self.channel(d['channel'])} channel"
        return f"{who} accepts {self.side(d['sender'])}'s summit: it opens round {d['at']}"

    def _rejected(self, d, v):
        what = {"open": f"opening the {self.channel(d['channel'])} channel", "summit": "the summit"}
        return f"{self.side(d['side'])} rejects {what.get(d['proposal'], 'the deal')}"

    def _countering(self, d, v):
        return f"{self.side(d['side'])} will counter the deal"

    def _deal(self, d, v):
        return f"Deal signed: {self.side(d['sender'])} {self.deal(d['give'], d['get'])}"

    def _commitment(self, d, v):
        return f"{self.side(d['giver'])} will give {self.item(d['item'])} in round {d['due']}"

    def _groundwork(self, d, v):
        return f"Groundwork on {self.item(d['item'])}: {d['after']}/{d['needed']}"

    def _pressure(self, d, v):
        side = next(s for s in self.sc.sides if s.id == d["side"])
        move = next((p.name for p in side.pressure if p.id == d["move"]), d["move"])
        return f"{side.name}: {move}"

    def _intel(self, d, v):
        if d["result"] == "ruled_out":
            other = next(s for s in self.sc.side_ids if s != d["side"])
            deck = self.sc.deck_by_id[d["deck"]]
            card = next((c.name for c in deck.cards if c.id == d["card"]), d["card"])
            return f"Intelligence: {self.side(other)}'s {deck.name.lower()} is not '{card}'"
        return f"Intelligence on {self.item(d['item'])} is inconclusive"

    def _kept(self, d, v):
        if d["how"] == "gift":
            return f"{self.side(d['side'])} gives {self.item(d['item'])} at once"
        return f"{self.side(d['side'])} implements {self.item(d['item'])}"

    def _claimed(self, d, v):
        return f"{self.side(d['side'])} reports {self.item(d['item'])} implemented (unverified)"

    def _truth(self, d, v):
        who, it = self.side(d["side"]), self.item(d["item"])
        return f"{who} really did implement {it}" if d["done"] else f"{who} only claims {it}: nothing was done"

    def _verified(self, d, v):
        return f"{_CHECKERS.get(d['by'], str(d['by']).capitalize())} confirms {self.item(d['item'])}"

    def _exposed(self, d, v):
        by = _CHECKERS.get(d["by"], str(d["by"]).capitalize())
        return f"{by} exposes a false claim: {self.item(d['item'])} was never done"

    def _broken(self, d, v):
        return f"{self.side(d['side'])} breaks its promise: {self.item(d['item'])}"

    def _reversed(self, d, v):
        return f"{self.side(d['side'])} withdraws {self.item(d['item'])}: a broken promise"

    def _fallen(self, d, v):
        return f"{self.item(d['item'])} falls with {self.item(d['because'])}"

    def _trust(self, d, v):
        return f"{self.channel(d['channel'])} trust {d['before']:g} -> {d['after']:g} ({self.cause(d['cause'])})"

    def _channel_opened(self, d, v):
        return f"The {self.channel(d['channel'])} channel opens ({self.cause(d['cause'])}); trust {d['trust']:g}"

    def _tension(self, d, v):
        return f"Tension {d['before']} -> {d['after']} ({self.cause(d['cause'], d['item'])})"

    def _crisis(self, d, v):
        return f"Tension reaches {d['tension']}: the talks collapse into crisis."

    def _settlement(self, d, v):
        return "Settlement: " + " and ".join(self.item(i) for i in d["items"]) + " are in force and verified."

    def _round_end(self, d, v):
        if v:
            chans = " | ".join(f"{self.channel(c)} {d['trust'][c]:g}" if d["open"][c] else f"{self.channel(c)} closed"
                               for c in self.sc.channel_ids)
            return f"End of round {d['round']}: tension {d['tension']} | {chans} | trust index {d['trust_index']:g}"
        return f"End of round {d['round']}: tension {d['tension']}, trust index {_num(d['trust_index'])}"

    def _game_over(self, d, v):
        scores = ", ".join(f"{self.side(k)} {x:g}" for k, x in d["scores"].items())
        verdict = verdict_text(self.sc, d["verdict"], d["winner"], d["loser"])
        return f"{_ENDINGS[d['outcome']]} Scores: {scores}. {verdict}"

    def _reveal_agenda(self, d, v):
        return f"{self.side(d['side'])} held: " + ", ".join(self.agenda(d["side"], d["cards"]))
