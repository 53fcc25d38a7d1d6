"""Scenario files: the default loads, broken files are refused with one line naming file, field and problem."""

from __future__ import annotations

import subprocess
import sys

import pytest

from game.scenario import ScenarioError, default_scenario, load_scenario, parse_scenario
from tests.helpers import BASELINE_TOML, DEFAULT_TOML, ROOT, raw_baseline

# Broken files are made from the frozen GAME.md baseline, so tuning the default file cannot break them.
SOURCE = BASELINE_TOML.read_text(encoding="utf-8")
ROUNDS_LINE = SOURCE.splitlines().index("rounds = 12") + 1


def _broken(old: str, new: str, count: int = 1) -> str:
    """The default file's text with one exact fragment replaced (the fragment must be there)."""
    assert old in SOURCE, f"fragment {old!r} not in the default scenario"
    return SOURCE.replace(old, new, count)


# name, edited text, words the one-line message must contain (besides the file name)
BROKEN = [
    ("missing_field", _broken("\nrounds = 12\n", "\n"), ["rounds", "required"]),
    ("dangling_prerequisite", _broken('requires = ["end_of_war"]', 'requires = ["end_of_wat"]'),
     ["items[peace_treaty].requires", "names no item", "end_of_wat"]),
    ("negative_trust", _broken("opened_at = 10", "opened_at = -5"), ["trust.opened_at", "greater than or equal to 0"]),
    ("negative_item_trust", _broken("min_trust = 0", "min_trust = -3"), ["items[aid].min_trust", "greater than or equal to 0"]),
    ("wrong_type", _broken("\nrounds = 12\n", '\nrounds = "twelve"\n'), ["rounds", "integer"]),
    ("toml_syntax", _broken("\nrounds = 12\n", "\nrounds = = 12\n"), ["TOML syntax error", f"line {ROUNDS_LINE}"]),
    ("unknown_key", _broken("\nrounds = 12\n", "\nrounds = 12\nround_limit = 3\n"), ["round_limit", "not permitted"]),
    ("channel_reference", _broken('requires_channel = "working"', 'requires_channel = "telegraph"'),
     ["channels[hotline].requires_channel", "telegraph"]),
]


def test_baseline_holds_the_numbers_of_game_md():
    """The rule tests' baseline (tests/data/game_md.toml) holds GAME.md's starting numbers (spot checks)."""
    sc = parse_scenario(raw_baseline(), str(BASELINE_TOML))
    assert sc.rounds == 12 and sc.action_points == 2
    assert sc.tension.start == 4 and sc.tension.crisis == 10 and sc.tension.drift == 1
    assert len(sc.items) == 20 and len(sc.event_deck) == 20
    assert {c.id: (c.gain, c.decay, c.weight) for c in sc.channels} == {
        "hotline": (6, 3, 0.40), "working": (4, 2, 0.35), "exchange": (3, 1, 0.25)}
    t = sc.trust
    assert (t.opened_at, t.kept_same, t.kept_other, t.broken_same, t.broken_other, t.diffusion) == (10, 8, 4, 25, 10, 0.1)
    assert {i.id: (i.min_trust, i.cost, i.value) for i in sc.items}["peace_treaty"] == (60, 6, 8)
    assert sc.item_by_id["normalization"].requires == ["liaison_office", "peace_treaty"]
    assert [len(d.cards) for d in sc.decks] == [6, 2, 3]


def test_default_scenario_has_the_shape_of_game_md():
    """The default file has GAME.md's board, channels, sides, item ids and agenda decks (its numbers may be tuned)."""
    sc = default_scenario()
    base = parse_scenario(raw_baseline(), str(BASELINE_TOML))
    assert [a.id for a in sc.actors] == [a.id for a in base.actors]
    assert sc.channel_ids == ("hotline", "working", "exchange") and sc.side_ids == ("us", "dprk")
    assert [i.id for i in sc.items] == [i.id for i in base.items]
    assert {d.id: sorted(c.id for c in d.cards) for d in sc.decks} == {
        d.id: sorted(c.id for c in d.cards) for d in base.decks}
    assert sc.rounds >= 1 and len(sc.event_deck) >= sc.rounds


def test_load_scenario_of_the_default_path_equals_default_scenario():
    """Loading the file by path gives the same content as the cached default."""
    assert load_scenario(DEFAULT_TOML).content_hash == default_scenario().content_hash


@pytest.mark.parametrize("name,text,words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_refused_with_one_line(tmp_path, name, text, words):
    """Each broken file gives ScenarioError: one line naming the file, the field and the problem."""
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(f"{path}: ")
    for w in words:
        assert w in msg, f"{w!r} not in {msg!r}"


def test_missing_file_is_one_line(tmp_path):
    """A path that does not exist is a ScenarioError, not an OSError."""
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "nothing.toml")


@pytest.mark.parametrize("edit,words", [
    (lambda r: r["items"].append(dict(r["items"][0])), ["items", "duplicate id 'aid'"]),
    (lambda r: r["tension"].update(start=10), ["tension.start", "below tension.crisis"]),
    (lambda r: r["items"][0].update(requires=["aid"]), ["items[aid].requires", "require itself"]),
    (lambda r: [i.update(requires=["peace_treaty"]) for i in r["items"] if i["id"] == "end_of_war"],
     ["prerequisites form a cycle"]),
    (lambda r: r["channels"][0].update(weight=0.9), ["channels.weight", "add up to 1"]),
    (lambda r: r["events"].__setitem__(slice(None), r["events"][:1]), ["events", "the deck has 1 cards but the game lasts 12 rounds"]),
    (lambda r: r["decks"][0]["cards"][0]["value"].update(unicorn=2.0), ["decks[motive].cards[sanctions_bite]", "unicorn"]),
    (lambda r: r["events"][0]["effects"].append({"kind": "tension"}), ["events[hardliner_launch].effects", "amount"]),
])
def test_parse_scenario_cross_checks(edit, words):
    """Cross-references and consistency rules are checked when the scenario is parsed."""
    raw = raw_baseline()
    edit(raw)
    with pytest.raises(ScenarioError) as err:
        parse_scenario(raw, "inline.toml")
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("inline.toml: ")
    for w in words:
        assert w in msg, f"{w!r} not in {msg!r}"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_cli_rules_check_refuses_each_broken_file(tmp_path):
    """`rules check BAD.toml`: one stderr line naming the file, exit 2, no traceback."""
    for name, text, words in BROKEN:
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
    # One interpreter for all files keeps the test quick; each file is still checked through main().
    code = (
        "import contextlib, io, json, sys\n"
        "from game.cli import main\n"
        "out = []\n"
        "for p in sys.argv[1:]:\n"
        "    err = io.StringIO(); std = io.StringIO()\n"
        "    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):\n"
        "        rc = main(['rules', 'check', p])\n"
        "    out.append([p, rc, err.getvalue(), std.getvalue()])\n"
        "print(json.dumps(out))\n"
    )
    paths = [str(tmp_path / f"{b[0]}.toml") for b in BROKEN]
    proc = subprocess.run([sys.executable, "-c", code, *paths], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    import json

    for (path, rc, err, out), (name, _, words) in zip(json.loads(proc.stdout), BROKEN):
        assert rc == 2, name
        assert out == "", name
        assert err.count("\n") == 1 and err.startswith("error: "), (name, err)
        assert path in err and "Traceback" not in err
        for w in words:
            assert w in err, (name, w, err)


def test_cli_rules_check_subprocess_exit_code(tmp_path):
    """The real program (main.py) exits 2 with one stderr line on a broken file."""
    path = tmp_path / "bad.toml"
    path.write_text(BROKEN[1][1], encoding="utf-8")
    proc = _cli("rules", "check", str(path))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert str(path) in proc.stderr and "end_of_wat" in proc.stderr


def test_cli_rules_check_default_file():
    """`rules check` on the default file says ok and what it contains."""
    proc = _cli("rules", "check", "rules/summit_2018.toml", "--no-play")  # the quick games are tested in test_rules_cli
    assert proc.returncode == 0, proc.stderr
    assert "ok" in proc.stdout and "20 items" in proc.stdout and "12 rounds" in proc.stdout
    assert proc.stderr == ""


def test_cli_rules_show_default():
    """`rules show` prints the items and the event cards of the default scenario."""
    proc = _cli("rules", "show")
    assert proc.returncode == 0, proc.stderr
    for word in ("Concessions", "liaison_office", "denuclearization", "Event deck", "Typhoon", "Motive"):
        assert word in proc.stdout, word
