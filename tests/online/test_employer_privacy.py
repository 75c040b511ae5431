"""The employer downloads every PDF it can reach and finds in none of them anything personal
of others: no IP address, no browser, no login, no unmasked e-mail. Each PDF is read
whole: its visible text, every embedded file, its XMP metadata and document information,
and its signature dictionaries.

The employer's months: March certified online then validated by the beneficiary (the
final version), February certified on paper with its signed scan (the sealed signed
certificate). Both carry evidence made with known addresses and browsers."""

from __future__ import annotations

import io
import re
from collections import deque
from datetime import date
from html.parser import HTMLParser

import pikepdf
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from realisa.certificates.certification import certify_paper, replace_signed_scan
from realisa.certificates.entry import HoursEntry, enter_hours
from realisa.certificates.models import Certificate
from realisa.certificates.validation import validate_hours
from realisa.choices import MonthStatus
from tests.conftest import World
from tests.documents.test_signed_version import pdf_scan
from tests.online.conftest import AGENT, IP, TOTALS, web
from tests.online.test_evidence import BENEFICIARY_AGENT, BENEFICIARY_IP, beneficiary_request
from tests.online.test_sealed_versions import certify

pytestmark = pytest.mark.django_db

IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6 = re.compile(r"\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\b", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NOT_FOLLOWED = ("/deconnexion", "/admin", "/static/", "/api/")
SITE = re.compile(r"https?://\S+")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/"):
            self.found.append(href.split("#")[0])


def reachable_pdfs(client: Client) -> dict[str, bytes]:
    """Every PDF reached by following the site's links from the home page, as a person
    would, each page once."""
    seen, pdfs, queue = set(), {}, deque(["/"])
    while queue and len(seen) < 300:
        url = queue.popleft()
        if url in seen or url.startswith(NOT_FOLLOWED):
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue
        content = getattr(response, "streaming_content", None)
        body = b"".join(content) if content is not None else response.content
        if response["Content-Type"].startswith("application/pdf"):
            pdfs[url] = body
        elif response["Content-Type"].startswith("text/html"):
            parser = Links()
            parser.feed(body.decode())
            queue.extend(parser.found)
    return pdfs


def everything_in(pdf: bytes) -> dict[str, str]:
    """The PDF's parts as text: pages, each embedded file, XMP, /Info, signatures."""
    parts = {}
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    parts["text"] = "\n".join(page.extract_text() for page in reader.pages)
    for name, contents in reader.attachments.items():
        for number, content in enumerate(contents):
            parts[f"file {name} {number}"] = content.decode("utf-8", "replace")
    with pikepdf.open(io.BytesIO(pdf)) as document:
        metadata = document.Root.get("/Metadata")
        parts["xmp"] = metadata.read_bytes().decode("utf-8", "replace") if metadata else ""
        parts["info"] = repr({str(key): str(value) for key, value in document.docinfo.items()})
        for number, field in enumerate(document.Root.get("/AcroForm", {}).get("/Fields", [])):
            value = field.get("/V")
            if field.get("/FT") == "/Sig" and value is not None:
                parts[f"signature {number}"] = repr(
                    {str(key): str(value[key]) for key in value if key != "/Contents"}
                )
    return parts


@pytest.fixture
def months(ready: World) -> World:
    """March certified online and validated; February certified on paper, signed scan."""
    march = enter_hours(
        ready.dossier,
        date(2026, 3, 1),
        actor=ready.of_user,
        entry=HoursEntry(hours=TOTALS, certifies_entry=True, accepts_ip_use=True),
        expected_version=0,
        request=web(ready.of_user),
    ).certificate
    certified = certify(ready, march)
    validate_hours(
        certified, actor=ready.beneficiary, request=beneficiary_request(ready.beneficiary)
    )
    february = enter_hours(
        ready.dossier,
        date(2026, 2, 1),
        actor=ready.of_user,
        entry=HoursEntry(
            hours=TOTALS, certifies_entry=True, accepts_ip_use=True, gap_reason="Hors calendrier"
        ),
        expected_version=0,
        request=web(ready.of_user),
    ).certificate
    scan = SimpleUploadedFile("certificat-signe.pdf", pdf_scan())
    replace_signed_scan(february, scan, actor=ready.of_user, request=web(ready.of_user))
    certify_paper(february, actor=ready.of_user, request=web(ready.of_user))
    return ready


def test_no_pdf_the_employer_reaches_holds_personal_data_of_others(months: World) -> None:
    statuses = dict(Certificate.objects.values_list("month", "status"))
    assert statuses == {date(2026, 3, 1): MonthStatus.VALIDATED, date(2026, 2, 1): "certified"}
    client = Client()
    client.force_login(months.employer)

    pdfs = reachable_pdfs(client)

    assert len(pdfs) >= 2, pdfs.keys()  # February's signed certificate, March's final one
    texts = [everything_in(pdf) for pdf in pdfs.values()]
    seals = " ".join(parts.get("signature 0", "") for parts in texts)
    assert "validées par le bénéficiaire" in seals  # March's final version
    assert "Certificat signé des heures de février 2026" in seals  # February's signed one
    assert any(name.startswith("file preuve.json") for parts in texts for name in parts)
    people = (months.of_user, months.of_admin, months.beneficiary, months.agent, months.employer)
    forbidden = {IP, BENEFICIARY_IP, AGENT, BENEFICIARY_AGENT} | {
        value for person in people for value in (person.username, person.email)
    }
    for url, parts in zip(pdfs, texts, strict=True):
        for part, text in parts.items():
            where = f"{url}, {part}"
            for value in forbidden:
                assert value not in text, f"{value!r} in {where}"
            # The verification page's address (SITE_URL, 127.0.0.1 in tests) is the portal's.
            without_links = SITE.sub("", text.replace("\n", ""))
            assert not IPV4.findall(without_links), where
            assert not IPV6.findall(without_links), where
            unmasked = [email for email in EMAIL.findall(text) if "*" not in email]
            assert not unmasked, f"{unmasked} in {where}"
