"""Load game: the saved and autosaved games in the saves folder, newest first."""

from __future__ import annotations

from datetime import datetime

import pygame

from game.ui.app import Scene
from game.ui.text import INK
from game.ui.theme import colour
from game.ui.widgets import Button


class LoadScene(Scene):
    """Pick a saved game to play on (or to see its debrief if it is finished)."""

    def __init__(self, app, menu) -> None:
        super().__init__(app)
        from game.ui.session import saved_games

        self.menu = menu
        self.files = saved_games()
        self.page = 0

    def layout(self, size: tuple[int, int]) -> None:
        """One button per file, a page at a time."""
        super().layout(size)
        w, h = size
        b = self.body
        mg = max(10, w // 40)
        bh = round(b * 1.9)
        rows = max((h - mg * 2 - b * 3 - bh * 2) // (bh + 6), 1)
        pages = max((len(self.files) + rows - 1) // rows, 1)
        self.page %= pages
        buttons = []
        y = mg + b * 3
        for p in self.files[self.page * rows:(self.page + 1) * rows]:
            when = datetime.fromtimestamp(p.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            buttons.append(Button(f"file:{p.name}", f"{when}   {p.name}", pygame.Rect(mg, y, w - 2 * mg, bh),
                                  (lambda p=p: self.open(p)), size=b, tooltip=str(p)))
            y += bh + 6
        foot = h - mg - bh
        buttons.append(Button("back", "Back (Esc)", pygame.Rect(mg, foot, 240, bh), self.app.pop, size=b))
        if pages > 1:
            buttons.append(Button("more", f"More (page {self.page + 1} of {pages})",
                                  pygame.Rect(mg * 2 + 240, foot, 360, bh), self.next_page, size=b))
        self.focus.set(buttons)

    def next_page(self) -> None:
        """The next page of files."""
        self.page += 1
        self.layout(self.size)

    def open(self, path) -> None:
        """Back to the menu, which opens the game (or says why it cannot)."""
        self.app.pop()
        self.menu.open_saved(path)

    def draw(self, target: pygame.Surface) -> None:
        """The heading and the files."""
        target.fill(colour("background"))
        b = self.body
        page = target.get_rect().inflate(-40, -10)
        title = "Load a saved game" if self.files else "No saved games yet: start one with New game."
        INK.line(target, title, (page.x, max(10, self.size[0] // 40)), round(b * 1.5), bold=True, panel=page)
        self.focus.draw(target)
