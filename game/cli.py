"""The command line: `python main.py <command>`.

Every bad input ends in one line on stderr naming what is wrong and a non-zero
exit (2 for unusable input), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

OVERVIEW = """\
Crossroads - a negotiation game for the classroom: the United States and the DPRK
in the months after their first summit, trading concessions through a leaders'
hotline, working-level meetings and cultural exchanges.

What you can do now:
  python main.py match --us random --dprk random --seed 7
        play a whole match between two bots and print it round by round
  python main.py match --us random --dprk random --seed 7 --as us
        the same match as the United States saw it
  python main.py bots
        list the built-in bots
  python main.py rules show
        the default scenario's concessions and event cards as tables
  python main.py rules check rules/summit_2018.toml
        validate a scenario file you have edited

The rulebook for students is rules/RULES.md. Run any command with --help for its options.
"""


class CliError(Exception):
    """A command that cannot go on: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a wrong flag is one line and exit 2, not a usage block."""

    def error(self, message: str):  # type: ignore[override]
        raise CliError(f"{self.prog}: {message} (see --help)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="crossroads", description="Crossroads: a US-DPRK negotiation game.", add_help=True)
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    m = sub.add_parser("match", help="play a match between bots in the terminal")
    m.add_argument("--us", default="random", help="the US player: a bot name, name:key=value, or file.py:Class")
    m.add_argument("--dprk", default="random", help="the DPRK player, as --us")
    m.add_argument("--seed", type=int, default=None, help="match seed (the same seed plays the same match)")
    m.add_argument("--scenario", type=Path, default=None, help="scenario TOML file (default: rules/summit_2018.toml)")
    m.add_argument("--as", dest="as_side", default="all", help="print the match as 'us', 'dprk' or 'all' saw it")
    m.add_argument("--quiet", action="store_true", help="print only the result")

    r = sub.add_parser("rules", help="check or show a scenario file")
    rsub = r.add_subparsers(dest="rules_command", parser_class=_Parser)
    rc = rsub.add_parser("check", help="validate a scenario file and say what it contains")
    rc.add_argument("path", type=Path)
    rs = rsub.add_parser("show", help="print a scenario's items and cards as tables")
    rs.add_argument("path", type=Path, nargs="?", default=None)

    sub.add_parser("bots", help="list the built-in bots")

    _tournament_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print(OVERVIEW, end="")
        return 0
    from game.scenario import ScenarioError

    try:
        args = _parser().parse_args(argv)
        if args.command == "match":
            return _cmd_match(args)
        if args.command == "rules":
            return _cmd_rules(args)
        if args.command == "bots":
            return _cmd_bots(args)
        if args.command == "tournament":
            return _cmd_tournament(args)
        print(OVERVIEW, end="")
        return 0
    except (CliError, ScenarioError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (say `| head`) went away; that is not an error of ours.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _load(path: Path | None):
    from game.scenario import default_scenario, load_scenario

    return default_scenario() if path is None else load_scenario(path)


def _make_player(spec: str, flag: str):
    from game.bots import BotSpecError, make_bot

    try:
        return make_bot(spec)
    except BotSpecError as err:
        raise CliError(f"{flag}: {err}") from None


def _cmd_match(args) -> int:
    from game.match import play_match
    from game.transcript import transcript_lines

    scenario = _load(args.scenario)
    sides = scenario.side_ids
    if args.as_side not in (*sides, "all"):
        raise CliError(f"--as: choose one of {', '.join(sides)} or all, not {args.as_side!r}")
    seed = args.seed if args.seed is not None else 1
    players = {}
    for side in sides:
        spec = getattr(args, side, None)
        players[side] = _make_player(spec or "random", f"--{side}")
    result = play_match(scenario, seed, players)
    if not args.quiet:
        print(f"Crossroads - {scenario.name} - seed {seed}")
        print(" vs ".join(f"{scenario.sides[i].name}: {players[s].label()}" for i, s in enumerate(sides)))
        print()
        for line in transcript_lines(result.happenings, args.as_side):
            print(line)
    if result.forfeit:
        print(f"{result.forfeit.side} forfeits ({result.forfeit.kind}): {result.forfeit.detail}")
    print(f"Outcome: {result.outcome}; " + ", ".join(f"{s} {v:g}" for s, v in result.scores.items()))
    return 0


def _cmd_rules(args) -> int:
    if args.rules_command == "check":
        sc = _load(args.path)
        print(f"{args.path}: ok - scenario {sc.id!r} ({sc.name}): {sc.rounds} rounds, {len(sc.sides)} sides, "
              f"{len(sc.channels)} channels, {len(sc.items)} items, {len(sc.event_deck)} event cards "
              f"({len(sc.events)} kinds), {sum(len(d.cards) for d in sc.decks)} agenda cards in {len(sc.decks)} decks")
        return 0
    if args.rules_command == "show":
        from game.rules_table import print_scenario

        print_scenario(_load(args.path))
        return 0
    raise CliError("rules: say 'check PATH' or 'show [PATH]'")


def _cmd_bots(args) -> int:
    from game.bots import BUILTIN

    width = max(len(n) for n in BUILTIN)
    for name, cls in BUILTIN.items():
        tags = ", ".join(k for k, v in cls.classifier.items() if v) or "deterministic"
        print(f"{name:<{width}}  {cls.description} ({tags})")
    return 0


def _tournament_parser(sub) -> None:
    t = sub.add_parser("tournament", help="a round robin of bots over many seeds, with both role assignments")
    t.add_argument("--bots", default=None, help="comma-separated bots: names, name:key=value or path/bot.py:Class")
    t.add_argument("--repetitions", type=int, default=None, help="match seeds per pairing (default 10)")
    t.add_argument("--seed", type=int, default=None, help="tournament seed; every match seed derives from it (default 1)")
    t.add_argument("--workers", type=int, default=None, help="worker processes (default: the number of CPUs)")
    t.add_argument("--out", type=Path, default=None, help="output folder (default: tournament-<seed>)")
    t.add_argument("--self-play", action="store_true", default=None, help="also play each bot against itself")
    t.add_argument("--save-records", action="store_true", default=None, help="keep every match's record for replay")
    t.add_argument("--scenario", type=Path, default=None, help="scenario TOML file (default: rules/summit_2018.toml)")
    t.add_argument("--config", type=Path, default=None, help="tournament settings TOML; flags override it")
    t.add_argument("--resume", type=Path, default=None, metavar="DIR", help="finish an interrupted tournament")
    t.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    t.add_argument("--no-progress", action="store_true", help="no progress bar")


def _cmd_tournament(args) -> int:
    from game.tournament.cli import run_command

    return run_command(args)

