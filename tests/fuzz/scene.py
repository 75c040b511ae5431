"""The world the fuzz runs in, and ``PAGES``: every page with a form or a search, and who
opens it. To fuzz a new form, add its page here (the coverage test says when one is
missing).

The world is the demo's (``realisa.demo.world``, relative to today), plus what puts the
remaining forms on screen: a month of the paperless dossier entered (certification 2's
window and code), a signed scan and a sheet on Centre Horizon's entered month (their
« supprimer »), a KBIS waiting for the funder's review, a deactivated member, an API
token, and a link to choose a password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from realisa.accounts.models import User
from realisa.api.tokens import create_token
from realisa.certificates.batch_certification import open_batch, request_batch_code
from realisa.certificates.certification import add_attendance_sheet, replace_signed_scan
from realisa.certificates.models import Certificate
from realisa.choices import Role
from realisa.demo.files import one_page_pdf
from realisa.demo.hours import enter_month
from realisa.demo.world import build_demo
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import shift_month
from realisa.funder.models import Transmission
from realisa.organisations.models import CertifierDocument, Organisation

# Each role of the fuzz, and the demo login that plays it.
LOGINS = {
    "anonymous": None,
    "agent": "agent",
    "of_admin": "of.admin",
    "of_user": "of.user",
    "horizon_admin": "horizon.admin",
    "beneficiary": "beneficiaire",
    "employer": "employeur",
}


@dataclass
class Scene:
    today: date

    def user(self, role: str) -> User:
        return User.objects.get(username=LOGINS[role])

    def dossier(self, prefix: str, index: int) -> Dossier:
        return Dossier.objects.get(number=f"{prefix}-{self.today.year}-{index:04d}")

    def month(self, offset: int) -> date:
        return shift_month(self.today.replace(day=1), offset)

    def month_args(self, prefix: str, index: int, offset: int) -> list[Any]:
        month = self.month(offset)
        return [self.dossier(prefix, index).number, month.year, month.month]

    def horizon(self) -> Organisation:
        return Organisation.objects.get(name="Centre Horizon")


def build_scene() -> Scene:
    scene = Scene(timezone.localdate())
    build_demo(scene.today)
    of_user, horizon_admin = scene.user("of_user"), scene.user("horizon_admin")
    enter_month(scene.dossier("FPE", 1), scene.month(-1), of_user, scene.today)
    paper = Certificate.objects.get(dossier=scene.dossier("CH", 2), month=scene.month(-2))
    pdf = one_page_pdf("Piece")
    for add in (replace_signed_scan, add_attendance_sheet):
        add(paper, SimpleUploadedFile("piece.pdf", pdf), actor=horizon_admin, request=None)
    kbis = CertifierDocument(organisation=scene.horizon(), kind=CertifierDocument.Kind.KBIS)
    kbis.file.save("kbis.pdf", ContentFile(pdf))
    User.objects.create(
        username="ancien.membre",
        role=Role.OF_USER,
        organisation=of_user.organisation,
        is_active=False,
    )
    expiry = scene.today + timedelta(days=30)
    create_token(scene.user("of_admin"), name="Logiciel", expires_on=expiry)
    return scene


@dataclass(frozen=True)
class Page:
    name: str
    args: Callable[[Scene], list[Any]] = lambda scene: []
    query: str = ""  # a page that shows its form for a query only

    def url(self, scene: Scene) -> str:
        url = reverse(self.name, args=self.args(scene))
        return f"{url}?{self.query}" if self.query else url


def password_link(scene: Scene) -> list[Any]:
    user = scene.user("employer")
    return [urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)]


def MAIN(scene: Scene) -> list[Any]:
    return [scene.dossier("FPE", 1).number]


def ONLINE(scene: Scene) -> list[Any]:
    return scene.month_args("FPE", 1, -1)  # paperless, entered: certification 2


def AWAITING(scene: Scene) -> list[Any]:
    return scene.month_args("FPE", 1, -2)  # certified online, awaiting the beneficiary


def GRID_OPEN(scene: Scene) -> list[Any]:
    return scene.month_args("FPE", 4, -1)  # paperless, open: the day-by-day entry


def TOTALS_OPEN(scene: Scene) -> list[Any]:
    return scene.month_args("CH", 1, -1)  # on paper, open: the month's totals


def PAPER_ENTERED(scene: Scene) -> list[Any]:
    return scene.month_args("CH", 2, -2)  # entered, with a scan and a sheet


def PAPER_CERTIFIED(scene: Scene) -> list[Any]:
    return scene.month_args("FPE", 3, -1)  # certified on paper, not transmitted


def BATCH(scene: Scene) -> list[Any]:
    batch = Transmission.objects.filter(cancellation__isnull=True).first()  # the demo's
    assert batch is not None
    return [batch.pk]


def CERTIFICATION_BATCH(scene: Scene) -> list[Any]:
    """A « Certifier en lot » of Inès's month awaiting certification online, its code sent:
    its page shows both forms (a new code, the code typed back)."""
    of_user = scene.user("of_user")
    month = Certificate.objects.get(dossier=scene.dossier("FPE", 6), month=scene.month(-2))
    batch = open_batch(of_user, [month.pk])
    request_batch_code(batch, actor=of_user, request=None)
    return [batch.pk]


def HORIZON(scene: Scene) -> list[Any]:
    return [scene.horizon().pk]  # its KBIS awaits the review


# fmt: off
# The fuzz runs the roles in this order, each after the ones before: the organisation's
# admin comes last, as the fuzz of its forms deactivates members.
PAGES: dict[str, list[Page]] = {
    "anonymous": [
        Page("login"), Page("password_reset"), Page("password_reset_confirm", password_link),
        Page("password_set_confirm", password_link), Page("documents:verify"),
    ],
    "beneficiary": [
        Page("dossiers:list"), Page("certificates:validate", AWAITING), Page("tokens:list"),
    ],
    "employer": [Page("dossiers:list"), Page("certificates:mine"), Page("tokens:list")],
    "of_user": [
        Page("certificates:dossier", MAIN), Page("certificates:enter", GRID_OPEN),
        Page("certificates:online", ONLINE), Page("certificates:online_code", ONLINE),
        Page("certificates:batch", CERTIFICATION_BATCH), Page("documents:verify"),
    ],
    "horizon_admin": [
        Page("certificates:enter", TOTALS_OPEN), Page("certificates:month", PAPER_ENTERED),
        Page("organisations:identity"),
    ],
    "agent": [
        Page("dossiers:list"), Page("funder:dashboard"), Page("funder:dossier", MAIN),
        Page("funder:reopen", PAPER_CERTIFIED), Page("funder:payment_import"),
        Page("funder:dossier_import"), Page("funder:invitations"),
        Page("funder:dossier_edit", MAIN),
        Page("funder:transmissions"), Page("funder:transmission_confirm", query="tout=1"),
        Page("funder:transmission", BATCH),
        Page("funder:review_queue"), Page("funder:late_list"),
        Page("funder:review_organisation", HORIZON), Page("funder:organisation_late", HORIZON),
        Page("funder:audit_dossier", MAIN), Page("funder:journal"),
        Page("tokens:list"),
    ],
    "of_admin": [
        Page("dossiers:list"), Page("certificates:mine"), Page("organisations:identity"),
        Page("organisations:members"), Page("organisations:member_create"), Page("tokens:list"),
    ],
}
# fmt: on
