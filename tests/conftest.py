from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.db import connection
from django.test import TestCase

from realisa.accounts.models import User
from realisa.choices import Role
from realisa.documents.sealing_keys import forget_seal_keys
from realisa.dossiers.models import Dossier
from realisa.lib import background
from tests.factories import (
    BeneficiaryFactory,
    DossierFactory,
    EmployerFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, tmp_path: Any) -> None:
    """Tests hash passwords quickly, store files in their own folder, count rate limits
    in their own database (rolled back), never in a Redis that outlives them, and serve the
    static files from their source folders."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RATE_LIMIT_REDIS_URL = ""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
        # the source folders, as in development: no collectstatic before the tests
        # (tests/test_static_files.py checks the production setting after one)
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True


# The marks of a test module whose threads run transactions at the same time: they need
# PostgreSQL's row locks (SQLite runs one writer at a time) and committed data.
CONCURRENT_ON_POSTGRESQL = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions need PostgreSQL; SQLite runs one writer at a time",
    ),
]


@dataclass
class World:
    """Two organisations, each with its people and one dossier, and the funder's agent."""

    agent: User
    of_admin: User
    of_user: User
    beneficiary: User
    employer: User
    other_of_admin: User
    other_of_user: User
    other_beneficiary: User
    other_employer: User
    dossier: Dossier
    other_dossier: Dossier

    def user(self, name: str) -> User:
        return getattr(self, name)  # type: ignore[no-any-return]


@pytest.fixture
def world(db: Any) -> World:
    organisation, other_organisation = OrganisationFactory(), OrganisationFactory()
    employer, other_employer = EmployerFactory(), EmployerFactory()
    dossier = DossierFactory(
        organisation=organisation,
        beneficiary=BeneficiaryFactory(with_login=True),
        employer=employer,
    )
    other_dossier = DossierFactory(
        organisation=other_organisation,
        beneficiary=BeneficiaryFactory(with_login=True),
        employer=other_employer,
    )
    return World(
        agent=UserFactory(role=Role.AGENT),
        of_admin=UserFactory(role=Role.OF_ADMIN, organisation=organisation),
        of_user=UserFactory(role=Role.OF_USER, organisation=organisation),
        beneficiary=dossier.beneficiary.user,
        employer=UserFactory(role=Role.EMPLOYER, employer=employer),
        other_of_admin=UserFactory(role=Role.OF_ADMIN, organisation=other_organisation),
        other_of_user=UserFactory(role=Role.OF_USER, organisation=other_organisation),
        other_beneficiary=other_dossier.beneficiary.user,
        other_employer=UserFactory(role=Role.EMPLOYER, employer=other_employer),
        dossier=dossier,
        other_dossier=other_dossier,
    )


class Inbox(Message):
    """A real SMTP server's mailbox, on loopback (aiosmtpd)."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Any] = []

    def handle_message(self, message: Any) -> None:
        self.received.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_port(settings: Any) -> int:
    """Django sends through SMTP to this loopback port, where nothing listens yet."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 2
    return port


@pytest.fixture
def smtp_server(smtp_port: int) -> Iterator[tuple[Controller, Inbox]]:
    """The SMTP server of that port, not started: a test starts it when it comes back."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    yield controller, inbox
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


@pytest.fixture
def silent_smtp(settings: Any) -> Iterator[list[socket.socket]]:
    """A mail server on loopback that accepts connections and never answers, as one that
    hangs: Django sends to it through SMTP; the list holds the connections it accepted."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    listener = threading.Thread(target=accept, daemon=True)
    listener.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
    settings.EMAIL_TIMEOUT = 1
    yield accepted
    stop.set()
    listener.join()
    for sock in [server, *accepted]:
        sock.close()


@pytest.fixture(autouse=True)
def _background_jobs_wait_for_the_test(settings: Any) -> Iterator[None]:
    """What the code asks to run after its response (``run_later``: e-mails, webhooks) waits
    in the queue until the test runs it with ``run_background_jobs()``; none is left over
    for the next test."""
    settings.BACKGROUND_THREAD = False
    yield
    background.RUNNER.clear()


def run_background_jobs() -> int:
    """Run the jobs asked for after the responses so far (sending the e-mails, posting the
    webhooks), here, as the background would, with the jobs they ask for in turn; how many
    ran. Call it before reading ``mail.outbox``."""
    ran = 0
    while True:
        # A job's own after-commit asks, inside a test's transaction, run at its end here.
        with TestCase.captureOnCommitCallbacks(execute=True):
            done = background.run_pending()
        if not done:
            return ran
        ran += done


@pytest.fixture
def own_seal(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """The test seals with a key and a local CA made for it (the embedded default: B-B, no
    PKCS#12, no time-stamping authority), kept in the data folder it yields."""
    settings.DATA_DIR = tmp_path / "data"
    settings.SIGNING_PKCS12_FILE = ""
    settings.SIGNING_PKCS12_PASSPHRASE = ""
    settings.SIGNING_TSA_URL = ""
    settings.SIGNING_TSA_ROOTS_FILE = ""
    settings.SIGNING_CRL_FILE = ""
    settings.SIGNING_PADES_LTA = True
    forget_seal_keys()
    yield tmp_path / "data"
    forget_seal_keys()
