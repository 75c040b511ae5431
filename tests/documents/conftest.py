"""Fixtures of the certificate PDF tests: a certificate with every field filled in."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from realisa.certificates.models import Certificate
from realisa.choices import ActionNature, Civility
from tests.factories import (
    BeneficiaryFactory,
    CertificateFactory,
    DossierFactory,
    EmployerFactory,
    OrganisationFactory,
)


def make_certificate(
    *, nature: str = ActionNature.TRAINING, with_employer: bool = True, **fields: Any
) -> Certificate:
    organisation = OrganisationFactory(
        name="Formapro Est",
        city="Strasbourg",
        legal_representative="Sophie Lambert",
        legal_representative_title="Directrice",
    )
    dossier = DossierFactory(
        organisation=organisation,
        beneficiary=BeneficiaryFactory(
            civility=Civility.MME, first_name="Julie", last_name="Martin", with_login=True
        ),
        employer=EmployerFactory(name="Transports Lorrains SA") if with_employer else None,
        training_title="Titre professionnel Développeur web",
        action_nature=nature,
    )
    values = {
        "centre_minutes": 120 * 60 + 30,
        "internship_minutes": 20 * 60,
        "absence_minutes": 7 * 60,
        **fields,
    }
    return CertificateFactory(dossier=dossier, **values)  # type: ignore[no-any-return]


def poppler(tool: str, *args: str, cwd: Path | None = None) -> str:
    """Run a poppler-utils tool (pdftotext, pdfinfo, pdffonts, pdftoppm); its output."""
    executable = shutil.which(tool)
    assert executable, f"{tool} (poppler-utils) is needed by these tests"
    command = [executable, *args]
    done = subprocess.run(command, capture_output=True, check=True, text=True, cwd=cwd)  # noqa: S603
    return done.stdout


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as pdftotext reads it, on one line, with plain apostrophes."""
    path = tmp_path / "certificat.pdf"
    path.write_bytes(pdf)
    text = poppler("pdftotext", str(path), "-")
    return re.sub(r"\s+", " ", text.replace("’", "'"))
