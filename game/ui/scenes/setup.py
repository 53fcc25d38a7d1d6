"""The new-game screen: each side a person (name, optional PIN) or a bot; the scenario; the seed."""

from __future__ import annotations

import inspect
from pathlib import Path

import pygame

from game.ui.app import Scene
from game.ui.session import SeatChoice, SessionError, bot_files, new_session, scenario_files
from game.ui.text import INK
from game.ui.theme import colour
from game.ui.widgets import Button, TextField, panel


def side_name(scenario, side: str) -> str:
    """A side's name from the scenario ('United States')."""
    return next((s.name for s in scenario.sides if s.id == side), side)


def seat_options() -> list[tuple[str, str, str]]:
    """(label, kind, bot spec) for every seat the screen offers: a person, each built-in bot, each bot file."""
    from game.bots import BUILTIN

    out = [("A person", "person", "")]
    for name, cls in BUILTIN.items():
        levels = "level" in inspect.signature(cls.__init__).parameters
        if levels:
            out += [(f"Bot: {name} ({lv})", "bot", f"{name}:level={lv}") for lv in ("easy", "normal", "hard")]
        else:
            doc = (cls.description or "").split(".")[0]
            out.append((f"Bot: {name}" + (f" - {doc}" if doc else ""), "bot", name))
    for path in bot_files():
        out.append((f"Bot file: {path.name}", "bot", str(path)))
    return out


class SeatScene(Scene):
    """A screen that seats each side (a person with a name and PIN, or a bot): New game and Play on from here.

    A subclass sets `scenario`, `options` (seat_options()), `choice` (side -> option index) and `fields`.
    """

    SEAT_ROWS = 4.9  # a column's height in button heights: the seat, a name and a PIN

    def seat_columns(self, top: int, margin: int, tooltip: str) -> tuple[list, int]:
        """Each side's column (kept in `columns`) with its widgets, side by side from `top`; and where they end.

        The text typed into a name or PIN stays through the re-layout that changing a seat causes.
        """
        old = {k: f.value for k, f in self.fields.items()}
        self.columns, self.fields = {}, {}
        b = self.body
        bh = round(b * 2)
        colw = (self.size[0] - 3 * margin) // 2
        widgets: list = []
        for n, side in enumerate(self.scenario.side_ids):
            col = pygame.Rect(margin + n * (colw + margin), top, colw, round(bh * self.SEAT_ROWS))
            self.columns[side] = col
            widgets += self.seat_column(side, col.inflate(-2 * max(8, b // 2), -2 * max(8, b // 2)), old, tooltip)
        return widgets, top + round(bh * self.SEAT_ROWS)

    def seat_column(self, side: str, inner: pygame.Rect, old: dict[str, str], tooltip: str) -> list:
        """The seat button of one side's column and, for a person, the name and PIN fields (kept as typed)."""
        b = self.body
        bh = round(b * 2)
        y = inner.y + round(b * 1.5)
        widgets: list = [Button(f"seat:{side}", f"< {self.options[self.choice[side]][0]} >",
                                pygame.Rect(inner.x, y, inner.width, bh), lambda s=side: self.cycle(s, 1),
                                tooltip=tooltip, size=b)]
        if self.options[self.choice[side]][1] == "person":
            y += bh + b // 2
            name = TextField(f"name:{side}", "Name (optional)", pygame.Rect(inner.x, y, inner.width, bh), size=b,
                             limit=40, value=old.get(f"name:{side}", ""))
            y += bh + b // 2
            pin = TextField(f"pin:{side}", "PIN for the hand-off (optional, digits)",
                            pygame.Rect(inner.x, y, inner.width, bh), size=b, limit=6, allowed="0123456789",
                            secret=True, value=old.get(f"pin:{side}", ""))
            self.fields[name.key], self.fields[pin.key] = name, pin
            widgets += [name, pin]
        return widgets

    def cycle(self, side: str, step: int) -> None:
        """The next seat option for a side."""
        self.choice[side] = (self.choice[side] + step) % len(self.options)
        self.layout(self.size)

    def choices(self) -> dict[str, SeatChoice]:
        """What the screen says now, as seat choices."""
        out = {}
        for side in self.scenario.side_ids:
            _, kind, spec = self.options[self.choice[side]]
            name = self.fields.get(f"name:{side}")
            pin = self.fields.get(f"pin:{side}")
            out[side] = SeatChoice(kind, name.value if name else "", spec or "verifier", pin.value if pin else "")
        return out


class SetupScene(SeatScene):
    """Choose the seats, scenario and seed, then Start."""

    def __init__(self, app, watch: bool = False) -> None:
        super().__init__(app)
        from game.scenario import default_scenario

        self.watch = watch
        self.scenario = default_scenario()
        self.scenarios = scenario_files()
        self.scenario_index = 0
        self.options = seat_options()
        bots = [n for n, (_, kind, _) in enumerate(self.options) if kind == "bot"]
        default_bot = next((n for n, o in enumerate(self.options) if o[2] == "verifier"), bots[0])
        self.choice = {s: (default_bot if watch else 0) for s in self.scenario.side_ids}
        if not watch:
            self.choice[self.scenario.side_ids[-1]] = default_bot
        if watch:
            self.choice[self.scenario.side_ids[-1]] = next((n for n, o in enumerate(self.options) if o[2] == "trapper"),
                                                           default_bot)
        self.fields: dict[str, TextField] = {}
        self.message = ""

    def layout(self, size: tuple[int, int]) -> None:
        """Two side columns, then scenario and seed, then Start and Back."""
        old = {k: f.value for k, f in self.fields.items()}
        super().layout(size)
        w, h = size
        b = self.body
        bh = round(b * 2)
        margin = max(20, w // 40)
        colw = (w - 3 * margin) // 2
        buttons, y = self.seat_columns(round(b * 4.5), margin, "Who plays this side: click or Enter to change (a "
                                       "person, a built-in bot with its level, or a student's bot file).")
        y += margin
        name = self.scenario.name if not self.scenarios else self._scenario_label()
        buttons.append(Button("scenario", f"Scenario: < {name} >", pygame.Rect(margin, y, colw, bh),
                              lambda: self.cycle_scenario(1), tooltip="The scenario file from rules/.", size=b))
        seed = TextField("seed", "Seed (blank: random)", pygame.Rect(2 * margin + colw, y, colw, bh), size=b, limit=9,
                         allowed="0123456789", value=old.get("seed", ""))
        self.fields["seed"] = seed
        buttons.append(seed)
        y += bh + margin
        buttons.append(Button("start", "Start the match", pygame.Rect(margin, y, colw, bh), self.start,
                              tooltip="Begin; the seed is shown on the board so the match can be played again.",
                              size=b, hotkey=pygame.K_F5))
        buttons.append(Button("back", "Back", pygame.Rect(2 * margin + colw, y, colw, bh), self.app.pop, size=b))
        self.message_y = y + bh + b
        self.focus.set(buttons)

    def _scenario_label(self) -> str:
        return self.scenarios[self.scenario_index].stem if self.scenarios else self.scenario.id

    def cycle_scenario(self, step: int) -> None:
        """The next scenario file."""
        if self.scenarios:
            self.scenario_index = (self.scenario_index + step) % len(self.scenarios)
            self.layout(self.size)

    def handle(self, event: pygame.event.Event) -> None:
        """Left and right change the focused choice; the rest as any scene."""
        cur = self.focus.current
        if event.type == pygame.KEYDOWN and cur is not None and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            step = 1 if event.key == pygame.K_RIGHT else -1
            if cur.key.startswith("seat:"):
                self.cycle(cur.key.split(":")[1], step)
                return
            if cur.key == "scenario":
                self.cycle_scenario(step)
                return
        super().handle(event)

    def start(self) -> None:
        """Start the match with these choices and show its board."""
        from game.ui.scenes.board import BoardScene

        seed_text = self.fields["seed"].value.strip()
        path = self.scenarios[self.scenario_index] if self.scenarios else None
        try:
            session = new_session(self.choices(), path, int(seed_text) if seed_text else None)
        except (SessionError, ValueError) as err:
            self.message = str(err)
            return
        self.app.replace(BoardScene(self.app, session, watching=self.watch))

    def draw(self, target: pygame.Surface) -> None:
        """The two side panels, the buttons and any message."""
        target.fill(colour("background"))
        w, h = self.size
        page = target.get_rect().inflate(-40, -10)
        INK.line(target, "Watch two bots" if self.watch else "New game", (page.x, round(self.body * 1.2)),
                 self.body * 2, bold=True, panel=page)
        for side, col in self.columns.items():
            panel(target, col, side_name(self.scenario, side), self.body)
        self.focus.draw(target)
        if self.message:
            INK.block(target, self.message, pygame.Rect(page.x, self.message_y, page.width, self.body * 3), self.body,
                      role="warn")
