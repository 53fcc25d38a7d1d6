"""Atomic saving: a save that fails or is killed at any point leaves the old file or the new one, complete."""

from __future__ import annotations

import errno
import multiprocessing
import os
import random
import signal
import time

import pytest

import game.record.files as rec  # the module whose _write_chunk and os the saves use
from game.bots import make_bot
from game.match import play_match
from game.record import Autosaver, fork, load_record, record_from_result, record_json, save_record, temp_files
from game.scenario import default_scenario


@pytest.fixture(scope="module")
def records():
    """Two different records (old and new) of one match."""
    result = play_match(default_scenario(), 14, {"us": make_bot("dove"), "dprk": make_bot("verifier")})
    full = record_from_result(result, started="2026-01-05T09:00:00+00:00", ended="2026-01-05T09:30:00+00:00")
    return fork(full, 20), full


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def _failing_after(budget: int):
    """A `_write_chunk` that writes `budget` bytes in all and then fails as a full disk would."""
    left = [budget]

    def write(fd, data):
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = os.write(fd, data[:min(len(data), left[0], 4096)])
        left[0] -= n
        return n

    return write


def test_a_write_that_fails_half_way_leaves_the_old_file(tmp_path, records, monkeypatch):
    old, new = records
    path = tmp_path / "match.json"
    save_record(old, path)
    before = path.read_bytes()
    size = len(record_json(new).encode())
    cuts = [0, 1, size // 2, size - 1] + random.Random(3).sample(range(2, size - 1), 20)
    for cut in cuts:
        monkeypatch.setattr(rec, "_write_chunk", _failing_after(cut))
        with pytest.raises(OSError, match="No space"):
            save_record(new, path)
        assert path.read_bytes() == before, f"torn after {cut} bytes"
        assert _files(tmp_path) == ["match.json"], f"temp file left after {cut} bytes"
    monkeypatch.undo()
    save_record(new, path)
    assert load_record(path) == new and _files(tmp_path) == ["match.json"]


def test_a_first_save_that_fails_leaves_nothing(tmp_path, records, monkeypatch):
    monkeypatch.setattr(rec, "_write_chunk", _failing_after(100))
    with pytest.raises(OSError):
        save_record(records[0], tmp_path / "m.json")
    assert _files(tmp_path) == []


def test_short_writes_are_continued(tmp_path, records, monkeypatch):
    monkeypatch.setattr(rec, "_write_chunk", lambda fd, data: os.write(fd, data[:777]))
    save_record(records[1], tmp_path / "m.json")
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == record_json(records[1])


@pytest.mark.parametrize("broken", ["fsync", "replace"])
def test_failing_fsync_or_replace_leaves_the_old_file(tmp_path, records, monkeypatch, broken):
    old, new = records
    path = save_record(old, tmp_path / "m.json")
    before = path.read_bytes()

    def fail(*args):
        raise OSError(errno.EIO, f"{broken} failed")

    monkeypatch.setattr(rec.os, broken, fail)
    with pytest.raises(OSError, match=f"{broken} failed"):
        save_record(new, path)
    monkeypatch.undo()
    assert path.read_bytes() == before and _files(tmp_path) == ["m.json"]


def test_an_autosave_that_fails_keeps_the_older_autosaves(tmp_path, records, monkeypatch):
    old, new = records
    saver = Autosaver(tmp_path, "g")
    saver.save(fork(new, 5))
    saver.save(old)
    before = [p.read_bytes() for p in saver.paths()]
    monkeypatch.setattr(rec, "_write_chunk", _failing_after(5000))
    with pytest.raises(OSError):
        saver.save(new)
    assert [p.read_bytes() for p in saver.paths()] == before
    assert _files(tmp_path) == ["g.autosave1.json", "g.autosave2.json"]


# ---------------------------------------------------------------- killed with SIGKILL while writing

def _writer(path: str, texts: list[str], mode: str, started) -> None:
    """Child process: save the records over and over, slowly (256 bytes per write), until killed."""
    import game.record as r
    import game.record.files as files

    records = [r.parse_record(t) for t in texts]

    def slow(fd, data):
        time.sleep(0.0002)
        return os.write(fd, data[:256])

    files._write_chunk = slow
    saver = r.Autosaver(os.path.dirname(path), "auto")
    started.set()
    i = 0
    while True:
        if mode == "save":
            r.save_record(records[i % 2], path)
        else:
            saver.save(records[i % 2])
        i += 1


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
@pytest.mark.parametrize("mode, trials", [("save", 5), ("autosave", 3)])
def test_a_writer_killed_at_a_random_moment_leaves_a_complete_file(tmp_path, records, mode, trials):
    # fork, not spawn: the writer starts with the game already imported (a spawned writer imported it again for each
    # trial, about 0.6 s of CPU each); where and when it is killed is the same either way
    ctx = multiprocessing.get_context("fork")
    texts = [record_json(r) for r in records]
    complete = {t.encode("utf-8") for t in texts}
    path = tmp_path / "match.json"
    saver = Autosaver(tmp_path, "auto")
    rng = random.Random(mode)
    killed_mid_write = 0
    for _ in range(trials):
        if mode == "save":
            save_record(records[0], path)
        else:
            saver.save(records[0])
        started = ctx.Event()
        child = ctx.Process(target=_writer, args=(str(path), texts, mode, started), daemon=True)
        child.start()
        try:
            assert started.wait(60), "the writer did not start"
            time.sleep(rng.uniform(0.0, 0.06))
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.join(10)
        assert child.exitcode == -signal.SIGKILL
        targets = [path] if mode == "save" else saver.paths()
        assert targets
        for target in targets:
            assert target.read_bytes() in complete, f"{target.name} is torn"
            load_record(target)
        assert saver.latest() is not None or mode == "save"
        leftovers = temp_files(path if mode == "save" else saver.path(1))
        killed_mid_write += bool(leftovers)
        # The killed writer could not remove its temporary file: the next save sweeps it.
        if mode == "save":
            save_record(records[1], path)
            assert _files(tmp_path) == ["match.json"]
        else:
            saver.save(records[1])
            assert all(name.startswith("auto.autosave") for name in _files(tmp_path)), _files(tmp_path)
    assert killed_mid_write >= 1, "no kill landed during a write: the test proved nothing"
