"""Back-office building blocks for records the portal's services write.

Polls, audit entries, members' history, certificates, the seated board: the admin shows
them for looking up, but they change only through the services that keep their rules
(and their audit trail), so the admin never adds or edits them.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .params import BadParameter
from .storage import PrivateStorage


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


def run_for_each(request, objects, action, *, done):
    """An admin action that calls a service once per selected object: a refusal (the
    service's ValidationError) is flashed as a warning naming the object, and the others go
    on; then `done(count)`, the message for how many were done, is flashed. Each call is the
    service's own transaction. Returns that count."""
    count = 0
    for obj in objects:
        try:
            action(obj)
        except ValidationError as error:
            messages.warning(request, f"{obj}: {' '.join(error.messages)}")
        else:
            count += 1
    messages.success(request, done(count))
    return count


class PrivateFileWidget(AdminFileWidget):
    """The admin's file input for a file in private storage: it names the current file
    instead of linking it, since a private file has no URL (the portal's pages serve it
    to those who may see it)."""

    def is_initial(self, value):
        return bool(value and getattr(value, "name", ""))

    def render(self, name, value, attrs=None, renderer=None):
        # The bare file input, then what the admin's template would put around it, minus
        # the link. (A template of our own would need a form renderer that reads the
        # project's templates; common/ is no app with templates of its own.)
        field = super().render(name, None, attrs, renderer)
        if not self.is_initial(value):
            return field
        widget = self.get_context(name, value, attrs)["widget"]
        clear = ""
        if not self.is_required:
            clear = format_html(
                '<span class="clearable-file-input"><input type="checkbox" name="{}" id="{}"{}>'
                '<label for="{}">{}</label></span>',
                widget["checkbox_name"],
                widget["checkbox_id"],
                " disabled" if widget["attrs"].get("disabled") else "",
                widget["checkbox_id"],
                widget["clear_checkbox_label"],
            )
        return format_html(
            '<p class="file-upload">{}: <span>{}</span>{}<br>{}: {}</p>',
            widget["initial_text"],
            value.name,
            clear,
            widget["input_text"],
            field,
        )


def _is_private_file(field):
    return isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage)


def _file_name(field):
    @admin.display(description=field.verbose_name)
    def name(obj):
        file = getattr(obj, field.name)
        return file.name.rsplit("/", 1)[-1] if file else "-"

    name.__name__ = f"{field.name}_name"
    return name


class PrivateFilesAdmin(admin.ModelAdmin):
    """A ModelAdmin for models with files in private storage: the form's input names the
    current file (PrivateFileWidget), and a page shown read-only names it too (the admin
    would link the file's URL, which a private file has not)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if _is_private_file(db_field):
            kwargs["widget"] = PrivateFileWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        private = {
            field.name: _file_name(field)
            for field in self.model._meta.fields
            if _is_private_file(field)
        }
        return [
            (title, {**options, "fields": [private.get(name, name) for name in options["fields"]]})
            for title, options in fieldsets
        ]


class ExportFiltersChecked:
    """For admins with django-import-export's export: the export applies the list's
    filters from the address, and filters it cannot use answer 400 with a message (the
    list itself answers them by showing the list unfiltered, ?e=1) instead of a 500."""

    def get_export_queryset(self, request):
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters:
            raise BadParameter(_("The address holds filters this list does not have.")) from None
