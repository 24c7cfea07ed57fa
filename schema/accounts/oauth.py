"""Third-party sign-in types: the provider enum, the inputs and the payloads."""

from __future__ import annotations

import strawberry

from schema.accounts.payloads import AccountPayload
from schema.accounts.types import UserType
from services.accounts.providers import Provider

OAuthProviderEnum = strawberry.enum(
    Provider, name="OAuthProvider", description="A third-party account people can sign in with."
)


@strawberry.input
class StartOAuthSignInInput:
    provider: OAuthProviderEnum  # type: ignore[valid-type]
    redirect_uri: str = strawberry.field(
        description="The storefront page the provider sends the browser back to; one of the "
        "shop's configured callback pages."
    )


@strawberry.input
class StartOAuthLinkInput:
    provider: OAuthProviderEnum  # type: ignore[valid-type]
    redirect_uri: str = strawberry.field(
        description="The storefront page the provider sends the browser back to."
    )


@strawberry.input
class CompleteOAuthSignInInput:
    provider: OAuthProviderEnum  # type: ignore[valid-type]
    state: str = strawberry.field(
        description="The `state` the provider sent back; check it equals the one you started "
        "with before sending it."
    )
    code: str = strawberry.field(description="The `code` the provider sent back.")
    browser_key: str = strawberry.field(
        description="The `browserKey` the start answered, kept by the browser that started."
    )


@strawberry.input
class UnlinkOAuthIdentityInput:
    provider: OAuthProviderEnum  # type: ignore[valid-type]


@strawberry.type
class StartOAuthPayload(AccountPayload):
    """Where to send the browser; keep `state` to compare with the one that comes back, and
    `browserKey` (in this browser only) to complete the sign-in with."""

    authorization_url: str | None = None
    state: str | None = None
    browser_key: str | None = None


@strawberry.type
class StartOAuthSignInPayload(StartOAuthPayload):
    pass


@strawberry.type
class StartOAuthLinkPayload(StartOAuthPayload):
    pass


@strawberry.type
class UnlinkOAuthIdentityPayload(AccountPayload):
    user: UserType | None = None
