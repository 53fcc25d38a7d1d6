"""A person's turn at the keyboard: the board, a numbered menu of what they can do, and their commands."""

from __future__ import annotations

from typing import Callable

from game.actions import Counter, Propose
from game.match import LiveMatch
from game.seats import is_human
from game.menu import action_menu
from game.narrator import narrate_lines
from game.terminal.board import board_lines, score_lines, side_name
from game.terminal.console import Console
from game.terminal.deals import DealBuilder

GROUP_TITLES = {
    "answer": "Answer the proposal",
    "settle": "A promise has fallen due",
    "channels": "Channels",
    "deals": "Deals",
    "pressure": "Pressure",
    "intelligence": "Intelligence",
    "pass": "End your turn",
}
COMMANDS_HELP = ("Type a number to act, ?N to explain item N, 'agenda' for your secret card, 'score' for your "
                 "score, 'log' for what happened, 'rules' for the rules of these moves, 'quit' to save and stop.")


def _runs(menu) -> list[tuple[int, int]]:
    """Menu numbers in runs: each legal entry alone, neighbouring entries refused for the same reason together."""
    runs: list[tuple[int, int]] = []
    for n, e in enumerate(menu, 1):
        if runs and not e.legal:
            prev = menu[runs[-1][1] - 1]
            if not prev.legal and prev.reason == e.reason and prev.group == e.group:
                runs[-1] = (runs[-1][0], n)
                continue
        runs.append((n, n))
    return runs


class Quit(Exception):
    """The person typed quit (or their input ended): save and stop."""


class PersonTurn:
    """Asks one person for moves until their turn passes to the other side or the match ends."""

    def __init__(self, console: Console, match: LiveMatch, side: str, *, news: Callable[[], list[str]],
                 on_private_hidden: Callable[[], None] | None = None):
        self.console = console
        self.match = match
        self.side = side
        self.sc = match.scenario
        self.news = news  # the lines of what happened since this side last looked
        self.redraw_after_secret = on_private_hidden

    def run(self) -> None:
        """Play this side's moves while it is this side's turn; raises Quit when the person quits."""
        show = True
        while self.match.person_to_move and self.match.to_move == self.side:
            v = self.match.view(self.side)
            menu = action_menu(v)
            if show:
                self._draw(v, menu)
                show = False
            try:
                answer = self.console.ask(f"{side_name(self.sc, self.side)}> ")
            except ValueError:
                self.console.say("That line was not readable text. " + COMMANDS_HELP)
                continue
            show = self._handle(answer, v, menu)

    def _draw(self, v, menu) -> None:
        c = self.console
        c.say()
        for n, line in enumerate(board_lines(v, self.sc)):
            c.say(line, "bold" if n == 0 else None)
        group = None
        for first, last in _runs(menu):
            e = menu[first - 1]
            if e.group != group:
                group = e.group
                c.say(f"{GROUP_TITLES.get(group, group.capitalize())}:", "underline")
            cost = f" ({e.cost} AP)" if e.cost else ""
            if e.legal:
                c.say(f"  {first:>2}. {e.label}{cost} - {e.effect}")
            elif first == last:
                c.say(f"  {first:>2}.  -  {e.label}{cost}: not now, {e.reason}", "dim")
            else:
                c.say(f"  {first:>2}-{last}.  -  {e.label} and {last - first} more like it{cost}: not now, {e.reason}",
                      "dim")

    def _handle(self, answer: str, v, menu) -> bool:
        """Act on one typed line; True when the board should be drawn again."""
        c = self.console
        word = answer.lower()
        if not word:
            c.say(COMMANDS_HELP)
            return False
        if word in ("quit", "exit", "q"):
            raise Quit()
        if word in ("help", "h"):
            c.say(COMMANDS_HELP)
            return False
        if word in ("agenda", "card"):
            self._show_agenda(v)
            return True
        if word == "score":
            for line in score_lines(v):
                c.say(line)
            return False
        if word == "log":
            lines = narrate_lines(self.match.happenings, self.sc, self.side)
            for line in lines[-25:] or ["Nothing has happened yet."]:
                c.say(line)
            return False
        if word == "rules":
            for line in self._rules(menu):
                c.say(line)
            return False
        if word.startswith("?"):
            entry = self._entry(word[1:].strip(), menu)
            if entry is not None:
                c.say(f"{entry.label}: {entry.effect}" + (f" (costs {entry.cost} action point)" if entry.cost else ""))
                if not entry.legal:
                    c.say(f"Not possible now: {entry.reason}")
                if entry.rule:
                    c.say(entry.rule)
            return False
        entry = self._entry(word, menu)
        if entry is None:
            return False
        if not entry.legal:
            c.say(f"{entry.label} is not possible now: {entry.reason}")
            return False
        return self._act(entry, v)

    def _entry(self, text: str, menu):
        if not text.isdigit() or not 1 <= int(text) <= len(menu):
            self.console.say(f"{text!r} is not on the menu: type a number from 1 to {len(menu)}, or 'help'.")
            return None
        return menu[int(text) - 1]

    def _act(self, entry, v) -> bool:
        action = entry.action
        if action is None:
            self.console.say(f"{entry.label}: {entry.effect}")
            return False
        if isinstance(action, (Propose, Counter)):
            counter = isinstance(action, Counter)
            if counter:
                preview = self.match.preview_view([action], self.side)
                channel = preview.draft[0]
            else:
                preview, channel = v, action.channel
            name = next((ch.name for ch in self.sc.channels if ch.id == channel), "the summit")
            builder = DealBuilder(self.console, preview, channel, name, counter=counter,
                                  explain_rule=lambda: [entry.rule] if entry.rule else [], advisor=self._advisor())
            actions = builder.run()
            if actions is None:
                self.console.say("Deal dropped; nothing was sent and no action point spent.")
                return True
            self.match.submit_all(actions)
        else:
            self.match.submit(action)
        for line in self.news():
            self.console.say(line)
        return True

    def _advisor(self):
        """The other side's bot's "what would it take?", asked with its own view; None facing a person."""
        other = next(s for s in self.sc.side_ids if s != self.side)
        bot = self.match.seats[other]
        if is_human(bot) or not hasattr(bot, "what_would_it_take"):
            return None
        return lambda channel, give, get: bot.what_would_it_take(self.match.view(other), channel, give, get)

    def _show_agenda(self, v) -> None:
        c = self.console
        c.say("PRIVATE - your secret card (make sure no one else is looking):", "bold red")
        for card in v.agenda:
            c.say(f"  {card.name}: {card.text}")
        try:
            c.ask("Press Enter to hide it again. ")
        except ValueError:
            pass
        c.clear()
        if self.redraw_after_secret is not None:
            self.redraw_after_secret()

    def _rules(self, menu) -> list[str]:
        seen, out = set(), []
        for e in menu:
            if e.rule and e.rule not in seen:
                seen.add(e.rule)
                out.append(f"{e.label}: {e.rule}")
        return out or ["No moves to explain now."]
