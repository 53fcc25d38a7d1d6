"""The replay viewer: a saved match scrubbed on a timeline, as the room, either side or everything saw it.

One `set_step(i)` redraws the board, the tension gauge, the charts and the log together; the
replay model (game.replaying) keeps every state, so a jump anywhere costs no replaying.
Keys follow lichess's analysis board (the `?` key shows them).
"""

from __future__ import annotations

import pygame

from game.ui.app import Scene
from game.ui.board import BoardRenderer
from game.ui.replay_panels import draw_help, draw_knowledge, draw_log, knowledge_lines
from game.ui.text import INK, line_step, wrap
from game.ui.theme import colour
from game.ui.timeline import Timeline
from game.ui.widgets import Button, panel

SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)   # actions per second while playing
PERSPECTIVE_WORDS = {"public": "Room", "everything": "Everything"}


class ReplayScene(Scene):
    """The viewer of one replay session (game.replaying.ReplaySession)."""

    def __init__(self, app, session) -> None:
        super().__init__(app)
        self.rs = session
        self.sc = session.scenario
        self.names = {s.id: s.name for s in self.sc.sides}
        self.renderer = BoardRenderer(self.sc)
        self.timeline = Timeline(session.markers, session.last, len(session.record.steps), self.set_step)
        self.playing = False
        self.speed_index = 2
        self.clock = 0.0
        self.help = False
        self.message = ""
        self.log_hits: list[tuple[pygame.Rect, int]] = []
        self._charts: dict[tuple[int, int], "ProgressChart"] = {}
        self._chart_wanted: tuple[int, int] | None = None
        self._refresh(animate=False)

    # ------------------------------------------------------------ the one step everything is drawn from

    def set_step(self, i: int, animate: bool = False) -> int:
        """Show the match after `i` actions (clamped): board, gauge, charts and log all follow."""
        before = self.rs.step
        now = self.rs.set_step(i)
        if now != before:
            self._refresh(animate and abs(now - before) == 1)
            if self.size != (0, 0):
                self.rebuild()  # Play on from here is greyed at the end, and Play reads Pause while playing
        return now

    def set_perspective(self, p: str) -> None:
        """Whose eyes the replay is seen with: 'public', a side, or 'everything'."""
        self.rs.set_perspective(p)
        self._refresh(animate=False)
        if self.size != (0, 0):
            self.rebuild()  # the chosen perspective's button shows selected

    def _refresh(self, animate: bool) -> None:
        rs = self.rs
        self.view = self.board_view()
        self.renderer.show(self.view)
        if not animate:  # a jump shows the new state at once; one step forward eases as in a live match
            self.renderer.shown_trust.update(self.renderer.target_trust)
            self.renderer.shown_tension = float(self.view.tension)
            self.renderer.effects.clear()
        self.entries = rs.log()
        self.opening = rs.opening() if rs.step == 0 else []
        self.series = rs.series()

    def board_view(self):
        """The view the board and the panels are drawn from (the spectator's whole view for 'everything')."""
        return self.rs.view()

    # ------------------------------------------------------------ layout

    def layout(self, size: tuple[int, int]) -> None:
        """Top bar with the perspectives, a banner when needed, the timeline and its controls, then four panels."""
        super().layout(size)
        w, h = size
        b = self.body
        m = max(10, w // 100)
        small = max(18, b - 2)
        self.top = pygame.Rect(m, m, w - 2 * m, round(b * 1.4) + line_step(small) + 2 * max(8, b // 2))
        y = self.top.bottom + m
        banners = self.banners()
        self.banner_lines = [(role, ln) for role, text in banners
                             for ln in wrap(text, w - 2 * m - 2 * max(8, b // 2), small, True)][:3]
        self.banner = pygame.Rect(m, y, w - 2 * m, len(self.banner_lines) * line_step(small) + 2 * max(8, b // 2)
                                  if banners else 0)
        if banners:
            y = self.banner.bottom + m
        legend = h >= 700  # below that every line counts: the key help explains the letters instead
        rows = 3 if legend else 2
        self.line_rect = pygame.Rect(m, y, w - 2 * m, rows * line_step(small) + 2 * max(8, small // 2) + 18)
        self.timeline.layout(self.line_rect, small, legend)
        y = self.line_rect.bottom + m // 2
        bh = round(b * 1.8)
        self.controls_y = y
        body_top = y + bh + m
        body_h = h - body_top - m
        left_w = round((w - 3 * m) * 0.56)
        rx = 2 * m + left_w
        # A small window, or one with a banner, needs the board's height most: its labels need the room.
        board_h = round(body_h * (0.66 if h < 700 or banners else 0.58))
        self.board_rect = pygame.Rect(m, body_top, left_w, board_h)
        self.know_rect = pygame.Rect(m, body_top + board_h + m, left_w, body_h - board_h - m)
        log_h = round(body_h * 0.54)
        self.log_rect = pygame.Rect(rx, body_top, w - rx - m, log_h)
        self.chart_rect = pygame.Rect(rx, body_top + log_h + m, w - rx - m, body_h - log_h - m)
        self.rebuild()

    def rebuild(self) -> None:
        """The perspective buttons in the top bar and the controls under the timeline."""
        w, _ = self.size
        b = self.body
        m = max(10, w // 100)
        bh = round(b * 1.8)
        buttons: list[Button] = []
        from game.replaying import PERSPECTIVES

        inner = self.top.inflate(-2 * max(8, b // 2), -2 * max(8, b // 2))
        pw = min(round(b * 7), (inner.width // 2 - 3 * m) // 4)
        x = inner.right - 4 * pw - 3 * (m // 2)
        tips = {"public": "What the room saw during the match: no hidden card, claims unverified.",
                "everything": "Both sides' hidden cards and the truth of every claim: no player saw this."}
        for n, p in enumerate(PERSPECTIVES):
            label = PERSPECTIVE_WORDS.get(p, p.upper())
            tip = tips.get(p, f"What {self.names.get(p, p)} saw at that moment: its own card, the others' claims "
                              "unverified.")
            buttons.append(Button(f"view:{p}", label, pygame.Rect(x + n * (pw + m // 2), inner.centery - bh // 2,
                                                                    pw, bh),
                                  (lambda p=p: self.set_perspective(p)), selected=self.rs.perspective == p, size=b,
                                  tooltip=tip + f" (key {n + 1})"))
        controls = [
            ("start", "|<", lambda: self.set_step(0), "The new game (Home)."),
            ("prev", "<", lambda: self.set_step(self.rs.step - 1), "One action back (Left or k)."),
            ("play", "Pause" if self.playing else "Play", self.toggle_play, "Play or pause (Space)."),
            ("next", ">", lambda: self.set_step(self.rs.step + 1, animate=True), "One action forward (Right or j)."),
            ("end", ">|", lambda: self.set_step(self.rs.last), "The last action (End)."),
            ("speed", f"{SPEEDS[self.speed_index]:g} per s", self.cycle_speed,
             "Actions shown per second while playing (+ faster, - slower)."),
            ("playon", "Play on from here", self.play_on,
             "Start a new game from this point with players you choose (a person or any bot)."),
            ("compare", "Compare", self.compare, "This match and another (a fork of it) side by side."),
            ("help", "Keys (?)", self.toggle_help, "The keys of the viewer."),
            ("menu", "Menu", self.back, "Back to the main menu (Esc)."),
        ]
        widths = [INK.surface(label, b).get_width() + 28 for _, label, _, _ in controls]
        gap = m // 2
        spare = self.size[0] - 2 * m - sum(widths) - gap * (len(widths) - 1)
        widths = [wd + max(spare, 0) // len(widths) for wd in widths]
        x = m
        for (key, label, cb, tip), wd in zip(controls, widths):
            enabled = not (key == "playon" and not self.can_play_on())
            if key == "playon" and not enabled:
                tip = self.play_on_refusal()
            buttons.append(Button(key, label, pygame.Rect(x, self.controls_y, wd, bh), cb, enabled=enabled, size=b,
                                  tooltip=tip))
            x += wd + gap
        self.focus.set(buttons)

    def banners(self) -> list[tuple[str, str]]:
        """(role, text) lines over the timeline: a record that does not verify says where it stops."""
        d = self.rs.divergence
        if d is None:
            return []
        if getattr(d, "at_end", False):
            head = "This record does not verify: every action replays, but the ending it records differs."
        elif d.at == 0:
            head = "This record does not verify: its new game differs from the rules'. Shown: the new game only."
        else:
            head = f"This record does not verify: it diverges at action {d.at}. Shown up to action {self.rs.last}."
        return [("bad", head)]

    def divergence_detail(self) -> str:
        """What the check found, in one line (shown at the foot of the log at the last step that can be shown)."""
        d = self.rs.divergence
        if d is None:
            return ""
        message = d.message
        for prefix in (f"{self.rs.source}: ", f"{str(self.rs.source).replace(chr(92), '/').rsplit('/', 1)[-1]}: "):
            message = message[len(prefix):] if message.startswith(prefix) else message  # the file is named above
        return f"Then: {message}"

    def notice(self) -> tuple[str, str]:
        """(role, text) of the top bar's second line: who played, or that everything is revealed."""
        if self.rs.perspective == "everything":
            return "private", "Everything: both hidden cards revealed"
        return "muted", self.players_line()

    # ------------------------------------------------------------ controls

    def can_play_on(self) -> bool:
        """Whether a new game can start from the shown step (not at the end)."""
        return not self.rs.ended()

    def play_on_refusal(self) -> str:
        """Why Play on from here is greyed."""
        return "The match is over at this point: step back to where you want to play on from."

    def toggle_play(self) -> None:
        """Play or pause (from the start again when at the end)."""
        if not self.playing and self.rs.step >= self.rs.last:
            self.set_step(0)
        self.playing = not self.playing
        self.clock = 0.0
        self.rebuild()

    def change_speed(self, step: int) -> None:
        """Faster (+1) or slower (-1), within the speeds offered."""
        self.speed_index = max(0, min(len(SPEEDS) - 1, self.speed_index + step))
        self.rebuild()

    def cycle_speed(self) -> None:
        """The speed button: the next speed, back to the slowest after the fastest."""
        self.speed_index = (self.speed_index + 1) % len(SPEEDS)
        self.rebuild()

    def toggle_help(self) -> None:
        """Show or hide the key help."""
        self.help = not self.help

    def play_on(self) -> None:
        """Choose the players who take over from the shown step."""
        if not self.can_play_on():
            self.message = self.play_on_refusal()
            return
        from game.ui.scenes.playon import PlayOnScene

        self.playing = False
        self.app.push(PlayOnScene(self.app, self.rs))

    def compare(self) -> None:
        """Pick a record to set beside this one."""
        from game.ui.scenes.replays import ReplaysScene

        self.playing = False
        self.app.push(ReplaysScene(self.app, compare_with=self.rs))

    def handle(self, event: pygame.event.Event) -> None:
        """The viewer's keys first (lichess's), then the timeline, the log and the buttons."""
        if self.help:
            if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
                self.help = False
            return
        if event.type == pygame.KEYDOWN and self._key(event):
            return
        if self.timeline.handle(event):
            self.playing = False
            return
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            hit = next((n for r, n in self.log_hits if r.collidepoint(event.pos)), None)
            if hit is not None:
                self.set_step(hit)
                return
        super().handle(event)

    def _key(self, event) -> bool:
        k, rs = event.key, self.rs
        uni = getattr(event, "unicode", "")
        if uni == "?" or k == pygame.K_QUESTION or (k == pygame.K_SLASH and event.mod & pygame.KMOD_SHIFT):
            self.toggle_help()
        elif k in (pygame.K_RIGHT, pygame.K_j):
            self.set_step(rs.step + 1, animate=True)
        elif k in (pygame.K_LEFT, pygame.K_k):
            self.set_step(rs.step - 1)
        elif k == pygame.K_DOWN:
            self.set_step(rs.next_round(rs.step))
        elif k == pygame.K_UP:
            self.set_step(rs.prev_round(rs.step))
        elif k == pygame.K_HOME:
            self.set_step(0)
        elif k == pygame.K_END:
            self.set_step(rs.last)
        elif k == pygame.K_SPACE:
            self.toggle_play()
        elif k in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.change_speed(1)
        elif k in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.change_speed(-1)
        elif k in (pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4):
            from game.replaying import PERSPECTIVES

            self.set_perspective(PERSPECTIVES[k - pygame.K_1])
        else:
            return False
        if k in (pygame.K_RIGHT, pygame.K_j, pygame.K_LEFT, pygame.K_k, pygame.K_DOWN, pygame.K_UP, pygame.K_HOME,
                 pygame.K_END) and self.playing:
            self.playing = False  # stepping by hand stops the playback, as on lichess
            self.rebuild()
        return True

    def update(self, dt: float) -> bool:
        """Playing: one action every 1/speed seconds until the last; the board's easing; charts asked for."""
        moving = self.renderer.update(dt)
        if self._chart_wanted is not None:
            self._build_charts()
            moving = True
        if not self.playing:
            return moving
        self.clock += dt
        every = 1.0 / SPEEDS[self.speed_index]
        while self.clock >= every and self.playing:
            self.clock -= every
            self.set_step(self.rs.step + 1, animate=True)
            if self.rs.step >= self.rs.last:
                self.playing = False
                self.rebuild()
        return True

    # ------------------------------------------------------------ drawing

    def draw(self, target: pygame.Surface) -> None:
        """Everything, from the one shown step."""
        target.fill(colour("background"))
        b = self.body
        small = max(18, b - 2)
        rs, v = self.rs, self.view
        everything = rs.perspective == "everything"
        top = panel(target, self.top, "", b, edge="private" if everything else "panel_edge")
        half = pygame.Rect(top.x, top.y, self.focus.buttons[0].rect.x - top.x - b, top.height)
        INK.line(target, self.status(), half.topleft, b if self.size[0] < 1200 else round(b * 1.1), bold=True,
                 panel=half)
        role, text = self.notice()
        INK.line(target, text, (half.x, half.bottom - line_step(small)), small, role=role, panel=half, bold=everything)
        if self.banner.height:
            inner = panel(target, self.banner, "", b, edge="bad")
            for n, (role, text) in enumerate(self.banner_lines):
                INK.line(target, text, (inner.x, inner.y + n * line_step(small)), small, bold=True, role=role,
                         panel=inner)
        self.timeline.draw(target, rs.step)
        board = panel(target, self.board_rect, "", b)
        gauge = pygame.Rect(board.x, board.y, board.width, round(b * 1.6))
        self.renderer.draw_gauge(target, gauge, small)
        self.renderer.draw(target, pygame.Rect(board.x, gauge.bottom, board.width, board.bottom - gauge.bottom), b)
        self._draw_charts(target)
        panel(target, self.log_rect, "", b)
        self.log_hits = draw_log(target, self.log_rect, self.entries, self.names, rs.step, b,
                                 opening=self.opening,
                                 trailer=self.divergence_detail() if rs.step == rs.last else "")
        panel(target, self.know_rect, "", b)
        p = rs.perspective
        who = self.names.get(p, p)
        title = {"public": "What the room knew: no hidden card", "everything": "Both cards (no player saw both)"}.get(p, f"What {who} knew")
        owners = {d.id: self.names.get(d.side, d.side) for d in getattr(self.sc, "decks", ())}
        draw_knowledge(target, self.know_rect, title, knowledge_lines(p, v, self.names, who, owners), b)
        self.focus.draw(target)
        if self.message:
            r = pygame.Rect(self.chart_rect.x, self.chart_rect.bottom - line_step(small) - 8, self.chart_rect.width,
                            line_step(small))
            pygame.draw.rect(target, colour("background"), r)
            INK.line(target, self.message, r.topleft, small, role="warn", panel=r)

    def draw_overlays(self, target: pygame.Surface) -> None:
        """The buttons' tooltips, and the key help over everything."""
        super().draw_overlays(target)
        if self.help:
            draw_help(target, self.body)

    def status(self) -> str:
        """Where the replay stands, in words."""
        rs, v = self.rs, self.view
        total = len(rs.record.steps)
        if rs.ended():
            outcome = rs.summary()["outcome"]
            return f"Round {v.round} of {v.rounds} - action {rs.step} of {total} - the end: {outcome}"
        if rs.step == 0:
            return f"The new game - {total} actions in the record"
        mover = self.names.get(v.to_move, v.to_move)
        return f"Round {v.round} of {v.rounds} - action {rs.step} of {total} - {mover} to move"

    def players_line(self) -> str:
        """The file, who played, and where a fork came from and who took over."""
        rs = self.rs
        sides = " vs ".join(f"{self.names.get(s, s)}: {label}" for s, label in rs.players.items())
        name = str(rs.source).replace("\\", "/").rsplit("/", 1)[-1]
        fork = rs.record.forked_from
        extra = ""
        if fork is not None:
            extra = f" - forked at action {fork.at}" + (f" of {fork.source}" if fork.source else "")
        for t in rs.record.takeovers:
            extra += f"; from action {t.at + 1}: " + ", ".join(p.label() for p in t.players.values())
        return f"{name}: {sides}{extra}"

    def _draw_charts(self, target) -> None:
        b = self.body
        inner = panel(target, self.chart_rect, "", b).inflate(4, 4)
        if inner.width < 240 or inner.height < 140:  # too small to read: left out rather than squeezed
            return
        # Drawn once for the whole match (per size), then shown up to the step by covering the rest: a jump
        # to another round costs a blit, not a matplotlib figure.
        # matplotlib takes a few tenths of a second: the first frame shows the record at once and the charts
        # follow on the next (see update).
        chart = self._charts.get(inner.size)
        if chart is None:
            self._chart_wanted = inner.size
            INK.line(target, "Drawing the charts...", inner.center, max(18, b - 2), role="muted", anchor="center",
                     panel=inner)
            return
        chart.draw(target, inner.topleft, self.series)

    def _build_charts(self) -> None:
        """Draw the whole match's charts once for the panel's size (what _draw_charts asked for)."""
        from game.ui.charts import ProgressChart

        size, self._chart_wanted = self._chart_wanted, None
        self._charts = {size: ProgressChart(self.rs.series(self.rs.last), self.sc.rounds, *size,
                                            text_px=max(18, self.body - 2), crisis=self.sc.tension.crisis)}
