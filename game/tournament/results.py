"""Summaries of a tournament, computed from its match log in the canonical match order.

Everything here depends only on the set of logged matches, never on the
order they finished in or the number of workers: rows are sorted by match key
before anything is added up, and ratings are updated in that order too.
Timing (how long matches took) is kept apart under "timing".
"""

from __future__ import annotations

import math
import statistics
from datetime import datetime, timezone
from typing import Any, NamedTuple

from game.tournament.runner import key_of, load_settings, read_log
from game.tournament.schedule import MatchKey, match_count, pairings

OUTCOMES = ("settlement", "peace", "plain", "crisis", "forfeit", "error", "unfinished")
Z95 = 1.959963984540054


class Row(NamedTuple):
    """The few numbers of one match that the summaries need (kept small: memory stays flat)."""

    key: MatchKey
    outcome: str
    score: tuple[float, float]        # tournament scores, first side then second
    broken: tuple[int, int]
    exposed: tuple[int, int]
    forfeit_side: int                 # -1, 0 or 1
    forfeit_kind: str
    seconds: float


def load_rows(out, settings: dict[str, Any], sides: list[str],
              matches: list[dict[str, Any]] | None = None) -> list[Row]:
    """Read the log (or the summaries `logged_matches` read from it) into compact rows, sorted by match key, the
    first copy of any duplicate kept."""
    index = {n: i for i, n in enumerate(settings["names"])}
    rows: dict[MatchKey, Row] = {}
    for r in (read_log(out) if matches is None else matches):
        key = key_of(r, index, sides)
        if key in rows:
            continue
        f = r.get("forfeit")
        rows[key] = Row(key, str(r["outcome"]),
                        (float(r["scores"][sides[0]]), float(r["scores"][sides[1]])),
                        (int(r["broken"][sides[0]]), int(r["broken"][sides[1]])),
                        (int(r["exposed"][sides[0]]), int(r["exposed"][sides[1]])),
                        sides.index(f["side"]) if f else -1, f["kind"] if f else "",
                        float(r.get("seconds", 0.0)))
    return [rows[k] for k in sorted(rows)]


def mean_ci(values: list[float]) -> tuple[float | None, float | None, float | None]:
    """Mean and a normal-approximation 95% confidence interval (None where it cannot be given)."""
    if not values:
        return None, None, None
    m = math.fsum(values) / len(values)
    if len(values) < 2:
        return _r(m), None, None
    half = Z95 * statistics.stdev(values) / math.sqrt(len(values))
    return _r(m), _r(m - half), _r(m + half)


def _r(x: float) -> float:
    return round(x, 4)


def _role_summary(rows: list[tuple[Row, int]], names: list[str]) -> dict[str, Any]:
    """Summary of one bot in one role; each item is (row, which side the bot played)."""
    played = [(r, s) for r, s in rows if r.outcome != "error"]
    scores = [r.score[s] for r, s in played]
    mean, lo, hi = mean_ci(scores)
    wins = sum(1 for r, s in played if r.score[s] > r.score[1 - s])
    losses = sum(1 for r, s in played if r.score[s] < r.score[1 - s])
    n = len(played)
    outcomes = {o: 0 for o in OUTCOMES if o != "error"}
    for r, _ in played:
        outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
    forfeits: dict[str, int] = {}
    forfeits_against = 0
    for r, s in played:
        if r.forfeit_side == s:
            forfeits[r.forfeit_kind] = forfeits.get(r.forfeit_kind, 0) + 1
        elif r.forfeit_side == 1 - s:
            forfeits_against += 1
    return {
        "matches": n,
        "errors": len(rows) - n,
        "mean": mean, "ci_low": lo, "ci_high": hi,
        "sd": _r(statistics.stdev(scores)) if n > 1 else None,
        "wins": wins, "losses": losses, "draws": n - wins - losses,
        "rates": {o: _r(c / n) if n else None for o, c in sorted(outcomes.items())},
        "broken_per_match": _r(sum(r.broken[s] for r, s in played) / n) if n else None,
        "exposed_per_match": _r(sum(r.exposed[s] for r, s in played) / n) if n else None,
        "forfeits": dict(sorted(forfeits.items())),
        "opponent_forfeits": forfeits_against,
    }


def ratings(rows: list[Row], names: list[str]) -> dict[str, dict[str, float]]:
    """OpenSkill (Plackett-Luce) ratings from every non-self-play match, processed in the canonical order."""
    from openskill.models import PlackettLuce

    model = PlackettLuce()
    rating = {n: model.rating(name=n) for n in names}
    for r in rows:
        if r.outcome == "error" or r.key.first == r.key.second:
            continue
        a, b = names[r.key.first], names[r.key.second]
        sa, sb = r.score
        ranks = [1, 1] if sa == sb else ([1, 2] if sa > sb else [2, 1])
        [[rating[a]], [rating[b]]] = model.rate([[rating[a]], [rating[b]]], ranks=ranks)
    return {n: {"mu": _r(rt.mu), "sigma": _r(rt.sigma), "ordinal": _r(rt.ordinal())} for n, rt in rating.items()}


RANKING_RULE = ("by mean tournament score over both roles; a bot whose mean lies inside the 95% interval of the "
                "first bot of its group shares that bot's rank (a tie: the seeds cannot tell them apart)")


def rank_by_mean(bots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranking: bots by mean score over both roles (highest first), with ties where the seeds cannot tell.

    Walking down the order, a bot whose mean lies inside the 95% interval of the bot that heads the current
    group shares that bot's rank (competition ranking: 1, 1, 3); otherwise it starts a new group. Comparing
    with the group's head, not the previous bot, keeps a long chain of close bots from all tying.
    """
    order = sorted(bots, key=lambda b: (b["overall"]["mean"] is None, -(b["overall"]["mean"] or 0.0), b["name"]))
    ranked: list[dict[str, Any]] = []
    head: dict[str, Any] | None = None
    head_rank = 0
    for place, bot in enumerate(order, 1):
        o = bot["overall"]
        tied = (head is not None and o["mean"] is not None and head["ci_low"] is not None
                and head["ci_low"] <= o["mean"] <= head["ci_high"])
        if not tied:
            head, head_rank = o, place
        ranked.append({"name": bot["name"], "rank": head_rank, "mean": o["mean"], "ci_low": o["ci_low"],
                       "ci_high": o["ci_high"], "tied": False})
    for r in ranked:
        r["tied"] = sum(1 for q in ranked if q["rank"] == r["rank"]) > 1
    return ranked


def summarise(out, matches: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The full results of a tournament folder as plain data (what results.json holds); `matches`, if given, is
    its log as `logged_matches` read it (a big log is then read once)."""
    from game.scenario import parse_scenario

    settings = load_settings(out)
    scenario = parse_scenario(settings["scenario"], "<tournament scenario>")
    sides = list(scenario.side_ids)
    names = list(settings["names"])
    rows = load_rows(out, settings, sides, matches)
    n_bots = len(names)
    by_role: dict[tuple[int, int], list[tuple[Row, int]]] = {(i, s): [] for i in range(n_bots) for s in (0, 1)}
    pair_diffs: dict[tuple[int, int], list[float]] = {}
    outcome_totals = {o: 0 for o in OUTCOMES}
    for r in rows:
        by_role[(r.key.first, 0)].append((r, 0))
        by_role[(r.key.second, 1)].append((r, 1))
        outcome_totals[r.outcome] = outcome_totals.get(r.outcome, 0) + 1
        if r.outcome != "error" and r.key.first != r.key.second:
            d = r.score[0] - r.score[1]
            pair_diffs.setdefault((r.key.first, r.key.second), []).append(d)
            pair_diffs.setdefault((r.key.second, r.key.first), []).append(-d)
    bots = []
    rated = ratings(rows, names)
    ranked: list[dict[str, Any]] = []
    for i, name in enumerate(names):
        roles = {sides[s]: _role_summary(by_role[(i, s)], names) for s in (0, 1)}
        all_scores = [r.score[s] for s in (0, 1) for r, _ in by_role[(i, s)] if r.outcome != "error"]
        mean, lo, hi = mean_ci(all_scores)
        totals = {k: sum(role[k] for role in roles.values()) for k in ("wins", "losses", "draws")}
        forfeited = sum(sum(role["forfeits"].values()) for role in roles.values())
        bots.append({"name": name, "spec": settings["bots"][i], "roles": roles,
                     "overall": {"matches": len(all_scores), "mean": mean, "ci_low": lo, "ci_high": hi,
                                 **totals, "forfeits": forfeited},
                     "rating": rated[name]})
    ranked.extend(rank_by_mean(bots))
    matrix = [[(_r(math.fsum(pair_diffs[(a, b)]) / len(pair_diffs[(a, b)])) if pair_diffs.get((a, b)) else None)
               for b in range(n_bots)] for a in range(n_bots)]
    total = match_count(n_bots, settings["repetitions"], settings["self_play"])
    forfeits = sum(1 for r in rows if r.forfeit_side >= 0)
    return {
        "format": 1,
        "tournament": {"bots": names, "specs": settings["bots"], "repetitions": settings["repetitions"],
                       "seed": settings["seed"], "self_play": settings["self_play"], "sides": sides,
                       "side_names": {sd.id: sd.name for sd in scenario.sides},
                       "scenario": scenario.id, "scenario_hash": settings["scenario_hash"],
                       "pairings": len(pairings(n_bots, settings["self_play"])), "matches": total,
                       "played": len(rows), "complete": len(rows) == total},
        "scoring": {"ranking": RANKING_RULE,
                    "win": "a higher tournament score than the opponent in that match",
                    "forfeit": f"the forfeiting side scores {scenario.outcomes.crisis:g} (the crisis penalty); "
                               "the other side keeps its board score at that moment, or 0 if that was negative"},
        "outcomes": {o: c for o, c in outcome_totals.items() if c or o not in ("error", "unfinished")},
        "forfeits": forfeits,
        "bots": bots,
        "pairwise": {"rows": names, "columns": names,
                     "description": "mean of (row's score - column's score) over their matches in both roles",
                     "mean_difference": matrix},
        "ranking": [r["name"] for r in ranked],
        "ranks": ranked,
        "rating_ranking": sorted(names, key=lambda n: (-rated[n]["ordinal"], n)),
        "timing": {"summarised_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                   "match_seconds_total": round(math.fsum(r.seconds for r in rows), 3),
                   "match_seconds_mean": round(math.fsum(r.seconds for r in rows) / len(rows), 6) if rows else None},
    }


def score_samples(out, matches: list[dict[str, Any]] | None = None) -> dict[tuple[str, str], list[float]]:
    """Every tournament score of each (bot, side), in canonical order (for the distribution chart); `matches` as
    for `summarise`."""
    from game.scenario import parse_scenario

    settings = load_settings(out)
    sides = list(parse_scenario(settings["scenario"], "<tournament scenario>").side_ids)
    names = settings["names"]
    samples: dict[tuple[str, str], list[float]] = {(n, s): [] for n in names for s in sides}
    for r in load_rows(out, settings, sides, matches):
        if r.outcome == "error":
            continue
        samples[(names[r.key.first], sides[0])].append(r.score[0])
        samples[(names[r.key.second], sides[1])].append(r.score[1])
    return samples


def logged_matches(out) -> list[dict[str, Any]]:
    """Every logged match summary (the first copy of any duplicate), in canonical match order (for the report)."""
    from game.scenario import parse_scenario

    settings = load_settings(out)
    sides = list(parse_scenario(settings["scenario"], "<tournament scenario>").side_ids)
    index = {n: i for i, n in enumerate(settings["names"])}
    rows: dict[MatchKey, dict[str, Any]] = {}
    for r in read_log(out):
        rows.setdefault(key_of(r, index, sides), r)
    return [rows[k] for k in sorted(rows)]
