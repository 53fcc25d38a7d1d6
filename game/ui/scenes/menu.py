"""The main menu: New game, Continue, Load game, Replays, Watch bots, Rules, Quit."""

from __future__ import annotations

import pygame

from game.ui.app import Scene
from game.ui.text import INK
from game.ui.theme import colour
from game.ui.widgets import Button, stack


class MenuScene(Scene):
    """The first screen; Esc here quits."""

    def __init__(self, app) -> None:
        super().__init__(app)
        self.message = ""

    def layout(self, size: tuple[int, int]) -> None:
        """Seven buttons in a column under the title."""
        super().layout(size)
        from game.ui.session import has_autosave

        w, h = size
        bh = round(self.body * 2.2)
        bw = min(max(w // 3, 360), w - 80)
        x = (w - bw) // 2
        y = round(h * 0.34)
        autosave = has_autosave()
        entries = [
            ("new", "New game", self.new_game, True, "Seat two people, or a person and a bot, and choose a scenario.",
             pygame.K_n),
            ("continue", "Continue", self.continue_game, autosave,
             "Carry on with the game played last, from its latest autosave." if autosave
             else "There is no autosaved game yet.", pygame.K_c),
            ("load", "Load game", self.load_game, True, "Choose a saved game to play on.", pygame.K_l),
            ("replays", "Replays", self.replays, True,
             "Watch a saved match again: step through it as the room, either side or everything, and play on "
             "from any point.", pygame.K_p),
            ("watch", "Watch bots", self.watch, True, "Two bots play while the class watches (story mode available).",
             pygame.K_w),
            ("rules", "Rules", self.rules, True, "The quick start and the student rulebook.", pygame.K_r),
            ("quit", "Quit", self.app.pop, True, "Close the window (every game is already saved).", pygame.K_q),
        ]
        rects = stack(x, y, bw, bh, len(entries), max(8, bh // 5))
        self.focus.set([Button(k, label, r, cb, ok, tip, key, size=self.body + 2)
                        for (k, label, cb, ok, tip, key), r in zip(entries, rects)])

    def draw(self, target: pygame.Surface) -> None:
        """Title, subtitle, the buttons and the last message."""
        target.fill(colour("background"))
        w, h = self.size
        page = target.get_rect().inflate(-40, -20)
        INK.line(target, "Crossroads", (w // 2, round(h * 0.08)), self.body * 3, bold=True, anchor="midtop", panel=page)
        INK.line(target, "A negotiation game: the United States and the DPRK after their first summit",
                 (w // 2, round(h * 0.08) + self.body * 4), self.body, role="muted", anchor="midtop", panel=page)
        self.focus.draw(target)
        if self.message:
            INK.line(target, self.message, (w // 2, h - self.body * 2), self.body, role="warn", anchor="midtop",
                     panel=page)
        INK.line(target, "Keys: arrows or Tab move, Enter chooses, Esc goes back, F11 full screen",
                 (w // 2, h - self.body * 3.4), max(18, self.body - 2), role="muted", anchor="midtop", panel=page)

    def back(self) -> None:
        """Esc on the menu closes the window."""
        self.app.pop()

    def new_game(self) -> None:
        """Open the new-game screen."""
        from game.ui.scenes.setup import SetupScene

        self.app.push(SetupScene(self.app))

    def watch(self) -> None:
        """The new-game screen with two bots seated."""
        from game.ui.scenes.setup import SetupScene

        self.app.push(SetupScene(self.app, watch=True))

    def continue_game(self) -> None:
        """Open the newest autosave on the board."""
        from game.ui.session import latest_autosave

        path = latest_autosave()
        if path is None:
            self.message = "No autosave could be read: choose a game with Load game."
            return
        self.open_saved(path)

    def open_saved(self, path) -> None:
        """Load a saved game and show its board (or say in one line why it cannot be loaded)."""
        from game.ui.scenes.board import BoardScene
        from game.ui.session import SessionError, load_session

        try:
            session = load_session(path)
        except SessionError as err:
            self.message = str(err)
            return
        self.message = ""
        self.app.push(BoardScene(self.app, session))

    def load_game(self) -> None:
        """The list of saved games."""
        from game.ui.scenes.load import LoadScene

        self.app.push(LoadScene(self.app, self))

    def replays(self) -> None:
        """The saved matches to watch again, newest first."""
        from game.ui.scenes.replays import ReplaysScene

        self.app.push(ReplaysScene(self.app))

    def rules(self) -> None:
        """The rulebook, quick start first."""
        from game.ui.scenes.rules import RulesScene

        self.app.push(RulesScene(self.app))
