"""The elections app's pages: the ballot box's and board elections'."""

from django.urls import include, path

from .ballot_box import urls as ballot_box_urls
from .board import urls as board_urls

app_name = "elections"

urlpatterns = [
    path("", include(ballot_box_urls)),
    path("", include(board_urls)),
]
