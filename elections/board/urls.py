"""The pages of board elections and of the board of directors."""

from django.urls import include, path

from . import views

# /elections/<pk>/
election_urls = [
    path("", views.show_election, name="election"),
    path("results/", views.show_election_results, name="election-results"),
    path("results.xlsx", views.export_results, name="election-results-xlsx"),
    path(
        "results/export-job/",
        views.start_results_export,
        name="election-results-export-job",
    ),
    path("minutes/", views.show_election_minutes, name="election-minutes"),
    path("manage/", views.manage_election, name="manage-election"),
    path("nominate/", views.nominate_candidate, name="election-nominate"),
    path(
        "candidates/<int:candidate_pk>/withdraw/",
        views.withdraw_candidate,
        name="candidate-withdraw",
    ),
    path("open/", views.open_election, name="election-open"),
    path("close/", views.close_round, name="election-close-round"),
    path("runoff/", views.start_runoff, name="election-runoff"),
    path("certify/", views.certify_election, name="election-certify"),
]

urlpatterns = [
    path("board/", views.show_board, name="board"),
    path("elections/manage/", views.manage_elections, name="manage-elections"),
    path("elections/manage/new/", views.create_election, name="election-create"),
    path("elections/<int:pk>/", include(election_urls)),
    path(
        "elections/candidates/<int:pk>/<str:size>/",
        views.show_candidate_photo,
        name="candidate-photo",
    ),
]
