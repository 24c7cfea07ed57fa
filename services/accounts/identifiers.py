"""Email addresses and phone numbers as accounts store them: checked and in one canonical form."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from services.accounts.errors import AccountErrorCode, fail


def normalize_email(value: str, *field: str) -> str:
    """The address with its domain normalised and lower-cased as a whole.

    Deliverability is not looked up (no DNS in a request); the one-time code proves it.
    """
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise fail(AccountErrorCode.INVALID_EMAIL, str(exc), *field) from None
    return str(checked.normalized).lower()


def normalize_phone(value: str, *field: str, region: str | None = None) -> str:
    """The number in E.164 form (`+4915123456789`).

    A number without a leading `+` is read in `region` (an ISO country code) when given.
    """
    try:
        number = phonenumbers.parse(value, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        raise fail(
            AccountErrorCode.INVALID_PHONE,
            "Enter the phone number with its country code, like +44 20 7946 0958.",
            *field,
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise fail(AccountErrorCode.INVALID_PHONE, "This phone number does not exist.", *field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_email(value: str) -> bool:
    return "@" in value
