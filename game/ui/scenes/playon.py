"""Play on from here: the replay forked at the shown action, then a new game with the players chosen here.

The seats are the new-game screen's (a person or any bot); the fork is the replay model's
`play_on` and `start_match`, and the new game autosaves beside the others like any game, its
record noting where it forked and who took over.
"""

from __future__ import annotations

import pygame

from game.ui.scenes.setup import SeatScene, seat_options, side_name
from game.ui.session import saves_dir
from game.ui.text import INK
from game.ui.theme import colour
from game.ui.widgets import Button, TextField, panel


class PlayOnScene(SeatScene):
    """Choose who takes over each side from the replay's shown step, then start."""

    def __init__(self, app, replay) -> None:
        super().__init__(app)
        self.rs = replay
        self.at = replay.step
        self.scenario = replay.scenario
        self.options = seat_options()
        # The same players as in the record, where the screen offers them; else a person.
        self.choice = {}
        for side in self.scenario.side_ids:
            label = str(replay.players.get(side, ""))
            self.choice[side] = next((n for n, o in enumerate(self.options) if o[2] and o[2] == label),
                                     next((n for n, o in enumerate(self.options) if o[1] == "bot"), 0))
        self.choice[self.scenario.side_ids[0]] = 0  # a person takes the first side by default: the class's "what if"
        self.fields: dict[str, TextField] = {}
        self.message = ""

    def layout(self, size: tuple[int, int]) -> None:
        """Two side columns with their seat (and a person's name and PIN), then Start and Back."""
        super().layout(size)
        w, h = size
        b = self.body
        bh = round(b * 2)
        margin = max(20, w // 40)
        colw = (w - 3 * margin) // 2
        buttons, y = self.seat_columns(round(b * 6.5), margin, "Who plays this side from here: click, Enter or "
                                       "Left/Right to change.")
        y += margin
        buttons.append(Button("start", f"Play on from action {self.at}", pygame.Rect(margin, y, colw, bh), self.start,
                              size=b, hotkey=pygame.K_F5,
                              tooltip="A new game from this point; its record notes the fork and who took over."))
        buttons.append(Button("back", "Back", pygame.Rect(2 * margin + colw, y, colw, bh), self.app.pop, size=b))
        self.message_y = y + bh + b
        self.focus.set(buttons)

    def handle(self, event: pygame.event.Event) -> None:
        """Left and right change the focused seat; the rest as any scene."""
        cur = self.focus.current
        if event.type == pygame.KEYDOWN and cur is not None and cur.key.startswith("seat:") and \
                event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.cycle(cur.key.split(":")[1], 1 if event.key == pygame.K_RIGHT else -1)
            return
        super().handle(event)

    def start(self) -> None:
        """Fork at the shown action and start the new game with the chosen seats, autosaving as any new game."""
        from game.record import Autosaver
        from game.replaying import PlayOnError, start_match
        from game.ui.scenes.board import BoardScene
        from game.ui.session import Session, new_stem

        choices = self.choices()
        try:
            record = self.rs.play_on(self.at, choices)
            match = start_match(record, source=str(self.rs.source), autosaver=Autosaver(saves_dir(), new_stem()))
        except PlayOnError as err:
            self.message = str(err)
            return
        session = Session(match, choices)
        self.app.replace(BoardScene(self.app, session, watching=not session.people))

    def draw(self, target: pygame.Surface) -> None:
        """The heading, the two side panels, the buttons and any message."""
        target.fill(colour("background"))
        b = self.body
        page = target.get_rect().inflate(-40, -10)
        INK.line(target, f"Play on from action {self.at}", (page.x, round(b * 1.2)), b * 2, bold=True, panel=page)
        INK.block(target, "Choose who takes over each side. The new game starts from this point of the replay; "
                          "the original record is not changed.",
                  pygame.Rect(page.x, round(b * 3.8), page.width, round(b * 2.6)), b, role="muted", panel=page)
        for side, col in self.columns.items():
            panel(target, col, side_name(self.scenario, side), b)
        self.focus.draw(target)
        if self.message:
            INK.block(target, self.message, pygame.Rect(page.x, self.message_y, page.width, b * 3), b, role="warn")
