"""`check-bot`: one bot in a few lines, or a class's folder one line per bot, before tournament day."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "examples" / "my_first_bot.py"
MISTAKES = ROOT / "tests" / "data" / "bots" / "first_mistakes.py"
QUICK = ["--seeds", "1", "--opponents", "random,hawk"]


def test_a_good_bot_loads_plays_both_roles_and_reports_time_memory_and_scores(capsys):
    code = cli_main(["check-bot", str(TEMPLATE), *QUICK])
    out = capsys.readouterr().out.splitlines()
    assert code == 0, out
    assert out[0].startswith("my_first_bot.py: loads fine as 'my-first-bot'")
    assert out[1] == "played 4 matches: in both roles against random, hawk"
    assert out[2] == "forfeits: none"
    assert out[3].startswith("slowest move: ") and "the limit is 2 s" in out[3]
    assert out[4].startswith("memory: ") and "the limit is 1024 MB" in out[4]
    assert out[5].startswith("mean score as us: ") and "against random " in out[5] and "hawk " in out[5]
    assert out[6].startswith("mean score as dprk: ")


def test_a_forfeiting_bot_shows_the_reason_and_exits_1(capsys):
    code = cli_main(["check-bot", f"{MISTAKES}:Words", *QUICK])
    out = capsys.readouterr().out
    assert code == 1
    assert "forfeits: 4 of 4" in out
    assert "garbage as us against random, seed 1: choose returned the text 'open'" in out


def test_a_bot_that_does_not_load_is_one_line_and_exit_2(capsys):
    code = cli_main(["check-bot", f"{MISTAKES}:Typo", *QUICK])
    out = capsys.readouterr().out.splitlines()
    assert code == 2 and len(out) == 1 and "does not load" in out[0] and "'chose'" in out[0]


@pytest.mark.heavy
def test_a_class_folder_is_one_line_per_bot(tmp_path, capsys):
    shutil.copy(TEMPLATE, tmp_path / "alice.py")
    (tmp_path / "bob.py").write_text("from game.bots import Bot\nclass Bob(Bot)\n    pass\n")
    (tmp_path / "chen.py").write_text(MISTAKES.read_text().split("class Typo")[0]
                                      + "class Chen(Bot):\n    def choose(self, view, legal, rng):\n        return 0\n")
    (tmp_path / "_helper.py").write_text("X = 1\n")  # not a bot: names starting with _ are skipped
    code = cli_main(["check-bot", "--dir", str(tmp_path), *QUICK])
    out = capsys.readouterr().out.splitlines()
    assert code == 2
    assert out[0].startswith("checking 3 bots in ")
    assert out[1].startswith("alice.py  ok  mean ")
    assert out[2].startswith("bob.py    DOES NOT LOAD: bob.py line 2: syntax error")
    assert out[3].startswith("chen.py   FORFEITS 4 of 4: garbage as us against random, seed 1: choose returned int 0")
    assert out[4] == "1 of 3 ready; 1 forfeit; 1 do not load"


def test_check_bot_needs_a_file_or_a_folder(capsys):
    assert cli_main(["check-bot"]) == 2
    assert cli_main(["check-bot", str(TEMPLATE), "--opponents", "nobody"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "name one bot file" in err[0] and "--opponents" in err[1]
