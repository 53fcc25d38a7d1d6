"""Reports of a tournament: results.json, results.csv, the terminal table and the PNG charts."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any


def write_json(results: dict[str, Any], out: Path) -> Path:
    """Write results.json (atomically: a temporary file, then replace)."""
    path = out / "results.json"
    tmp = out / "results.json.tmp"
    tmp.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


CSV_FIELDS = ["rank", "bot", "role", "matches", "mean", "ci_low", "ci_high", "sd", "wins", "losses", "draws",
              "settlement", "peace", "plain", "crisis", "forfeit", "broken_per_match", "exposed_per_match",
              "forfeits", "opponent_forfeits", "rating_mu", "rating_sigma", "rating_ordinal"]


def write_csv(results: dict[str, Any], out: Path) -> Path:
    """Write results.csv: one row per bot and role, in ranking order ('=2': a rank shared by a tie)."""
    path = out / "results.csv"
    by_name = {b["name"]: b for b in results["bots"]}
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        w.writeheader()
        for entry in results["ranks"]:
            bot = by_name[entry["name"]]
            for role, s in bot["roles"].items():
                rates = s["rates"]
                w.writerow({
                    "rank": rank_text(entry), "bot": bot["name"], "role": role, "matches": s["matches"], "mean": s["mean"],
                    "ci_low": s["ci_low"], "ci_high": s["ci_high"], "sd": s["sd"],
                    "wins": s["wins"], "losses": s["losses"], "draws": s["draws"],
                    **{o: rates.get(o) for o in ("settlement", "peace", "plain", "crisis", "forfeit")},
                    "broken_per_match": s["broken_per_match"], "exposed_per_match": s["exposed_per_match"],
                    "forfeits": ";".join(f"{k}={v}" for k, v in s["forfeits"].items()),
                    "opponent_forfeits": s["opponent_forfeits"],
                    "rating_mu": bot["rating"]["mu"], "rating_sigma": bot["rating"]["sigma"],
                    "rating_ordinal": bot["rating"]["ordinal"]})
    return path


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def _num(x: float | None, fmt: str = "{:.2f}") -> str:
    return "-" if x is None else fmt.format(x)


def rank_text(entry: dict[str, Any]) -> str:
    """'3' or '=3' (shared with another bot) for a ranking entry."""
    return ("=" if entry["tied"] else "") + str(entry["rank"])


def side_label(results: dict[str, Any], side: str) -> str:
    """A side's name for charts and tables ('United States'), or its id in capitals for older results."""
    return results["tournament"].get("side_names", {}).get(side, side.upper())


def print_table(results: dict[str, Any], console=None) -> None:
    """Print the ranking, the per-bot-and-role table and the pairwise matrix to the terminal."""
    from rich.console import Console
    from rich.table import Table

    if console is None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=150)  # a file or pipe gets the whole table, not an 80-column squeeze
    t = results["tournament"]
    sides = t["sides"]
    by_name = {b["name"]: b for b in results["bots"]}
    ranking = Table(title=f"Ranking by mean score over both roles: {len(t['bots'])} bots, {t['repetitions']} seeds "
                          f"per pairing, {t['played']} of {t['matches']} matches (seed {t['seed']})",
                    caption="= a tie: the bot's mean is inside the 95% interval of the bot it shares the rank with")
    for col in ("#", "bot", "mean [95% CI]", *(f"as {s}" for s in sides), "W-L-D", "forfeits", "OpenSkill"):
        ranking.add_column(col, justify="left" if col == "bot" else "right")
    for entry in results["ranks"]:
        b = by_name[entry["name"]]
        o = b["overall"]
        ci = f" [{o['ci_low']:.2f}, {o['ci_high']:.2f}]" if o["ci_low"] is not None else ""
        ranking.add_row(rank_text(entry), b["name"], _num(o["mean"]) + ci, *(_num(b["roles"][s]["mean"]) for s in sides),
                        f"{o['wins']}-{o['losses']}-{o['draws']}", str(o["forfeits"] or "-"),
                        _num(b["rating"]["ordinal"]))
    console.print(ranking)
    table = Table(title="Each bot in each role")
    for col, just in (("bot", "left"), ("role", "left"), ("n", "right"), ("mean [95% CI]", "right"),
                      ("W-L-D", "right"), ("settle", "right"), ("peace", "right"), ("crisis", "right"),
                      ("broken", "right"), ("caught", "right"), ("forfeits", "left")):
        table.add_column(col, justify=just)
    for name in results["ranking"]:
        bot = by_name[name]
        for role, s in bot["roles"].items():
            ci = f" [{s['ci_low']:.2f}, {s['ci_high']:.2f}]" if s["ci_low"] is not None else ""
            forfeits = ", ".join(f"{k} {v}" for k, v in s["forfeits"].items()) or "-"
            table.add_row(bot["name"], role, str(s["matches"]), _num(s["mean"]) + ci,
                          f"{s['wins']}-{s['losses']}-{s['draws']}", _pct(s["rates"].get("settlement")),
                          _pct(s["rates"].get("peace")), _pct(s["rates"].get("crisis")),
                          _num(s["broken_per_match"]), _num(s["exposed_per_match"]), forfeits)
        table.add_section()
    console.print(table)
    pw = results["pairwise"]
    at = {n: i for i, n in enumerate(pw["rows"])}
    matrix = Table(title="How many points more this bot (row) scored than its opponent (column), per match, "
                         "both roles")
    matrix.add_column("")
    for name in results["ranking"]:
        matrix.add_column(name, justify="right")
    for name in results["ranking"]:
        matrix.add_row(name, *[_num(pw["mean_difference"][at[name]][at[b]], "{:+.2f}") for b in results["ranking"]])
    console.print(matrix)
    oc = results["outcomes"]
    console.print("Outcomes: " + ", ".join(f"{k} {v}" for k, v in oc.items()) + f"; forfeits {results['forfeits']}")


COLORS = ["#3b6ea8", "#b5473a", "#5a9a5a", "#8a6bb0"]
CHARTS = ("means.png", "pairwise.png", "scores.png")


def write_charts(results: dict[str, Any], samples: dict[tuple[str, str], list[float]], out: Path) -> list[Path]:
    """Write means.png (mean score per bot and role with intervals), pairwise.png (the heatmap, in words) and
    scores.png (score distributions), every chart in ranking order; returns the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = [_means_chart(plt, results, out / "means.png"), _pairwise_chart(plt, results, out / "pairwise.png"),
             _scores_chart(plt, results, samples, out / "scores.png")]
    return paths


def _ranked_labels(results: dict[str, Any]) -> list[str]:
    return [f"{rank_text(e)}. {e['name']}" for e in results["ranks"]]


def _save(plt, fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _means_chart(plt, results: dict[str, Any], path: Path) -> Path:
    """Bars of each bot's mean score in each role, in ranking order, with 95% intervals."""
    names = results["ranking"]
    sides = results["tournament"]["sides"]
    by_name = {b["name"]: b for b in results["bots"]}
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(names) + 2), 4.8))
    width = 0.8 / len(sides)
    for si, side in enumerate(sides):
        roles = [by_name[n]["roles"][side] for n in names]
        means = [r["mean"] if r["mean"] is not None else float("nan") for r in roles]
        err = [[(r["mean"] - r["ci_low"]) if r["ci_low"] is not None else 0.0 for r in roles],
               [(r["ci_high"] - r["mean"]) if r["ci_high"] is not None else 0.0 for r in roles]]
        pos = [i + (si - (len(sides) - 1) / 2) * width for i in range(len(names))]
        ax.bar(pos, means, width * 0.95, yerr=err, capsize=3, color=COLORS[si % len(COLORS)], alpha=0.85,
               label=f"as {side_label(results, side)}", error_kw={"elinewidth": 1, "ecolor": "#333333"})
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(_ranked_labels(results), rotation=30, ha="right")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_ylabel("mean score per match")
    ax.set_title("Mean score per match in each role, best first (lines: 95% interval)")
    ax.legend()
    return _save(plt, fig, path)


def _pairwise_chart(plt, results: dict[str, Any], path: Path) -> Path:
    """The heatmap of score differences, rows and columns in ranking order, its colours explained in words."""
    names = results["ranking"]
    pw = results["pairwise"]
    index = {n: i for i, n in enumerate(pw["rows"])}
    m = [[pw["mean_difference"][index[a]][index[b]] for b in names] for a in names]
    vals = [[float("nan") if v is None else v for v in row] for row in m]
    finite = [abs(v) for row in m for v in row if v is not None]
    lim = max(finite) if finite and max(finite) > 0 else 1.0
    fig, ax = plt.subplots(figsize=(max(5.5, 0.8 * len(names) + 3.5), max(4.5, 0.7 * len(names) + 2.2)))
    # a bot does not meet itself (without self-play): grey, not the white of "even"
    cmap = plt.get_cmap("RdBu").with_extremes(bad="#d9d9d9")
    im = ax.imshow(vals, cmap=cmap, vmin=-lim, vmax=lim)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha="right")
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names)
    for i, row in enumerate(m):
        for j, v in enumerate(row):
            if v is not None:
                ax.text(j, i, f"{v:+.1f}", ha="center", va="center", fontsize=8,
                        color="white" if abs(v) > 0.6 * lim else "black")
    ax.set_ylabel("this bot")
    ax.set_xlabel("against this opponent")
    ax.set_title("How many points more this bot scored than its opponent,\nper match, over both roles")
    bar = fig.colorbar(im, ax=ax, shrink=0.8, ticks=[-lim, 0, lim])
    bar.ax.set_yticklabels([f"the opponent\nscored {lim:.1f} more", "even", f"this bot\nscored {lim:.1f} more"])
    return _save(plt, fig, path)


def _scores_chart(plt, results: dict[str, Any], samples: dict[tuple[str, str], list[float]], path: Path) -> Path:
    """Box plots of every score of each bot in each role, in ranking order (for the curious)."""
    names = results["ranking"]
    sides = results["tournament"]["sides"]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(names) + 2), 4.8))
    width = 0.8 / len(sides)
    for si, side in enumerate(sides):
        data = [samples.get((n, side)) or [float("nan")] for n in names]
        pos = [i + (si - (len(sides) - 1) / 2) * width for i in range(len(names))]
        bp = ax.boxplot(data, positions=pos, widths=width * 0.9, patch_artist=True, showmeans=True,
                        flierprops={"markersize": 2})
        for patch in bp["boxes"]:
            patch.set_facecolor(COLORS[si % len(COLORS)])
            patch.set_alpha(0.6)
        ax.plot([], [], color=COLORS[si % len(COLORS)], linewidth=8, alpha=0.6,
                label=f"as {side_label(results, side)}")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(_ranked_labels(results), rotation=30, ha="right")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_ylabel("score per match")
    ax.set_title("How each bot's scores spread, in each role (box: middle half; triangle: mean)")
    ax.legend()
    return _save(plt, fig, path)
