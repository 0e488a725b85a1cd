"""The ballot box's pages: voting, the bulletin board, results and the control panel."""

from django.urls import path

from . import manage_views, views

urlpatterns = [
    path("polls/", views.list_polls, name="polls"),
    path("polls/mine/", views.my_votes, name="my-votes"),
    path("polls/<int:pk>/", views.show_poll, name="poll"),
    path("polls/<int:pk>/confirm/", views.confirm_ballot, name="poll-confirm"),
    path("polls/<int:pk>/cast/", views.cast_ballot, name="poll-cast"),
    path("polls/<int:pk>/board/", views.show_bulletin, name="poll-bulletin"),
    path("polls/<int:pk>/board.txt", views.download_bulletin, name="poll-bulletin-text"),
    path("polls/<int:pk>/results/", views.show_results, name="poll-results"),
    path("polls/manage/", manage_views.manage_polls, name="manage"),
    path("polls/manage/audit/", manage_views.audit_log, name="audit-log"),
    path("polls/manage/<int:pk>/", manage_views.manage_poll, name="manage-poll"),
    path("polls/manage/<int:pk>/turnout.json", manage_views.poll_turnout, name="poll-turnout"),
    path("polls/manage/<int:pk>/open/", manage_views.open_poll, name="poll-open"),
    path("polls/manage/<int:pk>/close/", manage_views.close_poll, name="poll-close"),
    path("polls/manage/<int:pk>/publish/", manage_views.publish_poll, name="poll-publish"),
    path("polls/manage/<int:pk>/totals/", manage_views.enter_totals, name="poll-totals"),
]
