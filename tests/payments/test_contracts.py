"""Keys as merchants paste them, and the contract fee of the providers taken directly."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from services.payments.contracts import contract_fee, pem_text

BODY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + "x" * 100
LINES = "\n".join((BODY[:64], BODY[64:128], BODY[128:]))
PEM = f"-----BEGIN PUBLIC KEY-----\n{LINES}\n-----END PUBLIC KEY-----"


def test_a_key_is_taken_as_pem_as_a_file_or_as_bare_base64(tmp_path: Path) -> None:
    assert pem_text(f"  {PEM}\n", "PUBLIC KEY") == PEM
    key_file = tmp_path / "alipay_public.pem"
    key_file.write_text(PEM + "\n")
    assert pem_text(str(key_file), "PUBLIC KEY") == PEM
    assert pem_text(BODY, "PUBLIC KEY") == PEM
    # The same body pasted across lines, and one long enough to be no file name at all.
    assert pem_text(f"{BODY[:50]}\n  {BODY[50:]}", "PUBLIC KEY") == PEM
    long_body = "A/b+" * 200
    assert pem_text(long_body).startswith("-----BEGIN PRIVATE KEY-----\nA/b+")


def test_the_contract_fee_rounds_half_up_per_transaction() -> None:
    assert contract_fee(7200, Decimal("0.006")) == 43  # 43.2
    assert contract_fee(4250, Decimal("0.006")) == 26  # 25.5
    assert contract_fee(0, Decimal("0.006")) == 0
    assert contract_fee(100, Decimal(0)) == 0
