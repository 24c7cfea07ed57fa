"""Third-party sign-in providers: how each builds its authorization URL and reads who signed in.

Every provider speaks OAuth 2 through Authlib's `AsyncOAuth2Client`. Google is OpenID
Connect (PKCE and a nonce checked in its signed ID token); Facebook is plain OAuth 2 with
PKCE. WeChat and QQ bend the standard: their deviations are handled by Authlib client
authentication methods and compliance hooks registered on the client, so the code path is
the same for all four. A provider is enabled only when its client id and secret are set;
every endpoint is a setting whose default is the real one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, cast

import httpx2
from authlib.common.errors import AuthlibBaseError
from authlib.common.urls import add_params_to_uri, url_decode
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.client import OAuth2Client
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, KeySetSerialization

from settings import Settings


class Provider(StrEnum):
    GOOGLE = "google"
    FACEBOOK = "facebook"
    WECHAT = "wechat"
    QQ = "qq"

    @property
    def label(self) -> str:
        """The provider's name as people know it."""
        return _LABELS[self]


_LABELS = {
    Provider.GOOGLE: "Google",
    Provider.FACEBOOK: "Facebook",
    Provider.WECHAT: "WeChat",
    Provider.QQ: "QQ",
}


@dataclass(frozen=True, slots=True)
class Profile:
    """Who signed in at the provider, as far as the provider tells."""

    #: The provider's stable id for the person.
    subject: str
    email: str | None = None
    #: Whether the provider vouches that the person controls `email`.
    email_verified: bool = False
    name: str = ""


@dataclass(frozen=True, slots=True)
class Grant:
    """What a started sign-in generated and the callback must be checked against."""

    state: str
    redirect_uri: str
    code_verifier: str | None = None
    nonce: str | None = None


class ProviderError(Exception):
    """The provider refused the code, answered nonsense or could not be reached."""


class ProviderClient:
    """One provider's endpoints and credentials; subclasses say how its protocol differs."""

    provider: ClassVar[Provider]
    #: Whether the authorization request carries a PKCE S256 challenge.
    uses_pkce: ClassVar[bool] = False
    #: Whether the authorization request carries a nonce the ID token must echo.
    uses_nonce: ClassVar[bool] = False
    scope: ClassVar[str | None] = None
    #: How the client authenticates at the token endpoint (an Authlib method name).
    token_auth_method: ClassVar[str] = "client_secret_post"
    #: Where the access token goes on profile requests ("header" or "uri").
    token_placement: ClassVar[str] = "header"

    def __init__(self, settings: Settings, client_id: str, client_secret: str) -> None:
        self.settings = settings
        self.client_id = client_id
        self.client_secret = client_secret

    def setting(self, name: str) -> str:
        """The provider's `oauth_<provider>_<name>` setting (an endpoint URL)."""
        value: str = getattr(self.settings, f"oauth_{self.provider.value}_{name}")
        return value

    def session(self, redirect_uri: str | None = None) -> AsyncOAuth2Client:
        """An Authlib client for one sign-in, with the provider's quirks registered."""
        return AsyncOAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=self.scope,
            redirect_uri=redirect_uri,
            code_challenge_method="S256" if self.uses_pkce else None,
            token_endpoint_auth_method=self.token_auth_method,
            token_placement=self.token_placement,
            timeout=self.settings.oauth_http_timeout,
        )

    def authorization_url(self, grant: Grant) -> str:
        """Where to send the browser to sign in."""
        # Building the URL sends nothing, so Authlib's protocol client needs no HTTP session.
        client = OAuth2Client(
            None,
            client_id=self.client_id,
            scope=self.scope,
            redirect_uri=grant.redirect_uri,
            code_challenge_method="S256" if self.uses_pkce else None,
        )
        url, _ = client.create_authorization_url(
            self.setting("authorize_url"),
            state=grant.state,
            code_verifier=grant.code_verifier,
            nonce=grant.nonce,
        )
        return str(url)

    async def fetch_profile(self, code: str, grant: Grant) -> Profile:
        """Exchange the callback's code for a token and read the profile with it."""
        try:
            async with self.session(grant.redirect_uri) as client:
                return await self.read_profile(client, code, grant)
        except httpx2.HTTPStatusError as exc:
            # Without the query: WeChat and QQ send the app secret in it.
            url = exc.request.url.copy_with(query=None)
            raise ProviderError(f"HTTP {exc.response.status_code} from {url}") from exc
        except (AuthlibBaseError, JoseError, httpx2.HTTPError) as exc:
            raise ProviderError(f"{type(exc).__name__}: {exc}") from exc
        except (ValueError, KeyError) as exc:
            raise ProviderError(f"unexpected answer: {exc!r}") from exc

    async def read_profile(self, client: AsyncOAuth2Client, code: str, grant: Grant) -> Profile:
        raise NotImplementedError


def _json_object(response: httpx2.Response) -> dict[str, Any]:
    """The JSON object of a successful answer; an HTTP error or a ValueError otherwise."""
    response.raise_for_status()
    data = response.json()
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    return data


class GoogleClient(ProviderClient):
    """OpenID Connect: code flow with PKCE and a nonce, ID token checked, then userinfo."""

    provider = Provider.GOOGLE
    uses_pkce = True
    uses_nonce = True
    scope = "openid email profile"

    async def read_profile(self, client: AsyncOAuth2Client, code: str, grant: Grant) -> Profile:
        token = await client.fetch_token(
            self.setting("token_url"), code=code, code_verifier=grant.code_verifier
        )
        subject = await self._checked_subject(client, token, grant)
        info = _json_object(await client.get(self.setting("userinfo_url")))
        # OpenID Connect Core 5.3.2: userinfo must be about the person the ID token names.
        if str(info.get("sub")) != subject:
            raise ValueError("userinfo names another subject than the ID token")
        return Profile(
            subject=subject,
            email=info.get("email") or None,
            email_verified=info.get("email_verified") is True,
            name=str(info.get("name") or ""),
        )

    async def _checked_subject(
        self, client: AsyncOAuth2Client, token: Mapping[str, Any], grant: Grant
    ) -> str:
        """The ID token's subject, once its signature, issuer, audience, expiry and nonce hold."""
        # The signing keys are public: fetched without the access token.
        keys = _json_object(
            await client.request("GET", self.setting("jwks_url"), withhold_token=True)
        )
        decoded = jwt.decode(
            token["id_token"],
            KeySet.import_key_set(cast(KeySetSerialization, keys)),
            algorithms=["RS256", "ES256"],
        )
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            options={
                "iss": {"essential": True, "value": self.setting("issuer")},
                "aud": {"essential": True, "value": self.client_id},
            },
            params={"nonce": grant.nonce, "client_id": self.client_id},
        )
        claims.validate(leeway=60)
        return str(claims["sub"])


class FacebookClient(ProviderClient):
    """OAuth 2 code flow with PKCE; the Graph API profile. Facebook only shares confirmed emails."""

    provider = Provider.FACEBOOK
    uses_pkce = True
    scope = "email public_profile"

    async def read_profile(self, client: AsyncOAuth2Client, code: str, grant: Grant) -> Profile:
        await client.fetch_token(
            self.setting("token_url"), code=code, code_verifier=grant.code_verifier
        )
        info = _json_object(
            await client.get(self.setting("userinfo_url"), params={"fields": "id,name,email"})
        )
        email = info.get("email") or None
        return Profile(
            subject=str(info["id"]),
            email=email,
            email_verified=email is not None,
            name=str(info.get("name") or ""),
        )


def _add_query_credentials(
    names: tuple[str, str],
) -> Any:
    """An Authlib client auth method sending id and secret as query parameters of a GET."""

    def sign(client: Any, method: str, uri: str, headers: Any, body: Any) -> Any:
        params = [(names[0], client.client_id), (names[1], client.client_secret)]
        return add_params_to_uri(uri, params), headers, body

    return sign


def _rewrite(response: httpx2.Response, data: dict[str, Any], status: int) -> httpx2.Response:
    """The same answer with another JSON body and status, for Authlib's token parsing."""
    return httpx2.Response(status, json=data, request=response.request)


def wechat_token_response(response: httpx2.Response) -> httpx2.Response:
    """WeChat answers errors with HTTP 200 and `errcode`: turn them into OAuth 2 errors."""
    if response.is_error:
        response.raise_for_status()
    data = response.json()
    if isinstance(data, dict) and data.get("errcode"):
        error = {"error": str(data["errcode"]), "error_description": data.get("errmsg", "")}
        return _rewrite(response, error, 400)
    return response


def _wechat_checked(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("errcode"):
        raise ValueError(f"WeChat error {data['errcode']}: {data.get('errmsg', '')}")
    return data


class WeChatClient(ProviderClient):
    """WeChat Open Platform website login (QR code).

    The authorization URL names the app `appid`, lists its parameters in the documented
    order and ends in `#wechat_redirect`; the token is fetched with GET and the app's
    credentials as `appid`/`secret` query parameters; errors arrive with HTTP 200. WeChat
    shares no email. The subject is the `unionid` (the same across one company's apps)
    when the app is bound to an Open Platform account, else the app's `openid`.
    """

    provider = Provider.WECHAT
    scope = "snsapi_login"
    token_auth_method = "wechat_query"
    token_placement = "uri"

    def session(self, redirect_uri: str | None = None) -> AsyncOAuth2Client:
        # The token request names no redirect_uri: WeChat checks it at the authorization step.
        client = super().session(None)
        client.register_client_auth_method(
            (self.token_auth_method, _add_query_credentials(("appid", "secret")))
        )
        client.register_compliance_hook("access_token_response", wechat_token_response)
        return client

    def authorization_url(self, grant: Grant) -> str:
        params = [
            ("appid", self.client_id),
            ("redirect_uri", grant.redirect_uri),
            ("response_type", "code"),
            ("scope", self.scope or ""),
            ("state", grant.state),
        ]
        return str(add_params_to_uri(self.setting("authorize_url"), params)) + "#wechat_redirect"

    async def read_profile(self, client: AsyncOAuth2Client, code: str, grant: Grant) -> Profile:
        token = await client.fetch_token(self.setting("token_url"), method="GET", code=code)
        openid = str(token["openid"])
        info = _wechat_checked(
            _json_object(await client.get(self.setting("userinfo_url"), params={"openid": openid}))
        )
        unionid = info.get("unionid") or token.get("unionid")
        return Profile(subject=str(unionid or openid), name=str(info.get("nickname") or ""))


_JSONP = re.compile(r"^\s*callback\(\s*(?P<body>\{.*\})\s*\);?\s*$", re.DOTALL)


def qq_answer(text: str) -> dict[str, Any]:
    """A QQ answer as a dict: JSON, the JSONP `callback( {...} );` or a form-encoded body.

    `fmt=json` asks for JSON, but QQ has long answered some errors (and older apps
    everything) in the other two shapes.
    """
    match = _JSONP.match(text)
    if match:
        text = match.group("body")
    if text.lstrip().startswith("{"):
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        return data
    return dict(url_decode(text))


def qq_token_response(response: httpx2.Response) -> httpx2.Response:
    """Any of QQ's token answer shapes as the JSON Authlib parses; errors as HTTP 400."""
    if response.status_code >= 500:
        response.raise_for_status()
    data = qq_answer(response.text)
    if "error" in data:
        return _rewrite(response, {**data, "error": str(data["error"])}, 400)
    return _rewrite(response, data, response.status_code)


class QQClient(ProviderClient):
    """QQ Connect: a standard authorization URL, then three non-standard GETs.

    The token endpoint takes the credentials and `fmt=json` as query parameters; the
    `openid` comes from a separate `me` call; the profile needs the app id again as
    `oauth_consumer_key`. QQ shares no email.
    """

    provider = Provider.QQ
    scope = "get_user_info"
    token_auth_method = "qq_query"
    token_placement = "uri"

    def session(self, redirect_uri: str | None = None) -> AsyncOAuth2Client:
        client = super().session(redirect_uri)
        client.register_client_auth_method(
            (self.token_auth_method, _add_query_credentials(("client_id", "client_secret")))
        )
        client.register_compliance_hook("access_token_response", qq_token_response)
        return client

    async def read_profile(self, client: AsyncOAuth2Client, code: str, grant: Grant) -> Profile:
        await client.fetch_token(self.setting("token_url"), method="GET", code=code, fmt="json")
        response = await client.get(self.setting("openid_url"), params={"fmt": "json"})
        response.raise_for_status()
        me = qq_answer(response.text)
        if "error" in me or not me.get("openid"):
            raise ValueError(f"QQ error {me.get('error')}: {me.get('error_description', '')}")
        if me.get("client_id") not in (None, self.client_id):
            raise ValueError("the access token belongs to another QQ app")
        openid = str(me["openid"])
        info = _json_object(
            await client.get(
                self.setting("userinfo_url"),
                params={"oauth_consumer_key": self.client_id, "openid": openid},
            )
        )
        if info.get("ret", 0) != 0:
            raise ValueError(f"QQ error {info.get('ret')}: {info.get('msg', '')}")
        return Profile(subject=openid, name=str(info.get("nickname") or ""))


_CLIENTS: dict[Provider, type[ProviderClient]] = {
    Provider.GOOGLE: GoogleClient,
    Provider.FACEBOOK: FacebookClient,
    Provider.WECHAT: WeChatClient,
    Provider.QQ: QQClient,
}


def client_for(provider: Provider, settings: Settings) -> ProviderClient | None:
    """The provider's client, or None when its id or secret is not configured."""
    client_id = getattr(settings, f"oauth_{provider.value}_client_id")
    secret = getattr(settings, f"oauth_{provider.value}_client_secret")
    if not client_id or secret is None or not secret.get_secret_value():
        return None
    return _CLIENTS[provider](settings, client_id, secret.get_secret_value())


def enabled(settings: Settings) -> list[Provider]:
    """The providers people can sign in with, in a stable order."""
    return [p for p in Provider if client_for(p, settings) is not None]
