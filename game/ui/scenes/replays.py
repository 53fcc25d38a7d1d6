"""Replays: the saved records and autosaves, newest first, with sides, outcome, scores and date.

Choosing one opens the replay viewer; opened from the viewer's Compare, choosing one sets it
beside the match being viewed. A file that cannot be read is one line on this screen.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.ui.app import Scene
from game.ui.text import INK, line_step
from game.ui.theme import colour
from game.ui.widgets import Button


COLUMNS = (("Date", 0.17), ("Players", 0.33), ("Outcome", 0.13), ("Scores", 0.19), ("File", 0.18))


def listing_cells(item) -> list[str]:
    """One row of the list: date, who played, the outcome, the scores and the file."""
    sides = " vs ".join(f"{s.upper()} {label}" for s, label in item.sides.items())
    scores = ", ".join(f"{s.upper()} {v:g}" for s, v in item.scores.items()) if item.outcome != "unfinished" else ""
    return [item.date, sides, item.outcome, scores, item.path.name + (" (autosave)" if item.autosave else "")]


class ReplaysScene(Scene):
    """The list of replays; `compare_with` (a replay session) makes a choice open Compare instead."""

    def __init__(self, app, compare_with=None) -> None:
        super().__init__(app)
        from game.replaying import list_replays

        self.compare_with = compare_with
        items = list_replays()
        if compare_with is not None:
            items = self._compare_order(items)
        self.items = items
        self.page = 0
        self.message = ""

    def _compare_order(self, items):
        """Without the viewed record itself; the record it was forked from first, then the forks."""
        from game.replaying import find_original

        base = self.compare_with
        own = Path(str(base.source)).resolve()
        original = find_original(base)
        original = original.resolve() if original is not None else None
        rest = [it for it in items if it.path.resolve() != own]
        return sorted(rest, key=lambda it: (it.path.resolve() != original, not it.forked))

    def layout(self, size: tuple[int, int]) -> None:
        """One button per record, a page at a time, Back and More at the foot."""
        super().layout(size)
        w, h = size
        b = self.body
        mg = max(10, w // 40)
        bh = round(b * 1.9)
        self.list_top = mg + round(b * 5.2) + round(b * 1.9)  # under the heading, its line and the column names
        foot = h - mg - bh
        # Three lines over the foot stay free for a file that cannot be opened (its path may be long).
        self.message_box = pygame.Rect(mg, foot - 3 * line_step(max(18, b - 2)) - b // 2, w - 2 * mg,
                                       3 * line_step(max(18, b - 2)))
        rows = max((self.message_box.y - 6 - self.list_top) // (bh + 6), 1)
        pages = max((len(self.items) + rows - 1) // rows, 1)
        self.page %= pages
        buttons = []
        self.rows = {}
        y = self.list_top
        for n, it in enumerate(self.items[self.page * rows:(self.page + 1) * rows]):
            buttons.append(Button(f"replay:{self.page * rows + n}", "", pygame.Rect(mg, y, w - 2 * mg, bh),
                                  (lambda it=it: self.choose(it)), size=max(18, b - 1), tooltip=str(it.path)))
            self.rows[buttons[-1].key] = it
            y += bh + 6
        buttons.append(Button("back", "Back (Esc)", pygame.Rect(mg, foot, b * 9, bh), self.app.pop, size=b))
        if pages > 1:
            buttons.append(Button("more", f"More (page {self.page + 1} of {pages})",
                                  pygame.Rect(mg * 2 + b * 9, foot, b * 14, bh), self.next_page, size=b))
        self.focus.set(buttons)

    def next_page(self) -> None:
        """The next page of records."""
        self.page += 1
        self.layout(self.size)

    def choose(self, item) -> None:
        """Open the record in the viewer (or beside the viewed one), or say in one line why not."""
        from game.replaying import ReplayOpenError, open_replay

        try:
            chosen = open_replay(item.path)
        except ReplayOpenError as err:
            self.message = str(err)
            return
        if self.compare_with is not None:
            from game.ui.scenes.compare import CompareScene

            self.app.replace(CompareScene(self.app, self.compare_with, chosen))
            return
        from game.ui.scenes.replay import ReplayScene

        self.app.push(ReplayScene(self.app, chosen))

    def _cells(self, target, rect: pygame.Rect, cells: list[str], size: int, role: str) -> None:
        """A row's cells in the list's columns, each cut to its column."""
        x = rect.x + 10
        width = rect.width - 20
        for text, (_, frac) in zip(cells, COLUMNS):
            col = pygame.Rect(x, rect.y, round(width * frac) - 12, rect.height)
            INK.line(target, text, (col.x, col.centery), size, role=role, panel=col, anchor="midleft")
            x += round(width * frac)

    def draw(self, target: pygame.Surface) -> None:
        """The heading, a line on what the list holds, the rows and any message."""
        target.fill(colour("background"))
        b = self.body
        w, h = self.size
        mg = max(10, w // 40)
        page = target.get_rect().inflate(-2 * mg, -10)
        if self.compare_with is not None:
            title = "Compare with which match?"
            sub = "The match this one was forked from, and its forks, are listed first."
        else:
            title = "Replays"
            sub = "Saved matches and autosaves, newest first: choose one to watch it again."
        if not self.items:
            sub = ("No saved matches yet: save one on the debrief (Save the record), or with "
                   "python main.py match --save FILE.")
        INK.line(target, title, (page.x, mg), round(b * 1.5), bold=True, panel=page)
        INK.block(target, sub, pygame.Rect(page.x, mg + round(b * 2.4), page.width, round(b * 2.6)), b, role="muted",
                  panel=page)
        self.focus.draw(target)
        small = max(18, b - 1)
        if self.items:
            self._cells(target, pygame.Rect(mg, self.list_top - round(b * 1.9) - 2, w - 2 * mg, round(b * 1.9)),
                        [c for c, _ in COLUMNS], small, "muted")
        for button in self.focus.buttons:
            it = self.rows.get(button.key)
            if it is not None:
                self._cells(target, button.rect, listing_cells(it), small, "text")
        if self.message:
            box = self.message_box
            INK.block(target, self.message, box, max(18, b - 2), role="warn", panel=box, spacing=1.1)
