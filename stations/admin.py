from django.contrib import admin

from .models import Division, Station


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "counts_toward_coverage"]
    list_filter = ["level", "counts_toward_coverage"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "status", "opened_on"]
    list_filter = ["status"]
    search_fields = ["name", "township__name", "township__code"]
    autocomplete_fields = ["township"]
