"""Third-party sign-in and linking: start at a provider, complete with the code it returns.

Starting records an `OAuthAttempt` (random state, PKCE verifier, nonce) and answers the
provider's authorization URL; the storefront sends the browser there, and its callback
page hands the returned `code` and `state` back. Completing claims the attempt exactly
once, exchanges the code, and finds the account:

1. the account already linked to that provider account;
2. else, when the provider vouches for the email and an account holds the same email,
   verified, that account (the identity is linked to it);
3. else a new customer account, which takes the provider's email only when the provider
   vouches for it.

An email the provider does not vouch for, or one held by an account that never proved
it, never links: otherwise whoever registered an address first, or whoever typed an
address at a lax provider, could take over the other person's account. When such an
email is already held, completion is refused (EMAIL_TAKEN) and asks the person to sign in
to that account, or reset its password, and link the provider from there.

A link attempt is started by a signed-in user and can only be completed by that same
user, so nobody can have their provider account linked to someone else's account by
following a link they were sent.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import OAuthAttempt, OAuthIdentity, User
from services.accounts import providers
from services.accounts.errors import AccountError, AccountErrorCode, fail
from services.accounts.identifiers import normalize_email
from services.accounts.providers import Grant, Profile, Provider, ProviderClient
from services.accounts.sessions import ClientInfo, Session, start_session
from settings import Settings

log = logging.getLogger("tradewind.accounts")


@dataclass(frozen=True, slots=True)
class Authorization:
    """Where to send the browser, the state its callback will carry back, and the key only
    the starting browser holds, which completing the sign-in must present."""

    url: str
    state: str
    browser_key: str


def enabled_providers(settings: Settings) -> list[Provider]:
    """The providers the storefront may offer buttons for."""
    return providers.enabled(settings)


async def start_sign_in(
    *, provider: Provider, redirect_uri: str, settings: Settings
) -> Authorization:
    """Record a sign-in attempt and answer the provider's authorization URL for it."""
    return await _start(provider, redirect_uri, settings, link_user_id=None)


async def start_link(
    *, user_id: int, provider: Provider, redirect_uri: str, settings: Settings
) -> Authorization:
    """Like `start_sign_in`, for a signed-in user adding a provider to their account."""
    if await OAuthIdentity.exists(user_id=user_id, provider=provider.value):
        raise fail(
            AccountErrorCode.IDENTITY_IN_USE,
            f"A {provider.label} account is already linked to yours; unlink it first.",
            "provider",
        )
    return await _start(provider, redirect_uri, settings, link_user_id=user_id)


async def complete_sign_in(
    *,
    provider: Provider,
    state: str,
    code: str,
    browser_key: str,
    viewer_id: int | None,
    settings: Settings,
    client: ClientInfo = ClientInfo(),
) -> Session:
    """A session for the person the provider signed in, linking or creating their account.

    The attempt is used up even when the provider then refuses: its code is single-use at
    the provider too, so the person starts again. Nothing else is written on failure.
    """
    provider_client = _client(provider, settings)
    attempt = await _claim_attempt(provider, state, browser_key, viewer_id)
    grant = Grant(
        state=attempt.state,
        redirect_uri=attempt.redirect_uri,
        code_verifier=attempt.code_verifier,
        nonce=attempt.nonce,
    )
    try:
        profile = await provider_client.fetch_profile(code, grant)
    except providers.ProviderError as exc:
        log.warning(
            "accounts.oauth_provider_failed",
            extra={"provider": provider.value, "reason": str(exc)},
        )
        raise fail(
            AccountErrorCode.PROVIDER_ERROR,
            f"{provider.label} could not confirm who you are. Please try again.",
        ) from None
    try:
        user = await _account_for(provider, profile, attempt.link_user_id)
    except IntegrityError:
        # A concurrent sign-in created the same identity or took the same email in the
        # meantime; looking again finds it.
        user = await _account_for(provider, profile, attempt.link_user_id)
    return await start_session(user, settings, client)


async def unlink_identity(*, user_id: int, provider: Provider, settings: Settings) -> User:
    """Remove the user's link to the provider, unless it is their only way to sign in.

    Other ways are a password, a verified email or phone (one-time codes), or a link to
    another provider that is still enabled.
    """
    async with in_transaction("default"):
        # Locks the account so two concurrent unlinks cannot each leave the other's last link.
        user = await User.select_for_update().get(id=user_id)
        identity = await OAuthIdentity.get_or_none(user_id=user_id, provider=provider.value)
        if identity is None:
            raise fail(
                AccountErrorCode.NOT_FOUND,
                f"No {provider.label} account is linked to yours.",
                "provider",
            )
        others = (
            await OAuthIdentity.filter(
                user_id=user_id, provider__in=[p.value for p in providers.enabled(settings)]
            )
            .exclude(id=identity.id)
            .exists()
        )
        if not (_has_own_credentials(user) or others):
            raise fail(
                AccountErrorCode.LAST_SIGN_IN_METHOD,
                f"{provider.label} is the only way to sign in to this account: set a password "
                "or verify your email first.",
                "provider",
            )
        await identity.delete()
    return user


def _has_own_credentials(user: User) -> bool:
    """Whether the user can sign in without any provider."""
    return bool(
        user.password_hash
        or (user.email and user.email_verified_at)
        or (user.phone and user.phone_verified_at)
    )


def _client(provider: Provider, settings: Settings) -> ProviderClient:
    client = providers.client_for(provider, settings)
    if client is None:
        raise fail(
            AccountErrorCode.PROVIDER_NOT_CONFIGURED,
            f"Signing in with {provider.label} is not available.",
            "provider",
        )
    return client


async def _start(
    provider: Provider, redirect_uri: str, settings: Settings, *, link_user_id: int | None
) -> Authorization:
    client = _client(provider, settings)
    if redirect_uri not in settings.oauth_redirect_uris:
        raise fail(AccountErrorCode.INVALID, "This page may not receive sign-ins.", "redirect_uri")
    grant = Grant(
        state=secrets.token_urlsafe(32),
        redirect_uri=redirect_uri,
        # RFC 7636: 43 to 128 characters; 64 random bytes' worth is within.
        code_verifier=secrets.token_urlsafe(48) if client.uses_pkce else None,
        nonce=secrets.token_urlsafe(24) if client.uses_nonce else None,
    )
    browser_key = secrets.token_urlsafe(32)
    await OAuthAttempt.create(
        state=grant.state,
        binding_hash=hashlib.sha256(browser_key.encode()).hexdigest(),
        provider=provider.value,
        code_verifier=grant.code_verifier,
        nonce=grant.nonce,
        redirect_uri=redirect_uri,
        link_user_id=link_user_id,
        expires_at=datetime.now(UTC) + timedelta(seconds=settings.oauth_attempt_seconds),
    )
    return Authorization(
        url=client.authorization_url(grant), state=grant.state, browser_key=browser_key
    )


async def _claim_attempt(
    provider: Provider, state: str, browser_key: str, viewer_id: int | None
) -> OAuthAttempt:
    """The attempt `state` names, marked used so that it can never be completed again.

    Only the browser that started it can complete it: a callback link an attacker finished
    with their own provider account and sent to someone lacks that browser's key, so it
    cannot sign the victim into the attacker's account.
    """
    now = datetime.now(UTC)
    attempt = await OAuthAttempt.get_or_none(state=state, provider=provider.value)
    presented = hashlib.sha256(browser_key.encode()).hexdigest()
    if (
        attempt is None
        or attempt.expires_at <= now
        or not hmac.compare_digest(presented, attempt.binding_hash)
        # A link attempt can only be completed by the user who started it.
        or attempt.link_user_id not in (None, viewer_id)
        # A conditional update: of two concurrent callers, only one claims it.
        or not await OAuthAttempt.filter(id=attempt.id, consumed_at=None).update(consumed_at=now)
    ):
        raise fail(
            AccountErrorCode.OAUTH_STATE_INVALID,
            "This sign-in expired or was already used. Please start again.",
            "state",
        )
    return attempt


async def _account_for(provider: Provider, profile: Profile, link_user_id: int | None) -> User:
    """The account the provider's person signs in to (or links to), linked and ready."""
    now = datetime.now(UTC)
    async with in_transaction("default"):
        identity = await OAuthIdentity.get_or_none(
            provider=provider.value, subject=profile.subject
        ).select_related("user")
        if link_user_id is not None:
            user = _usable(await User.get_or_none(id=link_user_id))
            if identity is not None and identity.user_id != user.id:
                raise _in_use(
                    provider, f"This {provider.label} account is linked to another account."
                )
            if identity is None:
                await _link(user, provider, profile, now)
            else:
                await _touch(identity, profile, now)
            return user

        if identity is not None:
            user = _usable(identity.user)
            await _touch(identity, profile, now)
            return user

        email = _email_of(profile)
        holder = await User.get_or_none(email=email) if email else None
        if holder is not None:
            if not (profile.email_verified and holder.email_verified_at):
                raise fail(
                    AccountErrorCode.EMAIL_TAKEN,
                    f"An account already uses {email}. Sign in to it (or reset its password), "
                    f"then link {provider.label} from your account.",
                )
            user = _usable(holder)
            await _link(user, provider, profile, now)
            return user

        verified = email is not None and profile.email_verified
        user = await User.create(
            email=email if verified else None,
            email_verified_at=now if verified else None,
            nickname=profile.name.strip()[:60],
        )
        await _link(user, provider, profile, now)
        log.info(
            "accounts.oauth_account_created",
            extra={"provider": provider.value, "user_id": user.id},
        )
        return user


def _usable(user: User | None) -> User:
    if user is None or not user.is_active or user.is_deleted:
        raise fail(AccountErrorCode.ACCOUNT_DISABLED, "This account is disabled.")
    return user


def _in_use(provider: Provider, message: str) -> AccountError:
    return fail(AccountErrorCode.IDENTITY_IN_USE, message, "provider")


def _email_of(profile: Profile) -> str | None:
    """The provider's email in the form accounts store it; None when it has none or a bad one."""
    if not profile.email:
        return None
    try:
        return normalize_email(profile.email)
    except AccountError:
        return None


async def _link(user: User, provider: Provider, profile: Profile, now: datetime) -> None:
    if await OAuthIdentity.exists(user_id=user.id, provider=provider.value):
        # One account per provider per user: the user linked another one already.
        raise _in_use(
            provider,
            f"Another {provider.label} account is linked to this account; unlink it first.",
        )
    await OAuthIdentity.create(
        user_id=user.id,
        provider=provider.value,
        subject=profile.subject,
        email=profile.email[:254] if profile.email else None,
        display_name=profile.name.strip()[:120],
        last_used_at=now,
    )


async def _touch(identity: OAuthIdentity, profile: Profile, now: datetime) -> None:
    """Record the sign-in, and the name and email the provider now gives."""
    await OAuthIdentity.filter(id=identity.id).update(
        last_used_at=now,
        email=profile.email[:254] if profile.email else None,
        display_name=profile.name.strip()[:120],
    )
