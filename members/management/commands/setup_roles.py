from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from members import roles

# App labels whose every model permission the secretariat holds in the admin.
SECRETARIAT_APPS = ["association", "members", "elections", "stations", "training"]
# Models civil-affairs viewers may read. They never use the admin; this documents their reach.
CIVIL_AFFAIRS_VIEW = [
    ("stations", "division"),
    ("stations", "station"),
    ("stations", "staff"),
    ("stations", "servicerecord"),
]


class Command(BaseCommand):
    help = "Create the role groups and their permissions. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        secretariat, _ = Group.objects.get_or_create(name=roles.SECRETARIAT)
        secretariat.permissions.set(
            Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS)
        )
        civil_affairs, _ = Group.objects.get_or_create(name=roles.CIVIL_AFFAIRS)
        civil_affairs.permissions.set(
            Permission.objects.filter(
                codename__startswith="view_",
                content_type__app_label__in={app for app, _m in CIVIL_AFFAIRS_VIEW},
                content_type__model__in={model for _a, model in CIVIL_AFFAIRS_VIEW},
            )
        )
        # Civil-affairs viewers the secretariat adds to this group see continuing-education
        # hours in their scope (members.roles.can_see_training_hours).
        app_label, codename = roles.TRAINING_HOURS_PERMISSION.split(".")
        training_hours, _ = Group.objects.get_or_create(name=roles.TRAINING_HOURS_GROUP)
        training_hours.permissions.set(
            Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )
        # Members and applicants act through the portal's pages, never the admin.
        for name in (roles.MEMBER, roles.APPLICANT):
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.clear()
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS("Role groups are up to date."))
