import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from xiangzhen.accounts.tests.factories import UserFactory
from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class CollectingHandler:
    """An SMTP server's handler that keeps every message; addresses in `refuse` are rejected."""

    def __init__(self) -> None:
        self.messages: list = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def received(self) -> list[tuple[list[str], str, str]]:
        """(recipients, subject, body) of every message, decoded."""
        out = []
        for envelope in self.messages:
            message = message_from_bytes(envelope.content)
            body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
            out.append((list(envelope.rcpt_tos), str(make_header(decode_header(message["Subject"]))), body))
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port, with Django's SMTP backend pointed at it."""
    handler = CollectingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE


def org_with_admin(name: str, region_code: str, username: str, email: str = "", **kwargs):
    """An approved organization registered at `region_code` and its admin (with an e-mail address)."""
    organization = OrganizationFactory(name=name, region_id=region_code, **kwargs)
    user = UserFactory(username=username, email=email or f"{username}@example.com")
    MembershipFactory(organization=organization, user=user)
    return organization, user


@pytest.fixture(autouse=True)
def _fresh_badges():
    """The unread badge is cached per user id, and ids are reused between tests."""
    from django.core.cache import cache

    cache.clear()
