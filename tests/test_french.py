"""French as people read it: « d'avril », « le 1er décembre », « 0 jour », « contrôlée ».

Every month name and every count of 0, 1 and 2 goes through every message that uses the
French helpers. The template messages are found by reading the templates for the filters
(``count_of``, ``of_month``, ``de``, ``french_date``, ``agree``): a new use is tested
without being listed here, and a new word must bring its expected plural below. The
expectations are written out by hand, never computed by the code under test.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from realisa.api.tokens import TokenRefused, create_token
from realisa.certificates.codes import malformed
from realisa.documents.evidence import certified_text
from realisa.funder.payment_import import ImportRefused, LineError, parse_line
from realisa.funder.payments import PaymentRefused
from realisa.lib.french import (
    agree,
    de,
    elide,
    french_date,
    hours_in_words,
    of_month,
    ordinal,
    plural,
)
from realisa.notifications import emails
from realisa.notifications.models import OutboxEmail
from realisa.organisations.models import CertifierDocument
from tests.conftest import World
from tests.factories import (
    CertificateFactory,
    DossierFactory,
    EmployerFactory,
    OrganisationFactory,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
YEAR = 2026
# The test's own French: each month after « de », and the weekday of its first in 2026.
OF_MONTH = {
    1: ("de janvier", "jeudi"),
    2: ("de février", "dimanche"),
    3: ("de mars", "dimanche"),
    4: ("d'avril", "mercredi"),
    5: ("de mai", "vendredi"),
    6: ("de juin", "lundi"),
    7: ("de juillet", "mercredi"),
    8: ("d'août", "samedi"),
    9: ("de septembre", "mardi"),
    10: ("d'octobre", "jeudi"),
    11: ("de novembre", "dimanche"),
    12: ("de décembre", "mardi"),
}
MONTHS = sorted(OF_MONTH)
COUNTS = (0, 1, 2)
# Each word counted in a template, with its plural: 0 and 1 take the singular in French.
PLURALS = {
    "certificat": "certificats",
    "compte non activé": "comptes non activés",
    "dossier": "dossiers",
    "e-mail": "e-mails",
    "fait": "faits",
    "événement": "événements",
    "jour": "jours",
    "jour prévu": "jours prévus",
    "ligne refusée": "lignes refusées",
    "mois": "mois",
    "mois prêt": "mois prêts",
    "mois certifié": "mois certifiés",
    "stagiaire": "stagiaires",
    "scan refusé": "scans refusés",
    "non certifié": "non certifiés",
    "organisme": "organismes",
    "règlement": "règlements",
    "version": "versions",
}
# Each participle agreed in a template: masculine, feminine.
AGREED = {
    "contrôlé": ("contrôlé", "contrôlée"),
    "Contrôlé": ("Contrôlé", "Contrôlée"),
    "prévenu": ("prévenu", "prévenue"),
    "salarié": ("salarié", "salariée"),
}


def name_of(month: int) -> str:
    """« avril », from the test's table: « d'avril » without its « d' »."""
    return OF_MONTH[month][0].removeprefix("de ").removeprefix("d'")


def counted(count: int, word: str) -> str:
    return f"{count} {word if count < 2 else PLURALS[word]}"


# -- The helpers -------------------------------------------------------------------------


@pytest.mark.parametrize("month", MONTHS)
def test_de_elides_before_a_vowel_only(month: int) -> None:
    assert of_month(date(YEAR, month, 1)) == f"{OF_MONTH[month][0]} {YEAR}"
    assert de(f"{name_of(month)} {YEAR}") == f"{OF_MONTH[month][0]} {YEAR}"


@pytest.mark.parametrize("month", MONTHS)
def test_the_first_of_a_month_is_1er_and_the_other_days_their_number(month: int) -> None:
    weekday = OF_MONTH[month][1]
    first, second = date(YEAR, month, 1), date(YEAR, month, 2)
    assert french_date(first) == f"1er {name_of(month)} {YEAR}"
    assert french_date(first, weekday=True) == f"{weekday} 1er {name_of(month)} {YEAR}"
    assert french_date(first, weekday=True, year=False) == f"{weekday} 1er {name_of(month)}"
    assert french_date(second) == f"2 {name_of(month)} {YEAR}"


def test_elision_knows_the_mute_and_the_aspirated_h() -> None:
    assert de("Île-de-France") == "d'Île-de-France"
    assert de("heure") == "d'heure"
    assert de("Haute-Savoie") == "de Haute-Savoie"
    assert de("hangar") == "de hangar"
    assert de("Transitions Pro") == "de Transitions Pro"
    assert elide("le", "organisme") == "l'organisme"
    assert elide("que", "octobre") == "qu'octobre"


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 jour"), (1, "1 jour"), (2, "2 jours"), (10, "10 jours")],
)
def test_0_and_1_take_the_singular(count: int, expected: str) -> None:
    assert plural(count, "jour") == expected


def test_a_phrase_agrees_word_by_word_and_an_irregular_plural_is_given() -> None:
    assert plural(3, "ligne refusée") == "3 lignes refusées"
    assert plural(2, "mois") == "2 mois"
    assert plural(2, "événement de connexion", "événements de connexion") == (
        "2 événements de connexion"
    )
    assert plural(1, "événement de connexion", "événements de connexion") == (
        "1 événement de connexion"
    )


@given(st.integers(min_value=0, max_value=10**6))
def test_any_count_of_days_reads_as_french(count: int) -> None:
    assert plural(count, "jour") == (f"{count} jour" if count < 2 else f"{count} jours")


def test_participles_agree_and_ordinals_are_written_out() -> None:
    assert agree("contrôlé") == "contrôlé"
    assert agree("contrôlé", feminine=True) == "contrôlée"
    assert agree("contrôlé", feminine=True, count=2) == "contrôlées"
    assert agree("conforme", feminine=True) == "conforme"
    assert (ordinal(1), ordinal(1, feminine=True), ordinal(2), ordinal(21)) == (
        "1er",
        "1re",
        "2e",
        "21e",
    )


# -- Every template message, found by reading the templates ------------------------------

USE = re.compile(r"\{\{\s*([^{}]*?\|(count_of|of_month|de|french_date|agree)\b[^{}]*?)\s*\}\}")


def template_uses(kind: str) -> list[tuple[str, str]]:
    """(template, expression) of each ``{{ … }}`` of the templates whose last French
    filter is ``kind``."""
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        for match in USE.finditer(path.read_text()):
            expression = match.group(1)
            filters = re.findall(r"\|(count_of|of_month|de|french_date|agree)\b", expression)
            if filters[-1] == kind:
                found.append((path.relative_to(TEMPLATES).as_posix(), expression))
    return found


def context_for(expression: str, value: Any) -> dict[str, Any]:
    """The context in which the expression's variable (``page.paginator.count``) is
    ``value``; a ``|length`` counts a list of ``value`` items."""
    variable, *filters = expression.split("|")
    if filters and filters[0] == "length":
        value = ["ligne"] * value
    context: dict[str, Any] = {}
    # The variables given as a filter's argument (``default:user.username``) too.
    fallbacks = [f.split(":", 1)[1] for f in filters if re.match(r"default:[a-z_.]+$", f)]
    for path in [variable.strip(), *fallbacks]:
        *parents, last = path.split(".")
        level = context
        for name in parents:
            level = level.setdefault(name, {})
        level[last] = value
    return context


def render(expression: str, context: dict[str, Any]) -> str:
    return Template("{% autoescape off %}{{ " + expression + " }}{% endautoescape %}").render(
        Context(context)
    )


COUNT_USES = template_uses("count_of")
MONTH_USES = template_uses("of_month")
DE_USES = template_uses("de")
DATE_USES = template_uses("french_date")
AGREE_USES = template_uses("agree")


def test_plain_text_emails_are_not_html_escaped() -> None:
    """« d'avril » stays « d'avril » in a subject and a text body, never « d&#x27;avril »."""
    texts = sorted((TEMPLATES / "emails").glob("*.txt"))
    assert texts
    for path in texts:
        text = path.read_text().strip()
        assert text.startswith("{% autoescape off %}"), path.name
        assert text.endswith("{% endautoescape %}"), path.name


def test_the_templates_use_every_helper() -> None:
    assert len(COUNT_USES) >= 15 and len(MONTH_USES) >= 6 and len(DE_USES) >= 15
    assert DATE_USES and AGREE_USES
    assert not [p for p in TEMPLATES.rglob("*.html") if "|pluralize" in p.read_text()]
    assert not [p for p in TEMPLATES.rglob("*") if p.is_file() and "(s)" in p.read_text()]


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize(("template", "expression"), COUNT_USES)
def test_each_counted_word_takes_the_singular_for_0_and_1(
    template: str, expression: str, count: int
) -> None:
    word = re.search(r'count_of:"([^",]*)', expression).group(1)  # type: ignore[union-attr]
    assert word in PLURALS, f"{template}: give the plural of « {word} » in PLURALS"
    assert render(expression, context_for(expression, count)) == counted(count, word)


@pytest.mark.parametrize("month", MONTHS)
@pytest.mark.parametrize(("template", "expression"), MONTH_USES)
def test_each_month_after_de_is_elided(template: str, expression: str, month: int) -> None:
    context = context_for(expression, date(YEAR, month, 1))
    assert render(expression, context) == f"{OF_MONTH[month][0]} {YEAR}"


@pytest.mark.parametrize("month", MONTHS)
@pytest.mark.parametrize(("template", "expression"), DE_USES)
def test_each_name_after_de_is_elided(template: str, expression: str, month: int) -> None:
    """A month's name (« d'avril 2026 »), or a person's or an organisation's (« d'Alpha »)."""
    named = f"{name_of(month)} {YEAR}" if "month" in expression else "Alpha Formation"
    expected = f"{OF_MONTH[month][0]} {YEAR}" if "month" in expression else "d'Alpha Formation"
    assert render(expression, context_for(expression, named)) == expected
    if "month" not in expression:
        assert render(expression, context_for(expression, "Bêta")) == "de Bêta"


@pytest.mark.parametrize("month", MONTHS)
@pytest.mark.parametrize(("template", "expression"), DATE_USES)
def test_each_date_in_words_writes_the_first_1er(
    template: str, expression: str, month: int
) -> None:
    text = render(expression, context_for(expression, date(YEAR, month, 1)))
    weekday = f"{OF_MONTH[month][1]} " if "weekday" in expression else ""
    year = "" if "no-year" in expression else f" {YEAR}"
    assert text == f"{weekday}1er {name_of(month)}{year}"


@pytest.mark.parametrize("feminine", [False, True])
@pytest.mark.parametrize(("template", "expression"), AGREE_USES)
def test_each_participle_agrees(template: str, expression: str, feminine: bool) -> None:
    participle = re.match(r'"([^"]+)"', expression).group(1)  # type: ignore[union-attr]
    assert participle in AGREED, f"{template}: give the forms of « {participle} » in AGREED"
    variable = expression.split(":", 1)[1]
    assert render(expression, context_for(variable, feminine)) == AGREED[participle][feminine]


# -- Whole messages, from the code that sends or shows them --------------------------------


@pytest.fixture
def year_dossier(db: Any) -> Any:
    """A training from January to December: one certificate of each month."""
    dossier = DossierFactory(start_date=date(YEAR, 1, 5), end_date=date(YEAR, 12, 18))
    for month in MONTHS:
        CertificateFactory(dossier=dossier, month=date(YEAR, month, 1))
    return dossier


def sent(kind: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(kind=kind).order_by("pk"))


@pytest.mark.parametrize("month", MONTHS)
def test_every_email_names_the_month_after_de(year_dossier: Any, month: int) -> None:
    certificate = year_dossier.certificates.get(month=date(YEAR, month, 1))
    of = f"{OF_MONTH[month][0]} {YEAR}"
    emails.certificate_available(certificate)
    emails.certificate_reopened(certificate, reason="Erreur", tell_beneficiary=True)
    emails.hours_validated(certificate)
    assert (
        sent("certificate_available")[0].subject
        == f"Votre certificat de réalisation {of} est disponible"
    )
    reopened = sent("certificate_reopened")[-1]
    assert reopened.subject == f"Vos heures {of} vont être certifiées à nouveau"
    assert f"le certificat de réalisation {of} de votre formation" in reopened.body_text
    assert "vous serez prévenue." in reopened.body_text
    assert f"a validé les heures {of} (dossier" in sent("hours_validated")[0].body_text


@pytest.mark.parametrize("civility", ["m", "mme"])
def test_the_employer_reads_salarie_agreed_with_the_beneficiary(db: Any, civility: str) -> None:
    employer = EmployerFactory(email="rh@example.org")
    dossier = DossierFactory(beneficiary__civility=civility, employer=employer)
    emails.certificate_available(CertificateFactory(dossier=dossier))
    to_employer = next(e for e in sent("certificate_available") if e.to == ["rh@example.org"])
    word = "salariée" if civility == "mme" else "salarié"
    assert f", votre {word}, pour " in to_employer.body_text


@pytest.mark.parametrize("month", MONTHS)
def test_the_month_batch_command_names_the_month(db: Any, capsys: Any, month: int) -> None:
    call_command("generate_month_pdfs", f"{YEAR}-{month:02d}")
    expected = f"0 certificat {OF_MONTH[month][0]} {YEAR} sans PDF, mis en génération.\n"
    assert capsys.readouterr().out == expected


@pytest.mark.parametrize("month", MONTHS)
def test_the_funder_dashboard_names_the_month(world: World, client: Any, month: int) -> None:
    client.force_login(world.agent)
    page = client.get(reverse("funder:dashboard"), {"mois": f"{YEAR}-{month:02d}"}).text
    assert f"Statuts des certificats {OF_MONTH[month][0]} {YEAR}".replace("'", "&#x27;") in page


@pytest.mark.parametrize("days", COUNTS)
def test_the_reminder_says_since_how_many_days(db: Any, days: int) -> None:
    dossier = DossierFactory(organisation__email="of@example.org")
    line = {"dossier": dossier.number, "month": "2026-04", "status": "À saisir", "days_open": days}
    emails.reminder_digest(dossier.organisation, [line])
    email = sent("reminder_digest")[0]
    expected = {0: "depuis 0 jour.", 1: "depuis 1 jour.", 2: "depuis 2 jours."}[days]
    assert f"), avril 2026 : À saisir, {expected}" in email.body_text


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        ("kbis", "Extrait KBIS contrôlé conforme"),
        ("consent_letter", "Lettre de consentement contrôlée conforme"),
    ],
)
def test_the_review_email_agrees_with_the_document(db: Any, kind: str, subject: str) -> None:
    organisation = OrganisationFactory(email="of@example.org", name="Alpha")
    document = CertifierDocument(organisation=organisation, kind=kind, review_status="compliant")
    emails.document_reviewed(document)
    assert sent("document_reviewed")[0].subject == f"{subject} — Alpha"


def test_what_is_missing_for_online_agrees_with_each_document(db: Any) -> None:
    missing = OrganisationFactory(is_certifier=True).online_missing()
    assert "Extrait KBIS : pas encore contrôlé conforme par votre Transitions Pro" in missing
    assert (
        "Lettre de consentement : pas encore contrôlée conforme par votre Transitions Pro"
        in missing
    )


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("send_outbox", "0 e-mail envoyé, 0 en attente."),
        ("send_webhooks", "0 webhook envoyé, 0 en attente."),
        ("send_reminders", "0 relance envoyée."),
        ("purge_logs", "0 événement de connexion supprimé. "),
        ("purge_archives", "0 pièce échue :"),
        ("retimestamp_documents", "0 document à horodater, 0 horodaté, 0 échec."),
    ],
)
def test_the_commands_count_in_french(db: Any, capsys: Any, command: str, expected: str) -> None:
    call_command(command)
    assert capsys.readouterr().out.startswith(expected)


@pytest.mark.parametrize(
    ("count", "refused", "found"),
    [
        (0, "0 ligne refusée", "6 colonnes attendues, 0 trouvée."),
        (1, "1 ligne refusée", "6 colonnes attendues, 1 trouvée."),
        (2, "2 lignes refusées", "6 colonnes attendues, 2 trouvées."),
    ],
)
def test_the_payment_import_counts_in_french(count: int, refused: str, found: str) -> None:
    assert str(ImportRefused([LineError(n, "Erreur") for n in range(count)])) == refused
    with pytest.raises(PaymentRefused) as error:
        parse_line(1, ["x"] * count)
    assert str(error.value) == found


@pytest.mark.parametrize(("days", "words"), [(1, "1 jour"), (2, "2 jours")])
def test_the_token_limit_counts_its_days(
    world: World, settings: Any, days: int, words: str
) -> None:
    settings.API_TOKEN_MAX_DAYS = days
    with pytest.raises(TokenRefused) as refused:
        create_token(world.of_user, name="Logiciel", expires_on=date.today() + timedelta(days=9))
    assert refused.value.message.startswith(f"Un jeton est valable au plus {words} (jusqu'au ")


@pytest.mark.parametrize(("length", "words"), [(1, "1 chiffre"), (2, "2 chiffres")])
def test_the_code_field_counts_its_digits(settings: Any, length: int, words: str) -> None:
    settings.ONLINE_CODE_LENGTH = length
    assert malformed("") == f"Saisissez le code reçu par e-mail ({words})."


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0, "0 heure"),
        (60, "1 heure"),
        (90, "1 heure 30"),
        (120, "2 heures"),
        (8430, "140 heures 30"),
    ],
)
def test_the_certificate_writes_its_duration_in_words(minutes: int, words: str) -> None:
    assert hours_in_words(minutes) == words


def test_a_moment_is_dated_in_paris_and_an_irregular_plural_follows_a_comma() -> None:
    late_evening = datetime(YEAR, 11, 30, 23, 30, tzinfo=UTC)  # 1 December in Paris
    assert render("moment|french_date", {"moment": late_evening}) == "1er décembre 2026"
    expression = 'n|count_of:"événement de connexion,événements de connexion"'
    assert render(expression, {"n": 2}) == "2 événements de connexion"
    assert render('n|plural:"refusée"', {"n": 0}) + render('n|plural:"refusée"', {"n": 3}) == (
        "refuséerefusées"
    )


@pytest.mark.parametrize("month", MONTHS)
def test_the_sentence_the_certifier_confirms_names_the_month(year_dossier: Any, month: int) -> None:
    certificate = year_dossier.certificates.get(month=date(YEAR, month, 1))
    organisation = year_dossier.organisation.name
    assert certified_text(certificate).startswith(
        f"Je certifie, pour {organisation}, les heures {OF_MONTH[month][0]} {YEAR} du dossier "
    )


@pytest.mark.parametrize("month", MONTHS)
def test_the_beneficiary_reads_the_month_on_the_contest_and_code_emails(
    year_dossier: Any, month: int
) -> None:
    certificate = year_dossier.certificates.get(month=date(YEAR, month, 1))
    of = f"{OF_MONTH[month][0]} {YEAR}"
    emails.hours_contested(certificate, SimpleNamespace(comment="Il manque un jour."))
    assert f"conteste les heures {of} certifiées par" in sent("hours_contested")[0].body_text
