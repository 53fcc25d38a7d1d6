"""Many matches at once in one worker: every bot file's decisions of a round go to its process in one message.

`play_many` plays a chunk of matches side by side. Each match (`_Run`) steps
exactly as `game.match.play_match` would (same draws, the same generators
for the bots, the same checks and forfeit wording), but when it needs a bot
file's decision it parks the request; once every match is parked, each bot
file's host (`game.bots.host.BotHost`, one process per file per worker, a
fresh bot object per match inside) gets all of its requests in one batch,
and the hosts think in parallel. So results do not depend on which matches
share a batch or a worker.

When a host dies as a whole, the match whose decision was running forfeits
(with the real cause: its exit signal, a timeout, the memory of its process
tree); every other match that host was serving starts again from its first
move with a new process (same draws, same generators, so the same match). A
bot file that cannot load is found once and forfeits all its matches without
a process each time.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import selectors
import sys
import time
from typing import Any, Callable, Iterator

from game.actions import Action, ActionParseError
from game.bots.base import Bot
from game.bots.host import BotHost, HostDied
from game.bots.sandbox_wire import LEGAL, Sender, ViewChanges
from multiprocessing.connection import wait
from game.engine import apply, legal_actions, new_game
from game.match import BotForfeit, Forfeit, MatchResult, Step, bot_seed
from game.scenario import Scenario
from game.tournament.collector import without_collector
from game.view import view

MAX_STEPS = 100_000
POLL_SECONDS = 0.05
STOP_CHECK_SECONDS = 0.1  # how often `play_many` asks whether to stop
REASON_CHARS = 200


class _Run:
    """One match in progress: its state, and what it waits for."""

    def __init__(self, ident: int, key: Any, scenario: Scenario, seed: int, secret: bytes,
                 seats: dict[str, Any]):
        self.ident, self.key, self.scenario, self.secret, self.seats = ident, key, scenario, secret, seats
        self.public_seed = seed
        self.side_no = {side: n for n, side in enumerate(seats)}  # a side's number on the wire ("s")
        self.local = {side: _local(seat) for side, seat in seats.items()}
        self.generation = -1
        self.restart()

    def restart(self) -> None:
        """(Re)start the match from its first move (after a host it shared died)."""
        sc = self.scenario
        self.generation += 1  # a reply to a request of an earlier start is dropped
        self.state = new_game(sc, self.public_seed, secret=self.secret)
        seed = self.state.seed
        self.result = MatchResult(sc, seed, {s: b.label() for s, b in self.seats.items()}, self.state, [],
                                  list(self.state.happened))
        self.bot_seeds = {s: bot_seed(seed, s) for s in self.seats}
        self.rngs = {s: random.Random(self.bot_seeds[s]) for s in self.seats if self.local[s]}  # in-process bots'
        self.started = {s: False for s in self.seats}
        # The parked request for a host: (side, host, item, legal actions, legal texts, the texts if the host's
        # process must be told them (else None)); a tuple, as it is made and read at every decision.
        self.waiting: tuple | None = None
        self.done = False
        self.forgotten = False
        self.sent = False  # the parked request is in a host's current batch
        self.printed = {s: "" for s in self.seats}  # what each bot file printed (the head of it)
        self.more = {s: False for s in self.seats}
        self.steps = 0
        self.sent_views: dict[str, ViewChanges] = {}  # what each side's host has of this match (sandbox_wire)
        for side, seat in self.seats.items():
            if self.local[side]:
                try:
                    seat.scenario = sc
                    seat.reset(side, self.bot_seeds[side])
                except BotForfeit as f:
                    self.finish(Forfeit(side, f.kind, f.detail))
                    return

    def printed_text(self) -> dict[str, str]:
        """What each side's bot file printed this match, as `game.tournament.printed` keeps it."""
        out = {}
        for side, text in self.printed.items():
            if text.strip():
                out[side] = _printable(text) + ("\n[... more output not shown]" if self.more[side] else "")
        return out

    def finish(self, forfeit: Forfeit | None = None) -> None:
        """End the match (by a forfeit, or because it is over)."""
        self.result.forfeit = forfeit
        self.result.final = self.state
        self.done = True
        self.waiting = None

    def advance(self) -> None:
        """Play in-process bots until the match ends or needs a bot file's decision (then park the request)."""
        while not self.done and self.waiting is None:
            state = self.state
            if state.outcome is not None or self.steps >= MAX_STEPS:  # over, or too long
                self.finish()
                return
            side = state.to_move
            seat = self.seats[side]
            legal = legal_actions(state)
            if self.local[side]:
                try:
                    choice = seat.choose(view(state, side), legal, self.rngs[side])
                except BotForfeit as f:
                    self.finish(Forfeit(side, f.kind, f.detail))
                    return
                self.take(side, choice, legal)
                continue
            sent = self.sent_views.get(side)
            if sent is None:
                sent = self.sent_views[side] = ViewChanges(side)
            before = None if sent.values is None else sent.values[LEGAL]
            # Only what changed since this side's previous view travels; the legal list, if it changed, is put
            # in as a number when the batch is sent (the host's process knows the lists by number).
            item: dict[str, Any] = {"m": self.ident, "s": self.side_no[side], "d": sent.delta(state)}
            texts = sent.values[LEGAL]
            if not self.started[side]:
                # The bot's generator is made in the host's process from its seed (bot_seed: the match's hidden
                # seed cannot be found from it), as random.Random(seed) is made for an in-process bot.
                item.update(side=side, seed=self.bot_seeds[side])
                self.started[side] = True
            new_legal = texts if before is None or before != texts else None
            self.waiting = (side, seat, item, legal, texts, new_legal)

    def answer(self, reply: dict[str, Any], forfeit_of: Callable[[dict[str, Any]], Forfeit]) -> None:
        """Take a host's reply to the parked request, then play on."""
        side, _, _, legal, texts, _ = self.waiting
        self.waiting = None
        if "printed" in reply:  # (most replies print nothing)
            self.printed[side] += str(reply["printed"])
        if "more" in reply and not self.more[side]:
            self.more[side] = bool(reply["more"])
        if "error" in reply:
            self.finish(forfeit_of({**reply, "side": side}))
            return
        text = reply.get("action")
        if isinstance(text, str):
            try:
                at = texts.index(text)  # the usual case: the text of a legal action
            except ValueError:
                pass
            else:
                self.play(side, legal[at], _printable(str(reply.get("reason", "")))[:REASON_CHARS])
                self.advance()
                return
        by_text = {str(a): a for a in legal}
        try:
            action = Action.parse(text) if isinstance(text, str) else None
        except ActionParseError as err:
            self.finish(Forfeit(side, "garbage", f"returned text that is not an action: {_printable(str(err))[:200]}"))
            return
        if action is None:
            self.finish(Forfeit(side, "garbage", "answered without an action"))
            return
        if str(action) not in by_text:
            self.finish(Forfeit(side, "illegal", f"{action} is not a legal action"))
            return
        self.take(side, (by_text[str(action)], _printable(str(reply.get("reason", "")))[:REASON_CHARS]), legal)
        self.advance()

    def take(self, side: str, choice: Any, legal) -> None:
        """Apply a bot's choice, checked as play_match checks it."""
        action, reason = (choice if isinstance(choice, tuple) and len(choice) == 2 else (choice, ""))
        if isinstance(action, str):
            try:
                action = Action.parse(action)
            except ActionParseError:
                pass
        if not isinstance(action, Action):
            text = repr(action)
            shown = text if len(text) <= 200 else text[:200] + "..."
            self.finish(Forfeit(side, "garbage", f"{shown} is not an action"))
            return
        if action not in legal:
            self.finish(Forfeit(side, "illegal", f"{action!s} is not a legal action"))
            return
        self.play(side, action, reason)

    def play(self, side: str, action: Action, reason: Any) -> None:
        """Apply a legal action (checked already) and note the step."""
        taken_in = self.state.round
        self.state, ev = apply(self.state, action)
        self.result.steps.append(Step(side, taken_in, str(action), str(reason)[:REASON_CHARS], ""))
        self.result.happenings.extend(ev)
        self.steps += 1


_idents = itertools.count()


def play_many(matches: list[tuple[Any, int, dict[str, Any]]], scenario: Scenario, secret: bytes,
              forfeit_of: Callable[[Any, dict[str, Any]], Forfeit],
              should_stop: Callable[[], bool] | None = None) -> list[tuple[Any, MatchResult, dict[str, str]]]:
    """Play (key, public seed, {side: Bot or BotHost}) matches side by side; returns (key, result, printed) in
    order, `printed` being what each bot file printed ({side: text}, the first 4000 characters).

    `forfeit_of(host, reply)` turns a host's failed item (or death) into the forfeit of its side.
    `should_stop()`, asked a few times a second, stops the play: no more decisions are asked for, the hosts'
    answers to those asked are awaited (each within its time limit), the hosts drop the unfinished matches, and
    only the matches that finished are returned.
    """
    with collector_paused(matches):
        return _play_many(matches, scenario, secret, forfeit_of, should_stop)


@contextlib.contextmanager
def collector_paused(matches: list[tuple[Any, int, dict[str, Any]]]) -> Iterator[None]:
    """The cyclic garbage collector paused while only bot files play `matches` (as `play_many` plays them).

    Their code runs in their own processes and the worker's own play makes no reference cycles, while a chunk
    keeps a few hundred thousand objects alive (its matches' states, steps and happenings) that every
    collection walked again; unreachable objects are still freed at once by reference counting. A caller that
    goes on to summarise the results should free them inside this block too: the first collection after it
    looks at every object made in it that is still alive. An in-process bot may make cycles (a search tree),
    so with one the collector runs as usual.
    """
    local = any(_local(seat) for _, _, seats in matches for seat in seats.values())
    with contextlib.nullcontext() if local else without_collector():
        yield


def _play_many(matches, scenario, secret, forfeit_of, should_stop) -> list[tuple[Any, MatchResult, dict[str, str]]]:
    runs = [_Run(next(_idents), key, scenario, seed, secret, seats) for key, seed, seats in matches]
    for run in runs:
        run.advance()
    busy: dict[int, tuple[Any, dict[int, tuple[_Run, int]]]] = {}  # hosts thinking: what they were asked
    unsent = [run for run in runs if run.waiting is not None]  # parked, not yet sent (its host may be busy)
    next_check = next_stop_check = 0.0
    stopping = False  # asked to stop: nothing more is sent, the answers on their way are awaited
    watched = _PollSet()  # (a poll object holds no descriptor of its own: nothing to close)
    while True:
        if should_stop is not None and not stopping and (now := time.monotonic()) >= next_stop_check:
            next_stop_check = now + STOP_CHECK_SECONDS
            stopping = bool(should_stop())
        parked: dict[int, tuple[Any, list[_Run]]] = {}
        still: list[_Run] = []
        seen: set[int] = set()
        for run in unsent:
            if run.waiting is None or run.sent or run.ident in seen:
                continue
            seen.add(run.ident)
            host = run.waiting[1]
            hid = id(host)
            if hid in busy:
                still.append(run)
            elif hid in parked:
                parked[hid][1].append(run)
            else:
                parked[hid] = (host, [run])
        unsent = still
        deaths = []
        if stopping:
            parked.clear()
        for host, waiting in parked.values():  # every idle host gets all of its decisions in one message
            sender = host.__dict__.get("_wire")
            if sender is None:
                sender = host._wire = Sender()  # what the host's process knows (game.bots.sandbox_wire)
            items = []
            for r in waiting:
                _, _, item, _, _, new_legal = r.waiting
                if new_legal is not None:
                    sender.add_legal(host.pid, item, new_legal)
                items.append(item)
            try:
                host.send(items)
            except HostDied as death:
                deaths.append((host, death))
                continue
            for r in waiting:
                r.sent = True
            busy[id(host)] = (host, {r.ident: (r, r.generation) for r in waiting})
            watched.add(host)
        if not busy and not deaths:
            break
        ready: set[int] = set()
        if busy:  # a host that hangs holds up only its own matches
            ready = watched.ready(POLL_SECONDS)
        # Only the hosts that answered (or ended) are read; every host's clock and memory are looked at a few
        # times a second (with thirty bot files in a worker, looking at each after every reply cost more than
        # the decisions).
        now = time.monotonic()
        check_all = now >= next_check
        if check_all:
            next_check = now + POLL_SECONDS
        for hid, (host, asked) in list(busy.items()):
            if not check_all and hid not in ready:
                continue
            try:
                replies = host.poll(quiet=hid not in ready)
            except HostDied as death:
                del busy[hid]
                watched.remove(hid)
                deaths.append((host, death))
                continue
            if replies is None:
                continue
            del busy[hid]
            watched.remove(hid)
            host_forfeit = lambda rep, h=host: forfeit_of(h, rep)  # noqa: E731
            for reply in replies:
                run, generation = asked[reply["m"]]
                if run.generation == generation and not run.done:
                    run.sent = False
                    run.answer(reply, host_forfeit)
                    if run.done:
                        run.forgotten = True
                        _forget(run)
                    elif run.waiting is not None:
                        unsent.append(run)
        for host, death in deaths:
            _after_death(host, death, runs, forfeit_of)
        if deaths:  # matches forfeited or started again: look at them all
            for run in runs:
                if run.done and not run.forgotten:
                    run.forgotten = True
                    _forget(run)
            unsent = [run for run in runs if run.waiting is not None and not run.sent]
    if stopping:
        for run in runs:
            if not run.done:
                _forget(run)  # its hosts drop its bots (below)
    hosts = {id(seat): seat for run in runs for seat in run.seats.values() if not _local(seat)}
    for host in hosts.values():
        if host.pending_ends and host.pid is not None:
            try:
                host.batch([])  # let the process drop the finished matches' bots now
            except HostDied:
                pass
    return [(r.key, r.result, r.printed_text()) for r in runs if r.done]


class _PollSet:
    """The busy hosts' pipes and process ends in one poll set kept from turn to turn of the loop: a host is
    added when it is sent a batch and removed when it answers or dies. (`multiprocessing.connection.wait` on
    the sixty pipes and ends of thirty hosts built a new set at every turn: ~90 us, more than the rest of the
    turn's bookkeeping.) Windows, whose pipes no selector takes, keeps `wait`."""

    def __init__(self) -> None:
        self.selector = None if sys.platform == "win32" else getattr(selectors, "PollSelector",
                                                                      selectors.SelectSelector)()
        self.fds: dict[int, list[int]] = {}       # id(host) -> its registered descriptors
        self.objects: dict[int, list[Any]] = {}   # id(host) -> its waitables (Windows)

    def add(self, host: Any) -> None:
        """Watch a host that was just sent a batch (its current process: a new one has new descriptors)."""
        hid, objects = id(host), host.waitables()
        if self.selector is None:
            self.objects[hid] = objects
            return
        fds = [w if isinstance(w, int) else w.fileno() for w in objects]
        for fd in fds:
            self.selector.register(fd, selectors.EVENT_READ, hid)
        self.fds[hid] = fds

    def remove(self, hid: int) -> None:
        """Stop watching a host (by number: its descriptors may be closed already, and are never asked for)."""
        self.objects.pop(hid, None)
        for fd in self.fds.pop(hid, ()):
            self.selector.unregister(fd)

    def ready(self, timeout: float) -> set[int]:
        """The ids of the watched hosts whose reply (or end) has come, waiting up to `timeout` seconds."""
        if self.selector is None:
            got = wait([w for objects in self.objects.values() for w in objects], timeout=timeout)
            return {hid for hid, objects in self.objects.items() if any(w in got for w in objects)}
        return {key.data for key, _ in self.selector.select(timeout)}


def _after_death(host, death, runs: list[_Run], forfeit_of) -> None:
    """A host died: the running decision's match forfeits; its other matches start again with a new process."""
    if death.culprit is None:
        host.unknown_deaths += 1  # died between decisions: no match to blame, unless it keeps happening
    blame_all = death.culprit is None and host.unknown_deaths >= 3
    for run in runs:
        if run.done or not any(seat is host for seat in run.seats.values()):
            continue
        side = next(s for s, seat in run.seats.items() if seat is host)
        if death.culprit == run.ident or (blame_all and run.waiting and run.waiting[0] == side):
            run.finish(forfeit_of(host, {"error": death.kind, "detail": death.detail, "side": side, "tail": ""}))
        elif run.started.get(side) or (run.waiting is not None and run.waiting[0] == side):
            _forget(run, skip=host)
            run.restart()
            run.advance()


def _forget(run: _Run, skip: Any = None) -> None:
    """Tell the hosts of a match to drop its bot objects (sent with their next batch)."""
    for side, seat in run.seats.items():
        if seat is not skip and not _local(seat) and run.started.get(side):
            seat.pending_ends.append({"m": run.ident, "end": True})


def _local(seat: Any) -> bool:
    """Whether a seat is a bot in this process (a bot host, though a Bot too, answers by batches)."""
    return isinstance(seat, Bot) and not isinstance(seat, BotHost)


def _printable(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if (c.isprintable() or c in "\n\t") else "?" for c in text)
