"""The seal's key: generated once into the data folder, or read from a PKCS#12; parsed once."""

from __future__ import annotations

import logging
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from realisa.documents import sealing_keys
from realisa.documents.seal_ltv import long_term_check
from realisa.documents.sealing import seal_pdf, verify_pdf
from realisa.documents.sealing_keys import (
    default_pkcs12,
    forget_seal_keys,
    generate_pkcs12,
    generate_seal,
    seal_keys,
)


def seal(pdf: bytes) -> bytes:
    return seal_pdf(pdf, appearance=None, reason="Essai", organisation="Formapro Est").pdf


def test_the_default_seal_is_generated_in_the_private_data_folder(signing_settings: Path) -> None:
    keys = seal_keys()

    folder = signing_settings / "signing"
    assert keys.pkcs12_path == folder / "seal.p12"
    for name in ("seal.p12", "ca.pem", "ca.crl"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["ca.crl", "ca.pem", "seal.p12"]


def test_the_seal_certificate_signs_and_the_local_ca_is_the_trust_root(
    signing_settings: Path,
) -> None:
    keys = seal_keys()

    seal_certificate = x509.load_der_x509_certificate(keys.certificate.dump())
    usage = seal_certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    (root,) = keys.trust_roots
    ca = x509.load_pem_x509_certificate((signing_settings / "signing" / "ca.pem").read_bytes())
    assert ca.public_bytes(serialization.Encoding.DER) == root.dump()
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert seal_certificate.issuer == ca.subject


def test_the_key_is_parsed_once_per_process(pdf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    loads = []
    real_load = pkcs12.load_key_and_certificates

    def counting_load(*args: Any, **kwargs: Any) -> Any:
        loads.append(1)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(pkcs12, "load_key_and_certificates", counting_load)
    signer = seal_keys().signer
    for _ in range(3):
        seal(pdf)

    assert len(loads) == 1
    assert seal_keys().signer is signer


def test_the_same_seal_is_found_again_by_a_new_process(signing_settings: Path) -> None:
    first = seal_keys().fingerprint
    forget_seal_keys()  # what a restart does

    assert seal_keys().fingerprint == first


def test_two_threads_on_first_use_make_one_ca(signing_settings: Path) -> None:
    start = threading.Barrier(2)
    found: list[Any] = []

    def first_use() -> None:
        start.wait()
        found.append(seal_keys())

    threads = [threading.Thread(target=first_use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert found[0] is found[1]
    assert len(found[0].trust_roots) == 1


def test_two_processes_generating_at_once_keep_one_seal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both generate (no shared lock between processes); the first to publish wins."""
    both_generated = threading.Barrier(2)
    made: list[bytes] = []

    def slow_generate() -> sealing_keys.GeneratedSeal:
        data = generate_seal()
        made.append(data.pkcs12)
        both_generated.wait()
        return data

    monkeypatch.setattr(sealing_keys, "generate_seal", slow_generate)
    folder = tmp_path / "signing"
    threads = [threading.Thread(target=default_pkcs12, args=(folder,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(made) == 2 and made[0] != made[1]
    assert (folder / "seal.p12").read_bytes() in made
    assert sorted(p.name for p in folder.iterdir()) == ["ca.crl", "ca.pem", "seal.p12"]
    bundle = pkcs12.load_pkcs12((folder / "seal.p12").read_bytes(), None)
    (ca,) = bundle.additional_certs
    ca_pem = ca.certificate.public_bytes(serialization.Encoding.PEM)
    assert (folder / "ca.pem").read_bytes() == ca_pem
    crl = x509.load_pem_x509_crl((folder / "ca.crl").read_bytes())
    assert crl.is_signature_valid(ca.certificate.public_key())  # type: ignore[arg-type]


def test_a_pkcs12_from_the_environment_is_used(
    settings: Any, tmp_path: Path, signing_settings: Path, pdf: bytes
) -> None:
    bundle = pkcs12.load_pkcs12(generate_pkcs12(), None)
    assert bundle.key is not None and bundle.cert is not None
    protected = pkcs12.serialize_key_and_certificates(
        b"seal",
        bundle.key,  # type: ignore[arg-type]
        bundle.cert.certificate,
        [c.certificate for c in bundle.additional_certs],
        serialization.BestAvailableEncryption(b"phrase secrete"),
    )
    path = tmp_path / "portail.p12"
    path.write_bytes(protected)
    settings.SIGNING_PKCS12_FILE = str(path)
    settings.SIGNING_PKCS12_PASSPHRASE = "phrase secrete"

    result = verify_pdf(seal(pdf))

    assert result.ok
    expected = bundle.cert.certificate.public_bytes(serialization.Encoding.DER)
    assert seal_keys().certificate.dump() == expected
    assert not (signing_settings / "signing").exists()


def test_a_seal_from_another_key_is_not_trusted(
    settings: Any, tmp_path: Path, pdf: bytes, pdfsig: Any
) -> None:
    portal_roots = list(seal_keys().trust_roots)
    other = tmp_path / "autre.p12"
    other.write_bytes(generate_pkcs12())
    settings.SIGNING_PKCS12_FILE = str(other)
    forged = seal(pdf)
    settings.SIGNING_PKCS12_FILE = ""

    check = verify_pdf(forged).signatures[0]

    assert check.intact and check.valid and not check.trusted and not check.ok
    assert "Le certificat du sceau n'est pas celui du portail (non reconnu)." in check.problems()
    assert "Certificate is Trusted" not in pdfsig(forged, trust=portal_roots)


def test_a_production_pkcs12_takes_its_crl_from_signing_crl_file(
    settings: Any, signing_settings: Path, pdf: bytes, tmp_path: Path
) -> None:
    seal_keys()  # the local CA and its CRL, standing in for a production CA's
    folder = signing_settings / "signing"
    crl = x509.load_pem_x509_crl((folder / "ca.crl").read_bytes())
    der = tmp_path / "production.crl"
    der.write_bytes(crl.public_bytes(serialization.Encoding.DER))
    settings.SIGNING_PKCS12_FILE = str(folder / "seal.p12")
    settings.SIGNING_CRL_FILE = str(der)
    forget_seal_keys()

    keys = seal_keys()

    assert keys.pkcs12_path == folder / "seal.p12" and len(keys.crls) == 1
    check = long_term_check(seal(pdf))
    assert check.ok and check.ltv


def test_a_folder_made_before_crls_seals_without_one_and_says_so(
    signing_settings: Path, pdf: bytes, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    seal_keys()
    (signing_settings / "signing" / "ca.crl").unlink()
    forget_seal_keys()
    # Its certificate, like those made before CRLs, declares no distribution point.
    monkeypatch.setattr(sealing_keys, "declares_crl", lambda certificate: False)

    with caplog.at_level(logging.INFO, logger="realisa.documents.seal_revocation"):
        keys = seal_keys()

    assert keys.crls == ()
    assert "Pas de liste de révocation" in caplog.text
    assert not (signing_settings / "signing" / "ca.crl").exists()  # nothing made up
    assert verify_pdf(seal(pdf)).ok
