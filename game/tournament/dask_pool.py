"""A lab of machines: play a tournament's matches on an existing Dask distributed cluster.

    python main.py tournament ... --dask tcp://TEACHER-PC:8786

The teacher's machine runs the scheduler (`dask scheduler`) and this parent;
each lab PC runs workers from its copy of the game's folder (the tournament
guide has the steps). The parent plays nothing itself: it sends chunks of
match keys and logs what comes back, exactly as with the built-in pool, so
`matches.jsonl`, resume and every summary are the same as a local run's.

- **Bot files travel with the tasks.** The settings and the bytes of every
  bot file are scattered to the workers once; a worker writes each file into
  a folder of its own (keeping its name) and plays it from there, in the same
  sandbox as a local worker: every limit of the fair-play rules applies there.
- **Records come home.** With --save-records a worker writes a match's record
  in a folder of its own and sends its text back; the parent saves it under
  `records/` as a local run would.
- **A worker that vanishes** loses only the chunk it was playing: the
  scheduler gives that chunk to another worker. A chunk whose workers keep
  dying is split into single matches, and a single match that still kills
  its worker is logged as an error, as the built-in pool does.
- **The same game everywhere.** Each task carries a hash of the parent's game
  code; a worker with another version refuses, in one line naming it.

Dask is imported only here, so the built-in pool needs none of it.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable

from game.bots.teach import clip_detail
from game.tournament import worker
from game.tournament.config import TournamentError, split_file_spec
from game.tournament.schedule import MatchKey

CONNECT_SECONDS = 15.0
DIE_ONCE_ENV = "CROSSROADS_TEST_DASK_DIES_ONCE"  # tests only: "first,second,rep,flagfile": that match's worker dies once
_lock = threading.Lock()   # one chunk at a time per worker process: the worker module keeps one match state
_local: dict[str, Any] = {}


def code_version() -> str:
    """A hash of the game's Python files (not the window's), so every worker plays the same rules as the parent."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("ui/"):
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def shipped_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The worker payload with every bot file's bytes attached, so workers need no shared folder."""
    files: dict[str, dict[str, Any]] = {}
    for spec in payload["specs"]:
        parts = split_file_spec(spec)
        if parts is None:
            continue
        path = Path(parts[0])
        try:
            data = path.read_bytes()
        except OSError as err:
            raise TournamentError(f"bot file {path} cannot be read ({err.strerror or err.__class__.__name__})") from None
        files[spec] = {"path": str(path), "rest": parts[1], "data": data,
                       "hash": hashlib.blake2b(data, digest_size=8).hexdigest()}
    return {**payload, "files": files, "code_version": code_version(), "token": uuid.uuid4().hex}


def _materialise(shipped: dict[str, Any]) -> dict[str, Any]:
    """On a worker: write the bot files into a short folder of this process and point the specs at them."""
    base = Path(tempfile.gettempdir()) / f"cr-{os.getpid()}"
    specs = []
    renames: dict[str, str] = {}
    for spec in shipped["specs"]:
        entry = shipped["files"].get(spec)
        if entry is None:
            specs.append(spec)
            continue
        original = Path(entry["path"])
        folder = base / entry["hash"]
        folder.mkdir(parents=True, exist_ok=True)
        local = folder / original.name
        if not local.exists():
            tmp = folder / (original.name + ".tmp")
            tmp.write_bytes(entry["data"])
            os.replace(tmp, local)
        specs.append(str(local) + entry["rest"])
        renames[str(folder)] = str(original.parent)
    out = Path(tempfile.mkdtemp(prefix="cr-out-"))
    (out / "records").mkdir()
    payload = {k: v for k, v in shipped.items() if k not in ("files", "code_version", "token")}
    payload.update(specs=specs, out=str(out))
    return {"payload": payload, "renames": renames, "out": out}


def _home_paths(text: str, renames: dict[str, str]) -> str:
    """A text from a worker (a crash's traceback) with its copies of the bot files named by their real paths."""
    for local, original in renames.items():
        text = text.replace(local, original)
    return text


def play_chunk_task(shipped: dict[str, Any], keys: list[tuple[int, int, int]]) -> list[tuple[MatchKey, dict]]:
    """A Dask task: play a chunk of matches on this worker and return (key, summary) pairs, records attached."""
    if shipped["code_version"] != code_version():
        raise RuntimeError(f"this worker runs another version of Crossroads than the teacher's machine "
                           f"({code_version()} here, {shipped['code_version']} there): copy the same game folder")
    with _lock:
        me = multiprocessing.current_process()
        if me.daemon:
            # Dask starts its worker processes as daemons, which may not start children; a bot's sandbox is a
            # child process, and it ends itself if this worker dies, which is what the daemon flag is for.
            me.daemon = False
        if _local.get("token") != shipped["token"]:  # this process's first chunk of this tournament
            worker.close_seats()
            _local.clear()
            _local.update(_materialise(shipped))
            _local["token"] = shipped["token"]
            worker.init(_local["payload"], threading.Event())
        _die_once(keys)
        results = worker.play_chunk(keys)
        out = []
        for key, summary in results:
            f = summary.get("forfeit")
            if f is not None:
                detail = _home_paths(f["detail"], _local["renames"])
                f["detail"] = clip_detail(f["kind"], detail, worker.DETAIL_CHARS)
            if "printed" in summary:
                summary["printed"] = {s: _home_paths(t, _local["renames"]) for s, t in summary["printed"].items()}
            if summary.get("record"):
                path = _local["out"] / summary["record"]
                try:
                    summary["record_text"] = path.read_text(encoding="utf-8")
                    path.unlink()
                except OSError:
                    summary.pop("record")
            out.append((key, summary))
        return out


def _die_once(keys: list[tuple[int, int, int]]) -> None:
    """Tests only: end this worker process the first time it plays the named match, as a pulled plug would."""
    spec = os.environ.get(DIE_ONCE_ENV)
    if not spec:
        return
    *key, flag = spec.split(",")
    if tuple(int(k) for k in key) in {tuple(k) for k in keys} and not os.path.exists(flag):
        Path(flag).touch()
        os._exit(70)


def connect(address: str):
    """A Dask client of the scheduler at `address`, or TournamentError in one line."""
    try:
        from distributed import Client
    except ImportError:
        raise TournamentError("--dask needs the dask and distributed packages: pip install 'dask[distributed]'") from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise TournamentError(f"--dask: cannot reach the Dask scheduler at {address} ({err.__class__.__name__}: "
                              f"{' '.join(str(err).split())[:200]})") from None
    return client


class DaskPool:
    """Plays chunks on a Dask cluster with the built-in pool's `play` interface."""

    def __init__(self, payload: dict[str, Any], address: str | Any, sides: list[str], stats: Any, out: Path):
        self.payload = payload
        self.address = address
        self.sides = sides
        self.stats = stats
        self.out = out

    def play(self, todo: list[MatchKey], record: Callable[[MatchKey, dict[str, Any]], None],
             stop_after: int | None) -> None:
        """Play `todo` on the cluster, calling `record` for each finished match; returns when done or stopped."""
        from distributed import as_completed
        from distributed.client import FutureCancelledError

        from game.tournament.pool import plan_chunks

        own = isinstance(self.address, str)
        client = connect(self.address) if own else self.address
        try:
            t0 = time.perf_counter()
            workers = max(1, sum(client.nthreads().values()))
            # Scattered as a one-item list, so it gets a key of its own: a dict would be scattered value by value
            # under its own keys ('bots', 'seed', ...), the same names in every run, and a resume on the same
            # cluster then raced the stopped run's release of them (its scatter hung or played nothing).
            [shipped] = client.scatter([shipped_payload(self.payload)], broadcast=True, hash=False)
            self.stats.startup_seconds += time.perf_counter() - t0
            queue = [(c, False) for c in plan_chunks(todo, workers, self.payload["specs"])]
            queue.reverse()
            running = as_completed(loop=client.loop)
            chunk_of: dict[Any, tuple[list[MatchKey], bool]] = {}
            stopped = False

            def submit_more() -> None:
                while queue and len(chunk_of) < 2 * workers and not stopped:
                    chunk, single = queue.pop()
                    fut = client.submit(play_chunk_task, shipped, [tuple(k) for k in chunk], pure=False)
                    chunk_of[fut] = (chunk, single)
                    running.add(fut)

            submit_more()
            try:
                for fut in running:
                    chunk, single = chunk_of.pop(fut)
                    try:
                        results = fut.result()
                    except FutureCancelledError:
                        continue
                    except Exception as err:  # noqa: BLE001 - Dask re-raises what the worker met
                        if type(err).__name__ != "KilledWorker":
                            text = " ".join(str(err).split())
                            hint = (" (start the scheduler and the workers from the game's folder with python -m: "
                                    "see docs/tournament-guide.md)" if "deserializ" in text else "")
                            raise TournamentError(f"--dask: a worker failed: {text[:300]}{hint}") from None
                        self._lost(chunk, single, queue, record)
                        submit_more()
                        continue
                    for key, summary in results:
                        self._keep_record(summary)
                        record(MatchKey(*key), summary)
                        if stop_after is not None and self.stats.played >= stop_after:
                            stopped = True
                    if stopped:
                        client.cancel(list(chunk_of))
                        break
                    submit_more()
            except KeyboardInterrupt:
                client.cancel(list(chunk_of))
        finally:
            if own:
                client.close()

    def _lost(self, chunk: list[MatchKey], single: bool, queue: list, record) -> None:
        """A chunk whose workers kept dying: replay its matches one by one; a single one is logged as an error."""
        if single:
            key = chunk[0]
            record(key, worker.error_summary(key, self.payload["names"], self.sides,
                                             worker.engine_seed(self.payload, key.rep),
                                             "the worker process died playing this match"))
            return
        queue.extend(([k], True) for k in reversed(chunk))
        self.stats.retried += len(chunk)

    def _keep_record(self, summary: dict[str, Any]) -> None:
        """Save a record a worker sent back where a local worker would have written it."""
        text = summary.pop("record_text", None)
        if text is None or not summary.get("record"):
            return
        path = self.out / summary["record"]
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
