"""ReadOnlyAdmin and ReadOnlyInline: records the services write are never edited by hand."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory

from common.admin import ReadOnlyAdmin, ReadOnlyInline


class GroupAdmin(ReadOnlyAdmin):
    pass


class DeletableGroupAdmin(ReadOnlyAdmin):
    can_delete = True


class GroupInline(ReadOnlyInline):
    model = Group


@pytest.fixture
def superuser_request(django_user_model):
    request = RequestFactory().get("/admin/")
    request.user = django_user_model(is_superuser=True, is_staff=True, is_active=True)
    return request


@pytest.mark.django_db
def test_read_only_admin_shows_but_never_adds_changes_or_deletes(superuser_request):
    model_admin = GroupAdmin(Group, admin.site)
    assert model_admin.has_view_permission(superuser_request)
    assert not model_admin.has_add_permission(superuser_request)
    assert not model_admin.has_change_permission(superuser_request)
    assert not model_admin.has_delete_permission(superuser_request)
    assert DeletableGroupAdmin(Group, admin.site).has_delete_permission(superuser_request)


@pytest.mark.django_db
def test_read_only_inline_lists_rows_without_blank_forms(superuser_request):
    inline = GroupInline(Group, admin.site)
    assert inline.extra == 0 and not inline.can_delete
    assert not inline.has_add_permission(superuser_request)
    assert not inline.has_change_permission(superuser_request)
