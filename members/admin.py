from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Member, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["email", "full_name", "is_staff", "civil_affairs_scope", "date_joined"]
    search_fields = ["email", "full_name", "username"]
    autocomplete_fields = ["civil_affairs_scope"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (
            _("Portal"),
            {"fields": ["full_name", "phone", "consent_at", "civil_affairs_scope"]},
        ),
    )
    readonly_fields = ["consent_at"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "kind", "tier", "status", "member_since"]
    list_filter = ["kind", "tier", "status"]
    search_fields = ["name", "number"]
    autocomplete_fields = ["county", "user"]
