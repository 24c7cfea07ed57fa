"""Third-party sign-in through the API, against local Google/Facebook/WeChat/QQ stand-ins.

The shop talks to the stand-ins over real HTTP through the same Authlib code production
uses; the test plays the browser, following the authorization URL to the provider and
handing the redirect's `code` and `state` back as the storefront's callback page would.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import httpx2
import pytest

from models.accounts import OAuthAttempt, OAuthIdentity, RefreshToken, User
from server import create_app
from services.accounts import oauth
from services.accounts.errors import AccountError, AccountErrorCode
from services.accounts.providers import Provider, qq_answer, wechat_token_response
from services.accounts.sessions import Session
from settings import Settings
from tests.accounts.oauth_provider import LocalProvider, Person, running
from tests.conftest import GraphQLClient
from tests.factories import gid, make_user

CALLBACK = "https://shop.test/account/oauth/callback"
#: The key each started sign-in answered, by state: what the starting browser keeps.
BROWSER_KEYS: dict[str, str] = {}

PROVIDERS = "{ oauthProviders }"
START = """
mutation($input: StartOAuthSignInInput!) {
  startOAuthSignIn(input: $input) {
    authorizationUrl state browserKey errors { field code message } }
}"""
START_LINK = """
mutation($input: StartOAuthLinkInput!) {
  startOAuthLink(input: $input) {
    authorizationUrl state browserKey errors { field code message } }
}"""
COMPLETE = """
mutation($input: CompleteOAuthSignInInput!) {
  completeOAuthSignIn(input: $input) {
    session { accessToken refreshToken user { id email emailVerified nickname hasPassword
              linkedIdentities { provider email displayName } } }
    errors { field code message }
  }
}"""
UNLINK = """
mutation($input: UnlinkOAuthIdentityInput!) {
  unlinkOAuthIdentity(input: $input) {
    user { linkedIdentities { provider } }
    errors { field code message }
  }
}"""
ME = "{ me { email nickname } }"


@pytest.fixture(scope="module")
async def local_provider() -> AsyncIterator[LocalProvider]:
    async with running() as provider:
        yield provider


@pytest.fixture
def idp(local_provider: LocalProvider) -> LocalProvider:
    """The provider stand-in, with nobody signed in and nothing issued."""
    local_provider.reset()
    return local_provider


@pytest.fixture(scope="module")
def oauth_settings(settings: Settings, local_provider: LocalProvider) -> Settings:
    """The test settings with every provider configured and pointed at the stand-in."""
    return settings.model_copy(
        update={**local_provider.settings(), "oauth_redirect_uris": [CALLBACK]}
    )


@pytest.fixture(scope="module")
def oauth_app(oauth_settings: Settings) -> Any:
    return create_app(oauth_settings, manage_database=False)


@pytest.fixture
async def shop(oauth_app: Any, client: GraphQLClient) -> AsyncIterator[GraphQLClient]:
    """A GraphQL client of the shop configured for the stand-in (`client` clears state)."""
    transport = httpx.ASGITransport(app=oauth_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
        yield GraphQLClient(http)


async def follow(authorization_url: str) -> dict[str, str]:
    """Visit the authorization URL as the browser does; the callback's query parameters."""
    async with httpx.AsyncClient() as browser:
        response = await browser.get(authorization_url)
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(CALLBACK)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def start(shop: GraphQLClient, provider: str, *, user: User | None = None) -> dict[str, Any]:
    query, field = (START_LINK, "startOAuthLink") if user else (START, "startOAuthSignIn")
    data = await shop.query(
        query, {"input": {"provider": provider, "redirectUri": CALLBACK}}, user=user
    )
    started: dict[str, Any] = data[field]
    assert started["errors"] == [], started["errors"]
    BROWSER_KEYS[started["state"]] = started["browserKey"]
    return started


async def complete(
    shop: GraphQLClient, provider: str, callback: dict[str, str], *, user: User | None = None
) -> dict[str, Any]:
    # The storefront keeps each started sign-in's key, as a browser keeps it in its storage.
    key = callback.get("browserKey") or BROWSER_KEYS.get(callback.get("state", ""), "")
    fields = {name: value for name, value in callback.items() if name in ("state", "code")}
    variables = {"input": {"provider": provider, **fields, "browserKey": key}}
    data = await shop.query(COMPLETE, variables, user=user)
    payload: dict[str, Any] = data["completeOAuthSignIn"]
    return payload


async def sign_in(
    shop: GraphQLClient, provider: str, *, user: User | None = None
) -> dict[str, Any]:
    """The whole round trip: start, visit the provider, complete."""
    started = await start(shop, provider, user=user)
    callback = await follow(started["authorizationUrl"])
    assert callback["state"] == started["state"]
    return await complete(shop, provider, callback, user=user)


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def assert_nothing_written() -> None:
    assert await User.all().count() == 0
    assert await OAuthIdentity.all().count() == 0
    assert await RefreshToken.all().count() == 0


# Offering providers and starting.


async def test_providers_are_offered_only_when_configured(shop, client):
    assert (await shop.query(PROVIDERS))["oauthProviders"] == ["GOOGLE", "FACEBOOK", "WECHAT", "QQ"]
    assert (await client.query(PROVIDERS))["oauthProviders"] == []


async def test_starting_with_an_unconfigured_provider_is_refused(client):
    data = await client.query(START, {"input": {"provider": "GOOGLE", "redirectUri": CALLBACK}})
    assert codes(data["startOAuthSignIn"]) == ["PROVIDER_NOT_CONFIGURED"]
    assert await OAuthAttempt.all().count() == 0


async def test_a_redirect_uri_not_configured_is_refused(shop):
    data = await shop.query(
        START, {"input": {"provider": "GOOGLE", "redirectUri": "https://evil.test/cb"}}
    )
    payload = data["startOAuthSignIn"]
    assert payload["authorizationUrl"] is None
    assert payload["errors"][0]["code"] == "INVALID"
    assert payload["errors"][0]["field"] == ["redirectUri"]
    assert await OAuthAttempt.all().count() == 0


async def test_starting_google_records_an_attempt_with_pkce_and_nonce(shop, oauth_settings):
    started = await start(shop, "GOOGLE")
    attempt = await OAuthAttempt.get(state=started["state"])
    assert attempt.provider == "google" and attempt.redirect_uri == CALLBACK
    assert attempt.code_verifier and attempt.nonce and attempt.link_user_id is None
    assert timedelta(minutes=9) < attempt.expires_at - datetime.now(UTC) <= timedelta(minutes=10)
    url = urlsplit(started["authorizationUrl"])
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert started["authorizationUrl"].startswith(oauth_settings.oauth_google_authorize_url)
    assert params["client_id"] == "google-client"
    assert params["code_challenge_method"] == "S256"
    assert params["nonce"] == attempt.nonce
    assert params["state"] == attempt.state
    assert "openid" in params["scope"].split()
    assert attempt.code_verifier not in started["authorizationUrl"]


# Signing in with Google.


async def test_google_sign_up_creates_one_account_and_one_identity(shop, idp):
    idp.sign_in_as("google", Person("g-100", "Mei Lin", "Mei.Lin@Example.COM"))
    payload = await sign_in(shop, "GOOGLE")
    assert payload["errors"] == []
    user = payload["session"]["user"]
    assert user["email"] == "mei.lin@example.com" and user["emailVerified"] is True
    assert user["nickname"] == "Mei Lin" and user["hasPassword"] is False
    assert user["linkedIdentities"] == [
        {"provider": "google", "email": "Mei.Lin@Example.COM", "displayName": "Mei Lin"}
    ]
    assert await User.all().count() == 1
    identity = await OAuthIdentity.get()
    assert identity.subject == "g-100" and identity.last_used_at is not None
    # The token request proved the verifier, and the session works.
    provider, params = idp.token_requests[-1]
    assert provider == "google" and params["code_verifier"] and params["redirect_uri"] == CALLBACK
    me = await shop.request(
        ME, headers={"Authorization": f"Bearer {payload['session']['accessToken']}"}
    )
    assert me["data"]["me"]["email"] == "mei.lin@example.com"


async def test_signing_in_again_finds_the_same_account(shop, idp):
    idp.sign_in_as("google", Person("g-200", "Ana", "ana@example.com"))
    first = await sign_in(shop, "GOOGLE")
    used_before = (await OAuthIdentity.get()).last_used_at
    idp.sign_in_as("google", Person("g-200", "Ana P.", "ana@example.com"))
    second = await sign_in(shop, "GOOGLE")
    assert second["errors"] == []
    assert second["session"]["user"]["id"] == first["session"]["user"]["id"]
    assert await User.all().count() == 1
    identity = await OAuthIdentity.get()
    assert identity.display_name == "Ana P."
    assert used_before is not None and identity.last_used_at is not None
    assert identity.last_used_at >= used_before


async def test_a_verified_email_links_to_the_account_that_verified_it(shop, idp):
    existing = await make_user(email="li@example.com", password="correct horse battery")
    idp.sign_in_as("google", Person("g-300", "Li", "li@example.com"))
    payload = await sign_in(shop, "GOOGLE")
    assert payload["errors"] == []
    assert payload["session"]["user"]["id"] == gid("User", existing.id)
    assert payload["session"]["user"]["hasPassword"] is True
    identity = await OAuthIdentity.get()
    assert identity.user_id == existing.id
    assert await User.all().count() == 1


async def test_an_email_the_provider_does_not_vouch_for_never_links(shop, idp):
    await make_user(email="sam@example.com", password="correct horse battery")
    idp.sign_in_as("google", Person("g-400", "Sam", "sam@example.com", email_verified=False))
    payload = await sign_in(shop, "GOOGLE")
    assert payload["session"] is None
    assert codes(payload) == ["EMAIL_TAKEN"]
    assert await User.all().count() == 1
    assert await OAuthIdentity.all().count() == 0
    assert await RefreshToken.all().count() == 0


async def test_an_account_that_never_proved_its_email_is_not_linked(shop, idp):
    # Whoever registered the address first without proving it must not gain the
    # provider account's owner as a victim.
    await make_user(email="kim@example.com", password="correct horse battery", verified=False)
    idp.sign_in_as("google", Person("g-500", "Kim", "kim@example.com"))
    payload = await sign_in(shop, "GOOGLE")
    assert codes(payload) == ["EMAIL_TAKEN"]
    assert await OAuthIdentity.all().count() == 0


async def test_an_unvouched_email_is_not_given_to_a_new_account(shop, idp):
    idp.sign_in_as("google", Person("g-600", "Jo", "jo@example.com", email_verified=False))
    payload = await sign_in(shop, "GOOGLE")
    assert payload["errors"] == []
    assert payload["session"]["user"]["email"] is None
    assert payload["session"]["user"]["emailVerified"] is False
    identity = await OAuthIdentity.get()
    assert identity.email == "jo@example.com"


async def test_a_disabled_account_cannot_sign_in(shop, idp):
    idp.sign_in_as("google", Person("g-700", "Max", "max@example.com"))
    first = await sign_in(shop, "GOOGLE")
    await User.filter(email="max@example.com").update(is_active=False)
    tokens_before = await RefreshToken.all().count()
    payload = await sign_in(shop, "GOOGLE")
    assert first["errors"] == [] and codes(payload) == ["ACCOUNT_DISABLED"]
    assert await RefreshToken.all().count() == tokens_before


# Refusals: state, PKCE, nonce, provider failures.


async def test_a_state_is_used_only_once(shop, idp):
    idp.sign_in_as("google", Person("g-800", "Ida", "ida@example.com"))
    started = await start(shop, "GOOGLE")
    callback = await follow(started["authorizationUrl"])
    assert (await complete(shop, "GOOGLE", callback))["errors"] == []
    again = await complete(shop, "GOOGLE", callback)
    assert again["session"] is None
    assert codes(again) == ["OAUTH_STATE_INVALID"]
    assert again["errors"][0]["field"] == ["state"]


async def test_unknown_expired_or_other_provider_states_are_refused(shop, idp):
    idp.sign_in_as("google", Person("g-900", "Ola", "ola@example.com"))
    started = await start(shop, "GOOGLE")
    callback = await follow(started["authorizationUrl"])
    unknown = await complete(shop, "GOOGLE", {**callback, "state": "made-up"})
    other = await complete(shop, "FACEBOOK", callback)
    await OAuthAttempt.filter(state=started["state"]).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    expired = await complete(shop, "GOOGLE", callback)
    for payload in (unknown, other, expired):
        assert codes(payload) == ["OAUTH_STATE_INVALID"]
    await assert_nothing_written()


async def test_an_injected_code_fails_the_pkce_check_and_writes_nothing(shop, idp):
    # An attacker completes their own attempt with a code meant for someone else's:
    # the provider checks the attempt's verifier against the code's challenge.
    idp.sign_in_as("google", Person("g-1000", "Eve", "eve@example.com"))
    attacker = await start(shop, "GOOGLE")
    victim = await start(shop, "GOOGLE")
    stolen = await follow(victim["authorizationUrl"])
    payload = await complete(shop, "GOOGLE", {"code": stolen["code"], "state": attacker["state"]})
    assert payload["session"] is None
    assert codes(payload) == ["PROVIDER_ERROR"]
    await assert_nothing_written()
    assert idp.token_requests[-1][1]["code_verifier"]


async def test_an_id_token_for_another_nonce_is_refused(shop, idp):
    idp.sign_in_as("google", Person("g-1100", "Uma", "uma@example.com"))
    idp.forged_nonce = "replayed-nonce"
    payload = await sign_in(shop, "GOOGLE")
    assert codes(payload) == ["PROVIDER_ERROR"]
    await assert_nothing_written()


@pytest.mark.parametrize("provider", ["GOOGLE", "FACEBOOK", "WECHAT", "QQ"])
async def test_a_provider_outage_is_a_provider_error(shop, idp, provider):
    idp.sign_in_as(provider.lower(), Person("x-1", "Vic", "vic@example.com"))
    idp.outage = 503
    payload = await sign_in(shop, provider)
    assert codes(payload) == ["PROVIDER_ERROR"]
    await assert_nothing_written()


async def test_an_unreachable_provider_is_a_provider_error(oauth_settings, idp, db):
    idp.sign_in_as("facebook", Person("fb-1", "Ned", "ned@example.com"))
    closed = oauth_settings.model_copy(
        update={"oauth_facebook_token_url": "http://127.0.0.1:9/oauth/access_token"}
    )
    started = await oauth.start_sign_in(
        provider=Provider.FACEBOOK, redirect_uri=CALLBACK, settings=closed
    )
    callback = await follow(started.url)
    with pytest.raises(AccountError) as refused:
        await oauth.complete_sign_in(
            provider=Provider.FACEBOOK,
            state=callback["state"],
            code=callback["code"],
            browser_key=started.browser_key,
            viewer_id=None,
            settings=closed,
        )
    assert refused.value.problems[0].code is AccountErrorCode.PROVIDER_ERROR
    await assert_nothing_written()


async def test_two_concurrent_completions_of_one_attempt_sign_in_once(oauth_settings, idp, db):
    idp.sign_in_as("qq", Person("QQ-RACE", "Ray"))
    started = await oauth.start_sign_in(
        provider=Provider.QQ, redirect_uri=CALLBACK, settings=oauth_settings
    )
    callback = await follow(started.url)

    async def attempt() -> object:
        try:
            return await oauth.complete_sign_in(
                provider=Provider.QQ,
                state=callback["state"],
                code=callback["code"],
                browser_key=started.browser_key,
                viewer_id=None,
                settings=oauth_settings,
            )
        except AccountError as exc:
            return exc.problems[0].code

    results = await asyncio.gather(attempt(), attempt())
    assert AccountErrorCode.OAUTH_STATE_INVALID in results
    assert sum(isinstance(r, Session) for r in results) == 1
    assert await RefreshToken.all().count() == 1
    assert len(idp.token_requests) == 1


# Facebook, WeChat and QQ.


async def test_facebook_emails_count_as_verified_and_link(shop, idp):
    existing = await make_user(email="noor@example.com")
    idp.sign_in_as("facebook", Person("fb-42", "Noor", "noor@example.com"))
    payload = await sign_in(shop, "FACEBOOK")
    assert payload["errors"] == []
    assert (await OAuthIdentity.get()).user_id == existing.id
    provider, params = idp.token_requests[-1]
    assert provider == "facebook"
    assert params["client_secret"] == "facebook-secret" and params["code_verifier"]


async def test_wechat_signs_in_by_unionid_without_an_email(shop, idp, oauth_settings):
    idp.sign_in_as("wechat", Person("o-openid-1", "小明", unionid="u-union-1"))
    started = await start(shop, "WECHAT")
    url = started["authorizationUrl"]
    assert url.startswith(oauth_settings.oauth_wechat_authorize_url + "?appid=wx-appid&")
    assert url.endswith("#wechat_redirect")
    assert "client_id" not in url
    callback = await follow(url)
    payload = await complete(shop, "WECHAT", callback)
    assert payload["errors"] == []
    assert payload["session"]["user"]["email"] is None
    assert payload["session"]["user"]["nickname"] == "小明"
    assert (await OAuthIdentity.get()).subject == "u-union-1"
    provider, params = idp.token_requests[-1]
    assert provider == "wechat" and params["appid"] == "wx-appid" and params["secret"]
    assert "client_id" not in params


async def test_wechat_without_unionid_uses_the_openid(shop, idp):
    idp.sign_in_as("wechat", Person("o-openid-2", "阿华"))
    payload = await sign_in(shop, "WECHAT")
    assert payload["errors"] == []
    assert (await OAuthIdentity.get()).subject == "o-openid-2"


async def test_wechat_errors_sent_with_http_200_are_provider_errors(shop, idp):
    idp.sign_in_as("wechat", Person("o-openid-3", "阿强"))
    started = await start(shop, "WECHAT")
    callback = await follow(started["authorizationUrl"])
    payload = await complete(shop, "WECHAT", {**callback, "code": "wrong"})
    assert codes(payload) == ["PROVIDER_ERROR"]
    await assert_nothing_written()


async def test_qq_reads_the_openid_then_the_profile(shop, idp):
    idp.sign_in_as("qq", Person("QQ-OPENID-1", "小红"))
    first = await sign_in(shop, "QQ")
    second = await sign_in(shop, "QQ")
    assert first["errors"] == [] and second["errors"] == []
    assert first["session"]["user"]["id"] == second["session"]["user"]["id"]
    assert first["session"]["user"]["nickname"] == "小红"
    assert (await OAuthIdentity.get()).subject == "QQ-OPENID-1"
    provider, params = idp.token_requests[-1]
    assert provider == "qq" and params["fmt"] == "json" and params["client_secret"] == "qq-appkey"


# Linking and unlinking.


async def test_a_signed_in_user_links_a_provider(shop, idp):
    user = await make_user(email="pat@example.com", password="correct horse battery")
    idp.sign_in_as("qq", Person("QQ-PAT", "Pat"))
    payload = await sign_in(shop, "QQ", user=user)
    assert payload["errors"] == []
    assert payload["session"]["user"]["linkedIdentities"][0]["provider"] == "qq"
    identity = await OAuthIdentity.get()
    assert identity.user_id == user.id
    attempt = await OAuthAttempt.get()
    assert attempt.link_user_id == user.id and attempt.consumed_at is not None


async def test_a_link_can_only_be_completed_by_the_user_who_started_it(shop, idp):
    owner = await make_user(email="own@example.com", password="correct horse battery")
    other = await make_user(email="oth@example.com", password="correct horse battery")
    idp.sign_in_as("google", Person("g-link", "Ren", "ren@example.com"))
    started = await start(shop, "GOOGLE", user=owner)
    callback = await follow(started["authorizationUrl"])
    anonymous = await complete(shop, "GOOGLE", callback)
    someone_else = await complete(shop, "GOOGLE", callback, user=other)
    assert codes(anonymous) == ["OAUTH_STATE_INVALID"]
    assert codes(someone_else) == ["OAUTH_STATE_INVALID"]
    assert await OAuthIdentity.all().count() == 0
    # The owner can still finish it.
    assert (await complete(shop, "GOOGLE", callback, user=owner))["errors"] == []


async def test_linking_a_provider_account_someone_else_uses_is_refused(shop, idp):
    idp.sign_in_as("wechat", Person("o-shared", "Wu", unionid="u-shared"))
    first = await sign_in(shop, "WECHAT")
    assert first["errors"] == []
    other = await make_user(email="wu2@example.com", password="correct horse battery")
    payload = await sign_in(shop, "WECHAT", user=other)
    assert codes(payload) == ["IDENTITY_IN_USE"]
    assert await OAuthIdentity.filter(user_id=other.id).count() == 0


async def test_starting_a_second_link_for_the_same_provider_is_refused(shop, idp):
    user = await make_user(password="correct horse battery")
    idp.sign_in_as("qq", Person("QQ-ONE", "Yan"))
    assert (await sign_in(shop, "QQ", user=user))["errors"] == []
    data = await shop.query(
        START_LINK, {"input": {"provider": "QQ", "redirectUri": CALLBACK}}, user=user
    )
    assert codes(data["startOAuthLink"]) == ["IDENTITY_IN_USE"]


async def test_linking_and_unlinking_need_a_signed_in_user(shop):
    start_body = await shop.request(
        START_LINK, {"input": {"provider": "QQ", "redirectUri": CALLBACK}}
    )
    unlink_body = await shop.request(UNLINK, {"input": {"provider": "QQ"}})
    for body in (start_body, unlink_body):
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await OAuthAttempt.all().count() == 0


async def test_the_only_way_to_sign_in_cannot_be_unlinked(shop, idp):
    idp.sign_in_as("qq", Person("QQ-ONLY", "Zed"))
    assert (await sign_in(shop, "QQ"))["errors"] == []
    user = await User.get()
    data = await shop.query(UNLINK, {"input": {"provider": "QQ"}}, user=user)
    assert codes(data["unlinkOAuthIdentity"]) == ["LAST_SIGN_IN_METHOD"]
    assert await OAuthIdentity.all().count() == 1


async def test_another_linked_provider_allows_unlinking(shop, idp):
    idp.sign_in_as("qq", Person("QQ-TWO", "Zoe"))
    assert (await sign_in(shop, "QQ"))["errors"] == []
    user = await User.get()
    idp.sign_in_as("wechat", Person("o-zoe", "Zoe", unionid="u-zoe"))
    assert (await sign_in(shop, "WECHAT", user=user))["errors"] == []
    data = await shop.query(UNLINK, {"input": {"provider": "QQ"}}, user=user)
    payload = data["unlinkOAuthIdentity"]
    assert payload["errors"] == []
    assert payload["user"]["linkedIdentities"] == [{"provider": "wechat"}]
    again = await shop.query(UNLINK, {"input": {"provider": "WECHAT"}}, user=user)
    assert codes(again["unlinkOAuthIdentity"]) == ["LAST_SIGN_IN_METHOD"]


async def test_a_password_or_verified_email_allows_unlinking(shop, idp):
    idp.sign_in_as("google", Person("g-unlink", "Abe", "abe@example.com"))
    assert (await sign_in(shop, "GOOGLE"))["errors"] == []  # verified email from Google
    user = await User.get()
    data = await shop.query(UNLINK, {"input": {"provider": "GOOGLE"}}, user=user)
    assert data["unlinkOAuthIdentity"]["errors"] == []
    assert await OAuthIdentity.all().count() == 0
    missing = await shop.query(UNLINK, {"input": {"provider": "GOOGLE"}}, user=user)
    assert codes(missing["unlinkOAuthIdentity"]) == ["NOT_FOUND"]


async def test_a_session_token_of_another_user_does_not_reach_their_links(shop, idp):
    owner = await make_user(password="correct horse battery")
    idp.sign_in_as("qq", Person("QQ-OWNER", "Own"))
    assert (await sign_in(shop, "QQ", user=owner))["errors"] == []
    stranger = await make_user(password="correct horse battery")
    data = await shop.query(UNLINK, {"input": {"provider": "QQ"}}, user=stranger)
    assert codes(data["unlinkOAuthIdentity"]) == ["NOT_FOUND"]
    assert await OAuthIdentity.filter(user_id=owner.id).count() == 1


# Provider quirks, as the compliance hooks see them.


def test_qq_answers_are_read_in_every_shape_qq_sends():
    assert qq_answer('{"access_token": "a", "expires_in": "7776000"}')["access_token"] == "a"
    assert qq_answer("access_token=a&expires_in=7776000&refresh_token=r")["refresh_token"] == "r"
    assert qq_answer('callback( {"error":100016,"error_description":"x"} );')["error"] == 100016


def test_wechat_errors_with_http_200_become_oauth_errors():
    request = httpx2.Request("GET", "https://api.weixin.qq.com/sns/oauth2/access_token")
    error = httpx2.Response(200, json={"errcode": 40029, "errmsg": "invalid code"}, request=request)
    fixed = wechat_token_response(error)
    assert fixed.status_code == 400
    assert fixed.json() == {"error": "40029", "error_description": "invalid code"}
    fine = httpx2.Response(200, json={"access_token": "t", "openid": "o"}, request=request)
    assert wechat_token_response(fine) is fine


async def test_a_finished_callback_cannot_be_completed_by_another_browser(shop, idp):
    # Login CSRF: an attacker signs in at the provider as themselves and sends the callback
    # link to a victim; the victim's browser never started that sign-in, so lacks its key.
    idp.sign_in_as("google", Person("g-attacker", "Mallory", "mallory@example.com"))
    started = await start(shop, "GOOGLE")
    callback = await follow(started["authorizationUrl"])
    victims_browser = await complete(shop, "GOOGLE", {**callback, "browserKey": "not-the-key"})
    assert codes(victims_browser) == ["OAUTH_STATE_INVALID"]
    assert not await User.filter(email="mallory@example.com").exists()
