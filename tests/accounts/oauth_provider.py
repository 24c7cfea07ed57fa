"""A local stand-in for Google, Facebook, WeChat and QQ sign-in, served over real HTTP.

Each provider answers in its own shape, quirks included (WeChat's `appid`/`secret` and
HTTP 200 errors, QQ's string `expires_in`, separate `openid` call and `ret` codes), and
checks what the real one checks: client credentials, a single-use code bound to the
client and redirect URI, the PKCE verifier against the challenge, and the access token on
profile requests. A test picks who is signed in at a provider with `sign_in_as`, then
plays the browser: it fetches the authorization URL and reads the redirect it answers.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

#: Credentials the shop is configured with, per provider.
CLIENTS = {
    "google": ("google-client", "google-secret"),
    "facebook": ("facebook-app", "facebook-secret"),
    "wechat": ("wx-appid", "wx-secret"),
    "qq": ("qq-appid", "qq-appkey"),
}


@dataclass
class Person:
    """Someone signed in at a provider."""

    subject: str
    name: str = ""
    email: str | None = None
    email_verified: bool = True
    #: WeChat only: the id shared by all of one company's apps.
    unionid: str | None = None


@dataclass
class IssuedCode:
    provider: str
    client_id: str
    redirect_uri: str
    person: Person
    challenge: str | None = None
    nonce: str | None = None


@dataclass
class LocalProvider:
    base_url: str = ""
    people: dict[str, Person] = field(default_factory=dict)
    codes: dict[str, IssuedCode] = field(default_factory=dict)
    tokens: dict[str, tuple[str, Person]] = field(default_factory=dict)
    #: Every token request received: (provider, query and form parameters).
    token_requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    #: When set, token endpoints answer this HTTP status with an HTML page.
    outage: int | None = None
    #: When set, Google's ID token carries this nonce instead of the one asked for.
    forged_nonce: str | None = None
    key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "local-1"})
    )

    def reset(self) -> None:
        self.people.clear()
        self.codes.clear()
        self.tokens.clear()
        self.token_requests.clear()
        self.outage = None
        self.forged_nonce = None

    def sign_in_as(self, provider: str, person: Person) -> Person:
        self.people[provider] = person
        return person

    def settings(self) -> dict[str, Any]:
        """Settings pointing the shop at this stand-in."""
        base = self.base_url
        values: dict[str, Any] = {
            "oauth_google_authorize_url": f"{base}/google/authorize",
            "oauth_google_token_url": f"{base}/google/token",
            "oauth_google_userinfo_url": f"{base}/google/userinfo",
            "oauth_google_jwks_url": f"{base}/google/certs",
            "oauth_google_issuer": f"{base}/google",
            "oauth_facebook_authorize_url": f"{base}/facebook/dialog/oauth",
            "oauth_facebook_token_url": f"{base}/facebook/oauth/access_token",
            "oauth_facebook_userinfo_url": f"{base}/facebook/me",
            "oauth_wechat_authorize_url": f"{base}/wechat/connect/qrconnect",
            "oauth_wechat_token_url": f"{base}/wechat/sns/oauth2/access_token",
            "oauth_wechat_userinfo_url": f"{base}/wechat/sns/userinfo",
            "oauth_qq_authorize_url": f"{base}/qq/oauth2.0/authorize",
            "oauth_qq_token_url": f"{base}/qq/oauth2.0/token",
            "oauth_qq_openid_url": f"{base}/qq/oauth2.0/me",
            "oauth_qq_userinfo_url": f"{base}/qq/user/get_user_info",
        }
        for provider, (client_id, secret) in CLIENTS.items():
            values[f"oauth_{provider}_client_id"] = client_id
            values[f"oauth_{provider}_client_secret"] = SecretStr(secret)
        return values

    # The authorization step: the person is already signed in and consents at once.

    def _authorize(
        self,
        request: Request,
        provider: str,
        *,
        client_param: str = "client_id",
        pkce: bool = False,
        nonce: bool = False,
    ) -> Response:
        q = request.query_params
        if q.get(client_param) != CLIENTS[provider][0] or q.get("response_type") != "code":
            return PlainTextResponse("unknown client", status_code=400)
        redirect_uri, state = q.get("redirect_uri"), q.get("state")
        if not redirect_uri or not state or provider not in self.people:
            return PlainTextResponse("bad request", status_code=400)
        if pkce and (q.get("code_challenge_method") != "S256" or not q.get("code_challenge")):
            return PlainTextResponse("PKCE S256 required", status_code=400)
        if nonce and not q.get("nonce"):
            return PlainTextResponse("nonce required", status_code=400)
        code = secrets.token_urlsafe(16)
        self.codes[code] = IssuedCode(
            provider=provider,
            client_id=CLIENTS[provider][0],
            redirect_uri=redirect_uri,
            person=self.people[provider],
            challenge=q.get("code_challenge"),
            nonce=q.get("nonce"),
        )
        sep = "&" if "?" in redirect_uri else "?"
        return RedirectResponse(
            f"{redirect_uri}{sep}{urlencode({'code': code, 'state': state})}", status_code=302
        )

    def _redeem(
        self, provider: str, params: dict[str, str], *, redirect_uri: bool = True
    ) -> IssuedCode | None:
        """The code's grant when every check passes; the code is used up either way."""
        issued = self.codes.pop(params.get("code", ""), None)
        if issued is None or issued.provider != provider:
            return None
        if redirect_uri and params.get("redirect_uri") != issued.redirect_uri:
            return None
        if issued.challenge is not None:
            verifier = params.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != issued.challenge:
                return None
        return issued

    def _issue_token(self, provider: str, person: Person) -> str:
        token = secrets.token_urlsafe(24)
        self.tokens[token] = (provider, person)
        return token

    def _bearer(self, request: Request, provider: str) -> Person | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        found = self.tokens.get(token) if scheme.lower() == "bearer" else None
        return found[1] if found and found[0] == provider else None

    def _query_token(self, request: Request, provider: str) -> Person | None:
        found = self.tokens.get(request.query_params.get("access_token", ""))
        return found[1] if found and found[0] == provider else None

    async def _token_params(self, request: Request, provider: str) -> dict[str, str]:
        params = dict(request.query_params)
        if request.method == "POST":
            params.update({k: str(v) for k, v in (await request.form()).items()})
        self.token_requests.append((provider, params))
        return params

    def _outage(self) -> Response | None:
        if self.outage is None:
            return None
        return Response("<html>upstream unavailable</html>", self.outage, media_type="text/html")

    # Google: OpenID Connect.

    async def google_authorize(self, request: Request) -> Response:
        if "openid" not in request.query_params.get("scope", "").split():
            return PlainTextResponse("scope must include openid", status_code=400)
        return self._authorize(request, "google", pkce=True, nonce=True)

    async def google_token(self, request: Request) -> Response:
        if (down := self._outage()) is not None:
            return down
        params = await self._token_params(request, "google")
        client_id, secret = CLIENTS["google"]
        basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {basic}" and (
            params.get("client_id"),
            params.get("client_secret"),
        ) != (client_id, secret):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        issued = self._redeem("google", params)
        if params.get("grant_type") != "authorization_code" or issued is None:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        now = int(time.time())
        claims = {
            "iss": f"{self.base_url}/google",
            "aud": client_id,
            "sub": issued.person.subject,
            "iat": now,
            "exp": now + 3600,
            "nonce": self.forged_nonce or issued.nonce,
        }
        id_token = jwt.encode({"alg": "RS256", "kid": "local-1"}, claims, self.key)
        return JSONResponse(
            {
                "access_token": self._issue_token("google", issued.person),
                "token_type": "Bearer",
                "expires_in": 3599,
                "scope": "openid email profile",
                "id_token": id_token,
            }
        )

    async def google_userinfo(self, request: Request) -> Response:
        person = self._bearer(request, "google")
        if person is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        info: dict[str, Any] = {"sub": person.subject, "name": person.name}
        if person.email:
            info.update(email=person.email, email_verified=person.email_verified)
        return JSONResponse(info)

    async def google_certs(self, request: Request) -> Response:
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    # Facebook: OAuth 2 with PKCE and the Graph API.

    async def facebook_authorize(self, request: Request) -> Response:
        return self._authorize(request, "facebook", pkce=True)

    async def facebook_token(self, request: Request) -> Response:
        if (down := self._outage()) is not None:
            return down
        params = await self._token_params(request, "facebook")
        if (params.get("client_id"), params.get("client_secret")) != CLIENTS["facebook"]:
            return JSONResponse(
                {"error": {"message": "Error validating client secret.", "code": 1}},
                status_code=400,
            )
        issued = self._redeem("facebook", params)
        if issued is None:
            return JSONResponse(
                {"error": {"message": "Invalid verification code format.", "code": 100}},
                status_code=400,
            )
        token = self._issue_token("facebook", issued.person)
        return JSONResponse({"access_token": token, "token_type": "bearer", "expires_in": 5183944})

    async def facebook_me(self, request: Request) -> Response:
        person = self._bearer(request, "facebook")
        if person is None:
            return JSONResponse({"error": {"message": "Invalid OAuth access token."}}, 400)
        fields = request.query_params.get("fields", "id").split(",")
        info = {"id": person.subject, "name": person.name, "email": person.email}
        return JSONResponse({k: v for k, v in info.items() if k in fields and v is not None})

    # WeChat: `appid`/`secret`, GET everywhere, errors with HTTP 200 and `errcode`.

    async def wechat_authorize(self, request: Request) -> Response:
        if request.query_params.get("scope") != "snsapi_login":
            return PlainTextResponse("scope must be snsapi_login", status_code=400)
        return self._authorize(request, "wechat", client_param="appid")

    async def wechat_token(self, request: Request) -> Response:
        if (down := self._outage()) is not None:
            return down
        params = await self._token_params(request, "wechat")
        if (params.get("appid"), params.get("secret")) != CLIENTS["wechat"]:
            return JSONResponse({"errcode": 40125, "errmsg": "invalid appsecret"})
        issued = self._redeem("wechat", params, redirect_uri=False)
        if params.get("grant_type") != "authorization_code" or issued is None:
            return JSONResponse({"errcode": 40029, "errmsg": "invalid code"})
        person = issued.person
        answer: dict[str, Any] = {
            "access_token": self._issue_token("wechat", person),
            "expires_in": 7200,
            "refresh_token": secrets.token_urlsafe(16),
            "openid": person.subject,
            "scope": "snsapi_login",
        }
        if person.unionid:
            answer["unionid"] = person.unionid
        return JSONResponse(answer)

    async def wechat_userinfo(self, request: Request) -> Response:
        person = self._query_token(request, "wechat")
        if person is None or request.query_params.get("openid") != person.subject:
            return JSONResponse({"errcode": 40001, "errmsg": "invalid credential"})
        info: dict[str, Any] = {
            "openid": person.subject,
            "nickname": person.name,
            "sex": 0,
            "headimgurl": "",
            "privilege": [],
        }
        if person.unionid:
            info["unionid"] = person.unionid
        return JSONResponse(info)

    # QQ: credentials as query parameters, a separate `me` call, `ret` codes.

    async def qq_authorize(self, request: Request) -> Response:
        return self._authorize(request, "qq")

    async def qq_token(self, request: Request) -> Response:
        if (down := self._outage()) is not None:
            return down
        params = await self._token_params(request, "qq")
        issued = None
        if (params.get("client_id"), params.get("client_secret")) == CLIENTS["qq"]:
            issued = self._redeem("qq", params)
        if params.get("grant_type") != "authorization_code" or issued is None:
            error = {"error": 100019, "error_description": "code to access token error"}
            return JSONResponse(error)
        answer = {
            "access_token": self._issue_token("qq", issued.person),
            "expires_in": "7776000",
            "refresh_token": secrets.token_urlsafe(16),
        }
        if params.get("fmt") == "json":
            return JSONResponse(answer)
        return PlainTextResponse(urlencode(answer))

    async def qq_me(self, request: Request) -> Response:
        person = self._query_token(request, "qq")
        if person is None:
            body = '{"error":100016,"error_description":"access token check failed"}'
            return PlainTextResponse(f"callback( {body} );")
        return JSONResponse({"client_id": CLIENTS["qq"][0], "openid": person.subject})

    async def qq_userinfo(self, request: Request) -> Response:
        person = self._query_token(request, "qq")
        q = request.query_params
        if (
            person is None
            or q.get("openid") != person.subject
            or q.get("oauth_consumer_key") != CLIENTS["qq"][0]
        ):
            return JSONResponse({"ret": -1, "msg": "client request's parameters are invalid"})
        return JSONResponse(
            {"ret": 0, "msg": "", "nickname": person.name, "figureurl_qq_2": "", "gender": "男"}
        )

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/google/authorize", self.google_authorize),
                Route("/google/token", self.google_token, methods=["POST"]),
                Route("/google/userinfo", self.google_userinfo),
                Route("/google/certs", self.google_certs),
                Route("/facebook/dialog/oauth", self.facebook_authorize),
                Route("/facebook/oauth/access_token", self.facebook_token, methods=["GET", "POST"]),
                Route("/facebook/me", self.facebook_me),
                Route("/wechat/connect/qrconnect", self.wechat_authorize),
                Route("/wechat/sns/oauth2/access_token", self.wechat_token),
                Route("/wechat/sns/userinfo", self.wechat_userinfo),
                Route("/qq/oauth2.0/authorize", self.qq_authorize),
                Route("/qq/oauth2.0/token", self.qq_token),
                Route("/qq/oauth2.0/me", self.qq_me),
                Route("/qq/user/get_user_info", self.qq_userinfo),
            ]
        )


@asynccontextmanager
async def running() -> AsyncIterator[LocalProvider]:
    """A provider served by uvicorn on a free loopback port, in the running event loop."""
    provider = LocalProvider()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    provider.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(provider.app(), lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    try:
        yield provider
    finally:
        server.should_exit = True
        await task
