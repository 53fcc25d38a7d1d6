"""report.html: one self-contained page of a tournament for a teacher to open in a browser or project.

It holds the ranking (with ties and the rule that makes them), the charts
embedded as images, each bot in each role, the head-to-head table, each bot's
forfeits with their reasons, links to what the bots printed, and every match
with a link to its record (or the seed to replay it). Everything a bot can
name (its file, its class, its forfeit text) is escaped: a page never runs a
student's text. No scripts, no fonts or files from elsewhere: it works
offline and from a USB stick, next to the tournament's folder.
"""

from __future__ import annotations

import base64
import html
import math
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from game.tournament.printed import FOLDER as PRINTED, file_for
from game.tournament.report import _num, _pct, rank_text, side_label

MAX_MATCH_ROWS = 20_000     # beyond this the page lists pairings only (matches.jsonl holds every match)
MAX_FORFEITS_SHOWN = 50     # per bot
CHART_TEXT = {
    "means.png": "Mean score per match of each bot in each role, best first; the thin lines are 95% intervals.",
    "pairwise.png": "How many points more each bot (row) scored than each opponent (column), per match, "
                    "over both roles: blue where the row's bot came out ahead, red where its opponent did.",
    "scores.png": "How each bot's scores spread in each role: the box holds the middle half of its matches, "
                  "the triangle is the mean, dots are unusual matches.",
}

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1100px;
       padding: 1rem 1.5rem 3rem; color: #1d1d1f; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #d8dde6; padding-bottom: 0.2rem; }
nav a { margin-right: 1rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.95rem; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #e3e6ec; text-align: right; vertical-align: top; }
th { background: #f2f4f8; } td.name, th.name { text-align: left; } td.text { text-align: left; max-width: 40rem; }
tr.tied .rank { color: #8a5a00; font-weight: bold; }
figure { margin: 1rem 0 2rem; } figure img { max-width: 100%; border: 1px solid #e3e6ec; }
figcaption, .note { color: #555; font-size: 0.92rem; }
details { margin: 0.3rem 0; } summary { cursor: pointer; }
code { background: #f2f4f8; padding: 0 0.25rem; border-radius: 3px; word-break: break-all; }
pre { white-space: pre-wrap; margin: 0; font-size: 0.85rem; }
@media print { details { page-break-inside: avoid; } nav { display: none; } }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _table(headers: list[str], rows: list[list[str]], *, left: set[int] = frozenset(), row_class: list[str] | None = None,
           caption: str = "") -> str:
    """A table from already-escaped cell HTML; columns in `left` are left-aligned text."""
    head = "".join(f'<th class="name">{h}</th>' if i in left else f"<th>{h}</th>" for i, h in enumerate(headers))
    body = []
    for r, row in enumerate(rows):
        cls = f' class="{row_class[r]}"' if row_class and row_class[r] else ""
        cells = "".join(f'<td class="name">{c}</td>' if i in left else f"<td>{c}</td>" for i, c in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _ranking(results: dict[str, Any]) -> str:
    sides = results["tournament"]["sides"]
    by_name = {b["name"]: b for b in results["bots"]}
    rows, classes = [], []
    for entry in results["ranks"]:
        b = by_name[entry["name"]]
        o = b["overall"]
        ci = f"{_num(o['ci_low'])} to {_num(o['ci_high'])}" if o["ci_low"] is not None else "-"
        rows.append([f'<span class="rank">{_e(rank_text(entry))}</span>', _e(b["name"]), _num(o["mean"]), ci,
                     *(_num(b["roles"][s]["mean"]) for s in sides), f"{o['wins']}-{o['losses']}-{o['draws']}",
                     str(o["forfeits"] or "-"), _num(b["rating"]["ordinal"])])
        classes.append("tied" if entry["tied"] else "")
    headers = ["rank", "bot", "mean score", "95% interval", *(f"as {_e(side_label(results, s))}" for s in sides),
               "won-lost-drawn", "forfeits", "OpenSkill rating"]
    table = _table(headers, rows, left={1}, row_class=classes)
    return (f"<p>Bots are ranked by their <b>mean score per match over both roles</b>: the game rewards what both "
            f"sides gain, not beating the other side. An <b>=</b> marks a tie: that bot's mean lies inside the 95% "
            f"interval of the bot it shares the rank with, so the seeds played cannot tell them apart (more "
            f"repetitions narrow the intervals). <i>Won-lost-drawn</i> counts matches in which the bot scored more "
            f"than, less than, or as much as its opponent; the <i>OpenSkill rating</i> (a chess-like rating built "
            f"from those wins and losses; cautious estimate: mean - 3 standard deviations) is shown beside it.</p>"
            + table)


def _roles(results: dict[str, Any]) -> str:
    by_name = {b["name"]: b for b in results["bots"]}
    rows = []
    for name in results["ranking"]:
        for role, s in by_name[name]["roles"].items():
            ci = f"{_num(s['ci_low'])} to {_num(s['ci_high'])}" if s["ci_low"] is not None else "-"
            forfeits = ", ".join(f"{k} {v}" for k, v in s["forfeits"].items()) or "-"
            rows.append([_e(name), _e(side_label(results, role)), str(s["matches"]), _num(s["mean"]), ci,
                         f"{s['wins']}-{s['losses']}-{s['draws']}", _pct(s["rates"].get("settlement")),
                         _pct(s["rates"].get("peace")), _pct(s["rates"].get("crisis")),
                         _num(s["broken_per_match"]), _num(s["exposed_per_match"]), _e(forfeits)])
    return ("<p><i>settled / peace / crisis</i>: how often its matches ended that way; <i>promises broken</i> and "
            "<i>false claims caught</i> are per match.</p>"
            + _table(["bot", "role", "matches", "mean", "95% interval", "won-lost-drawn", "settled", "peace", "crisis",
                      "promises broken", "false claims caught", "forfeits"], rows, left={0, 1, 11}))


def _pairwise(results: dict[str, Any]) -> str:
    names = results["ranking"]
    pw = results["pairwise"]
    index = {n: i for i, n in enumerate(pw["rows"])}
    values = [v for row in pw["mean_difference"] for v in row if v is not None]
    lim = max((abs(v) for v in values), default=1.0) or 1.0
    rows = []
    for a in names:
        cells = [_e(a)]
        for b in names:
            v = pw["mean_difference"][index[a]][index[b]]
            if v is None:
                cells.append("-")
                continue
            rgb = "59,110,168" if v >= 0 else "181,71,58"
            word = "ahead" if v > 0 else ("behind" if v < 0 else "even")
            cells.append(f'<span style="display:block;background:rgba({rgb},{0.1 + 0.6 * abs(v) / lim:.2f})" '
                         f'title="{_e(a)} against {_e(b)}: {v:+.2f} ({word})">{v:+.1f}</span>')
        rows.append(cells)
    return ("<p>Each cell: how many points more <b>this bot</b> (row) scored than <b>its opponent</b> (column), per "
            "match, averaged over both roles. Blue: the row's bot came out ahead; red: its opponent did. A bot can be "
            "behind in most cells and still rank high when it and its opponents both gain.</p>"
            + _table(["this bot \u2193 / against \u2192", *(_e(n) for n in names)], rows, left={0}))


def _charts(out: Path, charts: list[Path]) -> str:
    parts = []
    for path in charts:
        try:
            data = base64.b64encode(path.read_bytes()).decode("ascii")
        except OSError:
            continue
        text = CHART_TEXT.get(path.name, path.name)
        parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{_e(text)}">'
                     f"<figcaption>{_e(text)} (also saved as {_e(path.name)})</figcaption></figure>")
    return "".join(parts) or '<p class="note">No charts were drawn (--no-charts).</p>'


def _forfeits(results: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    sides = results["tournament"]["sides"]
    per_bot: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        f = r.get("forfeit")
        if f:
            per_bot.setdefault(r["players"][f["side"]], []).append(r)
    if not per_bot:
        return "<p>No bot forfeited a match.</p>"
    parts = ["<p>A forfeiting bot scores the crisis penalty for that match; its opponent keeps the score it had "
             "on the board (or 0 if that was negative).</p>"]
    for name in results["ranking"]:
        items = per_bot.get(name)
        if not items:
            continue
        kinds: dict[str, int] = {}
        for r in items:
            kinds[r["forfeit"]["kind"]] = kinds.get(r["forfeit"]["kind"], 0) + 1
        table_rows = []
        for r in items[:MAX_FORFEITS_SHOWN]:
            f = r["forfeit"]
            other = sides[1 - sides.index(f["side"])]
            table_rows.append([_e(f["kind"]), _e(side_label(results, f["side"])), _e(r["players"][other]),
                               str(r["seed"]), f"<pre>{_e(f['detail'])}</pre>"])
        more = (f'<p class="note">... and {len(items) - MAX_FORFEITS_SHOWN} more in matches.jsonl</p>'
                if len(items) > MAX_FORFEITS_SHOWN else "")
        summary = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        parts.append(f"<details><summary><b>{_e(name)}</b>: {len(items)} forfeits ({_e(summary)})</summary>"
                     + _table(["kind", "as", "against", "seed", "what happened"], table_rows, left={0, 1, 2, 4})
                     + more + "</details>")
    return "".join(parts)


def _printed(results: dict[str, Any], out: Path) -> str:
    links = []
    for name in results["ranking"]:
        path = file_for(out, name)
        if path.exists():
            kb = max(1, math.ceil(path.stat().st_size / 1024))
            links.append(f'<li><a href="{_e(PRINTED + "/" + path.name)}">{_e(name)}</a> ({kb} KB)</li>')
    if not links:
        return "<p>No bot printed anything.</p>"
    return "<p>What each bot printed (its <code>print</code> calls), match by match:</p><ul>" + "".join(links) + "</ul>"


def _matches(results: dict[str, Any], rows: list[dict[str, Any]], specs: dict[str, str]) -> str:
    sides = results["tournament"]["sides"]
    if len(rows) > MAX_MATCH_ROWS:
        return (f'<p class="note">{len(rows)} matches are too many to list here: matches.jsonl holds every one '
                f"(open it in a spreadsheet or filter it).</p>")
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        pairs.setdefault((r["players"][sides[0]], r["players"][sides[1]]), []).append(r)
    order = {n: i for i, n in enumerate(results["ranking"])}
    parts = ["<p>Each pairing's matches. A <i>record</i> link opens the match's record (replay it with "
             "<code>python main.py replay FOLDER/records/FILE --text</code>); without records, replay a match from "
             "its seed with the command shown for its pairing.</p>"]
    for (a, b), items in sorted(pairs.items(), key=lambda kv: (order.get(kv[0][0], 0), order.get(kv[0][1], 0))):
        items.sort(key=lambda r: r["rep"])
        mean = [math.fsum(float(r["scores"][s]) for r in items) / len(items) for s in sides]
        command = (f"python main.py match --{sides[0]} {specs.get(a, a)} --{sides[1]} {specs.get(b, b)} "
                   f"--seed SEED")
        table_rows = []
        for r in items:
            f = r.get("forfeit")
            outcome = r["outcome"] + (f" ({f['side']}: {f['kind']})" if f else "")
            link = (f'<a href="{_e(r["record"])}">record</a>' if r.get("record") else "-")
            table_rows.append([str(r["rep"] + 1), str(r["seed"]), _e(outcome),
                               *(_num(float(r["scores"][s]), "{:.1f}") for s in sides), link])
        parts.append(
            f"<details><summary><b>{_e(a)}</b> as {_e(side_label(results, sides[0]))} vs <b>{_e(b)}</b> as "
            f"{_e(side_label(results, sides[1]))}: {len(items)} matches, mean "
            f"{mean[0]:+.1f} to {mean[1]:+.1f}</summary><p>Replay: <code>{_e(command)}</code></p>"
            + _table(["#", "seed", "outcome", *(_e(side_label(results, s)) for s in sides), "record"], table_rows,
                     left={2})
            + "</details>")
    return "".join(parts)


def write_html(results: dict[str, Any], out: Path, charts: list[Path], rows: list[dict[str, Any]],
               specs: dict[str, str]) -> Path:
    """Write report.html (atomically) from the results, the chart files, the logged matches and the bots' specs."""
    t = results["tournament"]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    status = "complete" if t["complete"] else f"incomplete: {t['played']} of {t['matches']} matches"
    sections = [
        ("ranking", "Ranking", _ranking(results)),
        ("charts", "Charts", _charts(out, charts)),
        ("roles", "Each bot in each role", _roles(results)),
        ("pairwise", "Head to head", _pairwise(results)),
        ("forfeits", "Forfeits", _forfeits(results, rows)),
        ("printed", "What the bots printed", _printed(results, out)),
        ("matches", "Every match", _matches(results, rows, specs)),
    ]
    outcomes = ", ".join(f"{k} {v}" for k, v in results["outcomes"].items())
    body = "".join(f'<section id="{sid}"><h2>{title}</h2>{content}</section>' for sid, title, content in sections)
    nav = "".join(f'<a href="#{sid}">{title}</a>' for sid, title, _ in sections)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Crossroads tournament (seed {_e(t['seed'])})</title><style>{STYLE}</style></head><body>"
        f"<header><h1>Crossroads tournament</h1><p>{len(t['bots'])} bots, each against every other in both roles "
        f"over the same {t['repetitions']} seeds: {t['played']} matches ({_e(status)}); tournament seed "
        f"{_e(t['seed'])}, scenario {_e(t['scenario'])}. Outcomes: {_e(outcomes)}. Written {when}.</p>"
        f"<nav>{nav}</nav></header><main>{body}</main>"
        "<footer><p class=\"note\">results.json, results.csv and matches.jsonl beside this page hold the same "
        "figures for spreadsheets and scripts.</p></footer></body></html>\n")
    path = out / "report.html"
    tmp = out / "report.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path
