"""The back office of elections: the admin pages of the ballot box and of board elections."""

from .ballot_box import admin as ballot_box_admin  # noqa: F401
from .board import admin as board_admin  # noqa: F401
