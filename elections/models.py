"""The elections app's models, from its two parts: the ballot box (polls, participations,
ballots, the audit log) and board elections (terms, elections, candidates, rounds, seats).

Both keep the app label `elections`, so their tables keep their names.
"""

from .ballot_box.models import AuditEntry, Ballot, Participation, Poll, SealedBallot
from .board.models import BoardSeat, Candidate, Election, Position, Round, RoundPosition, Term

__all__ = [
    "AuditEntry",
    "Ballot",
    "BoardSeat",
    "Candidate",
    "Election",
    "Participation",
    "Poll",
    "Position",
    "Round",
    "RoundPosition",
    "SealedBallot",
    "Term",
]
