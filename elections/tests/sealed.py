"""Reading sealed ballots in tests, as only someone holding BALLOT_KEY and the database could:
the tests check what was sealed without closing the poll."""

from elections.ballot_box import sealing
from elections.ballot_box.models import Poll, SealedBallot


def opened_ballots(poll):
    """(receipt, choices) of every sealed ballot of `poll`, opened with its wrapped key."""
    poll = Poll.objects.get(pk=poll.pk)
    open_box = sealing.opener(sealing.unwrap(poll.wrapped_key))
    return [
        open_box(box)
        for box in SealedBallot.objects.filter(poll=poll).values_list("box", flat=True)
    ]
