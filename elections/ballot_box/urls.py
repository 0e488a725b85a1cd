"""The ballot box's pages: voting, the bulletin board, results and the control panel."""

from django.urls import include, path

from . import manage_views, views

# /polls/<pk>/
poll_urls = [
    path("", views.show_poll, name="poll"),
    path("confirm/", views.confirm_ballot, name="poll-confirm"),
    path("cast/", views.cast_ballot, name="poll-cast"),
    path("board/", views.show_bulletin, name="poll-bulletin"),
    path("board.txt", views.download_bulletin, name="poll-bulletin-text"),
    path("results/", views.show_results, name="poll-results"),
]

# /polls/manage/<pk>/: the secretariat's control panel of one poll
manage_poll_urls = [
    path("", manage_views.manage_poll, name="manage-poll"),
    path("turnout.json", manage_views.show_turnout, name="poll-turnout"),
    path("open/", manage_views.open_poll, name="poll-open"),
    path("close/", manage_views.close_poll, name="poll-close"),
    path("publish/", manage_views.publish_poll, name="poll-publish"),
    path("totals/", manage_views.enter_totals, name="poll-totals"),
    path("mail/retry/", manage_views.retry_poll_mail, name="poll-mail-retry"),
]

urlpatterns = [
    path("polls/", views.list_polls, name="poll-list"),
    path("polls/mine/", views.list_my_votes, name="my-votes"),
    path("polls/<int:pk>/", include(poll_urls)),
    path("polls/manage/", manage_views.manage_polls, name="manage-polls"),
    path("polls/manage/audit/", manage_views.show_audit_log, name="audit-log"),
    path("polls/manage/<int:pk>/", include(manage_poll_urls)),
]
