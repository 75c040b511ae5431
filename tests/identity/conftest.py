from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from realisa.demo.files import logo_png, one_page_pdf, stamp_png
from realisa.organisations.models import CertifierDocument, Organisation
from tests.conftest import World


@pytest.fixture
def organisation(world: World) -> Organisation:
    return world.dossier.organisation


def add_document(organisation: Organisation, kind: str, **fields: Any) -> CertifierDocument:
    document = CertifierDocument(organisation=organisation, kind=kind, **fields)
    document.file.save(f"{kind}.pdf", ContentFile(one_page_pdf(kind)), save=False)
    document.save()
    return document


def complete_identity(organisation: Organisation, *, certifier: bool = True) -> Organisation:
    organisation.legal_representative = "Sophie Lambert"
    organisation.is_certifier = certifier
    organisation.logo.save("logo.png", ContentFile(logo_png("OF", "#1d3a8a")), save=False)
    organisation.stamp.save("cachet.png", ContentFile(stamp_png("OF", "Metz")), save=False)
    organisation.save()
    return organisation
