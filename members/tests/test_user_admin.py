"""No way up: only superusers grant or remove staff roles, superuser status and
permissions, or change a staff account (its password too); the secretariat manages the
accounts of members, applicants and others without a staff role."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from conftest import PASSWORD, login
from members import roles
from members.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xin-mima-2026-abc"


def change_url(user):
    return reverse("admin:members_user_change", args=[user.pk])


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def form_data(response):
    """What the change form would submit unchanged: its editable fields' current values."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if hasattr(field.widget, "widgets"):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)
    return data


def escalation(role_groups):
    """Everything that would make an account staff, as the change form would post it."""
    return {
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [str(role_groups[roles.SECRETARIAT].pk)],
        "user_permissions": [str(Permission.objects.get(codename="change_user").pk)],
    }


def reload(user):
    user = User.objects.get(pk=user.pk)
    return user


def test_the_secretariat_cannot_make_itself_superuser(client, secretariat, role_groups):
    login(client, secretariat)
    page = client.get(change_url(secretariat))
    assert page.status_code == 200  # shown, read-only
    assert "is_superuser" not in page.context["adminform"].form.fields

    response = client.post(change_url(secretariat), {**form_data(page), **escalation(role_groups)})

    assert response.status_code == 403
    assert not reload(secretariat).is_superuser


def test_the_secretariat_edits_a_member_but_grants_no_role(
    client, secretariat, individual_member, role_groups
):
    login(client, secretariat)
    page = client.get(change_url(individual_member))
    form = page.context["adminform"].form
    assert not set(form.fields) & {"is_staff", "is_superuser", "groups", "user_permissions"}

    response = client.post(
        change_url(individual_member),
        {**form_data(page), "phone": "13800000000", **escalation(role_groups)},
    )

    assert response.status_code == 302
    member = reload(individual_member)
    assert member.phone == "13800000000"
    assert not (member.is_staff or member.is_superuser or member.user_permissions.exists())
    assert set(member.groups.values_list("name", flat=True)) == {roles.MEMBER}


def test_the_secretariat_sets_a_members_password_but_no_staff_password(
    client, secretariat, secretariat_without_2fa, city_viewer, superuser, individual_member
):
    login(client, secretariat)
    for staff in (secretariat_without_2fa, city_viewer, superuser):
        assert client.get(password_url(staff)).status_code == 403
        response = client.post(
            password_url(staff),
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
        )
        assert response.status_code == 403
        assert reload(staff).check_password(PASSWORD)

    assert client.get(password_url(individual_member)).status_code == 200
    response = client.post(
        password_url(individual_member),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )
    assert response.status_code == 302
    assert reload(individual_member).check_password(NEW_PASSWORD)


def test_the_secretariat_neither_changes_nor_deletes_a_staff_account(
    client, secretariat, secretariat_without_2fa, city_viewer
):
    login(client, secretariat)
    page = client.get(change_url(city_viewer))
    assert page.status_code == 200
    response = client.post(change_url(city_viewer), {**form_data(page), "email": "x@example.org"})
    assert response.status_code == 403
    assert (
        client.post(
            reverse("admin:members_user_delete", args=[city_viewer.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    client.post(
        reverse("admin:members_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [city_viewer.pk, secretariat_without_2fa.pk],
            "post": "yes",
        },
    )

    assert reload(city_viewer).email == "minzheng@example.org"
    assert User.objects.filter(pk__in=[city_viewer.pk, secretariat_without_2fa.pk]).count() == 2


def test_the_secretariat_cannot_reach_groups_and_permissions(client, secretariat):
    login(client, secretariat)

    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    group = Group.objects.get(name=roles.SECRETARIAT)
    assert client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code == 403


def test_a_superuser_grants_and_removes_staff_roles(
    client, superuser, individual_member, secretariat, role_groups
):
    login(client, superuser)
    page = client.get(change_url(individual_member))
    assert {"is_superuser", "groups", "user_permissions"} <= set(
        page.context["adminform"].form.fields
    )
    response = client.post(
        change_url(individual_member),
        {**form_data(page), "groups": [str(role_groups[roles.CIVIL_AFFAIRS].pk)]},
    )
    assert response.status_code == 302
    assert list(reload(individual_member).groups.values_list("name", flat=True)) == [
        roles.CIVIL_AFFAIRS
    ]

    page = client.get(change_url(secretariat))
    response = client.post(change_url(secretariat), {**form_data(page), "groups": []})
    assert response.status_code == 302
    assert not reload(secretariat).groups.exists()
    response = client.post(
        password_url(secretariat),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )
    assert response.status_code == 302
    assert reload(secretariat).check_password(NEW_PASSWORD)


def test_a_superuser_without_two_factor_manages_nothing(superuser_without_2fa, outsider):
    assert not roles.is_superuser(superuser_without_2fa)
    assert not roles.may_manage_account(superuser_without_2fa, outsider)
