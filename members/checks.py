"""System checks: `manage.py check` warns when certificates could not be drawn."""

from django.core.checks import Warning as CheckWarning

from common.certificates import CertificateFontMissing, find_font


def certificate_font(app_configs, **kwargs):
    try:
        find_font()
    except CertificateFontMissing as error:
        return [
            CheckWarning(
                str(error),
                hint=(
                    "Member certificates (会员证) and training certificates will answer 503 "
                    "until a font is found."
                ),
                id="members.W001",
            )
        ]
    return []
