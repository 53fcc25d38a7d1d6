"""The game window (pygame-ce): the only package under game/ that imports pygame.

`game.ui.launch` opens it; nothing here is imported by the engine, the bots or
the terminal front end.
"""
