"""Third-party sign-in root fields: each calls one service and maps the result."""

from __future__ import annotations

import strawberry

from resolvers.accounts.common import client_info
from schema.accounts.oauth import (
    CompleteOAuthSignInInput,
    OAuthProviderEnum,
    StartOAuthLinkInput,
    StartOAuthLinkPayload,
    StartOAuthSignInInput,
    StartOAuthSignInPayload,
    UnlinkOAuthIdentityInput,
    UnlinkOAuthIdentityPayload,
)
from schema.accounts.payloads import SessionPayload, SessionType
from schema.accounts.types import UserType
from schema.context import Info
from schema.kit import mutation
from schema.permissions import SignedIn, require_signed_in
from services.accounts import oauth
from services.accounts.providers import Provider


@strawberry.type
class OAuthQuery:
    @strawberry.field(description="Providers people can sign in with, for sign-in buttons.")
    def oauth_providers(self, info: Info) -> list[OAuthProviderEnum]:  # type: ignore[valid-type]
        return oauth.enabled_providers(info.context.settings)


@strawberry.type
class OAuthMutation:
    @mutation(
        name="startOAuthSignIn",
        description="Start signing in with a provider: send the browser to `authorizationUrl`.",
    )
    async def start_oauth_sign_in(
        self, info: Info, input: StartOAuthSignInInput
    ) -> StartOAuthSignInPayload:
        started = await oauth.start_sign_in(
            provider=Provider(input.provider),
            redirect_uri=input.redirect_uri,
            settings=info.context.settings,
        )
        return StartOAuthSignInPayload(
            authorization_url=started.url, state=started.state, browser_key=started.browser_key
        )

    @mutation(
        name="completeOAuthSignIn",
        description="Finish a sign-in (or a link) with the `code` and `state` the provider "
        "sent back; signs in, linking or creating the account.",
    )
    async def complete_oauth_sign_in(
        self, info: Info, input: CompleteOAuthSignInInput
    ) -> SessionPayload:
        session = await oauth.complete_sign_in(
            provider=Provider(input.provider),
            state=input.state,
            code=input.code,
            browser_key=input.browser_key,
            viewer_id=info.context.viewer.user_id,
            settings=info.context.settings,
            client=client_info(info),
        )
        return SessionPayload(session=SessionType.build(session))

    @mutation(
        name="startOAuthLink",
        permission_classes=[SignedIn],
        description="Start linking a provider to the signed-in account; finish with "
        "`completeOAuthSignIn`, signed in as the same user.",
    )
    async def start_oauth_link(
        self, info: Info, input: StartOAuthLinkInput
    ) -> StartOAuthLinkPayload:
        started = await oauth.start_link(
            user_id=require_signed_in(info.context.viewer),
            provider=Provider(input.provider),
            redirect_uri=input.redirect_uri,
            settings=info.context.settings,
        )
        return StartOAuthLinkPayload(
            authorization_url=started.url, state=started.state, browser_key=started.browser_key
        )

    @mutation(
        name="unlinkOAuthIdentity",
        permission_classes=[SignedIn],
        description="Remove a provider from the signed-in account, unless it is the only way "
        "to sign in to it.",
    )
    async def unlink_oauth_identity(
        self, info: Info, input: UnlinkOAuthIdentityInput
    ) -> UnlinkOAuthIdentityPayload:
        user = await oauth.unlink_identity(
            user_id=require_signed_in(info.context.viewer),
            provider=Provider(input.provider),
            settings=info.context.settings,
        )
        return UnlinkOAuthIdentityPayload(user=UserType.build(user))
