"""The child side of a bot host: one bot file's process answering decisions of many matches in one message.

A batch request carries items, each for one match `m` (a fresh bot object per
match, made at its first item, so a bot's memory never depends on which other
matches share its process):

    {"id": 7, "op": "batch", "items": [
        {"m": 3, "s": 0, "side": "us", "seed": 8120..., "d": [...], "L": 0, "Ld": [...]},  # a first move
        {"m": 4, "s": 1, "d": [...]},                                                              # a later move
        {"m": 5, "end": true}]}                                                                    # forget match 5
    -> {"id": 7, "items": [{"m": 3, "action": "us pass", "reason": ""},
                           {"m": 4, "error": "timeout", "detail": "..."}], "dirty": false}

`s` is the side's index (both sides of a match may be this file's: self-play),
`d`, `L`, `Ld` and `Lc` the view's changes and the legal list, as
`game.bots.sandbox_wire` writes them.

Each decision is timed on its own: an interval timer interrupts a `choose`
that runs past the limit, and one that returns late still forfeits. What a
match prints is kept per match (its last lines for the forfeit detail) and
capped. Before each item the child writes (match, start time) into the shared
`progress` array, so if the process dies outright (os._exit, a segfault, the
seat killing a runaway) the seat knows whose decision it was. `dirty` says
that threads or processes were left running after a batch: the seat then
retires the process once its matches end.
"""

from __future__ import annotations

import functools
import gc
import os
import random
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

TAIL_CHARS = 800
FULL_COLLECTION_EVERY = 5000  # decisions (a process answering batches collected everything every ~7,000)
HEAD_CHARS = 4000  # what a match's output sends home (game.tournament.printed.PER_MATCH_CHARS)


class _Timeout(BaseException):
    """Raised into a bot's `choose` by the interval timer (a BaseException, so `except Exception` misses it)."""


class _Capture:
    """Stands for sys.stdout/sys.stderr: counts what each match prints and keeps its last characters."""

    def __init__(self, cap: int):
        self.cap = cap
        self.match: Any = None
        self.counts: dict[Any, int] = {}
        self.tails: dict[Any, str] = {}
        self.heads: dict[Any, str] = {}   # the first HEAD_CHARS a match printed
        self.sent: dict[Any, int] = {}    # how much of its head has gone home

    def write(self, text: str) -> int:
        """Count and keep the text for the current match (the rest of it is dropped)."""
        text = str(text)
        m = self.match
        size = len(text) if text.isascii() else len(text.encode("utf-8", errors="replace"))  # a flood: no copy
        self.counts[m] = self.counts.get(m, 0) + size
        self.tails[m] = (self.tails.get(m, "") + text)[-TAIL_CHARS * 2:]
        head = self.heads.get(m, "")
        if len(head) < HEAD_CHARS:
            self.heads[m] = head + text[:HEAD_CHARS - len(head)]
        return len(text)

    def news(self, m: Any) -> dict[str, Any]:
        """What match `m` printed since the last reply (within its head), and whether there was more."""
        if m not in self.counts:  # it printed nothing (most bots): nothing to say
            return {}
        head, sent = self.heads.get(m, ""), self.sent.get(m, 0)
        out: dict[str, Any] = {}
        if len(head) > sent:
            out["printed"] = head[sent:]
            self.sent[m] = len(head)
        if self.counts.get(m, 0) > len(head.encode("utf-8", errors="replace")):
            out["more"] = True
        return out

    def flush(self) -> None:
        """Nothing to flush: the text is kept in memory."""

    def isatty(self) -> bool:
        """Not a terminal."""
        return False

    def over(self, m: Any) -> bool:
        """Whether match `m` has printed more than the cap."""
        return self.counts.get(m, 0) > self.cap

    def forget(self, m: Any) -> None:
        """Drop what match `m` printed."""
        for kept in (self.counts, self.tails, self.heads, self.sent):
            kept.pop(m, None)


_host: dict[str, Any] = {}
_TIMER = hasattr(signal, "setitimer")


class _Clock:
    """The interval timer's state: armed once per batch, it ends only a decision whose own limit has passed."""

    __slots__ = ("due", "limit", "on")

    def __init__(self) -> None:
        self.due: float | None = None  # when the current decision's limit ends (None: between decisions)
        self.limit = 2.0
        self.on = False  # the timer is armed for the current batch


_CLOCK = _Clock()


def _alarm(signum, frame) -> None:
    """SIGALRM: end the current decision if its limit has passed, else wait again for what is left of it.

    The timer is armed at the batch's first decision for a whole limit; every later decision starts later,
    so the timer never rings after a decision's limit, only before it (then it is armed for the rest).
    """
    clock = _CLOCK
    if not clock.on:
        return
    due = clock.due
    if due is None:  # between two decisions: the next one starts later, so a whole limit from now is early enough
        signal.setitimer(signal.ITIMER_REAL, clock.limit)
        return
    left = due - time.monotonic()
    if left > 0:
        signal.setitimer(signal.ITIMER_REAL, left)
        return
    # Once per decision, as a one-shot timer per decision did (a bot that catches it and goes on is late: the
    # reply says so), and the timer stays armed for the batch's later decisions.
    clock.due = None
    signal.setitimer(signal.ITIMER_REAL, clock.limit)
    raise _Timeout()


def _setup(limits: dict[str, Any]) -> dict[str, Any]:
    if not _host:
        capture = _Capture(int(limits.get("output_bytes") or (1 << 20)))
        sys.stdout = sys.stderr = capture
        from game.bots.sandbox_wire import Receiver

        _host.update(bots={}, rngs={}, capture=capture, threads=threading.active_count(),
                     progress=limits.get("progress"), wire=Receiver())
        if _TIMER:
            signal.signal(signal.SIGALRM, _alarm)
    return _host


def serve_batch(request: dict[str, Any], make_bot: Callable[[], Any], file: Path,
                limits: dict[str, Any]) -> dict[str, Any]:
    """Answer every item of a batch request (see the module docstring)."""
    from game.bots.sandbox_child import _student_traceback, answer

    host = _setup(limits)
    bots, rngs, capture, progress, wire = host["bots"], host["rngs"], host["capture"], host["progress"], host["wire"]
    printed = capture.counts
    limit = float(request.get("time_limit") or 2.0)
    clock = _CLOCK
    replies = []
    # The request's objects (a few thousand containers, no cycles, freed by reference counting at its end) and
    # what lived before the batch are put out of the cyclic collector's sight for the batch: its collections
    # look only at what this batch makes (most of them were the request, looked at again and again).
    gc.freeze()
    try:
        for item in request.get("items", []):
            m = item.get("m")
            if item.get("end"):
                _forget(host, m)
                continue
            if _TIMER and not clock.on:  # one timer for the whole batch (two system calls, not two per decision)
                clock.limit, clock.on = limit, True
                signal.setitimer(signal.ITIMER_REAL, limit)
            if progress is not None:
                progress[0], progress[1] = int(m), time.monotonic_ns()
            capture.match = m
            reply = _decide(item, (m, item.get("s", 0)), bots, rngs, wire, make_bot, limit, file, _student_traceback,
                            answer)
            capture.match = None
            if m in printed:  # most bots print nothing: then there is neither a cap to pass nor text to send
                if "error" not in reply and capture.over(m):
                    reply = {"error": "garbage", "detail": f"printed more than {capture.cap >> 10} KB of output"}
                reply.update(capture.news(m))
            if "error" in reply:
                tail = capture.tails.get(m, "").rstrip()
                reply["tail"] = tail[-TAIL_CHARS:]
                _forget(host, m)
            reply["m"] = m
            replies.append(reply)
    finally:
        if clock.on:
            clock.on = False
            signal.setitimer(signal.ITIMER_REAL, 0)
        gc.unfreeze()  # all of it goes to the oldest generation
    host["served"] = host.get("served", 0) + len(replies)
    if progress is not None:
        progress[0] = -1
    dirty = threading.active_count() > host["threads"] or _has_children()
    return {"id": request.get("id"), "items": replies, "dirty": dirty}


def collect_if_due() -> None:
    """A full collection once FULL_COLLECTION_EVERY decisions have been served since the last (called between
    batches, once the reply is sent and the request freed): the oldest generation, where what died out of the
    collector's sight is (a bot of an ended match that holds a reference cycle), is looked at at least that often.
    """
    if _host.get("served", 0) >= FULL_COLLECTION_EVERY and gc.isenabled():
        _host["served"] = 0
        gc.collect()


def _forget(host: dict[str, Any], m: Any) -> None:
    """Drop everything a match left in this process (both sides: in self-play both are this file's)."""
    for key in ((m, 0), (m, 1)):
        host["bots"].pop(key, None)
        host["rngs"].pop(key, None)
        host["wire"].forget(key)
    host["capture"].forget(m)


def _decide(item, key, bots, rngs, wire, make_bot, limit, file, traceback_of, answer) -> dict[str, Any]:
    clock = _CLOCK
    started = time.monotonic()
    try:
        try:
            clock.due = started + limit  # the batch's timer ends the decision then (see _alarm)
            if "seed" in item:  # a match's first item: the bot's generator, and a fresh bot object
                rngs[key] = random.Random(int(item["seed"]))
                bots[key] = bot = make_bot()
                reset = getattr(bot, "reset", None)
                if callable(reset):
                    reset(item["side"], None)
            v, legal = wire.view(key, item)
            reply = answer(bots[key].choose(v, legal, rngs[key]))
        finally:
            clock.due = None
    except _Timeout:
        return {"error": "timeout", "detail": f"no answer within {limit:g} s"}
    except MemoryError:
        return {"error": "memory", "detail": "MemoryError: the bot ran out of memory"}
    except SystemExit as err:
        return {"error": "exit", "detail": f"the bot called sys.exit({err.code!r})"}
    except BaseException:  # noqa: BLE001 - whatever the student's code raises is its crash
        return {"error": "crash", "detail": traceback_of(file)}
    if time.monotonic() - started > limit:  # it caught the timer's exception and went on
        return {"error": "timeout", "detail": f"no answer within {limit:g} s"}
    return reply


@functools.lru_cache(maxsize=8192)
def _parse(text: str):
    """An action from its text, remembered (the same few hundred actions come back decision after decision)."""
    from game.actions import Action

    action = Action.parse(text)
    str(action)  # its text is memoised on it now, once, not at every reply (game.bots.teach.return_problem asks)
    return action


_WALL = 0x40000000  # Linux's __WALL: children of every kind, those made by clone() without SIGCHLD too
_CAN_ASK = sys.platform.startswith("linux") and hasattr(os, "waitid")


def _has_children() -> bool:
    """Whether this process has a child, running or ended but not yet reaped (Linux; elsewhere False).

    One waitid call that reaps nothing (WNOWAIT) and fails with ChildProcessError when there is no child:
    the same answer as reading /proc/self/task/*/children, without its four file openings at every batch.
    """
    if not _CAN_ASK:
        return False
    flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
    for extra in (_WALL, 0):  # (a kernel older than 4.7 refuses __WALL with waitid: then the usual children)
        try:
            os.waitid(os.P_ALL, 0, flags | extra)
            return True  # None: children, none of them ended; a result: one ended, not yet reaped
        except ChildProcessError:
            return False
        except OSError:
            continue
    return False
