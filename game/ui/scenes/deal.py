"""The deal builder, after Civilization's diplomacy screen: my items left, theirs right, the table in the middle.

Nothing touches the game until Send: the builder asks `deal_options` (which
applies nothing) what may be added and why not, and Send submits the whole
deal at once with `submit_all`, so an illegal deal leaves the match untouched.
"""

from __future__ import annotations

import pygame

from game.ui.app import Scene
from game.ui.text import INK
from game.ui.theme import colour
from game.ui.widgets import Button, panel


class DealScene(Scene):
    """Compose a deal (or a counter) through one channel; Send, What would it take?, or Esc to drop it."""

    def __init__(self, app, board, entry) -> None:
        super().__init__(app)
        from game.actions import Counter

        self.board = board
        self.match = board.match
        self.side = self.match.to_move
        self.view = self.match.view(self.side)
        self.counter = isinstance(entry.action, Counter)
        if self.counter:
            waiting = next(p for p in self.view.proposals if p.receiver == self.side)
            self.channel = waiting.channel
        else:
            self.channel = entry.action.channel
        self.give: list[str] = []
        self.get: list[str] = []
        self.advice = ""
        self.nearest = None
        sc = self.match.scenario
        self.names = {s.id: s.name for s in sc.sides}
        self.other = next(s for s in sc.side_ids if s != self.side)
        chan = {c.id: c.name for c in sc.channels}
        self.where = "at the summit" if self.channel not in chan else f"through the {chan[self.channel]} channel"
        self.options = None

    def _options(self):
        from game.menu import deal_options

        self.options = deal_options(self.view, self.channel, tuple(self.give), tuple(self.get))
        return self.options

    def layout(self, size: tuple[int, int]) -> None:
        """Three columns of item buttons and a row of actions at the foot."""
        super().layout(size)
        w, h = size
        b = self.body
        m = max(10, w // 80)
        bh = round(b * 1.9)
        gap = max(4, b // 4)
        head = round(b * 3.2)
        foot = bh * 2 + m * 3
        colw = (w - 4 * m) // 3
        top = m + head
        colh = h - top - foot
        self.cols = [pygame.Rect(m + n * (colw + m), top, colw, colh) for n in range(3)]
        opts = self._options()
        buttons: list[Button] = []
        small = max(18, b - 1)
        for n, (items, chosen, word) in enumerate(((opts.give, self.give, "give"), (opts.get, self.get, "get"))):
            col = self.cols[0 if n == 0 else 2]
            inner = col.inflate(-2 * max(8, b // 2), -2 * max(8, b // 2))
            y = inner.y + round(b * 1.5)
            for it in items:
                if it.in_deal:
                    continue
                if y + bh > inner.bottom:
                    break
                why = it.reason[len(it.name):].strip() if it.reason.startswith(it.name) else it.reason
                label = f"{it.name} ({it.tier}, {it.value:+g})" if it.addable else f"{it.name}: {why}"
                tip = (f"{it.name}: a {it.tier} item, worth {it.value:+g} to you by your card. "
                       + ("Click to put it on the table." if it.addable else f"Cannot be added: {it.reason}."))
                buttons.append(Button(f"{word}:{it.item}", label, pygame.Rect(inner.x, y, inner.width, bh),
                                      (lambda i=it.item, c=chosen: self.add(c, i)), enabled=it.addable, tooltip=tip,
                                      size=small))
                y += bh + gap
        table = self.cols[1].inflate(-2 * max(8, b // 2), -2 * max(8, b // 2))
        y = table.y + round(b * 1.5)
        for it in [o for o in opts.give if o.in_deal] + [o for o in opts.get if o.in_deal]:
            you = "You give" if it in opts.give else "You get"
            buttons.append(Button(f"table:{it.item}", f"{you}: {it.name} ({it.value:+g})",
                                  pygame.Rect(table.x, y, table.width, bh), (lambda i=it.item: self.remove(i)),
                                  tooltip="Click to take it off the table.", size=small))
            y += bh + gap
        self.table_text_y = y + gap
        fy = h - foot + m
        third = (w - 4 * m) // 3
        send_tip = "Send the deal: they answer on their next turn." if opts.can_send else f"Not yet: {opts.why_not_send}."
        buttons.append(Button("send", "Send the counter" if self.counter else "Send the deal",
                              pygame.Rect(m, fy, third, bh), self.send, enabled=opts.can_send, tooltip=send_tip,
                              size=b, hotkey=pygame.K_F2))
        if self.match.can_advise(self.other):
            buttons.append(Button("ask", "What would it take?", pygame.Rect(2 * m + third, fy, third, bh), self.ask,
                                  tooltip="Ask the bot whether it would accept this deal, and what it would accept.",
                                  size=b, hotkey=pygame.K_F3))
        buttons.append(Button("cancel", "Back to the board (Esc)", pygame.Rect(3 * m + 2 * third, fy, third, bh),
                              self.app.pop, size=b, tooltip="Nothing has been sent; the game is as it was."))
        if self.nearest is not None:
            buttons.append(Button("use", "Put their deal on the table", pygame.Rect(2 * m + third, fy + bh + m, third, bh),
                                  self.use_nearest, size=b, tooltip="Replace the table with the deal the bot named."))
        self.focus.set(buttons)

    def add(self, chosen: list[str], item: str) -> None:
        """Put an item on the table."""
        chosen.append(item)
        self.advice, self.nearest = "", None
        self.layout(self.size)

    def remove(self, item: str) -> None:
        """Take an item off the table."""
        for lst in (self.give, self.get):
            if item in lst:
                lst.remove(item)
        self.advice, self.nearest = "", None
        self.layout(self.size)

    def send(self) -> None:
        """Submit the whole deal at once; back to the board."""
        from game.menu import deal_actions

        actions = deal_actions(self.side, self.channel, self.give, self.get, counter=self.counter)
        self.app.pop()
        self.board.submit(actions)

    def ask(self) -> None:
        """The bot's answer to 'what would it take?' for the deal on the table."""
        try:
            # Asked where the bot plays (its own process, when it thinks in the background), so it keeps its word.
            advice = self.match.what_would_it_take(self.other, self.channel, tuple(self.give), tuple(self.get))
        except Exception as err:  # a bot's advice is a courtesy: its failure must not end the game
            self.advice = f"The bot could not say ({type(err).__name__})."
            self.layout(self.size)
            return
        likely = "likely to accept" if advice.accept else "unlikely to accept as it stands"
        self.advice = f"{self.names[self.other]} is {likely}. {advice.text()}"
        self.nearest = advice.nearest if not advice.accept else None
        self.layout(self.size)

    def use_nearest(self) -> None:
        """Put the bot's counter-suggestion on the table."""
        if self.nearest is not None:
            _, give, get = self.nearest
            self.give, self.get = list(give), list(get)
            self.nearest = None
            self.layout(self.size)

    def draw(self, target: pygame.Surface) -> None:
        """Heading, the three columns, the advice and the foot buttons."""
        target.fill(colour("background"))
        b = self.body
        w, h = self.size
        page = target.get_rect().inflate(-20, -10)
        kind = "A counter-offer" if self.counter else "A deal"
        INK.line(target, f"{kind} {self.where}", (page.x, max(10, w // 80)), round(b * 1.5), bold=True, panel=page)
        INK.line(target, "Nothing is sent until you press Send.", (page.x, max(10, w // 80) + round(b * 1.9)),
                 max(18, b - 2), role="muted", panel=page)
        titles = (f"You ({self.names[self.side]}) can give", "On the table", f"You can ask {self.names[self.other]} for")
        for col, title in zip(self.cols, titles):
            panel(target, col, title, b)
        table = self.cols[1].inflate(-2 * max(8, b // 2), -2 * max(8, b // 2))
        y = self.table_text_y
        opts = self.options
        if not self.give and not self.get:
            y += INK.block(target, "Pick items from both sides to build the deal.",
                           pygame.Rect(table.x, y, table.width, b * 3), max(18, b - 2), role="muted", panel=table)
        elif not opts.can_send:
            y += INK.block(target, f"Cannot send yet: {opts.why_not_send}.",
                           pygame.Rect(table.x, y, table.width, b * 4), max(18, b - 2), role="warn", panel=table)
        if self.advice:
            INK.block(target, self.advice, pygame.Rect(table.x, y + b // 2, table.width, max(table.bottom - y - b // 2, 0)),
                      max(18, b - 2), panel=table)
        self.focus.draw(target)
