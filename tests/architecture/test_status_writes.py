"""``lifecycle.apply`` is the only place that sets a certificate's status.

An AST walk of ``realisa/`` finds every way Python could write ``Certificate.status``:
an assignment to ``.status``, a ``status=`` keyword given to ``Certificate(...)``,
``create``, ``update``, ``update_or_create`` or ``get_or_create``, and ``bulk_create`` /
``bulk_update`` of certificates or of the ``status`` field.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "realisa"
THE_WRITER = "certificates/lifecycle.py"
# The demo's bulk seeding builds thousands of past months at once; it builds only states
# that ``apply`` can reach (entered, certified on paper), which tests/test_scale.py checks.
NAMED_EXCEPTIONS = {"demo/scale.py"}
# Modules that write the ``status`` of their own models (outboxes; the months' summary,
# which copies the status the lifecycle wrote), never a certificate's.
OTHER_STATUSES = {
    "lib/outbox.py",
    "notifications/outbox.py",
    "webhooks/outbox.py",
    "certificates/month_summary.py",
}
WRITING_METHODS = {"create", "update", "update_or_create", "get_or_create"}


def _root_name(node: ast.expr) -> str:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _writes_status(call: ast.Call) -> bool:
    return any(keyword.arg == "status" for keyword in call.keywords)


def _bulk_of_certificates(call: ast.Call, source: str) -> bool:
    text = ast.get_source_segment(source, call) or ""
    return "Certificate" in text or "status" in text


def findings(source: str, *, others_allowed: bool = False) -> list[int]:
    """The line numbers where ``source`` writes a certificate's status."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and _call_writes(node, source, others_allowed):
            lines.append(node.lineno)
    return lines


def _call_writes(call: ast.Call, source: str, others_allowed: bool) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name == "Certificate":
        return _writes_status(call)
    if others_allowed:
        return False
    if name in WRITING_METHODS:
        return _writes_status(call)
    bulk = name in {"bulk_create", "bulk_update"} and _root_name(func) != "CertificateDay"
    return bulk and _bulk_of_certificates(call, source)


def test_lifecycle_apply_is_the_only_writer_of_a_certificate_status() -> None:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or relative in {THE_WRITER, *NAMED_EXCEPTIONS}:
            continue
        lines = findings(path.read_text(), others_allowed=relative in OTHER_STATUSES)
        if lines:
            found[relative] = lines
    assert found == {}


@pytest.mark.parametrize(
    "snippet",
    [
        "certificate.status = MonthStatus.CERTIFIED",
        "Certificate(dossier=d, month=m, status='certified')",
        "Certificate.objects.create(dossier=d, status='entered')",
        "Certificate.objects.filter(pk=1).update(status='transmitted')",
        "rows.update(status='validated')",
        "Certificate.objects.update_or_create(pk=1, defaults={}, status='x')",
        "Certificate.objects.bulk_create([Certificate(dossier=d)])",
        "Certificate.objects.bulk_update(rows, ['status'])",
    ],
)
def test_the_walk_catches_each_way_of_writing_a_status(snippet: str) -> None:
    assert findings(snippet) == [1]


def test_the_walk_leaves_reads_and_other_fields_alone() -> None:
    source = "x = certificate.status\nCertificate.objects.filter(status='entered')\n"
    source += "document.review_status = 'compliant'\nCertificateDay.objects.bulk_create(days)\n"
    assert findings(source) == []
