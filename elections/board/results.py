"""The outcome of a board election across its rounds, read from the ballot box.

Each finished round is tallied by board.tally from its poll's ballots. A position's
elected candidates are those elected in any round; a tie at the last seat stays pending until
a later round (the run-off) covers the position. Rounds whose poll is still open are not
counted: their ballots are sealed until the poll closes.
"""

from dataclasses import dataclass, field

from .counting import tally_round


@dataclass
class RoundResult:
    """One round: its RoundPositions and, once its poll has closed, its tally."""

    round: object
    entries: list
    tally: object = None
    specs: list = field(default_factory=list)

    @property
    def counted(self):
        return self.tally is not None

    def rows(self):
        """(entry, PositionResult, [(Candidate, CandidateResult)]) per position, for pages."""
        if self.tally is None:
            return []
        rows = []
        for entry, result in zip(self.entries, self.tally.positions, strict=True):
            candidates = {str(c.pk): c for c in entry.candidates.all()}
            rows.append((entry, result, [(candidates[c.key], c) for c in result.candidates]))
        return rows


@dataclass
class PositionOutcome:
    """Where a position stands after every counted round."""

    position: object
    elected: list = field(default_factory=list)
    pending: list = field(default_factory=list)
    pending_seats: int = 0
    unfilled: int = 0
    in_progress: bool = False

    @property
    def needs_runoff(self):
        return self.pending_seats > 0 and not self.in_progress


@dataclass
class Outcome:
    rounds: list
    positions: list

    @property
    def in_progress(self):
        return any(not r.counted for r in self.rounds)

    @property
    def needs_runoff(self):
        return not self.in_progress and any(p.needs_runoff for p in self.positions)

    @property
    def complete(self):
        """Every round counted and no tie left: the results can be certified."""
        return bool(self.rounds) and not self.in_progress and not self.needs_runoff

    def elected(self):
        return [(p.position, c) for p in self.positions for c in p.elected]


def election_outcome(election):
    """Tally every finished round of `election` and combine them per position."""
    positions = list(election.positions.order_by("order", "pk"))
    outcomes = {p.pk: PositionOutcome(position=p) for p in positions}
    rounds = []
    for board_round in election.rounds.select_related("poll").order_by("number"):
        entries = board_round.ballot_positions()
        specs = board_round.specs(entries)
        result = RoundResult(round=board_round, entries=entries, specs=specs)
        rounds.append(result)
        if not board_round.poll.is_finished:
            for entry in entries:
                outcomes[entry.position_id].in_progress = True
            continue
        result.tally = tally_round(board_round.poll, specs, mode=election.mode)
        for entry, position_result in zip(entries, result.tally.positions, strict=True):
            outcome = outcomes[entry.position_id]
            candidates = {str(c.pk): c for c in entry.candidates.all()}
            outcome.elected += [candidates[c.key] for c in position_result.elected]
            outcome.pending = [candidates[c.key] for c in position_result.runoff]
            outcome.pending_seats = position_result.runoff_seats
            outcome.unfilled += position_result.unfilled
    return Outcome(rounds=rounds, positions=[outcomes[p.pk] for p in positions])
