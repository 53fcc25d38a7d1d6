"""The built-in pool of local worker processes: chunks of matches in flight, retries after a worker dies, and
the clean stop after Ctrl-C. `game.tournament.runner` logs what comes back; `game.tournament.dask_pool` is
the same for a Dask cluster.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from game.tournament import worker
from game.tournament.config import TournamentError
from game.tournament.schedule import FILE_MATCH_COST, MatchKey, chunks, spread_limit

GRACE_SECONDS = 20.0
SETTLE_SECONDS = 10.0  # how long a broken pool may take to fail its unfinished futures


@contextmanager
def sigint_blocked() -> Iterator[None]:
    """Block Ctrl-C in this thread while processes are started (they inherit the mask; POSIX only)."""
    masked = hasattr(signal, "pthread_sigmask")
    if masked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def entrant_cost(spec: str) -> float:
    """A rough guess of how long a bot's matches take, relative to a heuristic bot's (for chunk sizes only)."""
    from game.bots import BUILTIN
    from game.bots.loader import is_file_spec

    if is_file_spec(spec):
        return FILE_MATCH_COST
    cls = BUILTIN.get(spec.partition(":")[0])
    return 40.0 if cls is not None and cls.classifier.get("search") else 1.0


def plan_chunks(todo: list[MatchKey], workers: int, specs: list[str]) -> list[list[MatchKey]]:
    """The chunks `todo` (in play order) is handed out in: sized by the entrants' costs, and short enough to keep
    each bot's seeds spread (`game.tournament.schedule.spread_limit`)."""
    weight = [entrant_cost(spec) for spec in specs]
    return chunks(todo, workers, lambda k: max(weight[k.first], weight[k.second]), most=spread_limit(todo, len(specs)))


class LocalPool:
    """The worker processes: chunks in flight, retries after a worker dies, and the clean stop."""

    def __init__(self, payload: dict[str, Any], workers: int, sides: list[str], stats: RunStats):
        self.ctx = multiprocessing.get_context("spawn")
        # Local workers leave the network before starting any bot (Linux; game.tournament.netns). A Dask worker
        # cannot: it talks to its scheduler over the network.
        self.payload = {**payload, "isolate_network": True}
        self.workers = workers
        self.sides = sides
        self.stats = stats
        self.stop = self.ctx.Event()
        self.executor: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        """Start every worker and check that they come up (a pool that cannot start is an error, not a loop).

        Ctrl-C is blocked while the workers are created, so they inherit it blocked until `worker.init` has
        installed their handler: a Ctrl-C during start-up then never prints a traceback from a half-started
        worker (POSIX; Windows has no signal masks).
        """
        t0 = time.perf_counter()
        self.executor = ProcessPoolExecutor(self.workers, mp_context=self.ctx, initializer=worker.init,
                                            initargs=(self.payload, self.stop))
        with sigint_blocked():
            # workers are spawned on demand, one per task without an idle worker: one ping each starts them all
            pings = [self.executor.submit(worker.ping) for _ in range(self.workers)]
        try:
            self.stats.no_network = all([ping.result() for ping in pings])
        except BrokenProcessPool:
            self._kill(wait_seconds=0.0)
            raise TournamentError("the worker processes could not start (if you run tournaments from a script of "
                                  "your own, guard its code with if __name__ == '__main__':)") from None
        self.stats.startup_seconds += time.perf_counter() - t0
        return self.executor

    def _kill(self, wait_seconds: float = 5.0) -> None:
        """Shut the pool down: idle workers exit by themselves (closing their bots); stragglers are terminated."""
        ex = self.executor
        if ex is None:
            return
        # ProcessPoolExecutor has no public terminate before Python 3.14; its process table is stable.
        procs = list(getattr(ex, "_processes", {}).values())
        ex.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + wait_seconds
        for p in procs:
            p.join(max(0.0, deadline - time.monotonic()))
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join(5)
        self.executor = None

    def play(self, todo: list[MatchKey], record: Callable[[MatchKey, dict[str, Any]], None],
             stop_after: int | None) -> None:
        """Play `todo`, calling `record` for each finished match in the parent; returns when done or stopped."""
        queue: list[tuple[list[MatchKey], bool]] = [
            (c, False) for c in plan_chunks(todo, self.workers, self.payload["specs"])]
        queue.reverse()  # pop() from the end keeps the canonical order
        in_flight: dict[Future, tuple[list[MatchKey], bool]] = {}

        def take(results: list[tuple[MatchKey, dict[str, Any]]]) -> None:
            """Log a finished chunk's matches (and stop once `stop_after` matches are logged)."""
            for key, summary in results:
                record(key, summary)
                if stop_after is not None and self.stats.played >= stop_after:
                    self.stop.set()

        try:
            ex = self._start()
            blameless = 0
            while queue or in_flight:
                broke = False
                while queue and len(in_flight) < 2 * self.workers and not self.stop.is_set():
                    # A suspect (a match that was in flight when a worker died) plays alone, so that if it
                    # kills its worker again, it is certainly the one to blame.
                    if queue[-1][1] and in_flight or any(single for _, single in in_flight.values()):
                        break
                    chunk, single = queue[-1]
                    try:
                        fut = ex.submit(worker.play_chunk, chunk)
                    except BrokenProcessPool:
                        broke = True  # a worker died since the last wait; this chunk never left the queue
                        break
                    queue.pop()
                    in_flight[fut] = (chunk, single)
                if not in_flight and not broke:
                    break
                finished = set() if broke else wait(list(in_flight), timeout=0.5, return_when=FIRST_COMPLETED)[0]
                for fut in finished:
                    try:
                        results = fut.result()
                    except BrokenProcessPool:
                        broke = True  # stays in flight: settled below with every other chunk the pool held
                        continue
                    in_flight.pop(fut)
                    take(results)
                if broke:
                    lost = self._settle(in_flight, take)
                    if lost:
                        blameless = 0
                    else:
                        blameless += 1  # a worker died between chunks: nothing to replay, but not forever
                        if blameless >= 3:
                            raise TournamentError("the worker processes keep dying between matches")
                    # Retry each match of a lost chunk alone; one that kills a worker again is logged as an
                    # error instead of stopping the tournament.
                    for chunk, single in lost:
                        if single:
                            key = chunk[0]
                            record(key, worker.error_summary(key, self.payload["names"], self.sides,
                                                             worker.engine_seed(self.payload, key.rep),
                                                             "the worker process died playing this match"))
                        else:
                            queue.extend(([k], True) for k in reversed(chunk))
                            self.stats.retried += len(chunk)
                    ex = self._start()
                if self.stop.is_set() and not in_flight:
                    break
                if self.stop.is_set():
                    queue.clear()
        except KeyboardInterrupt:
            self._drain(in_flight, record)
        finally:
            self._kill()

    def _settle(self, in_flight: dict[Future, tuple[list[MatchKey], bool]],
                take: Callable[[list[tuple[MatchKey, dict[str, Any]]]], None]) -> list[tuple[list[MatchKey], bool]]:
        """The pool broke (a worker died): keep every chunk that finished, shut the pool down, and return the
        chunks that were lost in flight (the suspects).

        The broken pool fails each unfinished future promptly, so waiting for all of them first tells a chunk
        that finished just before the death (kept, not replayed) from one that was lost; only then may the
        pool be shut down (which would cancel the rest)."""
        wait(list(in_flight), timeout=SETTLE_SECONDS)
        lost = []
        for fut, (chunk, single) in in_flight.items():
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                take(fut.result())
            else:
                lost.append((chunk, single))
        in_flight.clear()
        self._kill(wait_seconds=0.0)
        return lost

    def _drain(self, in_flight: dict[Future, tuple[list[MatchKey], bool]],
               record: Callable[[MatchKey, dict[str, Any]], None]) -> None:
        """After Ctrl-C: tell workers to stop between matches and keep what they finished (a second Ctrl-C cuts
        this short)."""
        self.stop.set()
        deadline = time.monotonic() + GRACE_SECONDS
        try:
            while in_flight and time.monotonic() < deadline:
                finished, _ = wait(list(in_flight), timeout=0.2, return_when=FIRST_COMPLETED)
                for fut in finished:
                    in_flight.pop(fut)
                    try:
                        results = fut.result()
                    except Exception:  # noqa: BLE001 - a chunk lost while stopping is replayed on resume
                        continue
                    for key, summary in results:
                        record(key, summary)
        except KeyboardInterrupt:
            pass
