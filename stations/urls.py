from django.urls import include, path

from . import views

app_name = "stations"

# /stations/<pk>/
station_urls = [
    path("", views.show_station, name="station"),
    path("edit/", views.edit_station, name="station-edit"),
    path("photos/add/", views.add_station_photo, name="photo-add"),
    path("photos/<int:photo_pk>/delete/", views.delete_station_photo, name="photo-delete"),
]

# /stations/photos/<photo_pk>/ (public files)
photo_urls = [
    path("", views.show_station_photo, {"size": "full"}, name="photo"),
    path("thumb/", views.show_station_photo, {"size": "thumb"}, name="photo-thumbnail"),
]

# /stations/coverage/ (civil affairs and the secretariat)
coverage_urls = [
    path("", views.show_coverage_dashboard, name="coverage"),
    path("export/", views.export_coverage, name="coverage-export"),
    path("export/job/", views.start_coverage_export, name="coverage-export-job"),
]

urlpatterns = [
    path("", views.list_stations, name="station-list"),
    path("new/", views.create_station, name="station-create"),
    path("<int:pk>/", include(station_urls)),
    path("photos/<int:photo_pk>/", include(photo_urls)),
    path("summary/", views.show_coverage_summary, name="coverage-summary"),
    path("coverage/", include(coverage_urls)),
]
