from elections.tests.ballot_box.fixtures import *  # noqa: F403
