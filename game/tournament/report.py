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


CSV_FIELDS = ["bot", "role", "matches", "mean", "ci_low", "ci_high", "sd", "wins", "losses", "draws",
              "settlement", "peace", "plain", "crisis", "forfeit", "broken_per_match", "exposed_per_match",
              "forfeits", "opponent_forfeits", "rating_mu", "rating_sigma", "rating_ordinal"]


def write_csv(results: dict[str, Any], out: Path) -> Path:
    """Write results.csv: one row per bot and role."""
    path = out / "results.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        w.writeheader()
        for bot in results["bots"]:
            for role, s in bot["roles"].items():
                rates = s["rates"]
                w.writerow({
                    "bot": bot["name"], "role": role, "matches": s["matches"], "mean": s["mean"],
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


def print_table(results: dict[str, Any], console=None) -> None:
    """Print the per-bot-and-role table, the ranking and the pairwise matrix to the terminal."""
    from rich.console import Console
    from rich.table import Table

    if console is None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=150)  # a file or pipe gets the whole table, not an 80-column squeeze
    t = results["tournament"]
    rank = {n: i for i, n in enumerate(results["ranking"])}
    table = Table(title=f"Tournament: {len(t['bots'])} bots, {t['repetitions']} seeds per pairing, "
                        f"{t['played']} of {t['matches']} matches (seed {t['seed']})")
    for col, just in (("bot", "left"), ("role", "left"), ("n", "right"), ("mean [95% CI]", "right"),
                      ("W-L-D", "right"), ("settle", "right"), ("peace", "right"), ("crisis", "right"),
                      ("broken", "right"), ("caught", "right"), ("forfeits", "left")):
        table.add_column(col, justify=just)
    for bot in sorted(results["bots"], key=lambda b: rank[b["name"]]):
        for role, s in bot["roles"].items():
            ci = f" [{s['ci_low']:.2f}, {s['ci_high']:.2f}]" if s["ci_low"] is not None else ""
            forfeits = ", ".join(f"{k} {v}" for k, v in s["forfeits"].items()) or "-"
            table.add_row(bot["name"], role, str(s["matches"]), _num(s["mean"]) + ci,
                          f"{s['wins']}-{s['losses']}-{s['draws']}", _pct(s["rates"].get("settlement")),
                          _pct(s["rates"].get("peace")), _pct(s["rates"].get("crisis")),
                          _num(s["broken_per_match"]), _num(s["exposed_per_match"]), forfeits)
        table.add_section()
    console.print(table)
    ratings = Table(title="Ranking (OpenSkill, ordinal = mu - 3 sigma)")
    for col in ("#", "bot", "ordinal", "mu", "sigma", "mean score"):
        ratings.add_column(col, justify="left" if col == "bot" else "right")
    by_name = {b["name"]: b for b in results["bots"]}
    for i, name in enumerate(results["ranking"], 1):
        b = by_name[name]
        ratings.add_row(str(i), name, _num(b["rating"]["ordinal"]), _num(b["rating"]["mu"]),
                        _num(b["rating"]["sigma"]), _num(b["overall"]["mean"]))
    console.print(ratings)
    pw = results["pairwise"]
    matrix = Table(title="Mean score difference, row minus column (both roles)")
    matrix.add_column("")
    for name in pw["columns"]:
        matrix.add_column(name, justify="right")
    for name, row in zip(pw["rows"], pw["mean_difference"]):
        matrix.add_row(name, *[_num(v, "{:+.2f}") for v in row])
    console.print(matrix)
    oc = results["outcomes"]
    console.print("Outcomes: " + ", ".join(f"{k} {v}" for k, v in oc.items()) + f"; forfeits {results['forfeits']}")


def write_charts(results: dict[str, Any], samples: dict[tuple[str, str], list[float]], out: Path) -> list[Path]:
    """Write scores.png (score distribution per bot and role) and pairwise.png (the heatmap); returns the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = results["tournament"]["bots"]
    sides = results["tournament"]["sides"]
    paths = []

    fig, ax = plt.subplots(figsize=(max(6.0, 1.2 * len(names) + 2), 4.8))
    colors = ["#3b6ea8", "#b5473a", "#5a9a5a", "#8a6bb0"]
    width = 0.8 / len(sides)
    for si, side in enumerate(sides):
        data = [samples[(n, side)] or [float("nan")] for n in names]
        pos = [i + (si - (len(sides) - 1) / 2) * width for i in range(len(names))]
        bp = ax.boxplot(data, positions=pos, widths=width * 0.9, patch_artist=True, showmeans=True,
                        flierprops={"markersize": 2})
        for patch in bp["boxes"]:
            patch.set_facecolor(colors[si % len(colors)])
            patch.set_alpha(0.6)
        ax.plot([], [], color=colors[si % len(colors)], linewidth=8, alpha=0.6, label=f"as {side}")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha="right")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_ylabel("tournament score per match")
    ax.set_title("Score distribution per bot and role (triangle = mean)")
    ax.legend()
    fig.tight_layout()
    p = out / "scores.png"
    fig.savefig(p, dpi=110)
    plt.close(fig)
    paths.append(p)

    m = results["pairwise"]["mean_difference"]
    vals = [[float("nan") if v is None else v for v in row] for row in m]
    finite = [abs(v) for row in m for v in row if v is not None]
    lim = max(finite) if finite else 1.0
    fig, ax = plt.subplots(figsize=(max(5.0, 0.8 * len(names) + 3), max(4.0, 0.7 * len(names) + 2)))
    im = ax.imshow(vals, cmap="RdBu", vmin=-lim, vmax=lim)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha="right")
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names)
    for i, row in enumerate(m):
        for j, v in enumerate(row):
            if v is not None:
                ax.text(j, i, f"{v:+.1f}", ha="center", va="center", fontsize=8,
                        color="white" if abs(v) > 0.6 * lim else "black")
    ax.set_xlabel("opponent (column)")
    ax.set_title("Mean score difference, row minus column")
    fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    p = out / "pairwise.png"
    fig.savefig(p, dpi=110)
    plt.close(fig)
    paths.append(p)
    return paths
