"""Fair play: a bot learns nothing hidden and reaches nothing outside its own process (issue 15).

The attacks are played by tests/data/bots/attacker.py, which prints one line per attempt.
"""

from __future__ import annotations

import json
import os
import re
import signal
from pathlib import Path

import pytest

from game.bots import fence, landlock, make_bot
from game.bots.loader import load_bot_class
from game.engine import new_game
from game.hidden import hidden_seed, read_secret_file, secret_path, user_secret
from game.match import play_match
from game.record import record_from_result, verify
from game.scenario import default_scenario


BOTS = Path(__file__).resolve().parent / "data" / "bots"
ABI = landlock.abi_version()
needs_landlock = pytest.mark.skipif(ABI < 6, reason="this kernel lacks Landlock ABI 6 (the header says so)")


@pytest.fixture(scope="module")
def scenario():
    return default_scenario()


def attacks(text: str) -> dict[str, str]:
    """The attacker's printed lines: attack name -> 'blocked' or 'DONE'."""
    return {m[0]: m[1] for m in re.findall(r"attack (.+?): (blocked|DONE)", text)}


def test_the_draws_come_from_the_secret_and_the_record_replays_them(scenario):
    secret = user_secret()
    result = play_match(scenario, 5, {"us": make_bot("random"), "dprk": make_bot("random")}, secret=secret)
    assert result.seed == hidden_seed(5, secret) != 5, "the record keeps the engine seed"
    assert new_game(scenario, 5, secret=secret).deck == result.final.deck != new_game(scenario, 5).deck
    again = play_match(scenario, 5, {"us": make_bot("random"), "dprk": make_bot("random")}, secret=secret)
    assert [s.action for s in again.steps] == [s.action for s in result.steps], "the same --seed, the same match"
    assert verify(record_from_result(result)).final.checksum() == result.final.checksum()
    assert hidden_seed(5, b"\0" * 32) != result.seed, "another secret, other draws"


def test_a_bot_cannot_search_its_rng_back_to_the_seed(scenario, capsys):
    cls = load_bot_class(BOTS / "attacker.py", "Attacker")
    # Without a secret (as before issue 15) the search finds the seed in a moment: the attack is real ...
    play_match(scenario, 321, {"us": cls(search=1000, probe=0), "dprk": make_bot("random")})
    assert attacks(capsys.readouterr().out)["seed search"] == "DONE"
    # ... and with the secret mixed in it finds nothing.
    play_match(scenario, 321, {"us": cls(search=1000, probe=0), "dprk": make_bot("random")}, secret=user_secret())
    assert attacks(capsys.readouterr().out)["seed search"] == "blocked"


def test_the_secret_file_is_private_and_refused_when_broken(tmp_path, monkeypatch):
    assert read_secret_file(secret_path()) == user_secret()
    monkeypatch.setenv("CROSSROADS_SECRET_FILE", str(tmp_path / "new" / "secret"))
    made = user_secret()
    assert len(made) == 32 and user_secret() == made
    assert (tmp_path / "new" / "secret").stat().st_mode & 0o077 == 0, "readable by its owner only"
    (tmp_path / "bad").write_text("not hex\n")
    monkeypatch.setenv("CROSSROADS_SECRET_FILE", str(tmp_path / "bad"))
    from game.cli import main as cli_main

    assert cli_main(["match", "--seed", "3", "--quiet"]) == 2


@needs_landlock
def test_a_sandboxed_bot_reaches_nothing_outside_its_process(scenario, tmp_path):
    folder = tmp_path / "tournament"
    folder.mkdir()
    (folder / "tournament.json").write_text(json.dumps({"seed": 1}))
    targets = [str(secret_path()), str(folder / "tournament.json"), str(BOTS / "spy.py"), "/etc/hostname",
               str(Path(__file__))]
    with make_bot(f"{BOTS / 'spy.py'}:Spy:out=spy.jsonl", time_limit=5) as victim:
        spec = f"{BOTS / 'attacker.py'}:Attacker:targets={'|'.join(targets)},victim={victim.pid}"
        with make_bot(spec, time_limit=5) as bot:
            result = play_match(scenario, 3, {"us": bot, "dprk": victim}, secret=user_secret())
            tail = bot._child.log.read_text()
            assert bot.protections == {"files": True, "network": True, "signals": True, "no_new_privs": True,
                                       "subreaper": True}
    found = attacks(tail)
    assert len(found) >= len(targets) + 7 and set(found.values()) == {"blocked"}, tail
    assert result.forfeit is None, "the victim played on"
    assert not (BOTS / "planted.txt").exists()
    assert "--seed" not in tail and "argv ['" + str(BOTS / "attacker.py") + "']" in tail


def test_a_bot_may_read_its_own_folder_only_if_no_one_else_is_in_it(tmp_path):
    own = tmp_path / "alice"
    own.mkdir()
    (own / "bot.py").write_text("")
    (own / "table.json").write_text("{}")
    assert fence.bot_folder(own / "bot.py") == own.resolve()
    (own / "bob.py").write_text("")
    assert fence.bot_folder(own / "bot.py") == (own / "bot.py").resolve(), "another student's file beside it"
    (own / "bob.py").unlink()
    (own / "out").mkdir()
    assert fence.bot_folder(own / "bot.py", [own / "out"]) == (own / "bot.py").resolve(), "a private folder in it"


def test_the_header_says_which_protections_are_on_or_off():
    here = fence.describe(fence.protections())
    if ABI >= 6:
        assert "OFF" not in here and "files (Landlock)" in here and "signals" in here
    off = fence.describe({k: False for k in fence.protections()})
    assert "OFF: files (Landlock), network, signals, no_new_privs, subreaper" in off
    assert "could read or signal" in off


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_landlock_reports_an_unprotected_platform_without_raising(monkeypatch):
    monkeypatch.setattr(landlock, "abi_version", lambda: 0)
    held = landlock.restrict([], []) if os.fork() == 0 else None
    if held is not None:  # the child: report through the exit code, never return into pytest
        os._exit(0 if held["files"] is False and held["signals"] is False else 1)
    _, status = os.wait()
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_forged_or_torn_log_line_is_reported_ignored_and_replayed(tmp_path, capsys):
    from game.cli import main as cli_main
    from game.tournament.runner import LOG, read_log

    out = tmp_path / "t"
    assert cli_main(["tournament", "--bots", "random,hawk", "--repetitions", "3", "--out", str(out),
                     "--no-charts", "--workers", "1"]) == 0
    lines = (out / LOG).read_bytes().splitlines(keepends=True)
    first = json.loads(lines[0])
    forged = dict(first, scores={k: 99.0 for k in first["scores"]})  # the old mac no longer fits
    unsigned = {k: v for k, v in first.items() if k != "mac"}
    tampered = lines[1:3] + [json.dumps(forged).encode() + b"\n", json.dumps(unsigned).encode() + b"\n",
                             lines[4][:40] + b"\n"] + lines[3:4] + lines[5:]
    (out / LOG).write_bytes(b"".join(tampered))  # match 0 and 4 lost, a forgery, an unsigned copy, a fragment
    problems: list[str] = []
    rows = list(read_log(out, problems=problems))
    assert len(rows) == len(lines) - 2 and all(r["scores"] != {"us": 99.0, "dprk": 99.0} for r in rows)
    assert len(problems) == 3 and all("not this tournament's own" in p for p in problems)
    capsys.readouterr()
    assert cli_main(["tournament", "--resume", str(out), "--no-charts"]) == 0
    err = capsys.readouterr().err
    assert "not this tournament's own (ignored)" in err and "played 2 matches" in err
    results = json.loads((out / "results.json").read_text())
    assert results["tournament"]["complete"] and max(b["overall"]["mean"] for b in results["bots"]) < 99


def test_a_log_line_is_checked_on_the_bytes_that_were_authenticated():
    from game.tournament.runner import _authentic, log_line

    key = b"k" * 32
    summary = {"board": {"dprk": 1.5, "us": 2.0}, "outcome": "deal", "players": {"dprk": "b", "us": "a"}, "rep": 3,
               "forfeit": {"side": "us", "kind": "crash", "detail": 'a "quoted" \u00e9 text, "mac":"x"'}}
    line = log_line(summary, key).encode("utf-8")
    assert _authentic(line, key) == summary
    mac = json.loads(line)["mac"]
    member = f',"mac":"{mac}"'.encode()
    forged = line.replace(b'"rep":3', b'"rep":4')
    moved = line.replace(member, b"").replace(b'"us":2.0}', b'"us":2.0' + member + b"}", 1)  # mac nested
    assert moved != line and _authentic(forged, key) is None and _authentic(moved, key) == summary
    spaced = (json.dumps(json.loads(line), sort_keys=True) + "\n").encode()  # another writer's layout: the long way
    assert _authentic(spaced, key) == summary and _authentic(spaced.replace(b'"rep": 3', b'"rep": 4'), key) is None


def test_the_tournament_header_names_the_protections(tmp_path, capsys):
    from game.cli import main as cli_main

    bot = tmp_path / "mine" / "bot.py"
    bot.parent.mkdir()
    bot.write_text((Path(__file__).resolve().parent.parent / "examples" / "my_first_bot.py").read_text())
    assert cli_main(["tournament", "--bots", f"{bot},random", "--repetitions", "1", "--out", str(tmp_path / "t"),
                     "--no-charts", "--workers", "1"]) == 0
    assert fence.describe(fence.protections()) in capsys.readouterr().err


def _rows(out: Path) -> list[str]:
    from game.tournament.runner import read_log

    return sorted(json.dumps({k: v for k, v in r.items() if k != "seconds"}, sort_keys=True) for r in read_log(out))


@pytest.mark.heavy
@pytest.mark.parametrize("how", ["exit", "segv", "spin"])
def test_a_bot_process_that_dies_costs_only_its_own_match(tmp_path, how):
    """Side by side in one process, a match whose bot kills its process forfeits with the real cause; the
    other matches of that process start again and end as they would alone: 1 and 2 workers agree."""
    from game.tournament import TournamentConfig, run_tournament

    # one opponent is enough: its process still runs the bot's other matches side by side when one dies (1 of its 4
    # matches dies, as DPRK in repetition 1); a second opponent only doubled the deaths and restarts, and 4
    # repetitions (2 deaths of 8) only repeated the same death and its restart (and 1 s more spin per run)
    bots = [f"{BOTS / 'sometimes.py'}:Sometimes:how={how},p=0.4", "random"]
    runs = {}
    for workers in (1, 2):
        cfg = TournamentConfig(bots=bots, repetitions=2, seed=5, workers=workers, time_limit=1.0)
        stats, results = run_tournament(cfg, tmp_path / f"w{workers}", charts=False)
        assert results["tournament"]["complete"]
        runs[workers] = _rows(tmp_path / f"w{workers}")
    assert runs[1] == runs[2]
    forfeits = [json.loads(r)["forfeit"] for r in runs[1] if json.loads(r)["forfeit"]]
    assert forfeits and all(f["side"] in ("us", "dprk") for f in forfeits)
    expected = {"exit": "exit code 7", "segv": "SIGSEGV", "spin": "no answer within 1 s"}[how]
    kind = "timeout" if how == "spin" else "exit"
    assert all(f["kind"] == kind and expected in f["detail"] for f in forfeits), forfeits
    assert len(forfeits) < 4, "the innocent matches sharing its process were not forfeited"


def _host_play(spec: str, n: int, **limits):
    from game.bots.host import BotHost
    from game.bots.loader import parse_file_spec
    from game.tournament.batch import play_many
    from game.tournament.worker import forfeit_of

    host = BotHost(parse_file_spec(spec), **limits)
    matches = [(s, s, {"us": host, "dprk": make_bot("random")}) for s in range(n)]
    return host, [r for _, r, _ in play_many(matches, default_scenario(), user_secret(), forfeit_of)]


def test_different_bot_files_at_the_same_seeds_in_one_chunk_play_as_in_process(scenario, tmp_path):
    """Two students' files whose games differ, every pairing at the same seeds in one chunk (as a tournament's
    common random numbers have it): each match is the one the two bots play in this process, so no reply reached
    a match of the same seed but another pairing."""
    from game.bots.host import BotHost
    from game.bots.loader import parse_file_spec
    from game.tournament.batch import play_many
    from game.tournament.worker import forfeit_of

    template = (Path(__file__).resolve().parent.parent / "examples" / "my_first_bot.py").read_text()
    trader = template.replace('{"us": "aid", "dprk": "remains"}', '{"us": "travel", "dprk": "detainees"}')
    assert trader != template
    paths = []
    for name, text in (("student_a", template), ("student_b", trader)):
        path = tmp_path / name / "bot.py"
        path.parent.mkdir()
        path.write_text(text)
        paths.append(path)
    hosts = [BotHost(parse_file_spec(f"{p}:MyBot")) for p in paths]
    classes = [load_bot_class(p, "MyBot") for p in paths]
    pairings = [(0, 1), (1, 0), (0, 0), (1, 1)]
    try:
        matches = [((a, b, seed), seed, {"us": hosts[a], "dprk": hosts[b]}) for seed in range(3)
                   for a, b in pairings]
        hosted = {key: result for key, result, _ in play_many(matches, scenario, user_secret(), forfeit_of)}
    finally:
        for host in hosts:
            host.close()
    assert len(hosted) == len(matches)
    games = {}
    for (a, b, seed), result in hosted.items():
        here = play_match(scenario, seed, {"us": classes[a](), "dprk": classes[b]()}, secret=user_secret())
        assert result.forfeit is None
        assert [(s.action, s.reason) for s in result.steps] == [(s.action, s.reason) for s in here.steps]
        games.setdefault(seed, set()).add(tuple(s.action for s in result.steps))
    assert all(len(g) == len(pairings) for g in games.values()), "the pairings played the same game: no test"


def test_a_stopped_chunk_ends_at_once_and_its_host_plays_on(scenario):
    """Asked to stop (Ctrl-C, the parent's stop), play_many asks for no more decisions, awaits the answers on
    their way and returns only the matches that finished, each as it would have been; the bot file's process
    drops the rest and serves the next chunk as if nothing had happened."""
    from game.bots.host import BotHost
    from game.bots.loader import parse_file_spec
    from game.tournament.batch import play_many
    from game.tournament.worker import forfeit_of

    host = BotHost(parse_file_spec(f"{Path(__file__).resolve().parent.parent / 'examples' / 'my_first_bot.py'}:MyBot"))
    try:
        def chunk():
            return [(s, s, {"us": host, "dprk": host}) for s in range(100)]  # both sides the file's: self-play

        looks = []

        def should_stop():
            looks.append(1)
            return len(looks) >= 2  # the second look, a tenth of a second in: decisions are on their way

        stopped = play_many(chunk(), scenario, user_secret(), forfeit_of, should_stop)
        whole = {key: result for key, result, _ in play_many(chunk(), scenario, user_secret(), forfeit_of)}
        assert len(looks) == 2 and len(stopped) < len(whole) == 100
        for key, result, _ in stopped:
            assert result.outcome != "unfinished" and result.forfeit is None
            assert [s.action for s in result.steps] == [s.action for s in whole[key].steps]
        assert all(r.forfeit is None and r.outcome != "unfinished" for r in whole.values())
    finally:
        host.close()


def test_memory_is_the_whole_process_trees(scenario):
    host, results = _host_play(f"{BOTS / 'sometimes.py'}:Sometimes:how=fork,p=1", 1, memory_mb=256, time_limit=60)
    try:
        f = results[0].forfeit
        assert f is not None and f.kind == "memory" and "its processes together" in f.detail, f
    finally:
        host.close()


def test_a_process_left_with_threads_is_replaced(scenario):
    host, results = _host_play(f"{BOTS / 'sometimes.py'}:Sometimes:how=leak,p=1", 2)
    try:
        assert all(r.forfeit is None for r in results)
        assert host.dirty, "the host noticed the thread left behind"
        pid = host.pid
        host.retire()
        assert host.pid is None and not host.dirty and pid is not None
    finally:
        host.close()


def test_a_process_left_with_a_child_is_replaced(scenario):
    """A bot that leaves a child process running is noticed, and retiring its process ends the child too."""
    import psutil

    host, results = _host_play(f"{BOTS / 'sometimes.py'}:Sometimes:how=child,p=1", 2)
    try:
        assert all(r.forfeit is None for r in results)
        assert host.dirty, "the host noticed the child process left behind"
        children = psutil.Process(host.pid).children(recursive=True)
        assert children, "the bot's child runs"
        host.retire()
        assert host.pid is None and not host.dirty
        assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    finally:
        host.close()


def test_a_hosted_bot_plays_as_it_plays_in_process(scenario):
    """A bot file's process makes the bot's generator from the seed it is sent: the same draws, so the same
    matches, as the generator play_match hands the same bot in this process."""
    spec = f"{Path(__file__).resolve().parent.parent / 'examples' / 'my_first_bot.py'}:MyBot"
    host, hosted = _host_play(spec, 4)
    host.close()
    bot_class = load_bot_class(Path(spec.rsplit(":", 1)[0]), "MyBot")
    for seed, result in enumerate(hosted):
        here = play_match(scenario, seed, {"us": bot_class(), "dprk": make_bot("random")}, secret=user_secret())
        assert [s.action for s in result.steps] == [s.action for s in here.steps]
        assert [s.reason for s in result.steps] == [s.reason for s in here.steps]
