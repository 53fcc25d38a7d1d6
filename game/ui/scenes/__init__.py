"""The window's screens: menu, new game, board, hand-off, deal builder, debrief, rules, load."""
