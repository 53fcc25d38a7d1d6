"""The end-of-match debrief as data and as text, shared by `play`, `match` and `replay --text`.

Everything here is read from the sequence of states a match went through
(a `Replay`'s states, or the states a live match kept), never from prose, so
the window can chart the same facts the terminal prints: both sides' cards,
each side's score in its parts, the claims that were never caught, the key
moments (summits, broken promises, exposed claims, events) and trust and
tension round by round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from game.engine import agenda_cards, score_breakdown, scores, tables
from game.narrator import debrief_verdict
from game.state import State

OUTCOME_WORDS = {
    "settlement": "a settlement: peace, denuclearization steps and normalization all in force",
    "peace": "peace: a peace treaty in force",
    "crisis": "a crisis: tension reached the brink",
    "plain": "the months ran out without peace or crisis",
    "forfeit": "a forfeit: one side's bot broke the rules of the match",
    "unfinished": "not finished yet",
}


@dataclass(frozen=True)
class Moment:
    """A key moment of the match: its round, its kind and a sentence for the room."""

    round: int
    kind: str     # 'summit', 'broken', 'exposed', 'event', 'crisis'
    text: str


@dataclass(frozen=True)
class RoundRow:
    """Trust per channel, the trust index and tension at the start of a round (after its event card)."""

    round: int
    tension: int
    trust: tuple[tuple[str, float | None], ...]   # (channel name, trust or None while closed)
    trust_index: float


@dataclass(frozen=True)
class Debrief:
    """What the debrief shows: outcome, verdict, cards, score parts, uncaught claims, moments and the rounds."""

    outcome: str
    outcome_words: str
    verdict: str
    scores: tuple[tuple[str, float], ...]
    cards: tuple[tuple[str, str, str], ...]                  # (side name, card name, card text)
    parts: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]  # (side name, its score parts)
    uncaught: tuple[str, ...]
    moments: tuple[Moment, ...]
    rounds: tuple[RoundRow, ...]


def build_debrief(states: Sequence[State], outcome: str | None = None) -> Debrief:
    """The debrief of a match from every state it went through (`states[0]` the new game, the last one final)."""
    final = states[-1]
    sc = final.scenario
    T = tables(sc)
    outcome = outcome or final.outcome or "unfinished"
    final_scores = scores(final)
    cards = tuple((T.side[s].name, card.name, card.text) for s in T.sides for card in agenda_cards(final, s))
    parts = tuple((T.side[s].name, tuple((label, round(v, 2)) for label, v in score_breakdown(final, s)))
                  for s in T.sides)
    uncaught = tuple(f"{T.side[c.giver].name} claimed {T.items[c.item].name} in round {c.settled or c.due} "
                     f"but never did it" for c in final.commitments if c.status == "claimed" and not c.done)
    return Debrief(outcome, OUTCOME_WORDS.get(outcome, outcome), debrief_verdict(sc, final_scores),
                   tuple((T.side[s].name, v) for s, v in final_scores.items()), cards, parts, uncaught,
                   tuple(key_moments(states)), tuple(round_rows(states)))


def key_moments(states: Sequence[State]) -> list[Moment]:
    """Summits, broken promises, exposed claims and event cards, in order, read from how the states changed."""
    if not states:
        return []
    sc = states[0].scenario
    T = tables(sc)
    events = {e.id: e for e in sc.events}
    out: list[Moment] = []
    seen_round = 0
    before = states[0]
    for n, s in enumerate(states):
        if s.round != seen_round and s.round >= 1:
            seen_round = s.round
            card = events.get(s.deck[s.round - 1])
            if card is not None:
                out.append(Moment(s.round, "event", f"Event: {card.name}"))
        if n == 0:
            continue
        if s.summits > before.summits:
            out.append(Moment(s.round, "summit", f"Summit no. {s.summits} held"))
        old = {(c.item, c.agreed): c.status for c in before.commitments}
        for c in s.commitments:
            was = old.get((c.item, c.agreed))
            if was == c.status:
                continue
            item, giver = T.items[c.item].name, T.side[c.giver].name
            if c.status == "broken":
                out.append(Moment(s.round, "broken", f"{giver} broke its promise: {item}"))
            elif c.status == "exposed":
                out.append(Moment(s.round, "exposed", f"{giver}'s claim exposed: {item} was never done"))
            elif c.status == "reversed":
                out.append(Moment(s.round, "broken", f"{giver} withdrew {item}"))
        if s.outcome == "crisis" and before.outcome != "crisis":
            out.append(Moment(s.round, "crisis", "Crisis: tension reached the brink"))
        before = s
    return out


def round_rows(states: Sequence[State]) -> list[RoundRow]:
    """Trust and tension at the start of each round (after its event), then at the end of the match."""
    if not states:
        return []
    sc = states[0].scenario
    rows: list[RoundRow] = []
    seen = 0

    def row(s: State, rnd: int) -> RoundRow:
        trust = tuple((c.id.capitalize(), round(t, 1) if o else None) for c, t, o in zip(sc.channels, s.trust, s.is_open))
        return RoundRow(rnd, s.tension, trust, s.trust_index())

    for s in states:
        if s.round != seen and s.round >= 1:
            seen = s.round
            rows.append(row(s, s.round))
    final = states[-1]
    if final.is_over:
        rows.append(row(final, 0))  # round 0 marks the end of the match
    return rows


def possessive(name: str) -> str:
    """'DPRK's', 'United States'' (for headings)."""
    return name + ("'" if name.endswith("s") else "'s")


def debrief_lines(d: Debrief) -> list[str]:
    """The debrief as plain text lines (the terminal prints them; a screen reader reads them well)."""
    lines = ["DEBRIEF", f"Outcome: {d.outcome_words}.", d.verdict,
             "Scores: " + ", ".join(f"{name} {v:g}" for name, v in d.scores), "", "Hidden cards:"]
    lines += [f"  {side}: {card} - {text}" for side, card, text in d.cards]
    for side, parts in d.parts:
        lines += ["", f"{possessive(side)} score, part by part:"]
        lines += [f"  {v:+7.2f}  {label}" for label, v in parts] or ["     0     nothing"]
        lines.append(f"  {sum(v for _, v in parts):+7.2f}  in all")
    lines += ["", "Claims never caught:"]
    lines += [f"  {u}" for u in d.uncaught] or ["  none: every claim was true or found out"]
    lines += ["", "Key moments:"]
    lines += [f"  round {m.round:>2}  {m.text}" for m in d.moments if m.kind != "event"] or ["  none"]
    lines += ["", "Trust and tension, round by round (start of the round; '-' closed):"]
    if d.rounds:
        names = [name for name, _ in d.rounds[0].trust]
        width = max(9, *(len(n) for n in names))
        lines.append("  round  tension  " + "  ".join(f"{n:>{width}}" for n in names) + "  trust index")
        for r in d.rounds:
            cells = "  ".join(f"{'-' if t is None else f'{t:g}':>{width}}" for _, t in r.trust)
            label = "end" if r.round == 0 else str(r.round)
            lines.append(f"  {label:>5}  {r.tension:>7}  {cells}  {r.trust_index:>11g}")
    return lines
