"""The engine's command line: the overview, a terminal match, its per-side transcript, and one-line errors."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from game.cli import main
from game.hidden import user_secret
from game.engine import new_game
from game.scenario import default_scenario
from tests.helpers import ROOT


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_overview_with_help(capsys):
    """`python main.py --help` prints what the program can do (without arguments the window opens: test_ui_cli)."""
    rc, out, err = run(capsys, "--help")
    assert rc == 0 and err == ""
    assert "python main.py match --us random --dprk random --seed 7" in out


def test_match_prints_rounds_events_actions_trust_tension_and_result(capsys):
    """A random match prints every round with its event, the turns, trust and tension, and the final result."""
    rc, out, err = run(capsys, "match", "--us", "random", "--dprk", "random", "--seed", "7")
    assert rc == 0 and err == ""
    rounds = re.findall(rf"^== Round (\d+) of {default_scenario().rounds} ==$", out, re.M)
    assert rounds[0] == "1" and [int(r) for r in rounds] == list(range(1, len(rounds) + 1))
    assert out.count("Event: ") == len(rounds)
    assert "-- United States to move" in out and "-- DPRK to move" in out
    assert re.search(r"^End of round 1: tension \d+, trust index [\d.]+$", out, re.M)
    last = out.split("\nDEBRIEF\n")[0].strip().splitlines()[-1]
    assert re.fullmatch(r"Outcome: (plain|peace|crisis|settlement); us -?[\d.]+, dprk -?[\d.]+", last), last
    assert "United States held:" in out and "DPRK held:" in out
    assert "Hidden cards:" in out.split("\nDEBRIEF\n")[1]


def test_match_verbose_keeps_every_number(capsys):
    """`--verbose` prints each trust move and the whole board at each round's end instead of a trust summary."""
    out = run(capsys, "match", "--seed", "1", "--verbose")[1]  # a match (under the tests' secret) with trust decay
    assert re.search(r"^End of round 1: tension \d+ \| Leaders' hotline (closed|[\d.]+) \| Working-level", out, re.M)
    assert re.search(r"^    \w[\w' -]+ trust [\d.]+ -> [\d.]+ \((diffusion|unused)\)$", out, re.M)
    assert "    trust: " not in out
    summed = run(capsys, "match", "--seed", "12")[1]
    assert re.search(r"^    trust: (Leaders' hotline|Working-level meetings|Cultural exchanges) [\d.]+ \(", summed, re.M)
    assert " -> " in summed and not re.search(r" trust [\d.]+ -> ", summed)


def test_match_as_the_public_shows_no_private_line(capsys):
    """`--as public` is what the whole room may see: no side's private lines, the result at the end."""
    for seed in (2, 5):
        public = run(capsys, "match", "--seed", str(seed), "--as", "public")[1]
        us = run(capsys, "match", "--seed", str(seed), "--as", "us")[1]
        assert "Intelligence:" not in public and "really did implement" not in public and "only claims" not in public
        assert len(public) <= len(us)
        assert public.split("\nDEBRIEF\n")[0].strip().splitlines()[-1].startswith("Outcome: ")


def test_match_is_the_same_for_the_same_seed_and_differs_for_another(capsys):
    """Same seed, same transcript; another seed, another game."""
    a = run(capsys, "match", "--seed", "11")[1]
    b = run(capsys, "match", "--seed", "11")[1]
    c = run(capsys, "match", "--seed", "12")[1]
    assert a == b and a != c


def test_match_as_a_side_hides_the_other_sides_secrets(capsys):
    """`--as us` prints no private line of the DPRK and names its cards only after the game is over."""
    for seed in range(1, 13):
        full = run(capsys, "match", "--seed", str(seed))[1]
        us = run(capsys, "match", "--seed", str(seed), "--as", "us")[1]
        assert "[private]" not in us
        assert "really did implement" not in us and "only claims" not in us
        s = new_game(default_scenario(), seed, secret=user_secret())  # what the match drew
        body, _, after = us.partition("The game ends")
        names = {c.id: c.name for d in default_scenario().decks for c in d.cards}
        for card in s.agendas[1]:
            assert names[card] not in body, (seed, names[card])
        assert "DPRK held:" in after and "DPRK held:" not in body
        assert len(us) <= len(full)


def test_match_quiet_prints_only_the_result(capsys):
    """`--quiet` prints the outcome line only."""
    rc, out, _ = run(capsys, "match", "--seed", "3", "--quiet")
    assert rc == 0 and out.count("\n") == 1 and out.startswith("Outcome: ")


@pytest.mark.parametrize("argv,words", [
    (["match", "--us", "nobot"], ["--us", "unknown bot 'nobot'"]),
    (["match", "--as", "prc"], ["--as", "prc"]),
    (["match", "--seed", "x"], ["--seed", "invalid int value"]),
    (["match", "--scenario", "no/such/file.toml"], ["no/such/file.toml", "no such file"]),
    (["frobnicate"], ["invalid choice", "frobnicate"]),
    (["rules", "check"], ["path"]),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, words):
    """Bad input: one line on stderr naming what is wrong, exit 2, nothing on stdout."""
    rc, out, err = run(capsys, *argv)
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    for w in words:
        assert w in err


def test_bots_lists_the_random_bot(capsys):
    """`bots` lists the built-in bots with their descriptions."""
    rc, out, _ = run(capsys, "bots")
    assert rc == 0 and re.search(r"^random\s+any legal action", out, re.M)


def test_no_traceback_from_the_real_program():
    """The real program prints one error line, never a traceback, for a bad bot name."""
    proc = subprocess.run([sys.executable, "main.py", "match", "--us", "nobot"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
