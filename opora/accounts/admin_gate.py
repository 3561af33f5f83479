"""Django's admin site is a back door around every scope and service: only administrators, from
the administrators' network, ever see it; everyone else gets the ordinary «not found».

``OPORA_ADMIN_ENABLED`` switches it off entirely; ``OPORA_ADMIN_NETWORKS`` lists the networks
it answers from (any address in development, the server itself in production — reach it
through an SSH tunnel or name the office network).
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import Http404

from opora.accounts.addresses import client_address

ADMIN_PREFIX = "/admin/"


class AdminGate:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(ADMIN_PREFIX) and not admin_allowed(request):
            raise Http404("Раздел администрирования недоступен.")
        return self.get_response(request)


def admin_allowed(request) -> bool:
    if not settings.OPORA_ADMIN_ENABLED:
        return False
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    address = client_address(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(tuple(settings.OPORA_ADMIN_NETWORKS)))


@cache
def _networks(specs: tuple[str, ...]) -> list:
    return [ipaddress.ip_network(spec.strip(), strict=False) for spec in specs if spec.strip()]
