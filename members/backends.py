"""Authentication backends: Django's and allauth's, loading the account with what every
page asks of it.

Each request loads the signed-in account once (AuthenticationMiddleware → get_user); the
layout, the navigation and the role decorators then ask for its role names and, for staff,
whether it has two-factor login (members.roles). Read here in the same query, they cost no
query of their own, on every page. The answers are those of that moment, exactly as the
roles' own per-request cache (forget_cached_roles, forget_two_factor drop them after a
change).
"""

from allauth.account.auth_backends import AuthenticationBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Exists, OuterRef

from . import roles
from .models import User


class _LoadsRoles:
    def get_user(self, user_id):
        if connection.vendor != "postgresql":  # ArraySubquery is PostgreSQL's
            return super().get_user(user_id)
        try:
            user = User._default_manager.annotate(
                loaded_role_names=ArraySubquery(
                    Group.objects.filter(user=OuterRef("pk")).values("name")
                ),
                loaded_two_factor=Exists(
                    Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
                ),
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        roles.remember(user, names=user.loaded_role_names, two_factor=user.loaded_two_factor)
        return user if self.user_can_authenticate(user) else None


class RolesModelBackend(_LoadsRoles, ModelBackend):
    """django.contrib.auth's ModelBackend."""


class RolesAuthenticationBackend(_LoadsRoles, AuthenticationBackend):
    """allauth's backend (log in by e-mail address)."""
