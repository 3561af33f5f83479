"""Failed sign-ins are counted per user name *and* address, and per address.

django-axes counts one parameter set against one limit. A user name locked everywhere lets
anyone lock out ``region`` by typing wrong passwords; an address counted only with a user
name may try unlimited user names. So a user name is locked only for the address the failures
came from (``AXES_LOCKOUT_PARAMETERS``), and an address that failed too often in total — over
any user names — is locked as a whole (``OPORA_LOGIN_FAILURES_PER_ADDRESS``).
"""

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.db.models import Sum


class AddressAwareHandler(AxesDatabaseHandler):
    """The database handler of django-axes with a second limit on the address alone."""

    def get_failures(self, request, credentials=None) -> int:
        pair = super().get_failures(request, credentials)
        if self._address_failures(request) >= settings.OPORA_LOGIN_FAILURES_PER_ADDRESS:
            # Reported as the pair's limit: axes compares one number with one limit.
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def _address_failures(self, request) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
