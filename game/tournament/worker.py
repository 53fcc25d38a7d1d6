"""What a worker process does: play a chunk of matches and return a small summary of each.

Workers are started with the spawn method (the only one on Windows and the
default on macOS), so everything they need arrives through `init`. They ignore
Ctrl-C themselves (noting that it came) and stop between matches when the
parent sets the stop event; the parent writes every returned summary down.
"""

from __future__ import annotations

import atexit
import os
import re
import signal
import time
from pathlib import Path
from typing import Any

from game.bots.base import Bot
from game.bots.teach import clip_detail
from game.match import BotForfeit, Forfeit, MatchResult, play_match
from game.tournament.printed import take_printed
from game.tournament.schedule import MatchKey, match_seed

DETAIL_CHARS = 300


class Guarded(Bot):
    """Wraps a bot so that any exception it raises becomes a 'crash' forfeit of its own match, not a dead worker."""

    def __init__(self, inner: Bot):
        super().__init__()
        self.inner = inner

    def reset(self, side: str, seed: int) -> None:
        """Reset the wrapped bot; any failure is its forfeit (play_match ends the match at once)."""
        self.side = side
        try:
            self.inner.reset(side, seed)
        except BotForfeit:
            raise
        except Exception as err:  # noqa: BLE001 - any failure of a bot is its forfeit
            raise BotForfeit("crash", f"reset raised {err.__class__.__name__}: {err}") from None

    def choose(self, view, legal, rng):
        """Ask the wrapped bot; turn any exception into BotForfeit."""
        try:
            return self.inner.choose(view, legal, rng)
        except BotForfeit:
            raise
        except Exception as err:  # noqa: BLE001
            raise BotForfeit("crash", f"{err.__class__.__name__}: {err}") from None

    def close(self) -> None:
        """Close the wrapped bot."""
        self.inner.close()

    def label(self) -> str:
        """The wrapped bot's label."""
        return self.inner.label()


_state: dict[str, Any] = {}
_interrupted = False


MASKS = hasattr(signal, "pthread_sigmask")  # POSIX; Windows has no signal masks


def _note_interrupt(signum, frame) -> None:  # pragma: no cover - runs in worker processes
    global _interrupted
    _interrupted = True


def interrupted() -> bool:
    """Whether Ctrl-C has reached this worker."""
    if MASKS:
        return signal.SIGINT in signal.sigpending()
    return _interrupted


def init(payload: dict[str, Any], stop_event) -> None:
    """Worker start-up: load the scenario, remember the entrants, ignore Ctrl-C (the parent decides)."""
    from game.scenario import parse_scenario

    if MASKS:
        # Keep Ctrl-C blocked (the parent started us so): it stays pending for `interrupted` to see, and the bot
        # processes we start inherit it blocked, so a Ctrl-C neither kills them mid-match nor prints their traceback.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    else:
        signal.signal(signal.SIGINT, _note_interrupt)
    _state.clear()
    _state.update(payload)
    if payload.get("isolate_network"):  # before any bot process starts: they all inherit it
        from game.tournament import netns

        _state["no_network"] = netns.isolate()
    if payload.get("tmp") and os.path.isdir(payload["tmp"]):  # (not on another machine's worker)
        import tempfile

        tempfile.tempdir = payload["tmp"]  # seats' folders go where the parent removes them, whatever happens
    _state["scenario_obj"] = parse_scenario(payload["scenario"], "<tournament scenario>")
    _state["stop"] = stop_event
    _state["seats"] = {}
    atexit.register(close_seats)  # bot processes end with their worker (their own finalizers would too)


def ping() -> bool:
    """A trivial task: answers once the worker has started; True if it has no network (see `init`)."""
    return bool(_state.get("no_network"))


class Unloadable(Bot):
    """Stands for a bot file that cannot be loaded: found once, it forfeits each of its matches at the start."""

    def __init__(self, label: str, why: str):
        super().__init__()
        self._label, self.why = label, why

    def reset(self, side: str, seed: int) -> None:
        """Forfeit at once."""
        raise BotForfeit("crash", f"the bot could not be loaded: {self.why}")

    def choose(self, view, legal, rng):
        """Never reached: reset forfeits."""
        raise BotForfeit("crash", self.why)

    def label(self) -> str:
        """The bot file's label."""
        return self._label


def _seat(index: int, side: str) -> Any:
    """A bot for one entrant on one side: a built-in is made fresh for every match; a bot file is served by one
    host process per worker (both sides, many matches at once, a fresh bot object per match inside)."""
    from game.bots import BotSpecError, make_bot
    from game.bots.host import BotHost
    from game.bots.loader import is_file_spec, parse_file_spec

    spec = _state["specs"][index]
    if not is_file_spec(spec):
        return Guarded(make_bot(spec))
    seats = _state["seats"]
    if index not in seats:
        file = parse_file_spec(spec)
        try:
            seats[index] = BotHost(file, time_limit=_state["time_limit"], memory_mb=_state["memory_mb"],
                                   private=[Path(_state["out"])])
        except BotSpecError as err:
            seats[index] = Unloadable(file.label(), str(err))
    return seats[index]


def close_seats() -> None:
    """Close every kept bot process (their seats also close themselves when the worker ends)."""
    seats = _state.get("seats", {})
    for key in list(seats):
        try:
            seats.pop(key).close()
        except Exception:  # noqa: BLE001 - a seat that fails to close is gone anyway
            pass


def tournament_scores(board: dict[str, float], forfeit_side: str | None, penalty: float) -> dict[str, float]:
    """Scores that count in the tournament: the board's, except that a forfeit costs the forfeiting side the
    crisis penalty and leaves the other side its board score at that moment, or 0 if that was negative."""
    if forfeit_side is None:
        return dict(board)
    return {s: (float(penalty) if s == forfeit_side else max(float(v), 0.0)) for s, v in board.items()}


def summarise_match(result: MatchResult, key: MatchKey, names: list[str]) -> dict[str, Any]:
    """The small, plain summary of one match that goes into matches.jsonl."""
    sc = result.scenario
    sides = sc.side_ids
    final = result.final
    board = result.scores
    fside = result.forfeit.side if result.forfeit else None
    opened: dict[str, int] = {}
    for h in result.happenings:
        if h.kind == "channel_opened":
            opened.setdefault(h.data.get("channel", "?"), h.round)
    exposed = {s: 0 for s in sides}
    in_force: dict[str, list[str]] = {s: [] for s in sides}
    for c in final.commitments:
        if c.status == "exposed" and c.giver in exposed:
            exposed[c.giver] += 1
        if c.in_force and c.giver in in_force:
            in_force[c.giver].append(c.item)
    return {
        "players": {sides[0]: names[key.first], sides[1]: names[key.second]},
        "rep": key.rep,
        "seed": result.seed,
        "outcome": result.outcome,
        "scores": tournament_scores(board, fside, sc.outcomes.crisis),
        "board": {s: float(v) for s, v in board.items()},
        "round": final.round,
        "steps": len(result.steps),
        "broken": {s: int(n) for s, n in zip(sides, final.broken)},
        "exposed": exposed,
        "forfeit": None if result.forfeit is None else {
            "side": result.forfeit.side, "kind": result.forfeit.kind,
            "detail": clip_detail(result.forfeit.kind, result.forfeit.detail, DETAIL_CHARS)},
        "opened": opened,
        "agendas": {s: list(a) for s, a in zip(sides, final.agendas)},
        "in_force": {s: sorted(set(v)) for s, v in in_force.items()},
    }


def error_summary(key: MatchKey, names: list[str], sides: list[str], seed: int, detail: str) -> dict[str, Any]:
    """The summary of a match that could not be played (an engine error, or a worker that died playing it)."""
    return {
        "players": {sides[0]: names[key.first], sides[1]: names[key.second]},
        "rep": key.rep, "seed": seed, "outcome": "error", "scores": {s: 0.0 for s in sides},
        "board": {s: 0.0 for s in sides}, "round": 0, "steps": 0, "broken": {s: 0 for s in sides},
        "exposed": {s: 0 for s in sides}, "forfeit": None, "opened": {}, "agendas": {}, "in_force": {},
        "error": detail[-DETAIL_CHARS:],
    }


def record_name(key: MatchKey, names: list[str]) -> str:
    """The file name of a match's record under records/."""
    def safe(n: str) -> str:
        """A name cut to file-name characters."""
        return re.sub(r"[^A-Za-z0-9_.=-]+", "_", n)[:40]
    return f"r{key.rep:05d}_{key.first:02d}-{safe(names[key.first])}_vs_{key.second:02d}-{safe(names[key.second])}.json"


def _save_record(result: MatchResult, key: MatchKey, names: list[str]) -> str:
    from game.record import record_from_result, save_record

    rel = f"records/{record_name(key, names)}"
    save_record(record_from_result(result), Path(_state["out"]) / rel)
    return rel


def engine_seed(payload: dict[str, Any], rep: int) -> int:
    """The engine seed of repetition `rep` (the seed its records keep): the match seed mixed with the draw key."""
    from game.hidden import hidden_seed

    return hidden_seed(match_seed(payload["seed"], rep), payload["draw_key"])


DIE_AT_ENV = "CROSSROADS_TEST_WORKER_DIES_AT"  # tests only: "first,second,rep" of a match whose worker dies


def play_one(key: MatchKey) -> dict[str, Any]:
    """Play one match and summarise it (its record saved too, if asked)."""
    if os.environ.get(DIE_AT_ENV) == f"{key.first},{key.second},{key.rep}":
        os._exit(70)  # how a test makes a worker die as a segfault would, to check the retry
    scenario = _state["scenario_obj"]
    sides = list(scenario.side_ids)
    names = _state["names"]
    seed = match_seed(_state["seed"], key.rep)  # public; the draws come from engine_seed(it), which needs the key
    t0 = time.perf_counter()
    seats = {sides[0]: (key.first, sides[0]), sides[1]: (key.second, sides[1])}
    try:
        players = {side: _seat(i, s) for side, (i, s) in seats.items()}
        result = play_match(scenario, seed, players, secret=_state["draw_key"])
    except Exception as err:  # noqa: BLE001 - an engine error must not stop the tournament
        out = error_summary(key, names, sides, engine_seed(_state, key.rep), f"{err.__class__.__name__}: {err}")
        out["seconds"] = round(time.perf_counter() - t0, 6)
        return out
    out = summarise_match(result, key, names)
    printed = take_printed(players)
    if printed:
        out["printed"] = printed  # the parent moves it to printed/<bot>.txt; it never reaches the log
    if _state.get("save_records"):
        out["record"] = _save_record(result, key, names)
    out["seconds"] = round(time.perf_counter() - t0, 6)
    return out


def forfeit_of(host: Any, reply: dict[str, Any]) -> Forfeit:
    """The forfeit of a host's failed decision: its kind, what happened, then the match's last output lines."""
    from game.bots.sandbox import DETAIL_CHARS as CHARS, _last_lines, _printable

    kind, detail, tail = str(reply.get("error")), str(reply.get("detail", "")), str(reply.get("tail", "")).strip()
    kind = kind if kind in ("crash", "exit", "timeout", "memory", "garbage", "illegal") else "garbage"
    if kind == "memory" and detail.startswith("MemoryError") and host.memory_bytes is not None:
        detail = f"ran out of memory: the limit is {host.memory_bytes >> 20} MB"
    if kind == "crash":
        text = _last_lines(detail)
    else:
        room = CHARS - len(detail) - len("\nlast output:\n")
        text = detail + ("\nlast output:\n" + tail[-room:] if tail and room > 40 else "")
    return Forfeit(str(reply["side"]), kind, _printable(text).strip()[-CHARS:])


def play_chunk(keys: list[MatchKey]) -> list[tuple[MatchKey, dict[str, Any]]]:
    """Play a chunk of matches, stopping early (between matches) when asked; returns (key, summary) pairs.

    With a bot file among them, the chunk is played side by side (`game.tournament.batch`): each bot file's
    decisions travel in one message per round."""
    from game.bots.loader import is_file_spec

    specs = _state["specs"]
    if any(is_file_spec(specs[k[0]]) or is_file_spec(specs[k[1]]) for k in keys):
        return _play_side_by_side([MatchKey(*k) for k in keys])
    done = []
    stop = _state["stop"]
    for key in keys:
        if stop.is_set() or interrupted():
            break
        summary = play_one(MatchKey(*key))
        if (summary["forfeit"] is not None or summary["outcome"] == "error") and interrupted():
            break  # Ctrl-C reached the bots' processes too: this forfeit is the interrupt's, not the bot's
        done.append((MatchKey(*key), summary))
    return done


def _play_side_by_side(keys: list[MatchKey]) -> list[tuple[MatchKey, dict[str, Any]]]:
    from game.tournament.batch import collector_paused

    if _state["stop"].is_set() or interrupted():
        return []
    scenario = _state["scenario_obj"]
    sides = list(scenario.side_ids)
    t0 = time.perf_counter()
    matches = []
    for key in keys:
        matches.append((key, match_seed(_state["seed"], key.rep),
                        {sides[0]: _seat(key.first, sides[0]), sides[1]: _seat(key.second, sides[1])}))
    # The chunk's results are summarised and freed before the collector runs again (see collector_paused).
    with collector_paused(matches):
        return _play_and_summarise(keys, matches, t0)


def _play_and_summarise(keys: list[MatchKey], matches: list[tuple[MatchKey, int, dict[str, Any]]],
                        t0: float) -> list[tuple[MatchKey, dict[str, Any]]]:
    """Play a chunk side by side and summarise its matches (`t0`: when the chunk started, for their seconds)."""
    from game.tournament.batch import play_many

    scenario = _state["scenario_obj"]
    sides = list(scenario.side_ids)
    names = _state["names"]
    stop = _state["stop"]
    try:
        # Stopped (Ctrl-C, or the parent's stop), the chunk ends within a time limit with the matches it finished.
        results = play_many(matches, scenario, _state["draw_key"], forfeit_of,
                            should_stop=lambda: stop.is_set() or interrupted())
    except Exception as err:  # noqa: BLE001 - an engine error must not stop the tournament
        why = f"{err.__class__.__name__}: {err}"
        return [(key, error_summary(key, names, sides, engine_seed(_state, key.rep), why)) for key in keys]
    finally:
        for seat in list(_state["seats"].values()):
            if getattr(seat, "dirty", False):
                seat.retire()  # threads or processes left behind: a fresh process for the next chunk
    if interrupted():
        return []  # Ctrl-C reached the bots' processes too: these matches are replayed on resume
    each = round((time.perf_counter() - t0) / max(1, len(keys)), 6)
    done = []
    for key, result, printed in results:
        out = summarise_match(result, key, names)
        if printed:
            out["printed"] = printed  # the parent moves it to printed/<bot>.txt; it never reaches the log
        if _state.get("save_records"):
            out["record"] = _save_record(result, key, names)
        out["seconds"] = each
        done.append((key, out))
    return done
