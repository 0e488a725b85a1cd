from django.urls import include, path

from . import board_views
from .ballot_box import urls as ballot_box_urls

app_name = "elections"

urlpatterns = [
    path("", include(ballot_box_urls)),
    # Board elections and the board.
    path("board/", board_views.show_board, name="board"),
    path("elections/manage/", board_views.manage_elections, name="elections-manage"),
    path("elections/manage/new/", board_views.create_election, name="election-create"),
    path("elections/<int:pk>/", board_views.show_election, name="election"),
    path("elections/<int:pk>/results/", board_views.election_results, name="election-results"),
    path(
        "elections/<int:pk>/results.xlsx",
        board_views.export_results,
        name="election-results-xlsx",
    ),
    path("elections/<int:pk>/minutes/", board_views.election_minutes, name="election-minutes"),
    path("elections/<int:pk>/manage/", board_views.manage_election, name="election-manage"),
    path(
        "elections/<int:pk>/nominate/",
        board_views.nominate_candidate,
        name="election-nominate",
    ),
    path(
        "elections/<int:pk>/candidates/<int:candidate_pk>/withdraw/",
        board_views.withdraw_candidate,
        name="candidate-withdraw",
    ),
    path("elections/<int:pk>/open/", board_views.open_election, name="election-open"),
    path("elections/<int:pk>/close/", board_views.close_round, name="election-close-round"),
    path("elections/<int:pk>/runoff/", board_views.start_runoff, name="election-runoff"),
    path("elections/<int:pk>/certify/", board_views.certify_election, name="election-certify"),
    path(
        "elections/candidates/<int:pk>/<str:size>/",
        board_views.candidate_photo,
        name="candidate-photo",
    ),
]
