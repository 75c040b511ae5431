"""The evidence made readable: a Typst page of sections of (label, value) rows, the same
content as the JSON embedded beside it (``evidence-page.typ``), as a document of its own or
as a certificate's last page (``render.render_page``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from realisa.documents.render import PDF_STANDARDS, typst_compiler

TEMPLATE = Path(__file__).parent / "templates_typst" / "evidence.typ"
TITLES = {
    "certification": "Certification par l'organisme (code de vérification)",
    "validation": "Validation des heures",
    "certification_scellee": "Version certifiée et scellée",
    "document": "Ce document",
    "sceau": "Sceau électronique",
    "dossier_de_preuve_complet": "Dossier de preuve complet (organisme et financeur)",
    "reponse": "Votre réponse",
    "certificat": "Le certificat de réalisation",
    "journal": "Journal de preuve du portail",
}


@dataclass(frozen=True)
class EvidencePage:
    """What the page says above the rows: its title, an introduction and, for a document
    that holds personal data, who may read it."""

    title: str
    intro: str
    notice: str = ""


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return " ; ".join(
            f"{key.replace('_', ' ')} : {_value(item)}" for key, item in value.items()
        )
    if isinstance(value, list):
        return "\n".join(_value(item) for item in value) or "—"
    return str(value)


def page_data(data: dict[str, Any], page: EvidencePage) -> dict[str, Any]:
    """The evidence as the Typst page reads it: sections of (label, value) rows."""
    sections = [
        {
            "title": TITLES.get(name, name.replace("_", " ")),
            "rows": [[key.replace("_", " "), _value(value)] for key, value in section.items()],
        }
        for name, section in data.items()
        if isinstance(section, dict)
    ]
    return {"title": page.title, "intro": page.intro, "notice": page.notice, "sections": sections}


def evidence_page(data: dict[str, Any], page: EvidencePage) -> bytes:
    pdf = typst_compiler().compile(
        input=TEMPLATE,  # by its path: the compiler keeps what it made of the file
        format="pdf",
        pdf_standards=PDF_STANDARDS,
        sys_inputs={"data": json.dumps(page_data(data, page), ensure_ascii=False)},
    )
    if not isinstance(pdf, bytes):
        raise TypeError("Typst returned pages instead of one PDF")
    return pdf


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode()
