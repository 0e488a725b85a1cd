from django.urls import path

from . import views

app_name = "stations"

urlpatterns = [
    path("", views.station_list, name="station-list"),
    path("new/", views.station_create, name="station-create"),
    path("<int:pk>/", views.station_detail, name="station-detail"),
    path("<int:pk>/edit/", views.station_edit, name="station-edit"),
    path("<int:pk>/photos/add/", views.photo_add, name="photo-add"),
    path("<int:pk>/photos/<int:photo_pk>/delete/", views.photo_delete, name="photo-delete"),
    path("photos/<int:photo_pk>/", views.photo_file, {"size": "full"}, name="photo-file"),
    path("photos/<int:photo_pk>/thumb/", views.photo_file, {"size": "thumb"}, name="photo-thumb"),
    path("summary/", views.coverage_summary, name="coverage-summary"),
    path("coverage/", views.coverage_dashboard, name="coverage"),
    path("coverage/export/", views.export_coverage, name="coverage-export"),
]
