from django.urls import path

from . import board_views, views, views_manage

app_name = "elections"

urlpatterns = [
    path("polls/", views.list_polls, name="polls"),
    path("polls/mine/", views.my_votes, name="my-votes"),
    path("polls/<int:pk>/", views.show_poll, name="poll"),
    path("polls/<int:pk>/confirm/", views.confirm_ballot, name="poll-confirm"),
    path("polls/<int:pk>/cast/", views.cast_ballot, name="poll-cast"),
    path("polls/<int:pk>/board/", views.show_board, name="poll-board"),
    path("polls/<int:pk>/board.txt", views.download_board, name="poll-board-text"),
    path("polls/<int:pk>/results/", views.show_results, name="poll-results"),
    path("polls/manage/", views_manage.manage_polls, name="manage"),
    path("polls/manage/audit/", views_manage.audit_log, name="audit-log"),
    path("polls/manage/<int:pk>/", views_manage.manage_poll, name="manage-poll"),
    path("polls/manage/<int:pk>/turnout.json", views_manage.poll_turnout, name="poll-turnout"),
    path("polls/manage/<int:pk>/open/", views_manage.open_poll, name="poll-open"),
    path("polls/manage/<int:pk>/close/", views_manage.close_poll, name="poll-close"),
    path("polls/manage/<int:pk>/publish/", views_manage.publish_poll, name="poll-publish"),
    path("polls/manage/<int:pk>/totals/", views_manage.enter_totals, name="poll-totals"),
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
