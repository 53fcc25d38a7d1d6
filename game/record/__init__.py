"""Match records: a versioned JSON file per match; saving (atomically), loading (safely), replaying and verifying.

A record is the scenario (embedded whole, with its id and content hash, so an
old record replays after `rules/` changes), the seed, who played each side,
and the action log with a checksum of the state after every action; the
outcome, scores and times are kept for reading, and a replay recomputes them.
Replay is a fold of `apply` over the logged actions: nothing else is trusted.

Records are untrusted input (teachers collect them from students), so loading
caps the file size, refuses deep nesting and huge numbers before parsing,
validates with pydantic models that forbid unknown keys, and raises
`RecordError` (a `ValueError`) with one line naming the file and the problem.
A record that parses but does not replay to its checksums raises
`VerificationError`, a `RecordError` naming the first action that differs.

The parts (imports run down this list, never up, and never to `game.match`):
`playback` (replay, verify, fork, resume, the autosaving hook), `files` (atomic
saves, temp-file sweeping, `Autosaver`), `build` (a record from a match, its
text form), `decode` (safe JSON loading) and `schema` (the models and errors).
"""

from game.record.build import (
    build_record, player_from_label, player_info, record_from_result, record_json, scenario_data,
)
from game.record.decode import decode_json, load_record, parse_record, record_from_data
from game.record.files import Autosaver, glob_escape, save_record, sweep_temp_files, temp_files, write_atomic
from game.record.playback import Replay, Resumption, fork, on_step_autosave, replay, resume, verify
from game.record.schema import (
    FORMAT, FORMAT_VERSION, MAX_BYTES, MAX_DEPTH, MAX_LIST, MAX_NUMBER_DIGITS, MAX_STEPS, MAX_VALUES, OUTCOMES,
    Forfeit, ForfeitInfo, ForkInfo, Player, Record, RecordedStep, RecordError, Step, Takeover, VerificationError,
    now_iso,
)

__all__ = [
    "FORMAT", "FORMAT_VERSION", "MAX_BYTES", "MAX_DEPTH", "MAX_LIST", "MAX_NUMBER_DIGITS", "MAX_STEPS", "MAX_VALUES",
    "OUTCOMES", "Autosaver", "Forfeit", "ForfeitInfo", "ForkInfo", "Player", "Record", "RecordError", "RecordedStep",
    "Replay", "Resumption", "Step", "Takeover", "VerificationError", "build_record", "decode_json", "fork",
    "glob_escape", "load_record", "now_iso", "on_step_autosave", "parse_record", "player_from_label", "player_info",
    "record_from_data", "record_from_result", "record_json", "replay", "resume", "save_record", "scenario_data",
    "sweep_temp_files", "temp_files", "verify", "write_atomic",
]
