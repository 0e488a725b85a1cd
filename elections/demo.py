"""Demo meetings, polls and elections (after the members demo, whose members vote)."""

from association import demo_meetings

from .board import demo as board_demo


def seed(*, log):
    # The founding assembly: documents, roll, attendance, two published votes and one open.
    demo_meetings.seed(log=log)
    # The founding election of the first board, certified, so /board/ shows a full board.
    board_demo.seed(log=log)
