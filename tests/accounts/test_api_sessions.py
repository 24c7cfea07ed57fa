"""Ending a sign-in ends its access tokens at once, over HTTP and over WebSocket."""

from __future__ import annotations

import json
from typing import Any

import websockets

from models.accounts import RefreshToken
from tests.factories import make_user, token_for
from tests.live import next_message

SESSION = "session { accessToken refreshToken } errors { code }"
SIGN_IN = f"mutation($input: SignInInput!) {{ signIn(input: $input) {{ {SESSION} }} }}"
REFRESH = f"mutation($token: String!) {{ refreshSession(refreshToken: $token) {{ {SESSION} }} }}"
SIGN_OUT = "mutation($token: String!) { signOut(refreshToken: $token) { errors { code } } }"
ME = "{ me { email } }"
PASSWORD = "correct horse battery"
EMAIL = "sam@example.com"


async def _sign_in(client) -> dict[str, str]:
    data = await client.query(SIGN_IN, {"input": {"login": EMAIL, "password": PASSWORD}})
    assert data["signIn"]["errors"] == []
    session: dict[str, str] = data["signIn"]["session"]
    return session


async def _me(client, access_token: str) -> Any:
    body = await client.request(ME, headers={"Authorization": f"Bearer {access_token}"})
    assert "errors" not in body, body
    return body["data"]["me"]


async def test_signing_out_ends_that_sign_ins_access_tokens_at_once(client):
    await make_user(email=EMAIL, password=PASSWORD)
    laptop, phone = await _sign_in(client), await _sign_in(client)
    renewed = (await client.query(REFRESH, {"token": laptop["refreshToken"]}))["refreshSession"]
    assert await _me(client, laptop["accessToken"]) == {"email": EMAIL}

    done = await client.query(SIGN_OUT, {"token": renewed["session"]["refreshToken"]})
    assert done["signOut"]["errors"] == []

    # Both access tokens of the laptop's sign-in, the first and the renewed one, are dead.
    assert await _me(client, laptop["accessToken"]) is None
    assert await _me(client, renewed["session"]["accessToken"]) is None
    # The phone's sign-in is another one, and keeps working.
    assert await _me(client, phone["accessToken"]) == {"email": EMAIL}
    again = (await client.query(REFRESH, {"token": phone["refreshToken"]}))["refreshSession"]
    assert again["errors"] == []
    assert await RefreshToken.filter(revoked_at=None).count() == 2  # the phone's two


async def test_a_reused_refresh_token_ends_that_sign_ins_access_tokens(client):
    await make_user(email=EMAIL, password=PASSWORD)
    stolen, other = await _sign_in(client), await _sign_in(client)
    renewed = (await client.query(REFRESH, {"token": stolen["refreshToken"]}))["refreshSession"]
    new_access = renewed["session"]["accessToken"]
    assert await _me(client, new_access) == {"email": EMAIL}

    reused = (await client.query(REFRESH, {"token": stolen["refreshToken"]}))["refreshSession"]
    assert reused["errors"] == [{"code": "TOKEN_REUSED"}]

    assert await _me(client, stolen["accessToken"]) is None
    assert await _me(client, new_access) is None
    assert await _me(client, other["accessToken"]) == {"email": EMAIL}


async def _socket(url: str, token: str) -> websockets.ClientConnection:
    ws = await websockets.connect(
        url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    )
    await ws.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    )
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    return ws


async def _ws_me(ws: websockets.ClientConnection, op_id: str) -> Any:
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": ME}}))
    while True:
        message = await next_message(ws)
        if message.get("id") == op_id and message["type"] == "next":
            assert "errors" not in message["payload"], message
            return message["payload"]["data"]["me"]


async def test_a_signed_out_access_token_is_refused_over_websocket_at_once(client, live_server):
    await make_user(email=EMAIL, password=PASSWORD)
    laptop, phone = await _sign_in(client), await _sign_in(client)
    async with (
        await _socket(live_server, laptop["accessToken"]) as open_socket,
        await _socket(live_server, phone["accessToken"]) as phone_socket,
    ):
        assert await _ws_me(open_socket, "1") == {"email": EMAIL}

        await client.query(SIGN_OUT, {"token": laptop["refreshToken"]})

        # The socket opened before signing out loses the sign-in at its next operation...
        assert await _ws_me(open_socket, "2") is None
        # ... a new socket with the token is anonymous ...
        async with await _socket(live_server, laptop["accessToken"]) as late:
            assert await _ws_me(late, "1") is None
        # ... and the other sign-in's socket keeps its rights.
        assert await _ws_me(phone_socket, "2") == {"email": EMAIL}


async def test_successful_sign_ins_do_not_use_up_the_address_limit(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "sign_in_limit_per_address", 3)
    people = [await make_user(email=f"office{n}@example.com", password=PASSWORD) for n in range(5)]
    # One office behind one address: more people sign in than the address limit allows tries.
    for person in people:
        data = await client.query(SIGN_IN, {"input": {"login": person.email, "password": PASSWORD}})
        assert data["signIn"]["errors"] == []

    # Failures still count: after three wrong passwords, the address waits.
    for person in people[:3]:
        wrong = await client.query(
            SIGN_IN, {"input": {"login": person.email, "password": "not the password"}}
        )
        assert wrong["signIn"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    blocked = await client.query(
        SIGN_IN, {"input": {"login": people[4].email, "password": PASSWORD}}
    )
    assert blocked["signIn"]["errors"][0]["code"] == "RATE_LIMITED"
    assert blocked["signIn"]["session"] is None
    assert await RefreshToken.all().count() == len(people)


async def test_concurrent_failures_still_get_only_the_address_limit(client, settings, monkeypatch):
    import asyncio

    monkeypatch.setattr(settings, "sign_in_limit_per_address", 3)
    people = [await make_user(email=f"desk{n}@example.com", password=PASSWORD) for n in range(8)]
    tries = [
        {"login": person.email, "password": PASSWORD if n % 2 else "not the password"}
        for n, person in enumerate(people)
    ]
    results = await asyncio.gather(
        *(client.query(SIGN_IN, {"input": attempt}) for attempt in tries)
    )
    codes = [(r["signIn"]["errors"] or [{"code": "OK"}])[0]["code"] for r in results]
    # Tries are counted before they run, so concurrent ones never pass the limit...
    assert codes.count("INVALID_CREDENTIALS") <= 3
    assert codes.count("OK") + codes.count("INVALID_CREDENTIALS") >= 3
    assert await RefreshToken.all().count() == codes.count("OK")
    # ... and once they are done, only the failures are still counted against the address.
    left = 3 - codes.count("INVALID_CREDENTIALS")
    later = [
        await client.query(SIGN_IN, {"input": {"login": f"x{n}@example.com", "password": "no"}})
        for n in range(left + 1)
    ]
    assert [r["signIn"]["errors"][0]["code"] for r in later] == (
        ["INVALID_CREDENTIALS"] * left + ["RATE_LIMITED"]
    )


async def test_the_sign_in_is_checked_in_the_same_query_as_the_user(client, count_queries):
    user = await make_user(email=EMAIL, password=PASSWORD)
    signed_in = (await _sign_in(client))["accessToken"]
    count_queries.statements.clear()
    assert await _me(client, token_for(user)) == {"email": EMAIL}  # a token of no sign-in
    without = count_queries.count
    count_queries.statements.clear()
    assert await _me(client, signed_in) == {"email": EMAIL}
    assert count_queries.count == without
    assert "accounts_refresh_token" in count_queries.statements[0]
