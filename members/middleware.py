from django.urls import reverse

from .roles import needs_two_factor_setup, redirect_to_two_factor_setup


class StaffTwoFactorMiddleware:
    """Keeps staff without two-factor login out of the admin until they set it up.

    Staff pages outside the admin are guarded by the role decorators in members.roles.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_prefix = reverse("admin:index")
        if (
            request.path.startswith(admin_prefix)
            and request.user.is_authenticated
            and needs_two_factor_setup(request.user)
        ):
            return redirect_to_two_factor_setup(request)
        return self.get_response(request)
