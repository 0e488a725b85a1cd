"""The pages of board elections and of the board of directors."""

from django.urls import path

from . import views

urlpatterns = [
    path("board/", views.show_board, name="board"),
    path("elections/manage/", views.manage_elections, name="elections-manage"),
    path("elections/manage/new/", views.create_election, name="election-create"),
    path("elections/<int:pk>/", views.show_election, name="election"),
    path("elections/<int:pk>/results/", views.election_results, name="election-results"),
    path(
        "elections/<int:pk>/results.xlsx",
        views.export_results,
        name="election-results-xlsx",
    ),
    path("elections/<int:pk>/minutes/", views.election_minutes, name="election-minutes"),
    path("elections/<int:pk>/manage/", views.manage_election, name="election-manage"),
    path(
        "elections/<int:pk>/nominate/",
        views.nominate_candidate,
        name="election-nominate",
    ),
    path(
        "elections/<int:pk>/candidates/<int:candidate_pk>/withdraw/",
        views.withdraw_candidate,
        name="candidate-withdraw",
    ),
    path("elections/<int:pk>/open/", views.open_election, name="election-open"),
    path("elections/<int:pk>/close/", views.close_round, name="election-close-round"),
    path("elections/<int:pk>/runoff/", views.start_runoff, name="election-runoff"),
    path("elections/<int:pk>/certify/", views.certify_election, name="election-certify"),
    path(
        "elections/candidates/<int:pk>/<str:size>/",
        views.candidate_photo,
        name="candidate-photo",
    ),
]
