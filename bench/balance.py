"""Balance checks of a scenario (issue 6): do GAME.md's lessons hold in the numbers?

    nice -n 10 python bench/balance.py                 # the default run: 500 seeds per pairing, 2 workers
    python bench/balance.py --quick                    # a quick look (60 seeds, fewer search matches)
    python bench/balance.py --scenario my.toml --seeds 200 --workers 2

Every match is played with `game.match.play_match` in a pool of spawned worker
processes; a match depends only on its bots, its seed and its variant, and the
results are sorted by match key before any figure is computed, so the output
does not depend on the number of workers. Seeds are the tournament's
(`game.tournament.schedule.match_seed(--seed, r)` for r = 0..N-1), the same for
every pairing (common random numbers), so comparisons are paired by seed.

The matches played:

- FIELD: the round robin of the seven cheap bots (random, passive, hawk, dove,
  reciprocator, verifier, trapper), every ordered pair and self-play (49
  pairings), N seeds each (default 500).
- FIRST: self-play of reciprocator and of verifier in a variant of the scenario
  where the sides' turn order is swapped (the DPRK moves first in odd rounds),
  N seeds each.
- INTENT: the DPRK bots dove, reciprocator, verifier and trapper against every
  field bot as the US, N seeds each, twice: once with the DPRK's intent card
  forced to the sincere card and once to the trap card (the game is dealt from
  the seed as usual, then only the intent card is swapped before play, so the
  motive, the US card and the event deck are the same in both).
- SEARCH: `ismcts` self-play on the first K seeds (default 500, like every
  pairing of check 6), and `ismcts` as the DPRK against every field bot as the
  US on the first J seeds (default 20, for check 8 only). ismcts at its
  default budget (48 iterations a decision) takes about 1.4 s per match on
  this 2-core machine (the cheap bots a few ms), so 500 seeds of all its
  8 pairings would take over three quarters of an hour: J is the documented
  exception (it widens check 8's figures, shown in the table).

Confidence intervals are 95%: normal approximation of a mean or of a mean
paired difference (1.96 standard errors), Wilson intervals for rates, and a
Mantel-Haenszel risk difference (stratified by pairing) for check 5. A check
comparing two means passes when the difference's interval lies wholly on the
side the lesson needs; a threshold on a rate or a ratio is judged on the
point estimate (the interval is shown).

The checks:

1. Engagement pays: over FIELD, the mean score of `passive` in each role, paired
   by (opponent, seed), is below that of `reciprocator` and of `verifier` in
   the same role against the same opponents (4 differences, each interval > 0).
2. The trap is real: DPRK `trapper` scores more against US `dove` than against
   US `verifier` (paired by seed; interval > 0).
3. Verification is the counter: US `verifier` scores more against DPRK
   `trapper` than US `dove` does (paired by seed; interval > 0).
4. Pressure alone forgoes gains: on FIELD seeds whose DPRK intent card is
   sincere, against the DPRK bots that keep their promises (dove, reciprocator,
   verifier), US `reciprocator` minus US `hawk` (paired by opponent and seed;
   interval > 0).
5. Channels defuse spikes: over FIELD, among matches still running at the start
   of round 7, the crisis rate (in rounds 7-12) of those whose hotline opened in
   rounds 1-6 versus those where it did not. The hotline is the scenario's
   spike-halving channel. Passes when the stratified (by pairing) difference
   closed-minus-open is above 0 (interval) and the open rate is at most two
   thirds of the closed rate ("markedly": a third fewer or better). Conditioning
   on reaching round 7 keeps early crises (which leave no time to open the
   hotline) out of the comparison; the unconditioned rates are printed too.
6. The roles are balanced: in the self-play of reciprocator, verifier (FIELD)
   and ismcts (SEARCH), |mean US - mean DPRK| < 0.1 x the standard deviation
   of all scores of that self-play (both sides). Moving first is worth little:
   for reciprocator and verifier (FIRST against FIELD), the worth of moving
   first, ((US first - US second) + (DPRK first - DPRK second)) / 2 paired by
   seed, is below 0.1 x the same spread in absolute value.
7. Every outcome happens: over all FIELD matches, settlement, peace, crisis and
   the plain end each occur in at least 5% of matches.
8. Hidden motives matter: for `ismcts` as the DPRK (SEARCH, both its matches
   against the field and its self-play), the mean value received per match of
   each US item, by the DPRK's motive card (value under that card); passes when
   at least three different items are some motive's top item. And a trap card
   pays only for trap play: over INTENT, a sincere-playing DPRK (dove,
   reciprocator, verifier) scores no more with the trap card than with the
   sincere one (the gain's interval reaches 0 or below), while the `trapper`
   does score more with it (interval > 0).
9. Random play is not doom: `random` against `random` (FIELD) ends in crisis in
   20-50% of matches.

Prints the table, then `name: value` lines. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FIELD = ("random", "passive", "hawk", "dove", "reciprocator", "verifier", "trapper")
SINCERE_DPRK = ("dove", "reciprocator", "verifier")
INTENT_DPRK = SINCERE_DPRK + ("trapper",)
SELF_PLAY = ("reciprocator", "verifier")
OUTCOMES = ("settlement", "peace", "crisis", "plain")
Z = 1.96


class Job(NamedTuple):
    """One match to play: its group, bots, variant and repetition (the key results are sorted by)."""

    group: str     # 'field', 'first', 'intent', 'search'
    us: str
    dprk: str
    variant: str   # 'base', 'swap' (turn order swapped), 'sincere' or 'trap' (intent card forced)
    rep: int


# ---------------------------------------------------------------- the worker side

_W: dict[str, Any] = {}


def swapped(scenario):
    """The scenario with the sides' turn order swapped (who moves first in odd rounds)."""
    from game.scenario import parse_scenario

    data = scenario.model_dump()
    for side in data["sides"]:
        side["first_in"] = "even" if side["first_in"] == "odd" else "odd"
    return parse_scenario(data, f"{scenario.id} (turn order swapped)")


def intent_cards(scenario) -> tuple[str, int, str, str]:
    """(DPRK side id, position of the intent deck among its decks, sincere card id, trap card id).

    The intent deck is the second side's deck holding a card with an exploit
    bonus (the trap); the sincere card is that deck's first other card.
    """
    from game.engine import tables

    T = tables(scenario)
    side = T.sides[1]
    for k, deck in enumerate(T.decks_of[side]):
        trap = [c.id for c in deck.cards if c.exploit_bonus > 0]
        other = [c.id for c in deck.cards if c.exploit_bonus <= 0]
        if trap and other:
            return side, k, other[0], trap[0]
    raise ValueError(f"scenario {scenario.id!r}: no intent deck (a card with an exploit bonus) for {side}")


def motive_position(scenario) -> int:
    """Position of the DPRK's motive deck among its decks: its first deck that is not the intent deck."""
    from game.engine import tables

    T = tables(scenario)
    _, k, _, _ = intent_cards(scenario)
    return next(i for i in range(len(T.decks_of[T.sides[1]])) if i != k)


def _init(scenario_path: str, base_seed: int, niceness: int = 10) -> None:
    if niceness:
        try:
            os.nice(niceness)
        except (OSError, AttributeError):
            pass
    from game.scenario import default_scenario, load_scenario

    sc = load_scenario(Path(scenario_path)) if scenario_path else default_scenario()
    _W.update(scenario=sc, swapped=swapped(sc), base_seed=base_seed)


def play(job: Job) -> dict[str, Any]:
    """Play one match (in a worker) and return what the checks need of it."""
    from game.bots import make_bot
    from game.engine import new_game, score_breakdown, tables
    from game.match import play_match
    from game.tournament.schedule import match_seed

    sc = _W["swapped"] if job.variant == "swap" else _W["scenario"]
    seed = match_seed(_W["base_seed"], job.rep)
    T = tables(sc)
    start = new_game(sc, seed)
    dprk = T.sides[1]
    di = T.sides.index(dprk)
    if job.variant in ("sincere", "trap"):
        _, k, sincere, trap = intent_cards(sc)
        cards = list(start.agendas[di])
        cards[k] = sincere if job.variant == "sincere" else trap
        agendas = list(start.agendas)
        agendas[di] = tuple(cards)
        start = start.clone()
        start.agendas = tuple(agendas)
    players = {T.sides[0]: make_bot(job.us), dprk: make_bot(job.dprk)}
    r = play_match(sc, seed, players, start=start)
    if r.forfeit is not None:
        raise RuntimeError(f"{job}: forfeit {r.forfeit}")
    final = r.final
    hot = sc.tension.spike_halving_channel
    happenings = list(start.happened) + list(r.happenings)
    opened = [h.round for h in happenings if h.kind == "channel_opened" and h.data.get("channel") == hot]
    names = {it.name: it.id for it in sc.items}
    received = {}
    for label, pts in score_breakdown(final, dprk):
        if label.startswith("received ") and label[9:] in names:
            received[names[label[9:]]] = pts
    _, ik, _, _ = intent_cards(sc)
    return {
        "key": tuple(job), "us_score": r.scores[T.sides[0]], "dprk_score": r.scores[dprk], "outcome": r.outcome,
        "round": final.round, "hot6": bool(opened) and min(opened) <= 6,
        "motive": final.agendas[di][motive_position(sc)], "intent": final.agendas[di][ik], "received": received,
    }


# ---------------------------------------------------------------- statistics

class Est(NamedTuple):
    """An estimate with its 95% interval."""

    value: float
    low: float
    high: float
    n: int

    def fmt(self, digits: int = 2, pct: bool = False) -> str:
        """'v [lo, hi]' (as percentages when pct)."""
        if pct:
            return f"{100 * self.value:.1f}% [{100 * self.low:.1f}, {100 * self.high:.1f}]"
        return f"{self.value:.{digits}f} [{self.low:.{digits}f}, {self.high:.{digits}f}]"


def fmean(xs: list[float]) -> float:
    """The mean, or NaN for no data."""
    return statistics.fmean(xs) if xs else float("nan")


def safe(name: str) -> str:
    """A bot spec made fit for a `name: value` line ('ismcts:iterations=8' -> 'ismcts_iterations_8')."""
    return "".join(ch if ch.isalnum() else "_" for ch in name)


def mean_ci(xs: list[float]) -> Est:
    """Mean with a normal-approximation 95% interval."""
    n = len(xs)
    if n == 0:
        return Est(float("nan"), float("nan"), float("nan"), 0)
    m = fmean(xs)
    h = Z * statistics.stdev(xs) / math.sqrt(n) if n > 1 else float("inf")
    return Est(m, m - h, m + h, n)


def wilson(k: int, n: int) -> Est:
    """A rate k/n with its Wilson 95% interval."""
    if n == 0:
        return Est(float("nan"), float("nan"), float("nan"), 0)
    p = k / n
    d = 1 + Z * Z / n
    c = (p + Z * Z / (2 * n)) / d
    h = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / d
    return Est(p, max(0.0, c - h), min(1.0, c + h), n)


def mh_risk_difference(strata: Iterable[tuple[int, int, int, int]]) -> Est:
    """Mantel-Haenszel risk difference p0 - p1 over strata (k0, n0, k1, n1), with a 95% interval.

    Strata where either group is empty carry no information and are skipped.
    The variance is the weighted sum of the strata's binomial variances
    (weights n0*n1/(n0+n1)).
    """
    num = den = var = 0.0
    n_all = 0
    for k0, n0, k1, n1 in strata:
        if n0 == 0 or n1 == 0:
            continue
        w = n0 * n1 / (n0 + n1)
        p0, p1 = k0 / n0, k1 / n1
        num += w * (p0 - p1)
        den += w
        var += w * w * (p0 * (1 - p0) / n0 + p1 * (1 - p1) / n1)
        n_all += n0 + n1
    if den == 0:
        return Est(float("nan"), float("nan"), float("nan"), 0)
    rd = num / den
    h = Z * math.sqrt(var) / den
    return Est(rd, rd - h, rd + h, n_all)


# ---------------------------------------------------------------- the checks

class Check(NamedTuple):
    """One check's row: number, name, measured figures and verdict, plus `name: value` lines."""

    number: int
    name: str
    figures: list[str]
    passed: bool
    lines: list[tuple[str, str]]


def _index(rows: list[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    return {r["key"]: r for r in rows}


def check1(ix, reps: int) -> Check:
    """Engagement pays: passive below reciprocator and verifier in each role, against the field."""
    figs, lines, ok = [], [], True
    for role in ("us", "dprk"):
        for better in ("reciprocator", "verifier"):
            diffs = []
            for opp in FIELD:
                for r in range(reps):
                    if role == "us":
                        a, b = ix[("field", better, opp, "base", r)], ix[("field", "passive", opp, "base", r)]
                    else:
                        a, b = ix[("field", opp, better, "base", r)], ix[("field", opp, "passive", "base", r)]
                    diffs.append(a[f"{role}_score"] - b[f"{role}_score"])
            e = mean_ci(diffs)
            ok &= e.low > 0
            figs.append(f"{role.upper()} {better} - passive {e.fmt()}")
            lines.append((f"c1_{role}_{better}_minus_passive", f"{e.value:.2f}"))
    return Check(1, "engagement pays", figs, ok, lines)


def check2(ix, reps: int) -> Check:
    """The trap is real: DPRK trapper scores more against US dove than against US verifier."""
    dove = [ix[("field", "dove", "trapper", "base", r)]["dprk_score"] for r in range(reps)]
    ver = [ix[("field", "verifier", "trapper", "base", r)]["dprk_score"] for r in range(reps)]
    e = mean_ci([a - b for a, b in zip(dove, ver)])
    figs = [f"trapper vs dove {fmean(dove):.2f}, vs verifier {fmean(ver):.2f}",
            f"difference {e.fmt()}"]
    return Check(2, "the trap is real", figs, e.low > 0, [("c2_trapper_dove_minus_verifier", f"{e.value:.2f}")])


def check3(ix, reps: int) -> Check:
    """Verification is the counter: US verifier scores more against the trapper than US dove."""
    ver = [ix[("field", "verifier", "trapper", "base", r)]["us_score"] for r in range(reps)]
    dove = [ix[("field", "dove", "trapper", "base", r)]["us_score"] for r in range(reps)]
    e = mean_ci([a - b for a, b in zip(ver, dove)])
    figs = [f"US verifier {fmean(ver):.2f}, US dove {fmean(dove):.2f} vs trapper",
            f"difference {e.fmt()}"]
    return Check(3, "verification is the counter", figs, e.low > 0, [("c3_verifier_minus_dove", f"{e.value:.2f}")])


def check4(ix, reps: int, sincere: str) -> Check:
    """Pressure alone forgoes gains: US hawk below US reciprocator against sincere DPRK play."""
    diffs, hawk, rec = [], [], []
    for opp in SINCERE_DPRK:
        for r in range(reps):
            h = ix[("field", "hawk", opp, "base", r)]
            if h["intent"] != sincere:
                continue
            c = ix[("field", "reciprocator", opp, "base", r)]
            hawk.append(h["us_score"])
            rec.append(c["us_score"])
            diffs.append(c["us_score"] - h["us_score"])
    e = mean_ci(diffs)
    figs = [f"US reciprocator {fmean(rec):.2f}, US hawk {fmean(hawk):.2f} "
            f"({len(diffs)} matches, sincere card, DPRK {'/'.join(SINCERE_DPRK)})", f"difference {e.fmt()}"]
    return Check(4, "pressure alone forgoes gains", figs, e.low > 0,
                 [("c4_reciprocator_minus_hawk", f"{e.value:.2f}"), ("c4_hawk_us_mean", f"{fmean(hawk):.2f}")])


def check5(rows: list[dict[str, Any]]) -> Check:
    """Channels defuse spikes: crisis rates in rounds 7-12 with and without the hotline open by round 6."""
    strata: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    tot = [0, 0, 0, 0]
    raw = [0, 0, 0, 0]
    for r in rows:
        if r["key"][0] != "field":
            continue
        crisis = r["outcome"] == "crisis"
        j = 2 if r["hot6"] else 0
        raw[j] += crisis
        raw[j + 1] += 1
        if r["round"] < 7:
            continue
        s = strata[r["key"][1:3]]
        s[j] += crisis
        s[j + 1] += 1
        tot[j] += crisis
        tot[j + 1] += 1
    rd = mh_risk_difference(tuple(v) for _, v in sorted(strata.items()))
    closed, opened = wilson(tot[0], tot[1]), wilson(tot[2], tot[3])
    ok = rd.low > 0 and opened.value <= 2 / 3 * closed.value
    figs = [f"alive at round 7: crisis {opened.fmt(pct=True)} with hotline (n={opened.n}), "
            f"{closed.fmt(pct=True)} without (n={closed.n})",
            f"difference (stratified by pairing) {100 * rd.value:.1f} points [{100 * rd.low:.1f}, {100 * rd.high:.1f}]",
            f"all matches: {raw[2] / max(raw[3], 1):.1%} with, {raw[0] / max(raw[1], 1):.1%} without"]
    lines = [("c5_crisis_with_hotline", f"{opened.value:.3f}"), ("c5_crisis_without_hotline", f"{closed.value:.3f}"),
             ("c5_risk_difference", f"{rd.value:.3f}")]
    return Check(5, "channels defuse spikes", figs, ok, lines)


def check6(ix, reps: int, search: str, search_reps: int) -> Check:
    """The roles are balanced (self-play) and moving first is worth little."""
    figs, lines, ok = [], [], True
    for bot, group, n in [(b, "field", reps) for b in SELF_PLAY] + [(search, "search", search_reps)]:
        rs = [ix[(group, bot, bot, "base", r)] for r in range(n)]
        if not rs:
            continue
        us = [x["us_score"] for x in rs]
        dp = [x["dprk_score"] for x in rs]
        spread = statistics.stdev(us + dp) if len(rs) > 1 else float("nan")
        e = mean_ci([a - b for a, b in zip(us, dp)])
        good = abs(e.value) < 0.1 * spread
        ok &= good
        figs.append(f"{bot}: US - DPRK {e.fmt()}, spread {spread:.2f} (limit {0.1 * spread:.2f})")
        lines += [(f"c6_{safe(bot)}_us_minus_dprk", f"{e.value:.2f}"), (f"c6_{safe(bot)}_spread", f"{spread:.2f}")]
        if group == "field":
            worth = []
            for r in range(n):
                base, sw = ix[("field", bot, bot, "base", r)], ix[("first", bot, bot, "swap", r)]
                worth.append(((base["us_score"] - sw["us_score"]) + (sw["dprk_score"] - base["dprk_score"])) / 2)
            w = mean_ci(worth)
            ok &= abs(w.value) < 0.1 * spread
            figs.append(f"{bot}: moving first is worth {w.fmt()}")
            lines.append((f"c6_{bot}_first_move_worth", f"{w.value:.2f}"))
    return Check(6, "the roles are balanced", figs, ok, lines)


def check7(rows: list[dict[str, Any]]) -> Check:
    """Every outcome happens across the field (at least 5% each)."""
    field = [r for r in rows if r["key"][0] == "field"]
    figs, lines, ok = [], [], True
    for o in OUTCOMES:
        e = wilson(sum(r["outcome"] == o for r in field), len(field))
        ok &= e.value >= 0.05
        figs.append(f"{o} {e.fmt(pct=True)}")
        lines.append((f"c7_{o}_rate", f"{e.value:.3f}"))
    return Check(7, "every outcome happens", figs, ok, lines)


def check8(rows: list[dict[str, Any]], ix, reps: int, search: str, sincere: str, trap: str) -> Check:
    """Motives matter (top items per motive for the search bot as the DPRK); the trap card pays only for trap play."""
    figs, lines = [], []
    by_motive: dict[str, list[dict[str, float]]] = defaultdict(list)
    for r in rows:
        if r["key"][0] == "search" and r["key"][2] == search:
            by_motive[r["motive"]].append(r["received"])
    tops = []
    for motive in sorted(by_motive):
        got = by_motive[motive]
        items = sorted({i for g in got for i in g})
        means = sorted(((fmean([g.get(i, 0.0) for g in got]), i) for i in items), reverse=True)[:3]
        if means:
            tops.append(means[0][1])
        figs.append(f"{motive} (n={len(got)}): " + ", ".join(f"{i} {m:.2f}" for m, i in means))
        lines.append((f"c8_top_{motive}", ",".join(i for _, i in means) or "none"))
    distinct = len(set(tops))
    ok_motive = distinct >= 3
    figs.append(f"{distinct} different top items across {len(by_motive)} motives (need 3)")
    ok_trap = True
    gains: dict[str, list[float]] = defaultdict(list)
    for bot in INTENT_DPRK:
        for opp in FIELD:
            for r in range(reps):
                t = ix[("intent", opp, bot, "trap", r)]["dprk_score"]
                s = ix[("intent", opp, bot, "sincere", r)]["dprk_score"]
                gains[bot].append(t - s)
    sincere_all = mean_ci([g for b in SINCERE_DPRK for g in gains[b]])
    trapper = mean_ci(gains["trapper"])
    ok_trap = sincere_all.low <= 0 and trapper.low > 0
    figs.append(f"trap card minus sincere card: sincere play {sincere_all.fmt()} ("
                + ", ".join(f"{b} {fmean(gains[b]):.2f}" for b in SINCERE_DPRK)
                + f"), trapper {trapper.fmt()}")
    lines += [("c8_distinct_top_items", str(distinct)), ("c8_trap_card_gain_sincere_play", f"{sincere_all.value:.2f}"),
              ("c8_trap_card_gain_trapper", f"{trapper.value:.2f}")]
    lines += [(f"c8_trap_card_gain_{b}", f"{fmean(gains[b]):.2f}") for b in SINCERE_DPRK]
    return Check(8, "hidden motives matter", figs, ok_motive and ok_trap, lines)


def check9(ix, reps: int) -> Check:
    """Random play is not doom: random vs random ends in crisis in 20-50% of matches."""
    rs = [ix[("field", "random", "random", "base", r)] for r in range(reps)]
    e = wilson(sum(x["outcome"] == "crisis" for x in rs), len(rs))
    return Check(9, "random play is not doom", [f"crisis {e.fmt(pct=True)} (need 20-50%)"],
                 0.2 <= e.value <= 0.5, [("c9_random_crisis_rate", f"{e.value:.3f}")])


# ---------------------------------------------------------------- the run

def jobs_for(reps: int, search: str, search_self: int, search_field: int) -> list[Job]:
    """Every match the checks need, slow (search) matches first."""
    jobs = [Job("search", search, search, "base", r) for r in range(search_self)]
    jobs += [Job("search", us, search, "base", r) for r in range(search_field) for us in FIELD]
    jobs += [Job("field", us, dp, "base", r) for us in FIELD for dp in FIELD for r in range(reps)]
    jobs += [Job("first", b, b, "swap", r) for b in SELF_PLAY for r in range(reps)]
    jobs += [Job("intent", us, dp, v, r) for us in FIELD for dp in INTENT_DPRK for v in ("sincere", "trap")
             for r in range(reps)]
    return jobs


def run(jobs: list[Job], workers: int, scenario: str, seed: int, progress: bool = True,
        niceness: int = 10) -> list[dict[str, Any]]:
    """Play the jobs in a spawn pool (workers niced by `niceness`) and return their results sorted by key."""
    out: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init, initargs=(scenario, seed, niceness)) as pool:
        for n, res in enumerate(pool.imap_unordered(play, jobs, chunksize=8)):
            out.append(res)
            if progress and (n + 1) % 2000 == 0:
                print(f"... {n + 1}/{len(jobs)} matches, {time.perf_counter() - t0:.0f} s", file=sys.stderr,
                      flush=True)
    out.sort(key=lambda r: r["key"])
    return out


def checks(rows: list[dict[str, Any]], reps: int, search: str, search_self: int, scenario) -> list[Check]:
    """Compute the nine checks from the sorted match results."""
    ix = _index(rows)
    _, _, sincere, trap = intent_cards(scenario)
    return [check1(ix, reps), check2(ix, reps), check3(ix, reps), check4(ix, reps, sincere), check5(rows),
            check6(ix, reps, search, search_self), check7(rows), check8(rows, ix, reps, search, sincere, trap),
            check9(ix, reps)]


def table(results: list[Check]) -> str:
    """The checks as a markdown table."""
    out = ["| # | check | measured (95% CI) | result |", "|---|---|---|---|"]
    for c in results:
        out.append(f"| {c.number} | {c.name} | {'<br>'.join(c.figures)} | {'PASS' if c.passed else 'FAIL'} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run the balance checks and print the table and figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=None, help="seeds per pairing of the cheap bots (default 500)")
    ap.add_argument("--search-self", type=int, default=None, help="seeds of the search bot's self-play (default 500)")
    ap.add_argument("--search-field", type=int, default=None,
                    help="seeds of the search bot (DPRK) against each field bot (default 20)")
    ap.add_argument("--search", default="ismcts", help="the search bot's spec (default: ismcts at its default budget)")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--seed", type=int, default=2018, help="base seed (default 2018)")
    ap.add_argument("--scenario", default="", help="scenario file (default: rules/summit_2018.toml)")
    ap.add_argument("--quick", action="store_true", help="60 seeds, 20 search self-play, 4 search vs each field bot")
    # The workers yield to interactive work by default; a test on a busy machine passes 0 so they are not starved.
    ap.add_argument("--nice", type=int, default=10, help="niceness added to each worker process (default 10)")
    ap.add_argument("--rows", default="", help="also write every match's figures to this JSON-lines file")
    args = ap.parse_args(argv)
    quick = (60, 20, 4) if args.quick else (500, 500, 20)
    reps = args.seeds if args.seeds is not None else quick[0]
    s_self = args.search_self if args.search_self is not None else quick[1]
    s_field = args.search_field if args.search_field is not None else quick[2]
    for name, v in (("--seeds", reps), ("--search-self", s_self), ("--search-field", s_field)):
        if v < (2 if name == "--seeds" else 0):
            print(f"balance: {name} must be at least {2 if name == '--seeds' else 0}, not {v}", file=sys.stderr)
            return 2
    if args.nice < 0:
        print(f"balance: --nice must be at least 0, not {args.nice}", file=sys.stderr)
        return 2
    if args.workers < 1:
        print(f"balance: --workers must be at least 1, not {args.workers}", file=sys.stderr)
        return 2
    from game.bots import BotSpecError, make_bot
    from game.scenario import ScenarioError, default_scenario, load_scenario

    try:
        scenario = load_scenario(Path(args.scenario)) if args.scenario else default_scenario()
        intent_cards(scenario)
        make_bot(args.search)
    except (ScenarioError, BotSpecError, ValueError, OSError) as err:
        print(f"balance: {err}", file=sys.stderr)
        return 2
    jobs = jobs_for(reps, args.search, s_self, s_field)
    t0 = time.perf_counter()
    rows = run(jobs, args.workers, args.scenario, args.seed, niceness=args.nice)
    wall = time.perf_counter() - t0
    if args.rows:
        with Path(args.rows).open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    results = checks(rows, reps, args.search, s_self, scenario)
    print(f"scenario {scenario.id}; {len(jobs)} matches: {reps} seeds per pairing of the field "
          f"({', '.join(FIELD)}), {args.search} self-play on {s_self} seeds and as the DPRK against each field bot "
          f"on {s_field} seeds; {wall:.0f} s with {args.workers} worker(s) on "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    print()
    print(table(results))
    print()
    for c in results:
        for name, value in c.lines:
            print(f"{name}: {value}")
    for c in results:
        print(f"check{c.number}: {'PASS' if c.passed else 'FAIL'}")
    print(f"checks_passed: {sum(c.passed for c in results)}")
    print(f"matches: {len(jobs)}")
    print(f"seconds: {wall:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
