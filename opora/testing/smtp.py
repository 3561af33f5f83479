"""A real SMTP server on loopback for the tests of e-mail (issue 16: not a mock). ``aiosmtpd``
keeps what arrives; Django's mailer is pointed at it through ``settings`` (pytest-django's)."""

from __future__ import annotations

import contextlib
import socket
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as email_policy


@contextlib.contextmanager
def loopback_smtp(settings, site_url: str = "https://opora.example"):
    """Start an SMTP server on a free loopback port, point ``settings.MAILERS`` at it and yield
    the list the letters arrive in (``email.message.EmailMessage``); stop it afterwards."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[EmailMessage] = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

        def prepare_message(self, session, envelope):
            return message_from_bytes(envelope.content, policy=email_policy)

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    settings.SITE_URL = site_url
    try:
        yield received
    finally:
        controller.stop()
