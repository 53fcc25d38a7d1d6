"""The replay viewer in the window, headless: keys step and jump, one set_step redraws every panel, the
perspectives keep the other side's secrets, a tampered record shows its divergence, Play on from here starts a
game from the fork, Compare shows both matches, and the Replays list opens a record."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "disk")

pygame = pytest.importorskip("pygame")

from game.ui.drive import click, press  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"
PEACE = GOLDEN / "peace_dove_trapper.json"


def viewer(app, path=PEACE):
    """The viewer of a record on top of the menu."""
    from game.replaying import open_replay
    from game.ui.scenes.replay import ReplayScene

    scene = ReplayScene(app, open_replay(path))
    app.push(scene)
    app.frame(0.0)
    return scene


def drawn(app) -> str:
    """Every string of one full frame (overlays included), joined."""
    from game.ui.text import INK

    INK.drawn.clear()
    INK.recording = True
    try:
        app.dirty = True
        app.frame(0.0)
    finally:
        INK.recording = False
    return "\n".join(INK.texts())


def key(app, k, uni=""):
    app.frame(0.0, [pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=uni, scancode=0),
                    pygame.event.Event(pygame.KEYUP, key=k, mod=0, unicode=uni, scancode=0)])


def test_keys_step_jump_play_and_show_the_help(app):
    v = viewer(app)
    rs = v.rs
    assert rs.step == 0
    press(app, pygame.K_RIGHT)
    key(app, pygame.K_j, "j")
    assert rs.step == 2
    key(app, pygame.K_k, "k")
    assert rs.step == 1
    press(app, pygame.K_LEFT)
    press(app, pygame.K_LEFT)      # never before the new game
    assert rs.step == 0
    press(app, pygame.K_END)
    assert rs.step == rs.last == len(rs.record.steps)
    press(app, pygame.K_RIGHT)     # never past the end
    assert rs.step == rs.last
    press(app, pygame.K_HOME)
    press(app, pygame.K_DOWN)
    first = rs.step
    assert first > 0 and rs.state(first).round > rs.state(0).round
    press(app, pygame.K_DOWN)
    assert rs.step > first and rs.state().round > rs.state(first).round
    press(app, pygame.K_UP)
    assert rs.step == first
    key(app, pygame.K_SPACE, " ")
    assert v.playing
    for _ in range(5):
        app.frame(0.5)
    assert rs.step > first
    key(app, pygame.K_SPACE, " ")
    assert not v.playing
    at = rs.step
    for k in (pygame.K_F3, pygame.K_z, pygame.K_q, pygame.K_DELETE):   # a wrong key does nothing harmful
        key(app, k)
    assert rs.step == at and app.scene is v
    key(app, pygame.K_SLASH, "?")
    assert v.help and "Keys of the replay viewer" in drawn(app)
    key(app, pygame.K_x, "x")      # any key closes the help, and does nothing else
    assert not v.help and rs.step == at


def test_one_set_step_redraws_the_board_gauge_charts_and_log(app):
    v = viewer(app)
    rs = v.rs
    shown = {}
    for i in (10, rs.last // 2, rs.last):
        v.set_step(i)
        text = drawn(app)
        state = rs.state(i)
        assert v.renderer.view.round == state.round and v.renderer.view.tension == state.tension
        assert v.renderer.shown_tension == state.tension        # a jump shows the new state at once
        assert f"action {i} of {len(rs.record.steps)}" in text
        assert f"Tension {state.tension} of" in text
        assert [e.number for e in v.entries][-1] == i             # the log runs up to the shown action
        assert f"{i}. " in text
        shown[i] = v.series
    assert len({json.dumps(s, sort_keys=True, default=str) for s in shown.values()}) == 3   # the charts follow
    # Scrubbing: a drag along the timeline moves the step with the mouse.
    t = v.timeline.track
    app.frame(0.0, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=(t.x + 2, t.centery))])
    assert rs.step <= 2
    charts = dict(v._charts)
    app.frame(0.0, [pygame.event.Event(pygame.MOUSEMOTION, pos=(t.centerx, t.centery), rel=(0, 0), buttons=(1, 0, 0))])
    assert abs(rs.step - rs.last // 2) <= 2
    app.frame(0.0, [pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=(t.centerx, t.centery))])
    assert not v.timeline.dragging
    # The charts are drawn once for the whole match and shown up to each step: no matplotlib figure per jump.
    assert len(charts) == 1 and v._charts == charts
    # A moment's letter is on the charts only once it has happened.
    summits = [i for i in range(rs.last + 1) if any(m.kind == "summit" for m in rs.series(i)["moments"])]
    assert summits, "the viewer's record has a summit"
    from game.ui.text import INK

    for i, seen in ((summits[0] - 1, False), (summits[0], True)):
        v.set_step(i)
        drawn(app)
        on_charts = [d.text for d in INK.drawn if v.chart_rect.contains(d.rect)]
        assert ("S" in on_charts) is seen, (i, on_charts)


def _card_texts(state, side):
    from game.engine import agenda_cards

    return [t for c in agenda_cards(state, side) for t in (c.name, " ".join(c.text.split()[:5]))]


def test_the_sides_perspectives_never_draw_the_other_sides_card_before_the_end(app):
    v = viewer(app)
    rs = v.rs
    final = rs.state(rs.last)
    assert final.is_over
    for side, key_no in (("us", pygame.K_2), ("dprk", pygame.K_3)):
        other = next(s for s in rs.scenario.side_ids if s != side)
        secrets = _card_texts(final, other)
        key(app, key_no)
        assert rs.perspective == side
        for i in range(0, rs.last, max(rs.last // 12, 1)):
            v.set_step(i)
            text = drawn(app)
            leaked = [s for s in secrets if s in text]
            assert not leaked, f"{side}'s view drew {other}'s card at step {i}: {leaked}"
            assert _card_texts(final, side)[0] in text          # its own card: what it knew
            assert "hidden cards revealed" not in text
    key(app, pygame.K_1)
    v.set_step(rs.last // 2)
    text = drawn(app)
    assert rs.perspective == "public" and not any(s in text for side in rs.scenario.side_ids
                                                   for s in _card_texts(final, side))
    click(app, "view:everything")
    text = drawn(app)
    assert rs.perspective == "everything" and "hidden cards revealed" in text
    assert all(_card_texts(final, side)[0] in text for side in rs.scenario.side_ids)


def test_a_tampered_record_opens_with_the_divergence_banner(app, tmp_path):
    data = json.loads(PEACE.read_text(encoding="utf-8"))
    bad_at = 30
    data["steps"][bad_at - 1]["checksum"] = "0" * len(data["steps"][bad_at - 1]["checksum"])
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    v = viewer(app, path)
    rs = v.rs
    assert rs.divergence is not None and rs.divergence.at == bad_at
    press(app, pygame.K_END)
    assert rs.step == rs.last < bad_at
    text = drawn(app)
    assert f"diverges at action {bad_at}" in text and f"Shown up to action {rs.last}" in text


def test_an_unreadable_file_is_one_line_on_screen_and_on_the_command_line(app, tmp_path, monkeypatch, capsys):
    import game.ui.launch as launch
    from game.cli import main
    from game.ui.scenes.replays import ReplaysScene

    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    scene = ReplaysScene(app)
    app.push(scene)
    scene.choose(type("Item", (), {"path": bad})())
    assert app.scene is scene and scene.message and "\n" not in scene.message
    assert "not a record" in drawn(app)   # wrapped to the screen: the path may take a line of its own
    monkeypatch.setattr(launch, "has_display", lambda: True)
    opened = []
    monkeypatch.setattr(launch, "open_replay_window", lambda session, **kw: opened.append(session) or 0)
    assert main(["replay", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and not opened
    assert main(["replay", str(PEACE), "--as", "dprk"]) == 0
    assert opened and opened[-1].perspective == "dprk"
    assert main(["replay", str(PEACE), "--text"]) == 0 and "Outcome:" in capsys.readouterr().out
    assert len(opened) == 1


def test_play_on_from_here_starts_a_game_from_the_fork(app):
    from game.ui.scenes.playon import PlayOnScene

    v = viewer(app)
    v.set_step(20)
    click(app, "playon")
    scene = app.scene
    assert isinstance(scene, PlayOnScene) and scene.at == 20
    for side in v.rs.scenario.side_ids:   # two bots take over, so the test needs no person
        scene.choice[side] = next(n for n, o in enumerate(scene.options) if o[2] == "passive")
    scene.layout(scene.size)
    click(app, "start")
    board = app.scene
    assert type(board).__name__ == "BoardScene", scene.message
    m = board.match
    original = v.rs.record.steps[:20]
    assert [(x.action, x.checksum) for x in m.steps[:20]] == [(x.action, x.checksum) for x in original]
    record = m.record()
    assert record.forked_from is not None and record.forked_from.at == 20
    assert record.takeovers and record.takeovers[-1].at == 20
    assert {p.label() for p in record.takeovers[-1].players.values()} == {"passive"}


def test_compare_shows_the_original_and_a_fork_side_by_side(app, tmp_path):
    from game.record import fork, load_record, save_record

    (tmp_path / "saves").mkdir(exist_ok=True)
    forked = save_record(fork(load_record(PEACE), 40, source=str(PEACE)), tmp_path / "saves" / "whatif.json")
    v = viewer(app)
    from game.replaying import open_replay
    from game.ui.scenes.compare import CompareScene

    app.push(CompareScene(app, v.rs, open_replay(forked)))
    text = drawn(app)
    assert "peace_dove_trapper.json" in text and "whatif.json" in text
    assert "Forked at action 40 of 97" in text
    assert "Outcome: peace" in text and "Outcome: unfinished" in text
    click(app, "open")
    assert type(app.scene).__name__ == "ReplayScene" and app.scene.rs.last == 40


def test_the_replays_list_opens_a_record_newest_first(app, tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir(exist_ok=True)
    older = shutil.copy(GOLDEN / "crisis_random.json", saves / "older.json")
    newer = shutil.copy(PEACE, saves / "newer.json")
    os.utime(older, (1_700_000_000, 1_700_000_000))
    click(app, "replays")
    scene = app.scene
    assert type(scene).__name__ == "ReplaysScene"
    rows = [b for b in scene.focus.buttons if b.key.startswith("replay:")]
    assert [Path(scene.items[int(b.key.split(":")[1])].path).name for b in rows][:2] == ["newer.json", "older.json"]
    text = drawn(app)
    assert "peace" in text and "crisis" in text
    click(app, rows[0].key)
    assert type(app.scene).__name__ == "ReplayScene" and Path(app.scene.rs.source).name == "newer.json"
    press(app, pygame.K_ESCAPE)
    assert app.scene is scene
    del newer
