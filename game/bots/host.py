"""A bot host: one sandboxed process of a bot file that answers decisions of many matches per round trip.

`BotHost` is a `SandboxedBot` (the same process, limits and Landlock fence)
with one more call, `batch(items)`: every item is one decision of one match
(see `game.bots.host_child`), and one message carries them all, so a class
tournament does not pay a process round trip per decision. Item failures
(a crash, a timeout caught by the child's timer, sys.exit, garbage, a flood)
come back as items; when the whole process fails (it dies, hangs past the
child's timer, or its process tree outgrows the memory limit) `batch` raises
`HostDied` naming the match whose decision was running, read from a small
array the child updates before each decision.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import sys
import time
from multiprocessing.connection import wait
from typing import Any

from game.bots.sandbox import SandboxedBot, _exit_text
from game.bots.sandbox_json import dumps, loads

MAX_BATCH_REPLY = 1 << 24
GRACE_SECONDS = 1.5       # past the per-decision limit, before the seat kills a process its own timer missed
MEMORY_POLL_SECONDS = 0.25


class HostDied(Exception):
    """The host's process failed as a whole: `culprit` is the match whose decision it was (None: unknown)."""

    def __init__(self, culprit: int | None, kind: str, detail: str):
        super().__init__(kind, detail)
        self.culprit = culprit
        self.kind = kind
        self.detail = detail


class BotHost(SandboxedBot):
    """A sandboxed bot file serving many matches at once (a fresh bot object per match, inside)."""

    def __init__(self, spec, **limits):
        """Start the process like a SandboxedBot (BotSpecError if it cannot load)."""
        self._progress = multiprocessing.get_context("spawn").RawArray("q", 2)
        self._progress[0] = -1
        self.dirty = False
        self.pending_ends: list[dict[str, Any]] = []
        self.unknown_deaths = 0
        self._asked: set[int] = set()
        self._next_poll = 0.0
        super().__init__(spec, **limits)

    def retire(self) -> None:
        """End the process (it left threads or processes behind); the next batch starts a fresh one."""
        self._child.stop(grace=0.2)
        self.pending_ends = []
        self.dirty = False

    def _host_limits(self) -> dict[str, Any]:
        return {"progress": self._progress}

    def send(self, items: list[dict[str, Any]]) -> None:
        """Send one batch (after the 'end' items queued in `pending_ends`); `collect` gets the replies."""
        from game.bots import BotSpecError

        items = self.pending_ends + items
        self.pending_ends = []
        if self._child.proc is None:
            try:
                self._start()
            except BotSpecError as err:
                raise HostDied(None, "crash", f"the bot could not be restarted: {err}") from None
            self._progress[0] = -1
            items = [it for it in items if not it.get("end")]  # a new process knows no old match
        self._ids += 1
        self._asked = {it["m"] for it in items if not it.get("end")}
        request = {"id": self._ids, "op": "batch", "time_limit": self.time_limit, "items": items}
        try:
            self._child.conn.send_bytes(dumps(request))
        except (OSError, ValueError):
            raise self._died(None, "exit", "") from None

    def collect(self) -> list[dict[str, Any]]:
        """Wait for the replies to the batch sent last (one per decision asked); raises HostDied."""
        while True:
            wait(self.waitables(), timeout=0.05)
            replies = self.poll()
            if replies is not None:
                return replies

    def batch(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send a batch and wait for its replies."""
        self.send(items)
        return self.collect()

    def waitables(self) -> list[Any]:
        """What to wait on for this host's reply (its pipe and its process's end)."""
        return [self._child.conn, self._child.proc.sentinel]

    def poll(self, quiet: bool = False) -> list[dict[str, Any]] | None:
        """The replies to the batch sent last if they have come, else None (after checking the clock and the
        memory of its process tree); raises HostDied. `quiet`: the caller's poll set has just seen neither the
        pipe nor the process's end ready, so they are looked at again only before the host is failed."""
        if not quiet:
            replies = self._arrived()
            if replies is not None:
                return replies
        culprit = self._culprit()
        failure = None
        if culprit is not None and time.monotonic_ns() - self._progress[1] > (self.time_limit + GRACE_SECONDS) * 1e9:
            failure = ("timeout", f"no answer within {self.time_limit:g} s")
        elif self.memory_bytes is not None and time.monotonic() > self._next_poll:
            self._next_poll = time.monotonic() + MEMORY_POLL_SECONDS
            used = tree_rss(self._child.proc.pid)
            if used > self.memory_bytes:
                failure = ("memory", f"used {used >> 20} MB (its processes together), more than the limit of "
                                     f"{self.memory_bytes >> 20} MB")
        if failure is None:
            return None
        if quiet:  # a reply (or an end) that came since the caller looked comes first, as without `quiet`
            replies = self._arrived()
            if replies is not None:
                return replies
        raise self._died(culprit, *failure)

    def _arrived(self) -> list[dict[str, Any]] | None:
        """The replies if they are in the pipe, else None; raises HostDied if the process has ended."""
        proc, conn = self._child.proc, self._child.conn
        if _ready(conn):
            try:
                data = conn.recv_bytes(MAX_BATCH_REPLY)
            except (EOFError, OSError):
                raise self._died(self._culprit(), "exit", "") from None
            return self._decode_batch(data, self._ids, self._asked)
        if _ready(proc.sentinel):
            raise self._died(self._culprit(), "exit", "")
        return None

    def _culprit(self) -> int | None:
        m = int(self._progress[0])
        return None if m < 0 else m

    def _decode_batch(self, data: bytes, expect_id: int, asked: set[int]) -> list[dict[str, Any]]:
        try:
            reply = loads(data)
            items = reply["items"]
            ok = (reply.get("id") == expect_id and isinstance(items, list)
                  and all(isinstance(it, dict) and it.get("m") in asked for it in items)
                  and {it["m"] for it in items} == asked and len(items) == len(asked))
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            ok = False
        if not ok:
            raise self._died(None, "garbage", "sent the seat something that is not part of the protocol")
        self.dirty = self.dirty or bool(reply.get("dirty"))
        return items

    def _died(self, culprit: int | None, kind: str, detail: str) -> HostDied:
        """End the process (and its tree) and say how it failed: a death's text comes from its exit code."""
        code = self._child.stop()
        if kind == "exit" and not detail:
            detail = _exit_text(code)
        self.dirty = False
        return HostDied(culprit, kind, detail)


def _ready(waitable: Any) -> bool:
    """Whether a pipe (its reply or its end) or a process's sentinel (its end) can be read now, without waiting.

    One `poll` call where the OS has it: `Connection.poll(0)` and `wait([...], 0)` each build and drop a
    selector object (about 5 us against 1, at every reply of every host). Any event counts, as for `wait`
    (a pipe's end shows as a hang-up). Windows, whose pipes `poll` does not take, keeps `wait`.
    """
    if _POLL is None:
        return bool(wait([waitable], 0))
    poller = _POLL()
    poller.register(waitable if isinstance(waitable, int) else waitable.fileno(), select.POLLIN)
    return bool(poller.poll(0))


_POLL = getattr(select, "poll", None) if sys.platform != "win32" else None


def tree_rss(pid: int) -> int:
    """The resident memory of a process and all its descendants, in bytes (Linux /proc; psutil elsewhere)."""
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * page
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            if p == pid and not os.path.exists("/proc/self/statm"):
                return _psutil_tree_rss(pid)
    return total


def _psutil_tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total
