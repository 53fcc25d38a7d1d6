"""The `rules` subcommand: the quick start, the rulebook, `rules check` and `rules show`.

Kept out of game/cli.py so that the command line's other parts can change without
touching this one (cli.py only builds the parser and calls `add_parser` / `run`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
QUICKSTART = RULES_DIR / "QUICKSTART.md"
RULEBOOK = RULES_DIR / "RULES.md"


def add_parser(sub, parser_class) -> None:
    """Add `rules` with its subcommands (check, show, book) to the command line's subparsers."""
    r = sub.add_parser("rules", help="the quick start and rules; check or show a scenario file")
    rsub = r.add_subparsers(dest="rules_command", parser_class=parser_class)
    rc = rsub.add_parser("check", help="validate a scenario file, play it among the bots, and warn if it plays badly")
    rc.add_argument("path", type=Path)
    rc.add_argument("--no-play", action="store_true", help="only validate the file; play no matches")
    rc.add_argument("--seeds", type=int, default=6, metavar="N",
                    help="seeds per pairing of the seven quick bots (default 6: 294 games, a few seconds)")
    rc.add_argument("--balance", action="store_true",
                    help="also run the nine balance checks of bench/balance.py (about 12 minutes on 2 cores)")
    rs = rsub.add_parser("show", help="print a scenario's items, agenda cards and events, with what each does")
    rs.add_argument("path", type=Path, nargs="?", default=None)
    rsub.add_parser("book", help="print the full rulebook (rules/RULES.md)")


def run(args: argparse.Namespace, load, error) -> int:
    """Run `rules ...`; `load(path)` loads a scenario, `error(msg)` builds the CLI's one-line error."""
    if args.rules_command is None:
        return _print_file(QUICKSTART, error, after="The full rules: python main.py rules book (or rules/RULES.md).")
    if args.rules_command == "book":
        return _print_file(RULEBOOK, error)
    if args.rules_command == "check":
        return _check(args, load, error)
    if args.rules_command == "show":
        from game.rules_table import print_scenario

        print_scenario(load(args.path))
        return 0
    raise error("rules: say 'check PATH', 'show [PATH]' or 'book'")


def _print_file(path: Path, error, after: str = "") -> int:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise error(f"cannot read {path}: {err.strerror or err.__class__.__name__}") from None
    print(text, end="" if text.endswith("\n") else "\n")
    if after:
        print()
        print(after)
    return 0


def _check(args, load, error) -> int:
    sc = load(args.path)
    print(f"{args.path}: ok - scenario {sc.id!r} ({sc.name}): {sc.rounds} rounds, {len(sc.sides)} sides, "
          f"{len(sc.channels)} channels, {len(sc.items)} items, {len(sc.event_deck)} event cards "
          f"({len(sc.events)} kinds), {sum(len(d.cards) for d in sc.decks)} agenda cards in {len(sc.decks)} decks")
    if args.no_play:
        return 0
    if not 1 <= args.seeds <= 1000:
        raise error(f"--seeds: must be 1 to 1000, not {args.seeds}")
    from game.scenario_check import check, run_balance, summary_lines

    rep = check(sc, args.seeds)
    for line in summary_lines(rep):
        print(line)
    for w in rep.warnings:
        print(f"warning: {w}")
    if not rep.warnings:
        print("no warnings: every ending happens, neither side is far ahead, and crises are not the rule")
    if args.balance:
        return run_balance(args.path)
    return 0
