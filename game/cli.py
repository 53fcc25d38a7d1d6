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
  python main.py
        open the game window (menu, new game, hotseat or against a bot, debrief)
  python main.py play --us human --dprk verifier
        play the United States yourself against a bot (in the window; --terminal for text)
  python main.py play --us human:Ana --dprk human:Ben
        two players at one keyboard (hotseat), with a hand-off screen between turns
  python main.py watch --us verifier --dprk trapper --seed 3
        watch two bots play in the window, at a pace a class can follow (story mode for a projector)
  python main.py match --us random --dprk random --seed 7
        play a whole match between two bots and print it round by round
  python main.py match --us random --dprk random --seed 7 --as us
        the same match as the United States saw it
  python main.py match --us dove --dprk trapper --seed 9 --save match.json
        save the match's record; watch it again in the window: python main.py replay match.json
        (in text: --verify, --text --as us, or --fork-at 40 --save whatif.json, then match --resume whatif.json)
  python main.py bots
        list the built-in bots
  python main.py match --us examples/my_first_bot.py:MyBot --dprk random --seed 3
        play your own bot, written in Python (the guide is docs/writing-a-bot.md)
  python main.py check-bot examples/my_first_bot.py
        check that your bot loads and plays, in both roles (check-bot --dir FOLDER: a class's bots)
  python main.py tournament --bots hawk,dove,verifier,trapper --repetitions 50 --out results
        a round robin of bots in both roles over the same seeds: a ranking, tables and charts
        (the guide for teachers is docs/tournament-guide.md)
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
    m.add_argument("--as", dest="as_side", default="all",
                   help="print the match as 'us', 'dprk', 'all' (everything) or 'public' (the room) saw it")
    m.add_argument("--quiet", action="store_true", help="print only the result")
    m.add_argument("--verbose", action="store_true",
                   help="print every number: each trust move and draft step, not a trust summary per round")
    m.add_argument("--bot-time", type=float, default=2.0, metavar="SECONDS",
                   help="time limit per decision for a bot loaded from a file (default 2)")
    m.add_argument("--save", type=Path, default=None, metavar="PATH", help="save the match record (JSON) to PATH")
    m.add_argument("--resume", type=Path, default=None, metavar="PATH",
                   help="continue the unfinished match saved in PATH (saved back to PATH unless --save)")

    _play_parser(sub)

    from game.rules_cli import add_parser as _rules_parser

    _rules_parser(sub, _Parser)

    sub.add_parser("bots", help="list the built-in bots")
    _watch_parser(sub)
    _replay_parser(sub)

    _tournament_parser(sub)
    from game.checkbot import add_parser as _check_bot_parser

    _check_bot_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        return _open_window()
    if argv in (["-h"], ["--help"]):
        print(OVERVIEW, end="")
        return 0
    from game.scenario import ScenarioError

    try:
        args = _parser().parse_args(argv)
        if args.command == "match":
            return _cmd_match(args)
        if args.command == "play":
            return _cmd_play(args)
        if args.command == "rules":
            return _cmd_rules(args)
        if args.command == "bots":
            return _cmd_bots(args)
        if args.command == "replay":
            return _cmd_replay(args)
        if args.command == "tournament":
            return _cmd_tournament(args)
        if args.command == "watch":
            return _cmd_watch(args)
        if args.command == "check-bot":
            from game.checkbot import run_command as _cmd_check_bot

            return _cmd_check_bot(args)
        print(OVERVIEW, end="")
        return 0
    except (CliError, ScenarioError) as err:
        print(f"error: {err}", file=sys.stderr)
        return getattr(err, "exit_code", 2)
    except BrokenPipeError:
        # The reader (say `| head`) went away; that is not an error of ours.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _open_window() -> int:
    """`python main.py`: the game window, or one line naming the terminal commands where there is no display."""
    from game.ui.launch import NO_DISPLAY, has_display

    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    from game.ui.launch import open_menu

    return open_menu()


def _watch_parser(sub) -> None:
    w = sub.add_parser("watch", help="watch two bots play in the game window (for a projector)")
    w.add_argument("--us", required=True, help="the US bot: a built-in name or file.py:Class")
    w.add_argument("--dprk", required=True, help="the DPRK bot, as --us")
    w.add_argument("--seed", type=int, default=None, help="match seed (default: a random one, shown on the board)")
    w.add_argument("--scenario", type=Path, default=None, help="scenario TOML file (default: rules/summit_2018.toml)")
    w.add_argument("--pace", type=float, default=1.5, metavar="SECONDS", help="how long each move shows (default 1.5)")
    w.add_argument("--no-story", action="store_true", help="do not pause with a summary at the end of each round")
    w.add_argument("--fullscreen", action="store_true", help="open full screen (F11 toggles)")


def _cmd_watch(args) -> int:
    """Two bots in the window at a readable pace."""
    from game.ui.launch import has_display

    if not has_display():
        raise CliError("watch needs a display; in a terminal use: python main.py match --us ... --dprk ...")
    if not args.pace > 0:
        raise CliError(f"--pace: must be more than 0 seconds, not {args.pace:g}")
    from game.ui.launch import open_board, watch_session
    from game.ui.session import SessionError

    try:
        session = watch_session(args.us, args.dprk, args.seed, args.scenario)
    except SessionError as err:
        raise CliError(str(err)) from None
    return open_board(session, watching=True, story=not args.no_story, pace=args.pace, fullscreen=args.fullscreen)


def _check_reader(as_side: str, sides) -> None:
    """--as names a side, 'all' or 'public'."""
    if as_side not in (*sides, "all", "public"):
        raise CliError(f"--as: choose one of {', '.join(sides)}, all or public, not {as_side!r}")


def _play_parser(sub) -> None:
    """The `play` subcommand's flags: who sits where, and the same seed/scenario/save/resume as `match`."""
    p = sub.add_parser("play", help="you against a bot, or two people at one screen (in the window where there "
                                    "is a display; --terminal for text)")
    p.add_argument("--us", default=None, help="'human', 'human:NAME', a bot name, or file.py:Class (default: human)")
    p.add_argument("--dprk", default=None, help="the DPRK player, as --us (default: human)")
    p.add_argument("--seed", type=int, default=None, help="match seed (default: a random one, shown at the end)")
    p.add_argument("--scenario", type=Path, default=None, help="scenario TOML file (default: rules/summit_2018.toml)")
    p.add_argument("--save", type=Path, default=None, metavar="PATH",
                   help="also write the record to PATH when the game ends or you quit")
    p.add_argument("--resume", type=Path, default=None, metavar="PATH", help="continue a saved or autosaved game (a saved record is written back to PATH unless --save)")
    p.add_argument("--plain", action="store_true", help="plain text without colour (reads well with a screen reader)")
    p.add_argument("--bot-time", type=float, default=2.0, metavar="SECONDS",
                   help="time limit per decision for a bot loaded from a file (default 2)")
    p.add_argument("--terminal", action="store_true",
                   help="play in the terminal even where the game window could open")


def _cmd_play(args) -> int:
    """A person's seat (or two): in the game window where there is a display, else (or with --terminal) in the
    terminal (game/terminal/play.py)."""
    from game.terminal.console import Console
    from game.terminal.play import PlayError, start_play

    if not args.bot_time > 0:
        raise CliError(f"--bot-time: must be more than 0 seconds, not {args.bot_time:g}")
    from game.ui.launch import has_display

    if not args.terminal and has_display():
        from game.ui.launch import open_board, play_session
        from game.ui.session import SessionError

        try:
            session = play_session(args)
        except (PlayError, SessionError) as err:
            raise CliError(str(err)) from None
        return open_board(session)
    try:
        play = start_play(args, Console(plain=args.plain))
    except PlayError as err:
        raise CliError(str(err)) from None
    try:
        return play.run()
    finally:
        play.match.close()


def _load(path: Path | None):
    from game.scenario import default_scenario, load_scenario

    return default_scenario() if path is None else load_scenario(path)


def _user_secret() -> bytes:
    """The user's secret for a new match's hidden draws, or a one-line CliError."""
    from game.hidden import SecretError, user_secret

    try:
        return user_secret()
    except SecretError as err:
        raise CliError(str(err)) from None


def _make_player(spec: str, flag: str, time_limit: float | None = None):
    from game.bots import BotSpecError, make_bot

    try:
        return make_bot(spec, time_limit=time_limit)
    except BotSpecError as err:
        raise CliError(f"{flag}: {err}") from None


def _cmd_match(args) -> int:
    from game.bots.printed import PrintedOutput
    from game.match import play_match
    from game.transcript import transcript_lines

    resumed = _resume_from(args)
    scenario = resumed.scenario if resumed else _load(args.scenario)
    sides = scenario.side_ids
    _check_reader(args.as_side, sides)
    seed = resumed.seed if resumed else (args.seed if args.seed is not None else 1)
    if not args.bot_time > 0:
        raise CliError(f"--bot-time: must be more than 0 seconds, not {args.bot_time:g}")
    players = {}
    try:  # a bot loaded from a file runs in a process of its own: close it whatever happens
        for side in sides:
            spec = getattr(args, side, None)
            players[side] = _make_player(spec or "random", f"--{side}", args.bot_time)
        started = _now()
        printed = PrintedOutput(players)
        # A new match draws from the typed seed mixed with the user's secret, which no bot can read.
        fresh = {} if resumed else {"secret": _user_secret()}
        result = play_match(scenario, seed, players, on_step=printed.on_step,
                            **(resumed.play_args() if resumed else fresh))
        printed.poll(result.final.round)
    finally:
        for bot in players.values():
            getattr(bot, "close", lambda: None)()
    if not args.quiet:
        # A resumed record's seed is the engine seed: a side must not see it while the match is still open.
        shown = seed if not resumed or result.final.is_over or result.forfeit or args.as_side == "all" else "hidden"
        print(f"Crossroads - {scenario.name} - seed {shown}")
        print(" vs ".join(f"{scenario.sides[i].name}: {players[s].label()}" for i, s in enumerate(sides)))
        print()
        for line in transcript_lines((resumed.happenings if resumed else []) + result.happenings, args.as_side,
                                     scenario=scenario, verbose=args.verbose):
            print(line)
    for line in printed.report():
        print(line)
    if result.forfeit:
        print(f"{result.forfeit.side} forfeits ({result.forfeit.kind}): {result.forfeit.detail}")
    if result.final.is_over or args.as_side == "all":
        print(f"Outcome: {result.outcome}; " + ", ".join(f"{s} {v:g}" for s, v in result.scores.items()))
    elif args.as_side == "public":  # the room cannot know an unfinished game's scores: they rest on hidden cards
        print(f"Outcome: {result.outcome}")
    else:  # an unfinished game's true scores would tell one side the truth of the other's claims
        from game.view import view

        mine = view(result.final, args.as_side).my_score
        print(f"Outcome: {result.outcome}; {args.as_side} {mine:g} (as {args.as_side} sees it)")
    if not args.quiet and (result.final.is_over or result.forfeit):
        from game.record import record_from_result, replay

        _print_debrief(replay(record_from_result(result, players, resumed_from=resumed.record if resumed else None)).states,
                       result.outcome)
    _save_match(args, result, players, resumed, started)
    return 0


def _print_debrief(states, outcome: str) -> None:
    """The text debrief of a finished match (both cards revealed): the same for match, replay --text and play."""
    from game.debrief import build_debrief, debrief_lines

    print()
    for line in debrief_lines(build_debrief(states, outcome)):
        print(line)


def _cmd_rules(args) -> int:
    from game.rules_cli import run

    return run(args, _load, CliError)


def _cmd_bots(args) -> int:
    from game.bots import BUILTIN

    width = max(len(n) for n in BUILTIN)
    for name, cls in BUILTIN.items():
        tags = ", ".join(k for k, v in cls.classifier.items() if v) or "deterministic"
        print(f"{name:<{width}}  {cls.description} ({tags})")
    return 0


def _tournament_parser(sub) -> None:
    """The `tournament` subcommand's flags (each defaults to None so that a --config file can fill it)."""
    t = sub.add_parser("tournament", help="a round robin of bots over many seeds, with both role assignments")
    t.add_argument("--bots", default=None, help="comma-separated bots: names, name:key=value or path/bot.py:Class")
    t.add_argument("--bot-dir", type=Path, action="append", default=None, metavar="DIR",
                   help="add every .py file in DIR as a bot (a class's folder of bot files); repeatable")
    t.add_argument("--repetitions", type=int, default=None, help="match seeds per pairing (default 10)")
    t.add_argument("--seed", type=int, default=None, help="tournament seed; every match seed derives from it (default 1)")
    t.add_argument("--workers", type=int, default=None, help="worker processes (default: the number of CPUs)")
    t.add_argument("--out", type=Path, default=None, help="output folder (default: tournament-<seed>)")
    t.add_argument("--self-play", action="store_true", default=None, help="also play each bot against itself")
    t.add_argument("--save-records", action="store_true", default=None, help="keep every match's record for replay")
    t.add_argument("--bot-time", dest="time_limit", type=float, default=None, metavar="SECONDS",
                   help="per-decision time limit of bots loaded from files (default 2)")
    t.add_argument("--scenario", type=Path, default=None, help="scenario TOML file (default: rules/summit_2018.toml)")
    t.add_argument("--config", type=Path, default=None, help="tournament settings TOML; flags override it")
    t.add_argument("--resume", type=Path, default=None, metavar="DIR", help="finish an interrupted tournament")
    t.add_argument("--dask", default=None, metavar="tcp://HOST:8786",
                   help="play the matches on a Dask cluster whose scheduler is at this address (a lab of machines)")
    t.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    t.add_argument("--no-progress", action="store_true", help="no progress bar")


def _cmd_tournament(args) -> int:
    """Run or resume a tournament (game/tournament/cli.py)."""
    from game.tournament.cli import run_command
    from game.tournament.config import TournamentError

    try:
        return run_command(args)
    except TournamentError as err:
        raise CliError(str(err)) from None



# ---------------------------------------------------------------- match records (save, resume, replay)

def _record_cli_error(err: Exception) -> CliError:
    """A record problem as a one-line CLI error: exit 1 when verification failed, 2 when the file is unusable."""
    from game.record import VerificationError

    out = CliError(str(err))
    out.exit_code = 1 if isinstance(err, VerificationError) else 2  # type: ignore[attr-defined]
    return out


def _now() -> str:
    from game.record import now_iso

    return now_iso()


def _resume_from(args):
    """The unfinished record `match --resume PATH` continues (verified), or None without --resume."""
    if getattr(args, "resume", None) is None:
        return None
    if args.seed is not None or args.scenario is not None:
        raise CliError("--resume: the seed and scenario come from the record; drop --seed and --scenario")
    from game.record import RecordError, load_record, resume

    try:
        return resume(load_record(args.resume), str(args.resume))
    except RecordError as err:
        raise _record_cli_error(err) from None


def _save_match(args, result, players, resumed, started) -> None:
    """Write the record of a match for --save (or back to the --resume file), atomically, and say where."""
    path = args.save if args.save is not None else (args.resume if resumed else None)
    if path is None:
        return
    from game.record import RecordError, record_from_result, save_record

    try:
        record = record_from_result(result, players, started=None if resumed else started,
                                    resumed_from=resumed.record if resumed else None)
    except RecordError as err:
        raise CliError(f"--save: {err}") from None
    try:
        save_record(record, path)
    except OSError as err:
        raise CliError(f"--save: cannot write {path}: {err.strerror or err.__class__.__name__}") from None
    done = f"{len(record.steps)} actions, {record.outcome}"
    if resumed:
        print(f"resumed after action {len(resumed.record.steps)}; saved {path} ({done})")
    else:
        print(f"saved {path} ({done})")


def _replay_parser(sub) -> None:
    r = sub.add_parser("replay", help="watch a saved match in the replay viewer (where there is a display), or "
                                      "verify, print or fork it")
    r.add_argument("path", type=Path, help="a match record (.json) written by match --save")
    r.add_argument("--verify", action="store_true", help="recompute every state and check every recorded checksum")
    r.add_argument("--text", action="store_true",
                   help="print the match round by round (the default where no window can open)")
    r.add_argument("--as", dest="as_side", default=None,
                   help="print it (or open the viewer) as 'us', 'dprk', 'all' (the spectator: everything, the "
                        "default for text) or 'public' (the room, the viewer's default) saw it")
    r.add_argument("--verbose", action="store_true",
                   help="print every number: each trust move and draft step, not a trust summary per round")
    r.add_argument("--fork-at", type=int, default=None, metavar="N",
                   help="write a new unfinished record holding the first N actions (needs --save)")
    r.add_argument("--save", type=Path, default=None, metavar="NEW", help="where --fork-at writes the new record")


def _cmd_replay(args) -> int:
    from game.record import RecordError, fork, load_record, save_record, verify

    if args.save is not None and args.fork_at is None:
        raise CliError("replay: --save goes with --fork-at N")
    if args.fork_at is not None and args.save is None:
        raise CliError("replay: --fork-at needs --save NEW (the new record's path)")
    source = str(args.path)
    if not (args.text or args.verify or args.fork_at is not None):
        from game.ui.launch import has_display, replay_window

        if has_display():
            return replay_window(args.path, args.as_side)
    args.as_side = args.as_side or "all"
    try:
        record = load_record(args.path)
        _check_reader(args.as_side, record.scenario_model().side_ids)
        rep = verify(record, source)
        if args.verify:
            print(f"verified: {rep.actions} actions")
        if args.fork_at is not None:
            new = fork(record, args.fork_at, source=source)
            try:
                save_record(new, args.save)
            except OSError as err:
                raise CliError(f"--save: cannot write {args.save}: {err.strerror or err.__class__.__name__}") from None
            state = rep.state_at(args.fork_at)
            print(f"saved {args.save}: the first {args.fork_at} of {len(record.steps)} actions "
                  f"(round {state.round}, {state.to_move} to move); continue it with "
                  f"'match --resume {args.save} --us BOT --dprk BOT'")
        if args.text or not (args.verify or args.fork_at is not None):
            _print_replay(record, rep, args.as_side, args.verbose)
    except RecordError as err:
        raise _record_cli_error(err) from None
    return 0


def _shown(text: str) -> str:
    """Text from a file as one printable line: newlines, escape sequences, NULs and other controls escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def _print_replay(record, rep, side: str, verbose: bool = False) -> None:
    """The transcript of a replayed record, with the same header and footer as `match` prints."""
    from game.transcript import numbered_transcript_lines
    from game.view import view

    scenario = record.scenario_model()
    # The seed gives every hidden draw: a side's transcript of an open match does not show it.
    open_match = not rep.final.is_over and record.forfeit is None and side != "all"
    print(f"Crossroads - {scenario.name} - seed {'hidden' if open_match else record.seed}")
    # Names, labels and details come from the file: shown escaped, so none can forge a line or a colour.
    print(" vs ".join(f"{sd.name}: {_shown(record.players[sd.id].label())}" for sd in scenario.sides))
    for t in record.takeovers:
        print(f"from action {t.at + 1}: " + ", ".join(f"{s}: {_shown(p.label())}" for s, p in t.players.items()))
    print()
    # Each action's first line carries its number: the N that --fork-at N keeps up to and including.
    for line in numbered_transcript_lines(rep.states, side, scenario=scenario, verbose=verbose):
        print(line)
    if record.forfeit:
        print(f"{record.forfeit.side} forfeits ({_shown(record.forfeit.kind)}): {_shown(record.forfeit.detail)}")
    if rep.final.is_over or side == "all":
        print(f"Outcome: {record.outcome}; " + ", ".join(f"{s} {v:g}" for s, v in record.scores.items()))
    elif side == "public":  # the room cannot know an unfinished game's scores: they rest on hidden cards
        print(f"Outcome: {record.outcome}")
    else:
        # Before the end a side's score is what it can see: the other side's unverified claims believed.
        print(f"Outcome: {record.outcome}; {side} {view(rep.final, side).my_score:g} (as {side} sees it)")
    if rep.final.is_over or record.forfeit:
        _print_debrief(rep.states, record.outcome)
