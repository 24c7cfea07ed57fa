"""The accounts domain's expected failures."""

from __future__ import annotations

from enum import Enum

from services.errors import ServiceError


class AccountErrorCode(Enum):
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    INVALID_EMAIL = "invalid_email"
    INVALID_PHONE = "invalid_phone"
    EMAIL_TAKEN = "email_taken"
    PHONE_TAKEN = "phone_taken"
    PASSWORD_TOO_SHORT = "password_too_short"
    PASSWORD_TOO_LONG = "password_too_long"
    PASSWORD_TOO_WEAK = "password_too_weak"
    WRONG_PASSWORD = "wrong_password"
    INVALID_CREDENTIALS = "invalid_credentials"
    EMAIL_NOT_VERIFIED = "email_not_verified"
    ACCOUNT_DISABLED = "account_disabled"
    CODE_INVALID = "code_invalid"
    CODE_EXPIRED = "code_expired"
    CODE_ATTEMPTS_EXCEEDED = "code_attempts_exceeded"
    TOKEN_INVALID = "token_invalid"
    TOKEN_REUSED = "token_reused"
    RATE_LIMITED = "rate_limited"
    INVALID_PERMISSION = "invalid_permission"
    LAST_ADMIN = "last_admin"
    PROVIDER_NOT_CONFIGURED = "provider_not_configured"
    PROVIDER_ERROR = "provider_error"
    OAUTH_STATE_INVALID = "oauth_state_invalid"
    IDENTITY_IN_USE = "identity_in_use"
    LAST_SIGN_IN_METHOD = "last_sign_in_method"


class AccountError(ServiceError[AccountErrorCode]):
    """An accounts request that was refused; nothing was changed."""

    #: Seconds until a rate-limited request may be retried.
    retry_after: int | None = None


fail = AccountError.fail


def rate_limited(retry_after: int, *field: str) -> AccountError:
    error = fail(
        AccountErrorCode.RATE_LIMITED,
        f"Too many attempts. Try again in {retry_after} seconds.",
        *field,
    )
    error.retry_after = retry_after
    return error
