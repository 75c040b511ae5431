"""The French names of downloaded certificates."""

from __future__ import annotations

import re

from realisa.documents.models import CertificateVersion, CertificationEvidence

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_name_part(text: str) -> str:
    """A piece of a file name with nothing a browser or a file system could misread."""
    return _UNSAFE.sub("-", text).strip("-") or "dossier"


def download_name(version: CertificateVersion, *, numbered: bool = False) -> str:
    """``certificat-realisation-<dossier>-<AAAA-MM>.pdf``; an earlier version downloaded
    from the history gets ``-v<n>`` so that two versions never share a name."""
    certificate = version.certificate
    name = f"certificat-realisation-{safe_name_part(certificate.dossier.number)}"
    name += f"-{certificate.month:%Y-%m}"
    if numbered:
        name += f"-v{version.number}"
    return f"{name}.pdf"


def evidence_download_name(evidence: CertificationEvidence) -> str:
    """``dossier-de-preuve-<dossier>-<AAAA-MM>-v<n>.pdf``: the version it proves."""
    certificate = evidence.certificate
    dossier = safe_name_part(certificate.dossier.number)
    return f"dossier-de-preuve-{dossier}-{certificate.month:%Y-%m}-v{evidence.version.number}.pdf"
