"""Unit tests of the accounts rules: identifiers, password policy, tokens and codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.accounts import CodePurpose, VerificationCode
from services.accounts import codes, passwords, tokens
from services.accounts.errors import AccountError, AccountErrorCode
from services.accounts.identifiers import normalize_email, normalize_phone


def _code(call) -> object:
    with pytest.raises(AccountError) as caught:
        call()
    return caught.value.problems[0].code


def test_emails_are_normalised_and_checked():
    assert normalize_email("  Ana.Lopez@Example.COM ") == "ana.lopez@example.com"
    for bad in ("ana", "ana@", "@example.com", "ana@@example.com", "ana example@example.com"):
        assert _code(lambda bad=bad: normalize_email(bad)) is AccountErrorCode.INVALID_EMAIL


def test_phone_numbers_become_e164():
    assert normalize_phone("+44 20 7946 0958") == "+442079460958"
    assert normalize_phone("(415) 555-0123", region="us") == "+14155550123"
    assert normalize_phone("090-1234-5678", region="JP") == "+819012345678"
    for bad in ("12345", "+1 555", "not a number", "020 7946 0958"):
        assert _code(lambda bad=bad: normalize_phone(bad)) is AccountErrorCode.INVALID_PHONE


def test_password_policy():
    passwords.check_policy("correct horse battery")
    assert _code(lambda: passwords.check_policy("short")) is AccountErrorCode.PASSWORD_TOO_SHORT
    assert _code(lambda: passwords.check_policy("x" * 129)) is AccountErrorCode.PASSWORD_TOO_LONG
    assert (
        _code(lambda: passwords.check_policy("Password123")) is AccountErrorCode.PASSWORD_TOO_WEAK
    )
    assert (
        _code(lambda: passwords.check_policy("abababababab")) is AccountErrorCode.PASSWORD_TOO_WEAK
    )
    assert (
        _code(lambda: passwords.check_policy("mariana-2024!", identifiers=("mariana@example.com",)))
        is AccountErrorCode.PASSWORD_TOO_WEAK
    )


async def test_password_hashes_are_argon2id_and_verify():
    hashed = await passwords.hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert await passwords.verify_password(hashed, "correct horse battery")
    assert not await passwords.verify_password(hashed, "correct horse batterY")
    assert not await passwords.verify_password(None, "anything at all")
    assert not await passwords.verify_password("not a hash", "anything at all")


def test_access_tokens_carry_the_user_and_epoch(settings):
    token, expires = tokens.issue_access_token(7, 3, settings)
    claims = tokens.read_access_token(token, settings)
    assert claims is not None and (claims.user_id, claims.epoch) == (7, 3)
    assert claims.session is None
    signed_in, _ = tokens.issue_access_token(7, 3, settings, session="f" * 32)
    assert getattr(tokens.read_access_token(signed_in, settings), "session", None) == "f" * 32
    assert expires - datetime.now(UTC) <= timedelta(seconds=settings.access_token_seconds)
    assert tokens.read_access_token(token[:-2] + "xx", settings) is None
    assert tokens.read_access_token("garbage", settings) is None
    old, _ = tokens.issue_access_token(
        7, 3, settings, now=datetime.now(UTC) - timedelta(seconds=settings.access_token_seconds + 1)
    )
    assert tokens.read_access_token(old, settings) is None


async def test_codes_are_stored_keyed_and_used_once(db, settings):
    code = await codes.issue_code(CodePurpose.SIGN_IN, "+14155550123", settings)
    row = await VerificationCode.get(target="+14155550123")
    assert code not in row.code_hash and len(row.code_hash) == 64
    used = await codes.consume_code(CodePurpose.SIGN_IN, "+14155550123", code, settings)
    assert used.id == row.id
    with pytest.raises(AccountError) as caught:
        await codes.consume_code(CodePurpose.SIGN_IN, "+14155550123", code, settings)
    assert caught.value.problems[0].code is AccountErrorCode.CODE_INVALID


async def test_a_new_code_replaces_the_pending_one(db, settings):
    first = await codes.issue_code(CodePurpose.SIGN_IN, "a@example.com", settings)
    second = await codes.issue_code(CodePurpose.SIGN_IN, "a@example.com", settings)
    if first != second:
        with pytest.raises(AccountError):
            await codes.consume_code(CodePurpose.SIGN_IN, "a@example.com", first, settings)
    await codes.consume_code(CodePurpose.SIGN_IN, "a@example.com", second, settings)


async def test_a_code_for_one_purpose_does_not_serve_another(db, settings):
    code = await codes.issue_code(CodePurpose.VERIFY_EMAIL, "b@example.com", settings)
    with pytest.raises(AccountError):
        await codes.consume_code(CodePurpose.RESET_PASSWORD, "b@example.com", code, settings)
