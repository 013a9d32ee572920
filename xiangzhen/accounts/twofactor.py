"""Two-factor login (TOTP, RFC 6238) for department staff: who needs it, and reading its state.

Department staff may add an authenticator app (微信/支付宝/Google/Microsoft Authenticator…) to
their account; once they have, a password alone no longer signs them in: the login asks for the
six-digit code too (`views.LoginView` → `views.two_factor`). `XIANGZHEN_STAFF_2FA=required` makes
it compulsory: staff without a device are sent to enrollment before any other page
(`middleware.TwoFactorMiddleware`). The writes (enroll, confirm, reset by a manager) are in
`services`; the devices, their replay protection (a code is accepted once) and throttling are
django-otp's `TOTPDevice`. API tokens are not affected (see `auth`).

Whether an account has an app is also kept on the user row (`User.two_factor_enabled`, written by
the same services in the same transaction as the devices): the middleware asks on every staff
request, and the user row is loaded anyway, while a device lookup would cost a query each time.
Being on the row rather than in a session, a device added or removed reaches every open session
of the account at its next request.
"""

import base64
from typing import Any

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiangzhen.accounts.models import User

REQUIRED = "required"
OPTIONAL = "optional"
POLICIES = (REQUIRED, OPTIONAL)


def policy() -> str:
    value = str(getattr(settings, "XIANGZHEN_STAFF_2FA", OPTIONAL)).lower()
    return value if value in POLICIES else REQUIRED  # a typo must not switch protection off


def applies_to(user: Any) -> bool:
    """Two-factor login is for department staff (the government side)."""
    return bool(getattr(user, "is_authenticated", False) and user.role == User.Role.DEPARTMENT_STAFF)


def has_device(user: Any) -> bool:
    """Whether the account has a confirmed authenticator app (no query: see the module's docstring)."""
    return bool(getattr(user, "two_factor_enabled", False))


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The app itself, for checking a code; `has_device` answers whether there is one."""
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def pending_device(user: Any) -> TOTPDevice | None:
    """The device being enrolled (created, not yet confirmed by a first code)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-pk").first()


def is_verified(request: Any) -> bool:
    """Whether this session passed the second factor (set by django-otp's `login`)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def needs_verification(request: Any) -> bool:
    """A signed-in staff session whose account has a device but which has not given a code."""
    user = request.user
    return applies_to(user) and has_device(user) and not is_verified(request)


def needs_enrollment(request: Any) -> bool:
    """Under the `required` policy, staff without a device must add one before anything else."""
    user = request.user
    return applies_to(user) and policy() == REQUIRED and not has_device(user)


def secret_text(device: TOTPDevice) -> str:
    """The shared secret in base32, grouped by four, for typing into an app by hand."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (img-src 'self' data: allows it)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))
