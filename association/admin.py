from django.contrib import admin

from .models import Announcement, AssociationProfile


@admin.register(AssociationProfile)
class AssociationProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "founded_on"]
    autocomplete_fields = ["city"]

    def has_add_permission(self, request):
        # One association per portal.
        return super().has_add_permission(request) and not AssociationProfile.objects.exists()


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "published_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
