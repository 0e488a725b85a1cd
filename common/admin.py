"""Back-office building blocks for records the portal's services write.

Polls, audit entries, members' history, certificates, the seated board: the admin shows
them for looking up, but they change only through the services that keep their rules
(and their audit trail), so the admin never adds or edits them.
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed and shown, never added or changed in the admin; deleted only where the class
    sets `can_delete = True`."""

    can_delete = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.can_delete and super().has_delete_permission(request, obj)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their parent's page, written by the services, never edited by hand."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
