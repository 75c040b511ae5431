"""Importing payments from a CSV file: every line valid, or nothing imported."""

from __future__ import annotations

from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.dossiers.models import Payment
from realisa.funder.payment_import import ImportRefused, LineError, import_payments
from tests.conftest import World

HEADER = "dossier;debut;fin;montant;date;avance"


REFERENCE_HEADER = f"{HEADER};reference"


def csv_file(world: World, *lines: str, header: str = HEADER) -> bytes:
    body = "\r\n".join([header, *lines])
    body = body.replace("{n}", world.dossier.number).replace("{o}", world.other_dossier.number)
    return ("\ufeff" + body).encode("utf-8")


def referenced_file(world: World, *lines: str) -> bytes:
    return csv_file(world, *lines, header=REFERENCE_HEADER)


def stored_payments() -> list[tuple[str, str, Decimal, bool]]:
    return list(
        Payment.objects.order_by("pk").values_list(
            "external_reference", "dossier__number", "amount", "is_advance"
        )
    )


def test_a_valid_file_imports_every_line(world: World) -> None:
    content = csv_file(
        world,
        "{n};01/02/2026;28/02/2026;1 200,00;20/03/2026;non",
        "{n};01/03/2026;31/03/2026;800,50;20/04/2026;oui",
    )
    imported = import_payments(content, actor=world.agent)
    assert (len(imported.payments), imported.warnings) == (2, [])
    assert sorted(Payment.objects.values_list("is_advance", flat=True)) == [False, True]


def test_a_bad_line_refuses_the_whole_file_and_names_its_line(world: World) -> None:
    content = csv_file(
        world,
        "{n};01/02/2026;28/02/2026;1200;20/03/2026;non",
        "{n};01/03/2026;31/03/2026;douze;20/04/2026;non",
        "INCONNU;01/03/2026;31/03/2026;10;20/04/2026;non",
        "{n};01/04/2026;30/04/2026;900;20/05/2026;non",
    )
    with pytest.raises(ImportRefused) as refused:
        import_payments(content, actor=world.agent)
    assert refused.value.errors == [
        LineError(3, "« douze » n'est pas un montant."),
        LineError(4, "Le dossier « INCONNU » n'existe pas."),
    ]
    assert not Payment.objects.exists()


def test_importing_the_same_file_twice_never_duplicates(world: World) -> None:
    content = csv_file(world, "{n};01/02/2026;28/02/2026;1200;20/03/2026;non")
    import_payments(content, actor=world.agent)
    with pytest.raises(ImportRefused) as refused:
        import_payments(content, actor=world.agent)
    assert refused.value.errors == [
        LineError(2, "Ce règlement est déjà enregistré sur ce dossier.")
    ]
    assert Payment.objects.count() == 1


def test_a_file_without_its_header_is_refused(world: World) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_payments(b"T-1;01/02/2026;28/02/2026;1200;20/03/2026;non", actor=world.agent)
    assert refused.value.errors[0].line == 1


def test_the_import_page_lists_the_refused_lines(world: World, agent_client: Client) -> None:
    content = csv_file(
        world,
        "{n};01/02/2026;28/02/2026;1200;20/03/2026;non",
        "{n};32/02/2026;28/02/2026;1;20/03/2026;non",
    )
    upload = SimpleUploadedFile("reglements.csv", content, content_type="text/csv")
    response = agent_client.post(reverse("funder:payment_import"), {"file": upload})
    page = unescape(response.content.decode())
    assert response.status_code == 409
    assert "Aucune ligne n'a été importée" in page
    assert "Ligne 3 : « 32/02/2026 » n'est pas une date (JJ/MM/AAAA)." in page
    assert not Payment.objects.exists()


def test_the_import_page_reports_how_many_were_imported(world: World, agent_client: Client) -> None:
    upload = SimpleUploadedFile(
        "r.csv", csv_file(world, "{n};01/02/2026;28/02/2026;1200;20/03/2026;non")
    )
    response = agent_client.post(reverse("funder:payment_import"), {"file": upload}, follow=True)
    assert "1 règlement enregistré ou corrigé." in unescape(response.content.decode())


def test_the_import_page_says_when_a_file_changed_nothing(
    world: World, agent_client: Client
) -> None:
    content = referenced_file(world, "{n};01/02/2026;28/02/2026;1200;20/03/2026;non;VIR-001")
    import_payments(content, actor=world.agent)
    upload = SimpleUploadedFile("r.csv", content)
    response = agent_client.post(reverse("funder:payment_import"), {"file": upload}, follow=True)
    assert "Aucun changement : les règlements du fichier sont déjà enregistrés." in unescape(
        response.content.decode()
    )


def test_a_file_with_references_imported_twice_changes_nothing(world: World) -> None:
    content = referenced_file(
        world,
        "{n};01/02/2026;28/02/2026;1 200,00;20/03/2026;non;VIR-001",
        "{n};01/03/2026;31/03/2026;800,50;20/04/2026;oui;VIR-002",
    )
    assert len(import_payments(content, actor=world.agent).payments) == 2
    before, events = stored_payments(), AuditEvent.objects.count()
    assert before == [
        ("VIR-001", world.dossier.number, Decimal("1200.00"), False),
        ("VIR-002", world.dossier.number, Decimal("800.50"), True),
    ]
    assert import_payments(content, actor=world.agent).payments == []
    assert stored_payments() == before
    assert AuditEvent.objects.count() == events + 1  # the import itself, nothing else
    imported = AuditEvent.objects.filter(action="payments.imported").last()
    assert imported is not None
    assert (imported.payload["unchanged"], imported.payload["created"]) == (2, 0)


def test_a_corrected_amount_updates_the_payment_of_its_reference(world: World) -> None:
    line = "{n};01/02/2026;28/02/2026;{amount};20/03/2026;non;VIR-001"
    import_payments(referenced_file(world, line.replace("{amount}", "1200")), actor=world.agent)
    imported = import_payments(
        referenced_file(world, line.replace("{amount}", "1250,00")), actor=world.agent
    )
    assert [p.external_reference for p in imported.payments] == ["VIR-001"]
    assert stored_payments() == [("VIR-001", world.dossier.number, Decimal("1250.00"), False)]
    event = AuditEvent.objects.get(action="payment.updated")
    assert event.payload["changes"] == {"amount": ["1200.00", "1250.00"]}


def test_a_line_without_its_reference_is_a_new_payment_as_before(world: World) -> None:
    content = referenced_file(world, "{n};01/02/2026;28/02/2026;1200;20/03/2026;non;")
    import_payments(content, actor=world.agent)
    with pytest.raises(ImportRefused) as refused:
        import_payments(content, actor=world.agent)
    assert refused.value.errors == [
        LineError(2, "Ce règlement est déjà enregistré sur ce dossier.")
    ]
    assert stored_payments() == [("", world.dossier.number, Decimal("1200.00"), False)]


def test_a_reference_twice_in_the_file_or_of_another_dossier_refuses_the_file(
    world: World,
) -> None:
    import_payments(
        referenced_file(world, "{o};01/02/2026;28/02/2026;500;20/03/2026;non;VIR-900"),
        actor=world.agent,
    )
    content = referenced_file(
        world,
        "{n};01/02/2026;28/02/2026;1200;20/03/2026;non;VIR-001",
        "{n};01/03/2026;31/03/2026;800;20/04/2026;non;VIR-001",
        "{n};01/04/2026;30/04/2026;900;20/05/2026;non;VIR-900",
        "{n};01/05/2026;31/05/2026;douze;20/06/2026;non;VIR-003",
    )
    with pytest.raises(ImportRefused) as refused:
        import_payments(content, actor=world.agent)
    assert refused.value.errors == [
        LineError(3, "La référence « VIR-001 » figure déjà à la ligne 2."),
        LineError(
            4,
            f"La référence « VIR-900 » est celle d'un règlement du dossier "
            f"« {world.other_dossier.number} » : un règlement ne change pas de dossier.",
        ),
        LineError(5, "« douze » n'est pas un montant."),
    ]
    assert stored_payments() == [("VIR-900", world.other_dossier.number, Decimal("500.00"), False)]


def test_a_reference_file_counts_seven_columns(world: World) -> None:
    content = referenced_file(world, "{n};01/02/2026;28/02/2026;1200;20/03/2026;non")
    with pytest.raises(ImportRefused) as refused:
        import_payments(content, actor=world.agent)
    assert refused.value.errors == [LineError(2, "7 colonnes attendues, 6 trouvées.")]


def test_the_import_page_explains_the_reference_column(agent_client: Client) -> None:
    page = unescape(agent_client.get(reverse("funder:payment_import")).content.decode())
    assert "<code>dossier;debut;fin;montant;date;avance;reference</code>" in page
    assert "importer deux fois le même fichier ne change rien" in page
