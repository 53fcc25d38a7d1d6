"""Rankings that reward the lesson (mean score over both roles, ties within the interval) and report.html, checked
as HTML and, where Chromium is installed, in a real headless browser."""

from __future__ import annotations

import html.parser
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from game.tournament import TournamentConfig, run_tournament
from game.tournament.html_report import write_html
from game.tournament.printed import PER_BOT_BYTES, file_for, keep_printed
from game.tournament.results import rank_by_mean

# Its module-scoped fixtures are costly: run the whole file on one test worker (pytest.ini: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_tournament_report")

ROOT = Path(__file__).resolve().parent.parent
CHATTY = ROOT / "tests" / "data" / "bots" / "first_mistakes.py"
FIELD = dict(bots=["hawk", "dove", "trapper", f"{CHATTY}:Chatty", f"{CHATTY}:Words"], repetitions=2, seed=5,
             save_records=True)


def bot(name, mean, half):
    return {"name": name, "overall": {"mean": mean, "ci_low": None if half is None else mean - half,
                                      "ci_high": None if half is None else mean + half}}


def test_ranking_is_by_mean_with_ties_inside_the_head_of_groups_interval():
    ranks = rank_by_mean([bot("a", 5.0, 1.0), bot("b", 12.0, 1.0), bot("c", 11.5, 1.0), bot("d", 10.8, 1.0),
                          bot("e", 7.0, None), bot("f", None, None)])
    assert [(r["name"], r["rank"], r["tied"]) for r in ranks] == [
        ("b", 1, True), ("c", 1, True), ("d", 3, False), ("e", 4, False), ("a", 5, False), ("f", 6, False)]
    # d (10.8) is inside c's interval but not b's: comparing with the group's head stops a chain of ties


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "t"
    stats, results = run_tournament(TournamentConfig(**FIELD, workers=2), out)
    assert stats.complete
    return out, results


def test_results_rank_by_mean_and_keep_wins_losses_and_ratings(played):
    out, results = played
    means = {b["name"]: b["overall"]["mean"] for b in results["bots"]}
    assert results["ranking"] == sorted(means, key=lambda n: -means[n])
    assert results["ranking"][-1] == "first_mistakes:Words"  # forfeits every match
    for b in results["bots"]:
        o = b["overall"]
        assert o["wins"] + o["losses"] + o["draws"] == o["matches"] == 2 * 4 * 2
        assert set(b["rating"]) == {"mu", "sigma", "ordinal"}
    assert sorted(results["rating_ranking"]) == sorted(results["ranking"])
    words = next(b for b in results["bots"] if b["name"] == "first_mistakes:Words")
    assert words["overall"]["forfeits"] == 16
    csv_rows = (out / "results.csv").read_text().splitlines()
    assert csv_rows[1].split(",")[1] == results["ranking"][0]


def test_what_a_bot_prints_is_kept_per_bot_and_never_reaches_the_log(played):
    out, _ = played
    text = file_for(out, "first_mistakes:Chatty").read_text()
    assert text.startswith("--- seed ") and "round 1: " in text
    assert all("printed" not in json.loads(line) for line in (out / "matches.jsonl").read_text().splitlines())


def test_the_printed_file_stops_at_its_cap(tmp_path):
    for rep in range(40):
        keep_printed(tmp_path, {"players": {"us": "alice", "dprk": "hawk"}, "seed": rep, "rep": rep,
                                "printed": {"us": "x" * 10_000}})
    path = file_for(tmp_path, "alice")
    assert PER_BOT_BYTES <= path.stat().st_size <= PER_BOT_BYTES + 200
    assert path.read_text().rstrip().endswith("later output is not kept]")


class _Checker(html.parser.HTMLParser):
    """Collects tags, checks that every opened element (bar the void ones) is closed in order."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.srcs, self.hrefs, self.errors = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if "src" in a:
            self.srcs.append(a["src"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_report_html_is_well_formed_self_contained_and_links_every_record(played):
    out, results = played
    page = (out / "report.html").read_text(encoding="utf-8")
    checker = _Checker()
    checker.feed(page)
    assert not checker.errors and not checker.stack
    assert "script" not in checker.tags
    assert len(checker.srcs) == 3 and all(s.startswith("data:image/png;base64,") for s in checker.srcs)
    records = [h for h in checker.hrefs if h.startswith("records/")]
    assert len(records) == 5 * 4 * 2 and all((out / h).exists() for h in records)
    assert "printed/first_mistakes_Chatty.txt" in checker.hrefs
    assert "choose returned the text" in page  # Words' forfeits, with their reason
    try:
        import html5lib
    except ImportError:
        return
    html5lib.HTMLParser(strict=True).parse(page)  # raises on any parse error


def test_report_html_escapes_what_students_name(played, tmp_path):
    out, results = played
    evil = "<script>alert(1)</script>"
    results = json.loads(json.dumps(results).replace("first_mistakes:Chatty", evil))
    rows = [json.loads(line.replace("first_mistakes:Chatty", evil.replace("/", "\\/")))
            for line in (out / "matches.jsonl").read_text().splitlines()]
    page = write_html(results, tmp_path, [], rows, {}).read_text()
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_report_html_renders_in_headless_chromium(played):
    out, results = played
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          (out / "report.html").as_uri()], capture_output=True, text=True, timeout=120).stdout
    checker = _Checker()
    checker.feed(dom)
    assert checker.tags.count("img") == 3 and checker.tags.count("table") >= 4
    for name in results["ranking"]:
        assert name in dom
    assert "Ranking" in dom and "Head to head" in dom and "Every match" in dom
