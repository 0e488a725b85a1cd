from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.models import User
from members.services import two_factor_link_issue


class Command(BaseCommand):
    help = (
        "E-mail a staff account its single-use link to set up two-factor login, and print it. "
        "For the first superuser, who has nobody to send one; afterwards the secretariat sends "
        "links from the back office."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The staff account's e-mail address.")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="The portal's address for the link, e.g. https://portal.example.org",
        )

    def handle(self, *args, email, base_url, **options):
        if not base_url.startswith(("http://", "https://")):
            raise CommandError("--base-url must start with http:// or https://")
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the e-mail address {email}.")
        try:
            url = two_factor_link_issue(user=user, base_url=base_url)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Sent to {user.email}: {url}")
