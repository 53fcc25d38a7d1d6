"""Crossroads: a turn-based US-DPRK negotiation game for classrooms (the rules engine, bots, records and CLI)."""

__version__ = "0.1.0"
