"""The board scene: the match as it is played, people's moves, bots at a readable pace, hand-offs, story mode."""

from __future__ import annotations

import pygame

from game.narrator import Narrator, narrate_lines
from game.seats import is_human
from game.view import reason_visible
from game.ui.acting import ActingPanel
from game.ui.app import Scene
from game.ui.board import BoardRenderer
from game.ui.private import draw_private
from game.ui.session import Session
from game.ui.text import INK, line_step, wrap, wrapped_height
from game.ui.theme import colour
from game.ui.widgets import Button, panel

STATUS_WORDS = {"pending": "agreed", "verified": "implemented", "claimed": "unverified claim", "broken": "broken",
                "exposed": "exposed", "reversed": "withdrawn", "fallen": "fallen"}
PACES = (0.4, 0.8, 1.5, 2.5, 4.0)


def _log_style(line: str) -> tuple[str, str]:
    """A transcript line as the log shows it: round headers stand out, turn headers are quiet, no dashes."""
    text = line.strip()
    if text.startswith("==") and text.endswith("=="):
        return text.strip("= "), "accent"
    if text.startswith("--") and text.endswith("--"):
        return text.strip("- "), "muted"
    return text, "text"


class BoardScene(Scene):
    """Draws the board from a view; people act through the menu, bots are polled each frame, never waited on."""

    def __init__(self, app, session: Session, watching: bool = False) -> None:
        super().__init__(app)
        self.session = session
        self.match = session.match
        self.sc = self.match.scenario
        self.names = {s.id: s.name for s in self.sc.sides}
        self.renderer = BoardRenderer(self.sc)
        self.acting = ActingPanel()
        self.watching = watching or not session.people
        people = session.people
        # Whose eyes the board is seen with: the one person facing a bot, the room when bots play each other,
        # and in hotseat whoever is at the screen after the hand-off (None until then: the public view).
        self.fixed_side = people[0] if len(people) == 1 else None
        self.active: str | None = self.fixed_side
        self.logs: dict[str, list[str]] = {}
        # One narrator per reader for the session: each round's trust line then gives the round's changes.
        self.narrators: dict[str, Narrator] = {}
        self.bot_line = ""
        self.bot_history: list[str] = []   # the bots' last moves, newest last, shown under the current one
        self.thinking = False
        self.wait = 0.0
        self.pace_index = 2
        self.story = self.watching
        self.paused = False
        self.message = ""
        self.finished_for = 0.0
        self.round_seen = self.match.state.round
        self.round_news: list[str] = []
        self.held_private = False
        self._entries = ()
        self.renderer.show(self.current_view())
        self._read_news(initial=True)

    # ------------------------------------------------------------ whose view

    @property
    def reader(self) -> str:
        """The reader of the board and the log: a person's side, or 'public' (hand-off, bot matches)."""
        return self.active or "public"

    def current_view(self):
        """The view the board is drawn from (never the whole truth while the match runs)."""
        return self.match.view(self.reader)

    def _read_news(self, initial: bool = False) -> list:
        """Take what happened for the current reader, word it into that reader's log, animate it on the board."""
        m = self.match
        readers = {self.reader, "public"}
        fresh = []
        for reader in readers:
            hs = m.take_happenings(reader)
            if reader == self.reader:
                fresh = hs
            if reader not in self.narrators:
                self.narrators[reader] = Narrator(self.sc, reader)
            lines = self.narrators[reader].lines(hs)
            self.logs.setdefault(reader, []).extend(lines)
            if reader == "public":
                self.round_news.extend(lines)
            if len(self.logs[reader]) > 400:
                del self.logs[reader][:-400]
        self.renderer.show(self.current_view(), () if initial else fresh)
        return fresh

    # ------------------------------------------------------------ layout

    def layout(self, size: tuple[int, int]) -> None:
        """Top bar; board with the log and promises under it on the left; event, moves and private on the right."""
        super().layout(size)
        w, h = size
        b = self.body
        m = max(10, w // 100)
        self.top = pygame.Rect(m, m, w - 2 * m, round(b * 2.4))
        left_w = round((w - 3 * m) * 0.57)
        body_top = self.top.bottom + m
        body_h = h - body_top - m
        self.board_rect = pygame.Rect(m, body_top, left_w, round(body_h * 0.58))
        low_y = self.board_rect.bottom + m
        low_h = h - m - low_y
        half = (left_w - m) // 2
        self.log_rect = pygame.Rect(m, low_y, half + (left_w - m) % 2, low_h)
        self.promise_rect = pygame.Rect(self.log_rect.right + m, low_y, half, low_h)
        rx = m * 2 + left_w
        rw = w - rx - m
        event_h = round(b * 5.2)
        self.event_rect = pygame.Rect(rx, body_top, rw, event_h)
        self.right_rect = pygame.Rect(rx, self.event_rect.bottom + m, rw, h - m - self.event_rect.bottom - m)
        # The background and the panels' boxes never change between layouts: draw them once. Filling a
        # 1280x720 screen costs about 0.6 ms here, so redrawing six panels every frame would eat the budget.
        self.backdrop = pygame.Surface(size).convert() if pygame.display.get_surface() else pygame.Surface(size)
        self.backdrop.fill(colour("background"))
        for r in (self.top, self.board_rect, self.log_rect, self.promise_rect, self.event_rect, self.right_rect):
            panel(self.backdrop, r, "", self.body)
        self.rebuild()

    def rebuild(self) -> None:
        """The buttons for what can be done now (moves for a person, pace and story for bots)."""
        b = self.body
        inner = self.right_rect.inflate(-2 * max(8, b // 2), -2 * max(8, b // 2))
        bh = round(b * 1.9)
        buttons: list[Button] = []
        m = self.match
        foot = pygame.Rect(inner.x, inner.bottom - bh, inner.width, bh)
        if self.active is not None and m.person_to_move and m.to_move == self.active:
            from game.menu import action_menu

            v = self.current_view()
            self._entries = action_menu(v)
            body = pygame.Rect(inner.x, inner.y + round(b * 1.5), inner.width, foot.y - inner.y - round(b * 2))
            buttons += self.acting.build(body, self._entries, v, b, self.choose, self.rebuild)
            buttons.append(Button("private", "Hold to reveal your card (H)", foot, None, hold=True,
                                  hotkey=pygame.K_h, size=b, role="private",
                                  tooltip="Your agenda card, what you know and your score. The screen may be "
                                          "projected: it shows only while held."))
        else:
            self._entries = ()
            half = (inner.width - b // 2) // 2
            buttons.append(Button("slower", "Slower (-)", pygame.Rect(inner.x, foot.y - bh - b // 2, half, bh),
                                  lambda: self.set_pace(-1), hotkey=pygame.K_MINUS, size=b,
                                  tooltip="Give each bot move more time on the screen."))
            buttons.append(Button("faster", "Faster (+)", pygame.Rect(inner.right - half, foot.y - bh - b // 2, half, bh),
                                  lambda: self.set_pace(1), hotkey=pygame.K_EQUALS, size=b,
                                  tooltip="Give each bot move less time on the screen."))
            buttons.append(Button("story", f"Story mode: {'on' if self.story else 'off'} (S)",
                                  pygame.Rect(inner.x, foot.y, half, bh), self.toggle_story, hotkey=pygame.K_s, size=b,
                                  tooltip="Pause at the end of each round with a one-paragraph summary "
                                          "(for the projector)."))
            buttons.append(Button("pause", "Resume (P)" if self.paused else "Pause (P)",
                                  pygame.Rect(inner.right - half, foot.y, half, bh), self.toggle_pause,
                                  hotkey=pygame.K_p, size=b, tooltip="Stop the bots after the current move."))
        self.focus.set(buttons)

    # ------------------------------------------------------------ controls

    def set_pace(self, step: int) -> None:
        """Slower (-1) or faster (+1) bot moves."""
        self.pace_index = max(0, min(len(PACES) - 1, self.pace_index - step))
        self.message = f"Each bot move shows for {PACES[self.pace_index]:g} s."

    def toggle_story(self) -> None:
        """Story mode on or off."""
        self.story = not self.story
        self.rebuild()

    def toggle_pause(self) -> None:
        """Pause or resume the bots."""
        self.paused = not self.paused
        self.rebuild()

    def back(self) -> None:
        """Esc: back to the menu (the game is autosaved; Continue picks it up)."""
        self.app.pop()

    def leave(self) -> None:
        """End the bots' processes; forget the private view."""
        self.active = None
        self.match.close()

    def choose(self, entry) -> None:
        """A move picked from the menu: a deal opens the deal builder, anything else is submitted now."""
        from game.actions import Counter, Propose

        if isinstance(entry.action, (Propose, Counter)):
            from game.ui.scenes.deal import DealScene

            self.app.push(DealScene(self.app, self, entry))
            return
        self.submit([entry.action])

    def submit(self, actions) -> bool:
        """A person's move(s) into the match; a refusal is shown, never raised."""
        from game.engine import IllegalActionError

        try:
            self.match.submit_all(actions)
        except IllegalActionError as err:
            self.message = str(err)
            return False
        self.message = ""
        self._read_news()
        self.acting.reset() if self.match.to_move != self.active else None
        self.rebuild()
        return True

    # ------------------------------------------------------------ the flow of the match

    def update(self, dt: float) -> bool:
        """Animations, the pacing timer, bots polled (never waited on), hand-offs, story pauses, the end."""
        moving = self.renderer.update(dt)
        m = self.match
        held = any(b.held for b in self.focus.buttons if b.key == "private")
        if held != self.held_private:
            self.held_private = held
            moving = True
        if m.state.round != self.round_seen and not m.finished:
            ended, self.round_seen = self.round_seen, m.state.round
            if self.story and ended >= 1:
                self._story(ended)
                return True
            self.round_news = self.round_news[-3:]
        if self.wait > 0:
            self.wait -= dt
            return True
        if m.finished:
            self.finished_for += dt
            if self.finished_for > 1.0:
                from game.ui.scenes.debrief import DebriefScene

                self.app.replace(DebriefScene(self.app, self.session))
            return True
        if m.person_to_move:
            side = m.to_move
            if self.session.hotseat and side != self.active:
                self._hand_off(side)
                return True
            if self.fixed_side is None and side != self.active:
                self.active = side
            if not self.focus.buttons or self._entries == () and self.active == side:
                self.rebuild()
            return moving
        if self.paused:
            return moving
        if not self.thinking:
            m.begin_bot_move()
            self.thinking = True
            self.bot_line = f"{self.names[m.to_move]} ({m.seats[m.to_move].label()}) is thinking…"
            self.rebuild()
        side = m.to_move
        done = m.poll_bot()
        if done is None:
            return True
        self.thinking = False
        step = m.steps[-1] if m.steps and m.steps[-1].side == side else None
        fresh = self._read_news()
        said = [narrate_lines([h], self.sc, self.reader) for h in fresh]
        words = next((ln.strip() for lines in said for ln in lines
                      if ln.strip() and not ln.lstrip().startswith(("=", "-"))), "")
        shown = step is not None and step.reason and reason_visible(side, self.reader, m.finished)
        reason = f" Why: {step.reason}" if shown else ""
        if m.forfeit is not None:
            self.bot_line = f"{self.names[m.forfeit.side]} forfeits ({m.forfeit.kind}): {m.forfeit.detail}"
        else:
            # A step the reader may not see (a draft being composed) is said without its contents.
            words = words or f"{self.names[side]} makes a move the room does not see yet (a deal being drafted)"
            self.bot_line = f"{words.rstrip('.')}.{reason}"
        if not self.bot_history or self.bot_history[-1] != self.bot_line:  # a deal drafted step by step: once
            self.bot_history = (self.bot_history + [self.bot_line])[-8:]
        self.wait = PACES[self.pace_index]
        self.rebuild()
        return True

    def _hand_off(self, side: str) -> None:
        """Tear the private side down, then cover the screen with the public hand-off blocker."""
        from game.ui.scenes.handoff import HandoffScene

        self.active = None
        self.held_private = False
        self._entries = ()
        self.focus.set([])
        self.renderer.show(self.current_view())
        self.app.push(HandoffScene(self.app, self.session, side, self._handed))

    def _handed(self, side: str) -> None:
        self.active = side
        self.acting.reset()
        self._read_news()
        self.rebuild()

    def _story(self, ended: int) -> None:
        from game.ui.scenes.story import StoryScene

        lines = [ln.strip() for ln in self.round_news if ln.strip() and not ln.lstrip().startswith(("=", "-"))]
        self.round_news = []
        self.app.push(StoryScene(self.app, ended, self.sc, lines, self.renderer.view))

    # ------------------------------------------------------------ drawing

    def draw(self, target: pygame.Surface) -> None:
        """The whole board scene."""
        target.blit(self.backdrop, (0, 0))
        b = self.body
        v = self.renderer.view
        m = self.match
        top = panel(target, self.top, "", b, box=False)
        mover = self.names.get(v.to_move, v.to_move)
        who = "you" if self.active == v.to_move else mover
        ap = f" - {v.ap} action point{'s' if v.ap != 1 else ''}" if self.active == v.to_move else ""
        status = (f"Round {v.round} of {v.rounds} - your turn ({mover}){ap}" if self.active == v.to_move
                  else f"Round {v.round} of {v.rounds} - {mover} to move")
        if m.finished:
            status = f"Round {v.round} of {v.rounds} - the match is over"
        half = pygame.Rect(top.x, top.y, top.width * 56 // 100, top.height)
        INK.line(target, status, (half.x, half.centery), b, bold=True, panel=half, anchor="midleft")
        gauge = pygame.Rect(half.right + b, top.y, top.right - half.right - b, top.height)
        self.renderer.draw_gauge(target, gauge, b)
        board_inner = panel(target, self.board_rect, "", b, box=False)
        if m.finished and self.session.typed_seed is not None:  # a seed shown during play would redraw the cards
            INK.line(target, f"seed {self.session.typed_seed}", board_inner.bottomright, max(18, b - 4), role="muted",
                     panel=board_inner, anchor="bottomright")
        self.renderer.draw(target, board_inner, b)
        self._draw_log(target)
        self._draw_promises(target, v)
        self._draw_event(target, v)
        self._draw_right(target, v, who)

    def _draw_log(self, target) -> None:
        b = max(18, self.body - 2)
        inner = panel(target, self.log_rect, "What happened", self.body, box=False)
        step = line_step(b)
        rows: list[tuple[str, str]] = []
        for line in reversed(self.logs.get(self.reader, [])):
            text, role = _log_style(line)
            rows[:0] = [(w, role) for w in wrap(text, inner.width, b)]
            if len(rows) * step > inner.height:
                break
        keep = inner.height // step
        for n, (line, role) in enumerate(rows[-keep:] if keep else []):
            INK.line(target, line, (inner.x, inner.y + n * step), b, panel=inner, role=role, bold=role == "accent")

    def _draw_promises(self, target, v) -> None:
        b = max(18, self.body - 2)
        inner = panel(target, self.promise_rect, "Promises", self.body, box=False)
        lines = []
        for c in reversed(v.commitments):
            status = STATUS_WORDS.get(str(c.status), str(c.status))
            if str(c.status) == "pending" and c.due <= v.round:
                status = "due now"
            elif str(c.status) == "pending":
                status = f"agreed, due round {c.due}"
            lines.append(f"{self.names.get(c.giver, c.giver)}: {c.name} - {status}")
        if not lines:
            lines = ["No promises yet. Deals agreed through a channel show here with their status."]
        y = inner.y
        for text in lines:
            h = wrapped_height(text, inner.width, b)
            if y + h > inner.bottom:
                break
            y += INK.block(target, text, pygame.Rect(inner.x, y, inner.width, h), b, panel=inner) + b // 4

    def _draw_event(self, target, v) -> None:
        b = max(18, self.body - 2)
        card = self.sc.event_by_id.get(v.event) if v.event else None
        inner = panel(target, self.event_rect, f"This round's event: {card.name}" if card else "No event yet",
                      self.body, box=False)
        if card is not None:
            INK.block(target, card.text, inner, b, panel=inner)

    def _draw_right(self, target, v, who) -> None:
        b = self.body
        m = self.match
        if self.held_private and self.active is not None and m.to_move == self.active:
            draw_private(target, self.right_rect, self.current_view(), self.sc, b)
            return
        if self.active is not None and m.person_to_move and m.to_move == self.active:
            inner = panel(target, self.right_rect, "Your moves", b, box=False)
            self.acting.draw_notice(target, max(18, b - 1))
        else:
            inner = panel(target, self.right_rect, "Bots at the table" if self.watching else "The other side moves", b, box=False)
            text = self.bot_line or "Waiting for the first move."
            if self.paused:
                text = "Paused. " + text
            note = f"Pace: {PACES[self.pace_index]:g} s per move. Story mode {'on' if self.story else 'off'}."
            body = pygame.Rect(inner.x, inner.y, inner.width, max(inner.height - round(b * 5.2), 0))
            used = INK.block(target, text, body, b, panel=inner)
            y = inner.y + used + b // 2
            used = INK.block(target, note, pygame.Rect(inner.x, y, inner.width, max(body.bottom - y, 0)),
                             max(18, b - 2), role="muted", panel=inner)
            y += used + b // 2
            small = max(18, b - 2)
            for line in reversed(self.bot_history[:-1] if not self.thinking else self.bot_history):
                h = wrapped_height(line, inner.width, small)
                if y + h > body.bottom:
                    break
                y += INK.block(target, line, pygame.Rect(inner.x, y, inner.width, h), small, role="muted",
                               panel=inner) + small // 3
        self.focus.draw(target)
        if self.message:
            INK.block(target, self.message, pygame.Rect(inner.x, inner.bottom - round(b * 5.6), inner.width,
                                                        round(b * 1.3)), max(18, b - 2), role="warn", panel=inner)
