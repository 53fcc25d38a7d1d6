"""Compare: two matches side by side (an original and a fork of it): players, outcome, scores and both charts."""

from __future__ import annotations

import pygame

from game.ui.app import Scene
from game.ui.text import INK, line_step, wrapped_height
from game.ui.theme import colour
from game.ui.widgets import Button, panel

class CompareScene(Scene):
    """Left the match that was being viewed, right the one chosen to compare with it."""

    def __init__(self, app, left, right) -> None:
        super().__init__(app)
        self.sessions = (left, right)
        self.comparison = left.compare(right)
        self._charts: dict[tuple, pygame.Surface] = {}

    def layout(self, size: tuple[int, int]) -> None:
        """Two columns; Back and the viewer of the right-hand match at the foot."""
        super().layout(size)
        w, h = size
        b = self.body
        mg = max(10, w // 80)
        bh = round(b * 1.9)
        foot = h - mg - bh
        top = mg + round(b * 2.2)
        colw = (w - 3 * mg) // 2
        self.columns = [pygame.Rect(mg + n * (colw + mg), top, colw, foot - mg - top) for n in range(2)]
        bw = (w - 3 * mg) // 2
        self.focus.set([
            Button("back", "Back to the viewer (Esc)", pygame.Rect(mg, foot, bw, bh), self.app.pop, size=b),
            Button("open", "Watch the right-hand match", pygame.Rect(2 * mg + bw, foot, bw, bh), self.open_right,
                   size=b, tooltip="Open the right-hand match in the replay viewer."),
        ])

    def open_right(self) -> None:
        """The right-hand match in the viewer, in place of this screen."""
        from game.ui.scenes.replay import ReplayScene

        self.app.replace(ReplayScene(self.app, self.sessions[1]))

    def draw(self, target: pygame.Surface) -> None:
        """The heading and the two matches."""
        target.fill(colour("background"))
        b = self.body
        w, _ = self.size
        mg = max(10, w // 80)
        page = target.get_rect().inflate(-2 * mg, 0)
        c = self.comparison
        head = "Compare two matches"
        if c.related and c.common:
            head += f": the same first {c.common} actions, then each its own way"
        INK.line(target, head, (page.x, mg), round(b * 1.4), bold=True, panel=page)
        tops = [self._column(target, rect, rs, self.comparison_side(n))
                for n, (rect, rs) in enumerate(zip(self.columns, self.sessions))]
        y = max(tops)  # both charts at one height, so the two matches read across
        for n, (rect, rs) in enumerate(zip(self.columns, self.sessions)):
            self._chart(target, rect, rs, self.comparison_side(n), y)
        self.focus.draw(target)

    def comparison_side(self, n: int):
        """What the comparison says of one of the two matches (0 left, 1 right): a game.replaying CompareSide."""
        return self.comparison.left if n == 0 else self.comparison.right

    def _column(self, target, rect, rs, facts) -> int:
        """One match's panel and its lines; where the lines end."""
        b = self.body
        small = max(18, b - 2)
        names = self.comparison.sides
        name = str(facts.source).replace("\\", "/").rsplit("/", 1)[-1]
        inner = panel(target, rect, name, b)
        lines = [("text", " vs ".join(f"{names.get(s, s)}: {p}" for s, p in rs.players.items()))]
        fork = facts.forked_from
        if fork is not None:
            lines.append(("muted", f"Forked at action {fork.at} of {fork.of}" + (f" of {fork.source}" if fork.source
                                                                                  else "")))
        for t in rs.record.takeovers:
            lines.append(("muted", f"From action {t.at + 1}: " + ", ".join(f"{names.get(s, s)} {p.label()}"
                                                                          for s, p in t.players.items())))
        if facts.divergence:
            lines.append(("bad", f"Does not verify: shown up to action {facts.actions}"))
        sofar = "" if facts.outcome != "unfinished" else f" after {facts.actions} actions"
        lines.append(("accent", f"Outcome: {facts.outcome}{sofar}"))
        if facts.scores:
            lines.append(("accent", ("Scores so far: " if sofar else "Scores: ") +
                          ", ".join(f"{names.get(s, s)} {v:g}" for s, v in facts.scores.items())))
        y = inner.y
        for role, text in lines:
            bold = role == "accent"
            h = min(wrapped_height(text, inner.width, small, bold), max(inner.bottom - y, 0))
            y += INK.block(target, text, pygame.Rect(inner.x, y, inner.width, h), small, bold=bold, role=role,
                           panel=inner)
        return y

    def _chart(self, target, rect, rs, facts, y: int) -> None:
        """One match's charts from `y` down to the foot of its panel."""
        b = self.body
        small = max(18, b - 2)
        inner = rect.inflate(-2 * max(8, b // 2), -2 * max(8, b // 2))
        chart_box = pygame.Rect(inner.x, y + line_step(small) // 2, inner.width, inner.bottom - y - line_step(small) // 2)
        if chart_box.height < 120:
            return
        key = (id(rs), chart_box.size)
        chart = self._charts.get(key)
        if chart is None:
            from game.ui.charts import progress_surface

            chart = progress_surface(facts.series, rs.scenario.rounds, *chart_box.size, text_px=small,
                                     crisis=rs.scenario.tension.crisis)
            self._charts[key] = chart
        target.blit(chart, chart_box.topleft)
