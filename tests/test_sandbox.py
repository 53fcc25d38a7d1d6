"""Students' bots in a sandbox: loading, the protocol, every way a bot can fail, and no process left behind."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from game.actions import Action
from game.bots import BotSpecError, make_bot
from game.bots.loader import split_file_spec
from game.bots.sandbox import FORFEIT_KINDS, SandboxedBot
from game.bots.sandbox_child import answer, rebuild_view
from game.cli import main as cli_main
from game.engine import apply, legal_actions, new_game
from game.match import play_match
from game.scenario import default_scenario
from game.view import view


ROOT = Path(__file__).resolve().parent.parent
BOTS = ROOT / "tests" / "data" / "bots"
TEMPLATE = ROOT / "examples" / "my_first_bot.py"
LIMIT = 0.5
HAS_RLIMIT_AS = sys.platform.startswith("linux")


@pytest.fixture(scope="module")
def scenario():
    return default_scenario()


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped by its parent, does not count)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def gone(pids, within: float = 2.0) -> bool:
    """Whether every pid has stopped running within a short grace period (SIGKILL is asynchronous)."""
    end = time.monotonic() + within
    while any(alive(p) for p in pids):
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture(autouse=True)
def no_stray_children():
    """After every test, this process has no new live child (multiprocessing's resource tracker aside)."""
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    yield
    stray = [p for p in me.children(recursive=True)
             if p.pid not in before and alive(p.pid) and "resource_tracker" not in " ".join(_cmdline(p))]
    assert gone([p.pid for p in stray]), f"processes left behind: {stray}"


def _cmdline(p: psutil.Process) -> list[str]:
    try:
        return p.cmdline()
    except psutil.Error:
        return []


def seat(spec: str, **limits) -> SandboxedBot:
    bot = make_bot(spec, time_limit=limits.pop("time_limit", LIMIT), memory_mb=limits.pop("memory_mb", 256))
    assert isinstance(bot, SandboxedBot) and not limits
    return bot


# --- the template and the protocol ------------------------------------------------------------------------------

def test_template_bot_plays_a_whole_match_in_the_sandbox_as_it_does_in_process(scenario):
    with make_bot(f"{TEMPLATE}:MyBot") as bot:
        assert bot.name == "my-first-bot" and "promises" in bot.description
        assert bot.label() == "my_first_bot.py:MyBot" and bot.classifier["sandboxed"]
        assert (bot.time_limit, bot.memory_bytes) == (2.0, 1024 << 20), "the documented defaults"
        pid = bot.pid
        sandboxed = play_match(scenario, 3, {"us": bot, "dprk": make_bot("random")})
        again = play_match(scenario, 3, {"us": make_bot("random"), "dprk": bot})
        assert bot.pid == pid, "one process serves the seat across matches"
    assert sandboxed.forfeit is None and again.forfeit is None
    assert sandboxed.outcome in ("settlement", "peace", "crisis", "plain") and sandboxed.final.is_over
    in_process = play_match(scenario, 3, {"us": _load_class(TEMPLATE, "MyBot")(), "dprk": make_bot("random")})
    assert [(s.action, s.reason) for s in sandboxed.steps] == [(s.action, s.reason) for s in in_process.steps]
    assert gone([pid])


def test_the_cli_plays_a_file_bot_and_closes_it(capsys):
    spec = f"{TEMPLATE.relative_to(ROOT)}:MyBot"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code = cli_main(["match", "--us", spec, "--dprk", "random", "--seed", "3", "--bot-time", "2", "--quiet"])
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert code == 0 and "Outcome: " in out and "forfeits" not in out


@pytest.mark.parametrize("spec, message", [
    ("tests/data/bots/nope.py:MyBot", "bot file tests/data/bots/nope.py does not exist"),
    ("tests/data/bots/broken_syntax.py:Broken", "broken_syntax.py line 5: syntax error"),
    ("tests/data/bots/bad_import.py:NeedsAModule", "bad_import.py line 1: ModuleNotFoundError"),
    ("tests/data/bots/load_problems.py:Nope", "load_problems.py has no class 'Nope'"),
    ("tests/data/bots/load_problems.py:NotABot", "NotABot is not a bot class"),
    ("tests/data/bots/load_problems.py", "name the bot class"),
    ("tests/data/bots/load_problems.py:InitRaises", "ValueError: no constructor for you"),
    ("tests/data/bots/spy.py:Spy:depth=3", "TypeError"),
    ("tests/data/bots/load_problems.py:9Lives", "bad class name '9Lives'"),
])
def test_a_bot_that_cannot_load_is_one_line_on_stderr_and_exit_2(capsys, spec, message):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code = cli_main(["match", "--us", spec, "--dprk", "random", "--quiet"])
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: --us: ") and message in err, err


@pytest.mark.parametrize("limits, message", [
    ({"time_limit": 0}, "time limit must be more than 0"),
    ({"memory_mb": 100}, "memory limit must be at least 128 MB"),
    ({"output_kb": -1}, "output cap must be more than 0"),
])
def test_bad_limits_are_refused_before_any_process_starts(limits, message):
    from game.bots.loader import parse_file_spec

    with pytest.raises(BotSpecError, match=message):
        SandboxedBot(parse_file_spec(str(TEMPLATE)), **limits)


def test_bot_time_must_be_positive(capsys):
    assert cli_main(["match", "--us", str(TEMPLATE), "--bot-time", "0"]) == 2
    assert capsys.readouterr().err == "error: --bot-time: must be more than 0 seconds, not 0\n"


def test_a_bot_file_that_never_finishes_loading_is_a_spec_error():
    from game.bots.loader import parse_file_spec

    with pytest.raises(BotSpecError, match="did not load within 1 s"):
        SandboxedBot(parse_file_spec(str(BOTS / "slow_import.py")), load_time=1.0)


@pytest.mark.parametrize("spec, expected", [
    ("bots/my_bot.py:MyBot", ("bots/my_bot.py", "MyBot", "")),
    ("my_bot.py", ("my_bot.py", None, "")),
    ("my_bot.py:MyBot:depth=3,greedy=0.5", ("my_bot.py", "MyBot", "depth=3,greedy=0.5")),
    ("my_bot.py::depth=3", ("my_bot.py", None, "depth=3")),
    (r"C:\bots\my_bot.py:MyBot", (r"C:\bots\my_bot.py", "MyBot", "")),
    (r"C:\bots\my_bot.py:MyBot:depth=3", (r"C:\bots\my_bot.py", "MyBot", "depth=3")),
    (r"D:\my.python\bot.PY", (r"D:\my.python\bot.PY", None, "")),
])
def test_file_specs_split_unambiguously_windows_paths_included(spec, expected):
    assert split_file_spec(spec) == expected


def test_parameters_reach_the_students_class_and_the_label(tmp_path, scenario):
    with seat(f"{BOTS / 'spy.py'}:Spy:out=spy.jsonl") as bot:
        assert bot.label() == "spy.py:Spy:out=spy.jsonl"
        play_match(scenario, 2, {"us": make_bot("random"), "dprk": bot})
        assert (bot._child.tmp / "spy.jsonl").exists()  # written where a bot may write: its private folder


def test_a_bot_gets_exactly_its_view_as_data_and_nothing_more(tmp_path, scenario):
    with seat(f"{BOTS / 'spy.py'}:Spy:out=spy.jsonl", time_limit=2.0) as bot:
        result = play_match(scenario, 12, {"us": bot, "dprk": make_bot("random")})  # a long match: 36 US turns
        out = bot._child.tmp / "spy.jsonl"
        records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records[0]["reset"] == ["us", None], "the match seed is not handed to a sandboxed bot"
    assert records[0]["argv"] == [str(BOTS / "spy.py")], "nor the parent's command line"
    assert set(records[0]["env"]) <= {"PATH", "LANG", "LC_ALL", "LC_CTYPE", "PYTHONIOENCODING", "TMPDIR", "HOME"}, \
        "nor the parent's environment"
    seen = [r for r in records[1:]]
    state, expected = new_game(scenario, 12), []
    for step in result.steps:
        if state.to_move == "us":
            v = view(state, "us")
            expected.append({"view": json.loads(json.dumps(v.to_dict())),
                             "legal": [str(a) for a in legal_actions(state)], "other": "dprk",
                             "channel": v.channel("working").name})
        state, _ = apply(state, Action.parse(step.action))
    assert seen == expected and len(seen) > 20


def test_the_child_rebuilds_the_very_view_and_reads_answers(scenario):
    state = new_game(scenario, 4)
    rng = __import__("random").Random(4)
    for _ in range(120):
        if state.is_over:
            break
        for side in ("us", "dprk", "all"):
            v = view(state, side)
            assert rebuild_view(json.loads(json.dumps(v.to_dict()))) == v
        state, _ = apply(state, rng.choice(legal_actions(state)))
    assert answer((Action.parse("us pass"), 7)) == {"action": "us pass", "reason": "7"}
    assert answer("  us   pass ") == {"action": "us pass", "reason": ""}
    assert answer(None)["error"] == "garbage" and "forget to return" in answer(None)["detail"]


def test_the_students_rng_is_the_match_rng_so_moves_repeat(tmp_path, scenario):
    spec = f"{BOTS / 'spy.py'}:Spy:out=spy.jsonl"
    def moves(bot):
        return [(s.action, s.reason) for s in play_match(scenario, 5, {"us": bot, "dprk": make_bot("random")}).steps]

    with seat(spec, time_limit=2.0) as bot:
        runs = [moves(bot), moves(bot)]
    in_process = moves(_load_class(BOTS / "spy.py", "Spy")(out=str(tmp_path / "in_process.jsonl")))
    assert runs[0] == runs[1] == in_process


def test_printing_does_not_corrupt_the_protocol(scenario):
    with seat(f"{BOTS / 'misbehaving.py'}:Chatty", time_limit=2.0) as bot:
        chatty = play_match(scenario, 6, {"us": bot, "dprk": make_bot("random")})
        tail = bot.output_tail()
    quiet = play_match(scenario, 6, {"us": _load_class(BOTS / "load_problems.py", "Fine")(),
                                      "dprk": make_bot("random")})
    assert chatty.forfeit is None and [s.action for s in chatty.steps] == [s.action for s in quiet.steps]
    assert '{"id": 1, "action": "us pass"}' in tail and "red" in tail and "\x1b" not in tail and "\x00" not in tail


# --- every way to fail ------------------------------------------------------------------------------------------

CASES = [
    ("Raises", {}, "crash", "KeyError: 'no such key in round"),
    ("Raises", {"after": 5}, "crash", "in helper"),
    ("ResetRaises", {}, "crash", "RuntimeError: reset went wrong"),
    ("SysExit", {}, "exit", "sys.exit(3)"),
    ("OsExit", {}, "exit", "exit code 7"),
    ("ReturnsNumber", {}, "garbage", "choose returned int 42, not an action"),
    ("ReturnsNone", {}, "garbage", "did choose forget to return?"),
    ("ReturnsNonsense", {}, "garbage", "not an action"),
    ("Floods", {}, "garbage", "printed more than 1024 KB"),
    ("WritesToSeat", {}, "garbage", "not part of the protocol"),
    ("Loops", {}, "timeout", f"no answer within {LIMIT:g} s"),
    ("Sleeps", {"after": 3}, "timeout", f"no answer within {LIMIT:g} s"),
]


@pytest.mark.parametrize("cls, params, kind, detail", CASES, ids=[f"{c[0]}{c[1] or ''}" for c in CASES])
def test_a_misbehaving_bot_forfeits_with_its_reason_and_leaves_nothing_behind(scenario, cls, params, kind, detail):
    spec = f"{BOTS / 'misbehaving.py'}:{cls}" + "".join(f":{k}={v}" for k, v in params.items())
    result, pids = _play_to_forfeit(scenario, spec, "dprk")
    assert result.forfeit.kind == kind and result.forfeit.side == "dprk", result.forfeit
    assert detail in result.forfeit.detail and len(result.forfeit.detail) <= 800
    assert result.outcome == "forfeit" and result.scores.keys() == {"us", "dprk"}
    assert gone(pids)


@pytest.mark.parametrize("cls", ["Illegal", "IllegalText"])
def test_an_illegal_action_forfeits_alike_in_the_sandbox_and_in_process(scenario, cls):
    in_process = play_match(scenario, 1, {"us": make_bot("random"), "dprk": _load_class(BOTS / "misbehaving.py", cls)()})
    sandboxed, pids = _play_to_forfeit(scenario, f"{BOTS / 'misbehaving.py'}:{cls}", "dprk")
    assert sandboxed.forfeit.kind == "illegal" and " is not a legal action" in sandboxed.forfeit.detail
    assert (in_process.forfeit.kind, in_process.forfeit.detail) == (sandboxed.forfeit.kind, sandboxed.forfeit.detail)
    assert gone(pids)


def test_a_non_action_forfeits_alike_in_the_sandbox_and_in_process(scenario):
    bot = _load_class(BOTS / "misbehaving.py", "ReturnsNumber")()
    in_process = play_match(scenario, 1, {"us": make_bot("random"), "dprk": bot})
    assert in_process.forfeit.kind == "garbage"


@pytest.mark.parametrize("how", ["group", "session", "orphan"])
def test_a_bot_that_spawns_a_hanging_process_loses_it_with_itself(tmp_path, scenario, how):
    spec = f"{BOTS / 'misbehaving.py'}:Spawns:how={how}"
    result, _ = _play_to_forfeit(scenario, spec, "us", time_limit=1.5)
    assert result.forfeit.kind == "timeout"
    child, grandchild = map(int, re.search(r"pids (\d+) (\d+)", result.forfeit.detail).groups())
    assert gone([child, grandchild])


def test_when_the_program_dies_the_bot_and_its_children_die_too(tmp_path):
    spec = f"{BOTS / 'misbehaving.py'}:Spawns"
    script = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
              "from game.bots import make_bot\nfrom game.match import play_match\n"
              "from game.scenario import default_scenario\n"
              f"bot = make_bot({spec!r}, time_limit=60)\n"
              "print(bot._child.log, flush=True)\n"
              "play_match(default_scenario(), 1, {'us': bot, 'dprk': make_bot('random')})\n")
    program = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    log = Path(program.stdout.readline().strip())
    try:
        end = time.monotonic() + 20
        while "pids" not in log.read_text():
            assert time.monotonic() < end and program.poll() is None, "the bot never started its child"
            time.sleep(0.05)
    finally:
        program.kill()  # no close(), no finalizer, no atexit: the bot must notice by itself
        program.wait()
    pids = list(map(int, re.search(r"pids (\d+) (\d+)", log.read_text()).groups()))
    shutil.rmtree(log.parent, ignore_errors=True)  # the killed program could not remove its seat's folder
    assert gone(pids, within=3.0)


@pytest.mark.skipif(not HAS_RLIMIT_AS, reason="RLIMIT_AS is enforced on Linux only")
@pytest.mark.parametrize("cls", ["Hoards", "HugeList"])
def test_a_bot_over_its_memory_limit_forfeits(scenario, cls):
    result, pids = _play_to_forfeit(scenario, f"{BOTS / 'misbehaving.py'}:{cls}", "us", time_limit=2.0)
    assert result.forfeit.kind == "memory", result.forfeit
    assert gone(pids)


def test_the_memory_poll_used_on_windows_and_macos_catches_a_hoarder(scenario):
    from game.bots.loader import parse_file_spec

    bot = SandboxedBot(parse_file_spec(f"{BOTS / 'misbehaving.py'}:Hoards"), time_limit=3.0, memory_mb=200,
                       memory_check="poll")
    with bot:
        pid = bot.pid
        result = play_match(scenario, 1, {"us": bot, "dprk": make_bot("random")})
    assert result.forfeit.kind == "memory" and "more than the limit of 200 MB" in result.forfeit.detail
    assert gone([pid])


def test_after_a_forfeit_the_next_match_starts_a_fresh_process(scenario):
    pids = []
    with seat(f"{BOTS / 'misbehaving.py'}:Raises:after=4") as bot:
        pids.append(bot.pid)
        one = play_match(scenario, 1, {"us": bot, "dprk": make_bot("random")})
        assert bot.pid is None
        two = play_match(scenario, 1, {"us": bot, "dprk": make_bot("random")},
                         on_step=lambda state, step, happened: pids.append(bot.pid))
    assert None not in pids and len(set(pids)) == 2
    assert one.forfeit.kind == two.forfeit.kind == "crash"
    assert [s.action for s in one.steps] == [s.action for s in two.steps]


def test_close_ends_the_process_and_a_closed_seat_forfeits(scenario):
    bot = seat(f"{TEMPLATE}:MyBot")
    pid = bot.pid
    bot.close()
    bot.close()
    assert gone([pid]) and bot.pid is None
    result = play_match(scenario, 1, {"us": bot, "dprk": make_bot("random")})
    assert result.forfeit.kind == "exit" and result.forfeit.kind in FORFEIT_KINDS


def test_a_forgotten_seat_is_ended_when_collected():
    import gc

    bot = seat(f"{TEMPLATE}:MyBot")
    pid = bot.pid
    del bot
    gc.collect()
    assert gone([pid])


# --- helpers ----------------------------------------------------------------------------------------------------

def _play_to_forfeit(scenario, spec, side, time_limit=LIMIT):
    """Play the bot in `spec` as `side` against random; returns (result, its pids)."""
    bot = seat(spec, time_limit=time_limit)
    other = "us" if side == "dprk" else "dprk"
    try:
        pid = bot.pid
        result = play_match(scenario, 1, {side: bot, other: make_bot("random")})
        assert bot.pid is None, "the seat ends the bot's process when it forfeits"
    finally:
        bot.close()
    assert result.forfeit is not None, f"{spec} did not forfeit"
    return result, [pid]


def _load_class(path: Path, name: str):
    """Import a test bot in this process (the sandbox never does; tests compare with it)."""
    spec = importlib.util.spec_from_file_location(f"in_process_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)
