"""What PDF/A-3 and PDF/UA-1 promise, read with pikepdf from the file itself.

veraPDF is not reachable from here, so these are the checks of the parts the portal is
responsible for: the XMP identification, the output intent, every font embedded (the
seal's appearance included), every embedded file an associated file with its
relationship and type, nothing PDF/A forbids; for PDF/UA, the structure tree, the marked
content, the language, the title shown, and alternative text on every figure. Each
function returns the problems found, in words: an empty list is a pass.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pikepdf

PDFAID = "http://www.aiim.org/pdfa/ns/id/"
FORBIDDEN_ACTIONS = ("/JavaScript", "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData")


def pdfa_problems(pdf: bytes, *, part: str = "3") -> list[str]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [
            *_identification(document, part),
            *_output_intent(document),
            *_fonts(document),
            *_associated_files(document),
            *_forbidden(document),
        ]


def pdfua_problems(pdf: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        problems = []
        if "/StructTreeRoot" not in root:
            problems.append("pas d'arbre de structure (/StructTreeRoot)")
        if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
            problems.append("/MarkInfo /Marked n'est pas vrai")
        if not str(root.get("/Lang", "")):
            problems.append("pas de langue (/Lang)")
        if not _title(document):
            problems.append("pas de titre (dc:title)")
        if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
            problems.append("le titre n'est pas affiché (/DisplayDocTitle)")
        problems += [f"figure sans texte de remplacement (/Alt) : {f}" for f in _bare_figures(root)]
        return problems


def _identification(document: pikepdf.Pdf, part: str) -> list[str]:
    meta = document.open_metadata()
    found_part = meta.get("pdfaid:part")
    conformance = meta.get("pdfaid:conformance")
    if found_part != part or conformance not in ("A", "B", "U"):
        return [f"XMP pdfaid : partie {found_part!r}, conformité {conformance!r}"]
    return []


def _title(document: pikepdf.Pdf) -> str:
    return str(document.open_metadata().get("dc:title") or "")


def _output_intent(document: pikepdf.Pdf) -> list[str]:
    intents = document.Root.get("/OutputIntents", [])
    for intent in intents:
        if intent.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in intent:
            return []
    return ["pas de mode de sortie PDF/A (/OutputIntents /GTS_PDFA1 avec son profil ICC)"]


def _fonts(document: pikepdf.Pdf) -> list[str]:
    problems = []
    for name, font in _all_fonts(document):
        if font.get("/Subtype") == "/Type3":
            continue  # drawn by the file's own procedures
        described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor")
        embedded = descriptor is not None and any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        if not embedded:
            problems.append(f"police non incorporée : {name} ({font.get('/BaseFont')})")
    return problems


def _all_fonts(document: pikepdf.Pdf) -> Iterator[tuple[str, Any]]:
    """Every font of every page, form XObject and annotation appearance, once."""
    seen: set[tuple[int, int]] = set()
    for page in document.pages:
        yield from _resource_fonts(page.obj.get("/Resources"), seen)
        for annotation in page.obj.get("/Annots", []):
            for state in annotation.get("/AP", {}).values():
                yield from _stream_fonts(state, seen)


def _stream_fonts(stream: Any, seen: set[tuple[int, int]]) -> Iterator[tuple[str, Any]]:
    if isinstance(stream, pikepdf.Dictionary) and "/Resources" not in stream:
        for state in stream.values():  # an appearance with states (/On, /Off)
            yield from _stream_fonts(state, seen)
    elif isinstance(stream, pikepdf.Stream):
        yield from _resource_fonts(stream.get("/Resources"), seen)


def _resource_fonts(resources: Any, seen: set[tuple[int, int]]) -> Iterator[tuple[str, Any]]:
    if resources is None:
        return
    for name, font in resources.get("/Font", {}).items():
        if font.is_indirect and font.objgen in seen:
            continue
        if font.is_indirect:
            seen.add(font.objgen)
        yield name, font
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _resource_fonts(xobject.get("/Resources"), seen)


def _associated_files(document: pikepdf.Pdf) -> list[str]:
    """Each embedded file: a MIME type, a relationship, and listed in the catalogue's /AF."""
    listed = {spec.objgen for spec in document.Root.get("/AF", [])}
    problems = []
    for name, attachment in document.attachments.items():
        spec = attachment.obj
        if "/AFRelationship" not in spec:
            problems.append(f"fichier joint sans relation (/AFRelationship) : {name}")
        if "/Subtype" not in spec.EF.F:
            problems.append(f"fichier joint sans type MIME (/Subtype) : {name}")
        if spec.objgen not in listed:
            problems.append(f"fichier joint absent de /AF : {name}")
    return problems


def _forbidden(document: pikepdf.Pdf) -> list[str]:
    problems = []
    if document.is_encrypted:
        problems.append("chiffré")
    if "/JavaScript" in document.Root.get("/Names", {}):
        problems.append("du JavaScript au niveau du document")
    for number, page in enumerate(document.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A", {}).get("/S")
            if action in FORBIDDEN_ACTIONS:
                problems.append(f"page {number} : action interdite {action}")
    return problems


def _bare_figures(root: Any) -> Iterator[str]:
    """The /Figure structure elements that have no /Alt (or an empty one)."""
    stack = [root.StructTreeRoot]
    while stack:
        element = stack.pop()
        if element.get("/S") == "/Figure" and not str(element.get("/Alt", "")):
            yield str(element.get("/T", "sans titre"))
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(kid for kid in kids if isinstance(kid, pikepdf.Dictionary))
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
