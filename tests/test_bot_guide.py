"""docs/writing-a-bot.md's test script must run from any folder, and its error table must match the real errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "writing-a-bot.md"


def guide_script() -> str:
    """The guide's test_my_bot.py (the Python block that plays SEEDS seeds)."""
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    return next(b for b in blocks if "SEEDS = " in b)


def test_the_guides_test_script_runs_from_any_folder(tmp_path):
    bots = tmp_path / "my-bots"
    elsewhere = tmp_path / "somewhere" / "else"
    bots.mkdir()
    elsewhere.mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "my_first_bot.py", bots / "my_bot.py")
    script = guide_script().replace("SEEDS = 100", "SEEDS = 2")
    assert script != guide_script()
    (bots / "test_my_bot.py").write_text(script, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"CROSSROADS": str(ROOT)}
    run = subprocess.run([sys.executable, str(bots / "test_my_bot.py")], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert [ln.split(":")[0] for ln in lines] == ["as us", "as dprk"] and all("0 forfeits" in ln for ln in lines)


def test_the_guides_test_script_says_where_it_looked_for_the_game(tmp_path):
    (tmp_path / "test_my_bot.py").write_text(guide_script(), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"CROSSROADS": str(tmp_path / "nowhere")}
    run = subprocess.run([sys.executable, "test_my_bot.py"], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1 and run.stderr.strip().startswith("the game is not in ")
