"""`rules check`: play a scenario among the built-in bots and warn, in a teacher's words, when it plays badly.

A file can be valid and still make a poor lesson: an eight-round game where no
one can reach the peace treaty, a side that always comes out ahead, a board
where nearly every game blows up. The validator cannot see those; a few hundred
quick matches among the seven cheap bots can, in seconds. The full statistical
checks are bench/balance.py's (`rules check --balance` runs them).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from game.scenario import Scenario

# The seven cheap bots of bench/balance.py's field: every ordered pair and self-play is played.
FIELD = ("random", "passive", "hawk", "dove", "reciprocator", "verifier", "trapper")
# The bots that keep their promises and reach for the big endings: if they never get there, students won't.
COOPERATIVE = ("dove", "reciprocator", "verifier")
ENDINGS = ("settlement", "peace", "crisis", "plain")
ENDING_WORDS = {"settlement": "a settlement", "peace": "peace", "crisis": "a crisis", "plain": "a plain end"}


@dataclass
class Game:
    """What one quick match tells the check: its bots, its ending and both scores."""

    us: str
    dprk: str
    outcome: str
    us_score: float
    dprk_score: float
    rounds: int


@dataclass
class Report:
    """The quick matches of a scenario and the warnings drawn from them."""

    games: list[Game]
    seconds: float
    warnings: list[str] = field(default_factory=list)

    def rate(self, outcome: str, games: list[Game] | None = None) -> float:
        """Share of the games (all by default) that ended this way."""
        gs = self.games if games is None else games
        return sum(g.outcome == outcome for g in gs) / len(gs) if gs else 0.0


def play_quick(scenario: Scenario, seeds: int = 4) -> list[Game]:
    """Play every ordered pair of the field bots (self-play too) on `seeds` seeds each."""
    from game.bots import make_bot
    from game.match import play_match

    us_side, dprk_side = scenario.side_ids
    games = []
    for us in FIELD:
        for dprk in FIELD:
            for seed in range(1, seeds + 1):
                r = play_match(scenario, seed, {us_side: make_bot(us), dprk_side: make_bot(dprk)})
                s = r.scores
                games.append(Game(us, dprk, r.outcome, s[us_side], s[dprk_side], r.final.round))
    return games


def warnings_for(scenario: Scenario, games: list[Game]) -> list[str]:
    """The teacher-facing warnings the quick matches support (an empty list when the scenario plays well)."""
    out: list[str] = []
    n = len(games)
    coop = [g for g in games if g.us in COOPERATIVE and g.dprk in COOPERATIVE]
    counts = {o: sum(g.outcome == o for g in games) for o in ENDINGS}
    big = counts["settlement"] + counts["peace"]
    coop_big = sum(g.outcome in ("settlement", "peace") for g in coop)
    if big == 0 or coop_big == 0:
        out.append(
            f"No game reached peace or a settlement ({big} of {n} games; {coop_big} of {len(coop)} between the bots "
            "that keep their promises). Your students will probably not get there either, and the lesson loses "
            "its best ending. The usual cause is too few rounds for the chain of steps the treaty needs: add "
            "rounds, or make the chain shorter (lower min_trust, a delay of 1 for strategic items, less groundwork).")
    else:
        for o in ("settlement", "peace"):
            if counts[o] == 0:
                out.append(f"No game ended in {ENDING_WORDS[o]} ({counts[o]} of {n}). Students can still try, but "
                           "the bots never managed it: it may be out of reach in this scenario.")
    if counts["crisis"] == 0:
        out.append(f"No game ended in a crisis (0 of {n}, even with the random and hawkish bots). Without the risk "
                   "of a crisis there is little reason to build trust or open the hotline: raise the starting "
                   "tension or make the spike events stronger.")
    elif counts["crisis"] / n >= 0.5:
        out.append(f"Nearly every game ends in a crisis ({counts['crisis']} of {n}, {counts['crisis'] / n:.0%}). "
                   "Students who try to cooperate will rarely get the time to: lower the starting tension, "
                   "soften the spike events, or let tension fall faster each round.")
    if counts["plain"] == 0:
        out.append(f"No game reached the last round without a big ending (0 of {n} plain ends): the game may be "
                   "too short to matter or too easy to settle.")
    us = [g.us_score for g in games]
    dp = [g.dprk_score for g in games]
    spread = statistics.pstdev(us + dp)
    gap = statistics.fmean(us) - statistics.fmean(dp)
    # Every bot plays every other in both seats, so a gap here belongs to the seat, not to the players.
    if spread > 0 and abs(gap) > 0.35 * spread:
        ahead, behind = (scenario.sides[0].name, scenario.sides[1].name) if gap > 0 else \
            (scenario.sides[1].name, scenario.sides[0].name)
        out.append(f"One side is far ahead: with the same bots in both seats, {ahead} scores {abs(gap):.1f} points "
                   f"more than {behind} on average (scores usually spread over about {spread:.0f} points). The "
                   f"student playing {behind} will feel the game is unfair: look at the values and costs of the "
                   "two sides' items and at their agenda cards.")
    return out


def check(scenario: Scenario, seeds: int = 4) -> Report:
    """Play the quick matches and draw the warnings."""
    t0 = time.perf_counter()
    games = play_quick(scenario, seeds)
    rep = Report(games, time.perf_counter() - t0)
    rep.warnings = warnings_for(scenario, games)
    return rep


def _pct(x: float) -> str:
    """A rate as a percentage: one decimal below 10% (so a rare ending does not read as 0%)."""
    return f"{x:.1%}" if 0 < x < 0.1 else f"{x:.0%}"


def summary_lines(rep: Report) -> list[str]:
    """How the quick matches ended, in a few lines."""
    n = len(rep.games)
    coop = [g for g in rep.games if g.us in COOPERATIVE and g.dprk in COOPERATIVE]
    ends = ", ".join(f"{o} {_pct(rep.rate(o))}" for o in ENDINGS)
    coop_ends = ", ".join(f"{o} {_pct(rep.rate(o, coop))}" for o in ENDINGS)
    us = statistics.fmean(g.us_score for g in rep.games)
    dp = statistics.fmean(g.dprk_score for g in rep.games)
    return [f"played {n} quick games among the built-in bots ({', '.join(FIELD)}; every pairing, both seats) "
            f"in {rep.seconds:.0f} s",
            f"  how they ended: {ends}",
            f"  between the bots that keep their promises ({', '.join(COOPERATIVE)}): {coop_ends}",
            f"  mean score: US {us:.1f}, DPRK {dp:.1f}"]


def run_balance(path: Path | None) -> int:
    """Run bench/balance.py's nine checks on the scenario at their default length; returns its exit code."""
    script = Path(__file__).resolve().parent.parent / "bench" / "balance.py"
    if not script.exists():
        print("error: --balance needs bench/balance.py, which is not in this copy of the game", file=sys.stderr)
        return 2
    cmd = [sys.executable, str(script)] + (["--scenario", str(path)] if path is not None else [])
    print("running the nine balance checks of bench/balance.py (about 12 minutes on a 2-core machine)...",
          flush=True)
    return subprocess.call(cmd)
