"""The debrief: both cards revealed, each score in its parts, the outcome in words, the claims never caught,
charts of trust and tension with the key moments; save the record, export the debrief, play again."""

from __future__ import annotations

from pathlib import Path

import pygame

from game.ui.app import Scene
from game.ui.text import INK, wrapped_height
from game.ui.theme import colour
from game.ui.widgets import Button, panel


class DebriefScene(Scene):
    """The end of a match, for the class to talk about."""

    def __init__(self, app, session) -> None:
        super().__init__(app)
        from game.debrief import build_debrief
        from game.record import replay

        self.session = session
        m = session.match
        self.record = m.record()
        states = replay(self.record).states
        self.debrief = build_debrief(states, "forfeit" if m.forfeit else None)
        self.seed = session.typed_seed  # None for a resumed game: its engine seed is not one to type again
        self.tab = "summary"
        self.message = ""
        self._chart = None
        self._chart_size = (0, 0)
        m.close()
        if session.save_path is not None:  # `play --save PATH`, as the terminal does at the end
            self.save(session.save_path)

    def layout(self, size: tuple[int, int]) -> None:
        """Tabs at the top, action buttons at the foot."""
        super().layout(size)
        w, h = size
        b = self.body
        mg = max(10, w // 80)
        bh = round(b * 1.9)
        self.head = pygame.Rect(mg, mg, w - 2 * mg, round(b * 4.6))
        tab_y = self.head.bottom + mg // 2
        foot_y = h - mg - bh
        self.area = pygame.Rect(mg, tab_y + bh + mg // 2, w - 2 * mg, foot_y - tab_y - bh - mg)
        tw = (w - 2 * mg) // 4  # a quarter of the width: the labels grow with the font, so no fixed cap
        buttons = [
            Button("tab:summary", "Cards and scores", pygame.Rect(mg, tab_y, tw, bh), lambda: self.show("summary"),
                   selected=self.tab == "summary", size=b, hotkey=pygame.K_1),
            Button("tab:charts", "Charts and moments", pygame.Rect(mg * 2 + tw, tab_y, tw, bh),
                   lambda: self.show("charts"), selected=self.tab == "charts", size=b, hotkey=pygame.K_2),
        ]
        labels = [("save", "Save the record", self.save, "Write the match record for the replay viewer."),
                  ("export", "Export PNG + PDF", self.export, "A picture of this screen and a PDF handout."),
                  ("again", "Play again", self.play_again, "The same seats and seed: a new match."),
                  ("menu", "Menu", self.app.pop, "Back to the main menu.")]
        bw = (w - 2 * mg - 3 * mg) // 4
        for n, (key, label, cb, tip) in enumerate(labels):
            buttons.append(Button(key, label, pygame.Rect(mg + n * (bw + mg), foot_y, bw, bh), cb, tooltip=tip, size=b))
        self.focus.set(buttons)

    def show(self, tab: str) -> None:
        """Switch tabs."""
        self.tab = tab
        self.layout(self.size)

    def _folder(self) -> Path:
        from game.ui.session import saves_dir

        return saves_dir()

    def _stem(self) -> str:
        saver = self.session.match.autosaver
        return saver.stem if saver is not None else f"watch-seed{self.seed if self.seed is not None else 'x'}"

    def save(self, path: Path | None = None) -> None:
        """Save the finished record (beside the autosaves unless a path is given); the autosaves are then cleared."""
        from game.record import save_record

        path = path or self._folder() / f"{self._stem()}.json"
        try:
            save_record(self.record, path)
        except OSError as err:
            self.message = f"Could not save {path}: {err.strerror or err}"
            return
        saver = self.session.match.autosaver
        if saver is not None:
            saver.clear()
        self.message = f"Saved {path} (replay: python main.py replay {path})"

    def export(self) -> None:
        """The screen as a PNG and the debrief as a PDF handout."""
        from game.debrief import debrief_lines
        from game.ui.charts import export_pdf

        folder = self._folder().parent / "debriefs"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            png = folder / f"{self._stem()}.png"
            pygame.image.save(self.app.screen, str(png))
            pdf = export_pdf(self.debrief, debrief_lines(self.debrief), folder / f"{self._stem()}.pdf")
        except (OSError, pygame.error) as err:
            self.message = f"Could not export: {err}"
            return
        self.message = f"Exported {png.name} and {pdf.name} to {folder}"

    def play_again(self) -> None:
        """A new match with the same seats and seed."""
        from game.ui.scenes.board import BoardScene
        from game.ui.session import SessionError, new_session

        s = self.session
        if not s.choices:
            self.message = "This match was loaded from a file: start a new one from the menu."
            return
        try:
            again = new_session(s.choices, s.scenario_path, self.seed)
        except SessionError as err:
            self.message = str(err)
            return
        self.app.replace(BoardScene(self.app, again, watching=not again.people))

    def draw(self, target: pygame.Surface) -> None:
        """The heading, the open tab and the buttons."""
        target.fill(colour("background"))
        b = self.body
        d = self.debrief
        head = panel(target, self.head, "", b)
        INK.line(target, f"The outcome: {d.outcome_words}", head.topleft, round(b * 1.2), bold=True, panel=head)
        scores = ", ".join(f"{name} {v:+g}" for name, v in d.scores)
        INK.block(target, f"{d.verdict} Scores: {scores}." + (f" Seed {self.seed}." if self.seed is not None else ""),
                  pygame.Rect(head.x, head.y + round(b * 1.7), head.width, head.height - round(b * 1.7)),
                  max(18, b - 1), panel=head)
        if self.tab == "summary":
            self._draw_summary(target)
        else:
            self._draw_charts(target)
        self.focus.draw(target)
        if self.message:
            r = pygame.Rect(self.area.x, self.area.bottom - b - 4, self.area.width, b + 4)
            pygame.draw.rect(target, colour("background"), r)
            INK.line(target, self.message, r.topleft, max(18, b - 2), role="warn", panel=r)

    def _draw_summary(self, target) -> None:
        b = self.body
        small = max(18, b - 2)
        d = self.debrief
        a = self.area
        gap = max(10, a.width // 80)
        colw = (a.width - 2 * gap) // 3
        left = panel(target, pygame.Rect(a.x, a.y, colw, a.height), "The hidden cards, revealed", b)
        y = left.y
        for side, card, text in d.cards:
            y = self._para(target, f"{side}: {card}", left, y, small, bold=True)
            y = self._para(target, text, left, y, small)
        y = self._para(target, "Claims never caught", left, y + small // 2, small, bold=True, role="accent")
        for u in d.uncaught or ("None: every claim was true or found out.",):
            y = self._para(target, u, left, y, small)
        for n, (side, parts) in enumerate(d.parts):
            total = sum(v for _, v in parts)
            box = pygame.Rect(a.x + (n + 1) * (colw + gap), a.y, colw, a.height)
            inner = panel(target, box, f"{side}: {total:+g}", b)
            y = inner.y
            for label, v in parts or (("nothing", 0.0),):
                y = self._para(target, f"{v:+g}  {label}", inner, y, small)

    def _para(self, target, text, inner, y, size, bold=False, role="text") -> int:
        h = wrapped_height(text, inner.width, size, bold)
        if y >= inner.bottom:
            return y
        h = min(h, inner.bottom - y)
        return y + INK.block(target, text, pygame.Rect(inner.x, y, inner.width, h), size, bold=bold, role=role,
                             panel=inner)

    def _draw_charts(self, target) -> None:
        b = self.body
        small = max(18, b - 2)
        a = self.area
        gap = max(10, a.width // 80)
        cw = round(a.width * 0.62)
        chart_box = panel(target, pygame.Rect(a.x, a.y, cw, a.height), "", b)
        if self._chart is None or self._chart_size != chart_box.size:
            from game.ui.charts import chart_surface

            self._chart = chart_surface(self.debrief, *chart_box.size, text_px=max(18, self.body - 2))
            self._chart_size = chart_box.size
        target.blit(self._chart, chart_box.topleft)
        inner = panel(target, pygame.Rect(a.x + cw + gap, a.y, a.width - cw - gap, a.height), "Key moments", b)
        y = inner.y
        moments = [m for m in self.debrief.moments if m.kind != "event"] or []
        for m in moments:
            y = self._para(target, f"Round {m.round}: {m.text}", inner, y, small)
        if not moments:
            self._para(target, "No summits, broken promises or exposed claims.", inner, y, small, role="muted")
