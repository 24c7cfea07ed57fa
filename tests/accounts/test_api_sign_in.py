"""Registration, verification, sign-in and sessions, through the API as a storefront uses it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.accounts import CodePurpose, RefreshToken, User, VerificationCode
from services import messaging, rate_limit
from tests.accounts.helpers import last_code
from tests.factories import make_user

SESSION = """
    session { accessToken refreshToken accessTokenExpiresAt user { email emailVerified role } }
    errors { field code message retryAfter }
"""
REGISTER = """
mutation($input: RegisterWithEmailInput!) {
  registerWithEmail(input: $input) { email errors { field code message } }
}"""
VERIFY = f"mutation($input: VerifyEmailInput!) {{ verifyEmail(input: $input) {{ {SESSION} }} }}"
SIGN_IN = f"mutation($input: SignInInput!) {{ signIn(input: $input) {{ {SESSION} }} }}"
REFRESH = f"mutation($token: String!) {{ refreshSession(refreshToken: $token) {{ {SESSION} }} }}"
ME = "{ me { email nickname } }"
PASSWORD = "correct horse battery"


async def _me(client, access_token):
    body = await client.request(ME, headers={"Authorization": f"Bearer {access_token}"})
    return body["data"]["me"]


async def _register_and_verify(client, email="ana@example.com"):
    await client.query(
        REGISTER, {"input": {"email": email, "password": PASSWORD, "nickname": "Ana"}}
    )
    data = await client.query(
        VERIFY, {"input": {"email": email, "code": last_code(email), "password": PASSWORD}}
    )
    return data["verifyEmail"]["session"]


async def test_register_verify_and_sign_in(client):
    data = await client.query(
        REGISTER,
        {"input": {"email": " Ana@Example.COM ", "password": PASSWORD, "nickname": "Ana"}},
    )
    assert data["registerWithEmail"] == {"email": "ana@example.com", "errors": []}
    message = messaging.outbox()[-1]
    assert (message.channel, message.to) == ("email", "ana@example.com")

    # Nothing exists until the code comes back.
    refused = await client.query(
        SIGN_IN, {"input": {"login": "ana@example.com", "password": PASSWORD}}
    )
    assert refused["signIn"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert await User.all().count() == 0

    session = (
        await client.query(
            VERIFY,
            {
                "input": {
                    "email": "ana@example.com",
                    "code": last_code("ana@example.com"),
                    "password": PASSWORD,
                }
            },
        )
    )["verifyEmail"]["session"]
    assert session["user"] == {
        "email": "ana@example.com",
        "emailVerified": True,
        "role": "CUSTOMER",
    }
    assert await _me(client, session["accessToken"]) == {
        "email": "ana@example.com",
        "nickname": "Ana",
    }

    signed_in = await client.query(
        SIGN_IN, {"input": {"login": "ANA@example.com", "password": PASSWORD}}
    )
    assert signed_in["signIn"]["errors"] == []
    user = await User.get(email="ana@example.com")
    assert (user.password_hash or "").startswith("$argon2id$")
    assert user.last_sign_in_at is not None


async def test_weak_passwords_and_bad_emails_are_refused_with_nothing_written(client):
    for email, password, field, code in [
        ("bo@example.com", "short", "password", "PASSWORD_TOO_SHORT"),
        ("bo@example.com", "aaaaaaaaaaaa", "password", "PASSWORD_TOO_WEAK"),
        ("bo@example.com", "1234567890", "password", "PASSWORD_TOO_WEAK"),
        ("bo@example.com", "bo-example-123", "password", "PASSWORD_TOO_WEAK"),
        ("not an email", PASSWORD, "email", "INVALID_EMAIL"),
    ]:
        data = await client.query(REGISTER, {"input": {"email": email, "password": password}})
        errors = data["registerWithEmail"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [([field], code)], email + password
    assert await User.all().count() == 0
    assert messaging.outbox() == []


async def test_a_verified_email_cannot_be_registered_again(client):
    await make_user(email="taken@example.com")
    data = await client.query(
        REGISTER, {"input": {"email": "taken@example.com", "password": PASSWORD}}
    )
    assert data["registerWithEmail"]["errors"][0]["code"] == "EMAIL_TAKEN"


async def test_wrong_password_and_unknown_account_get_the_same_answer(client):
    await make_user(email="cy@example.com", password=PASSWORD)
    wrong = await client.query(
        SIGN_IN, {"input": {"login": "cy@example.com", "password": "nope nope nope"}}
    )
    unknown = await client.query(
        SIGN_IN, {"input": {"login": "zz@example.com", "password": PASSWORD}}
    )
    assert wrong["signIn"]["errors"] == unknown["signIn"]["errors"]
    assert wrong["signIn"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert wrong["signIn"]["session"] is None


async def test_sign_in_attempts_are_rate_limited_per_account(client, settings):
    await make_user(email="dee@example.com", password=PASSWORD)
    for _ in range(settings.sign_in_limit_per_account):
        await client.query(
            SIGN_IN, {"input": {"login": "dee@example.com", "password": "wrong password 1"}}
        )
    blocked = await client.query(
        SIGN_IN, {"input": {"login": "dee@example.com", "password": PASSWORD}}
    )
    error = blocked["signIn"]["errors"][0]
    assert error["code"] == "RATE_LIMITED"
    assert 0 < error["retryAfter"] <= settings.sign_in_window_seconds
    assert blocked["signIn"]["session"] is None


async def test_expired_and_wrong_codes_are_refused(client, settings):
    await client.query(REGISTER, {"input": {"email": "eve@example.com", "password": PASSWORD}})
    code = last_code("eve@example.com")
    wrong = "000000" if code != "000000" else "111111"
    first = await client.query(
        VERIFY, {"input": {"email": "eve@example.com", "code": wrong, "password": PASSWORD}}
    )
    assert first["verifyEmail"]["errors"][0]["code"] == "CODE_INVALID"
    assert "attempts left" in first["verifyEmail"]["errors"][0]["message"]

    await VerificationCode.filter(target="eve@example.com").update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    expired = await client.query(
        VERIFY, {"input": {"email": "eve@example.com", "code": code, "password": PASSWORD}}
    )
    assert expired["verifyEmail"]["errors"][0]["code"] == "CODE_EXPIRED"
    assert not await User.filter(email="eve@example.com").exists()


async def test_a_code_dies_after_too_many_wrong_guesses(client, settings):
    await client.query(REGISTER, {"input": {"email": "fay@example.com", "password": PASSWORD}})
    code = last_code("fay@example.com")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.code_max_attempts):
        await client.query(
            VERIFY, {"input": {"email": "fay@example.com", "code": wrong, "password": PASSWORD}}
        )
    # The attempts also count against sign-in; forget those to see the code's own rule.
    rate_limit.configure(None)
    late = await client.query(
        VERIFY, {"input": {"email": "fay@example.com", "code": code, "password": PASSWORD}}
    )
    assert late["verifyEmail"]["errors"][0]["code"] == "CODE_ATTEMPTS_EXCEEDED"


async def test_code_sends_are_rate_limited(client, settings):
    await client.query(REGISTER, {"input": {"email": "gil@example.com", "password": PASSWORD}})
    resend = (
        'mutation { resendEmailVerification(email: "gil@example.com") '
        "{ errors { code retryAfter } } }"
    )
    for _ in range(settings.code_send_limit_per_target - 1):
        assert (await client.query(resend))["resendEmailVerification"]["errors"] == []
    blocked = (await client.query(resend))["resendEmailVerification"]["errors"]
    assert blocked[0]["code"] == "RATE_LIMITED" and blocked[0]["retryAfter"] > 0
    assert len([m for m in messaging.outbox() if m.to == "gil@example.com"]) == (
        settings.code_send_limit_per_target
    )


async def test_refresh_rotates_and_a_reused_token_revokes_the_family(client):
    session = await _register_and_verify(client)
    first_refresh = session["refreshToken"]

    renewed = (await client.query(REFRESH, {"token": first_refresh}))["refreshSession"]
    assert renewed["errors"] == []
    second_refresh = renewed["session"]["refreshToken"]
    assert second_refresh != first_refresh

    reused = (await client.query(REFRESH, {"token": first_refresh}))["refreshSession"]
    assert reused["errors"][0]["code"] == "TOKEN_REUSED"
    # The thief's use revoked the honest device's newer token too.
    after = (await client.query(REFRESH, {"token": second_refresh}))["refreshSession"]
    assert after["errors"][0]["code"] == "TOKEN_INVALID"
    assert await RefreshToken.filter(revoked_at=None).count() == 0


async def test_sign_out_ends_the_session(client):
    session = await _register_and_verify(client)
    done = await client.query(
        "mutation($t: String!) { signOut(refreshToken: $t) { errors { code } } }",
        {"t": session["refreshToken"]},
    )
    assert done["signOut"]["errors"] == []
    refused = (await client.query(REFRESH, {"token": session["refreshToken"]}))["refreshSession"]
    assert refused["errors"][0]["code"] == "TOKEN_INVALID"


async def test_password_change_revokes_every_session(client):
    session = await _register_and_verify(client)
    other_device = (
        await client.query(SIGN_IN, {"input": {"login": "ana@example.com", "password": PASSWORD}})
    )["signIn"]["session"]
    change = """mutation($input: ChangePasswordInput!) {
      changePassword(input: $input) { session { accessToken } errors { field code } } }"""
    headers = {"Authorization": f"Bearer {session['accessToken']}"}
    wrong = await client.request(
        change,
        {"input": {"currentPassword": "not my password", "newPassword": "a new passphrase"}},
        headers=headers,
    )
    assert wrong["data"]["changePassword"]["errors"] == [
        {"field": ["currentPassword"], "code": "WRONG_PASSWORD"}
    ]
    changed = await client.request(
        change,
        {"input": {"currentPassword": PASSWORD, "newPassword": "a new passphrase"}},
        headers=headers,
    )
    new_access = changed["data"]["changePassword"]["session"]["accessToken"]

    assert await _me(client, session["accessToken"]) is None
    assert await _me(client, other_device["accessToken"]) is None
    assert (await _me(client, new_access))["email"] == "ana@example.com"
    for old in (session["refreshToken"], other_device["refreshToken"]):
        refused = (await client.query(REFRESH, {"token": old}))["refreshSession"]
        assert refused["errors"][0]["code"] == "TOKEN_INVALID"
    old_password = await client.query(
        SIGN_IN, {"input": {"login": "ana@example.com", "password": PASSWORD}}
    )
    assert old_password["signIn"]["errors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_password_reset_by_code(client):
    await make_user(email="hal@example.com", password=PASSWORD)
    request = "mutation($l: String!) { requestPasswordReset(login: $l) { errors { code } } }"
    assert (await client.query(request, {"l": "hal@example.com"}))["requestPasswordReset"][
        "errors"
    ] == []
    # Unknown addresses get the same answer and no message.
    assert (await client.query(request, {"l": "nobody@example.com"}))["requestPasswordReset"][
        "errors"
    ] == []
    assert [m.to for m in messaging.outbox()] == ["hal@example.com"]

    reset = (
        f"mutation($input: ResetPasswordInput!) {{ resetPassword(input: $input) {{ {SESSION} }} }}"
    )
    done = await client.query(
        reset,
        {
            "input": {
                "login": "hal@example.com",
                "code": last_code("hal@example.com"),
                "newPassword": "fresh passphrase 2",
            }
        },
    )
    assert done["resetPassword"]["errors"] == []
    again = await client.query(
        reset,
        {
            "input": {
                "login": "hal@example.com",
                "code": last_code("hal@example.com"),
                "newPassword": "other passphrase 3",
            }
        },
    )
    assert again["resetPassword"]["errors"][0]["code"] == "CODE_INVALID"
    signed_in = await client.query(
        SIGN_IN, {"input": {"login": "hal@example.com", "password": "fresh passphrase 2"}}
    )
    assert signed_in["signIn"]["errors"] == []


async def test_phone_sign_in_opens_the_account_on_first_code(client):
    request = """mutation($input: RequestPhoneCodeInput!) {
      requestPhoneCode(input: $input) { errors { field code } } }"""
    sign_in = """mutation($input: SignInWithPhoneCodeInput!) {
      signInWithPhoneCode(input: $input) { session { accessToken user { phone phoneVerified } }
        errors { code } } }"""
    bad = await client.query(request, {"input": {"phone": "12345"}})
    assert bad["requestPhoneCode"]["errors"] == [{"field": ["phone"], "code": "INVALID_PHONE"}]

    # A national number read in the given region.
    await client.query(request, {"input": {"phone": "030 1234567", "region": "DE"}})
    message = messaging.outbox()[-1]
    assert (message.channel, message.to) == ("sms", "+49301234567")
    data = await client.query(
        sign_in, {"input": {"phone": "+49 30 1234567", "code": last_code("+49301234567")}}
    )
    session = data["signInWithPhoneCode"]["session"]
    assert session["user"] == {"phone": "+49301234567", "phoneVerified": True}
    await client.query(request, {"input": {"phone": "+49301234567"}})
    await client.query(
        sign_in, {"input": {"phone": "+49301234567", "code": last_code("+49301234567")}}
    )
    assert await User.filter(phone="+49301234567").count() == 1


async def test_a_disabled_account_loses_access_at_once(client):
    user = await make_user(email="ivy@example.com", password=PASSWORD)
    session = (
        await client.query(SIGN_IN, {"input": {"login": "ivy@example.com", "password": PASSWORD}})
    )["signIn"]["session"]
    await User.filter(id=user.id).update(is_active=False)
    assert await _me(client, session["accessToken"]) is None
    refused = (await client.query(REFRESH, {"token": session["refreshToken"]}))["refreshSession"]
    assert refused["errors"][0]["code"] == "ACCOUNT_DISABLED"
    signed_in = await client.query(
        SIGN_IN, {"input": {"login": "ivy@example.com", "password": PASSWORD}}
    )
    assert signed_in["signIn"]["errors"][0]["code"] == "ACCOUNT_DISABLED"


async def test_forged_and_expired_access_tokens_are_anonymous(client, settings):
    import jwt

    user = await make_user()
    now = datetime.now(UTC)
    claims = {
        "sub": str(user.id),
        "ep": 0,
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "iss": "tradewind",
        "aud": "tradewind:api",
    }
    forged = jwt.encode(claims, "not the server key, though just as long", algorithm="HS256")
    assert await _me(client, forged) is None
    expired = jwt.encode(
        {**claims, "exp": now - timedelta(seconds=1)},
        settings.secret_key.get_secret_value(),
        algorithm="HS256",
    )
    assert await _me(client, expired) is None
    none_alg = jwt.encode(claims, "", algorithm="none")
    assert await _me(client, none_alg) is None


async def test_a_phone_account_adds_an_email_once_its_code_comes_back(client):
    user = await make_user(email=None, phone="+14155550123")
    other = await make_user(email="held@example.com")
    request = """mutation($input: RequestLoginChangeInput!) {
      requestLoginChange(input: $input) { errors { field code } } }"""
    confirm = """mutation($input: ConfirmLoginChangeInput!) {
      confirmLoginChange(input: $input) {
        session { accessToken user { email emailVerified phone } } errors { code } } }"""
    taken = await client.query(request, {"input": {"login": "held@example.com"}}, user=user)
    assert taken["requestLoginChange"]["errors"] == [{"field": ["login"], "code": "EMAIL_TAKEN"}]

    await client.query(request, {"input": {"login": "new@example.com"}}, user=user)
    code = last_code("new@example.com")
    # Someone else's account cannot use the code.
    stolen = await client.query(
        confirm, {"input": {"login": "new@example.com", "code": code}}, user=other
    )
    assert stolen["confirmLoginChange"]["errors"][0]["code"] == "CODE_INVALID"
    await client.query(request, {"input": {"login": "new@example.com"}}, user=user)
    data = await client.query(
        confirm,
        {"input": {"login": "new@example.com", "code": last_code("new@example.com")}},
        user=user,
    )
    assert data["confirmLoginChange"]["session"]["user"] == {
        "email": "new@example.com",
        "emailVerified": True,
        "phone": "+14155550123",
    }
    # Every other sign-in ended: the token the change was made with is dead too.
    assert (await client.request(ME, user=user))["data"]["me"] is None


async def test_moving_an_account_needs_its_password_and_tells_the_old_address(client):
    user = await make_user(email="old@example.com", password=PASSWORD)
    request = """mutation($input: RequestLoginChangeInput!) {
      requestLoginChange(input: $input) { errors { field code } } }"""
    without = await client.query(request, {"input": {"login": "thief@example.com"}}, user=user)
    assert without["requestLoginChange"]["errors"] == [
        {"field": ["password"], "code": "WRONG_PASSWORD"}
    ]
    assert messaging.outbox() == []
    await client.query(
        request, {"input": {"login": "moved@example.com", "password": PASSWORD}}, user=user
    )
    await client.query(
        """mutation($input: ConfirmLoginChangeInput!) {
          confirmLoginChange(input: $input) { errors { code } } }""",
        {"input": {"login": "moved@example.com", "code": last_code("moved@example.com")}},
        user=user,
    )
    notice = [m for m in messaging.outbox() if m.to == "old@example.com"]
    assert len(notice) == 1 and "moved@example.com" in notice[0].body
    assert (await User.get(id=user.id)).email == "moved@example.com"


async def test_two_refreshes_racing_with_one_token_cannot_both_win(client):
    import asyncio

    session = await _register_and_verify(client)
    results = await asyncio.gather(
        *(client.query(REFRESH, {"token": session["refreshToken"]}) for _ in range(4))
    )
    winners = [r for r in results if r["refreshSession"]["session"]]
    assert len(winners) <= 1
    codes = {e["code"] for r in results for e in r["refreshSession"]["errors"]}
    assert "TOKEN_REUSED" in codes


async def test_registering_someone_elses_address_gains_nothing(client):
    victim, attacker = PASSWORD, "attacker passphrase 9"
    # The attacker registers first; the owner registers after and confirms with their code.
    await client.query(REGISTER, {"input": {"email": "own@example.com", "password": attacker}})
    await client.query(REGISTER, {"input": {"email": "own@example.com", "password": victim}})
    code = last_code("own@example.com")
    stolen = await client.query(
        VERIFY, {"input": {"email": "own@example.com", "code": code, "password": attacker}}
    )
    assert stolen["verifyEmail"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    owned = await client.query(
        VERIFY, {"input": {"email": "own@example.com", "code": code, "password": victim}}
    )
    assert owned["verifyEmail"]["errors"] == []
    signed_in = await client.query(
        SIGN_IN, {"input": {"login": "own@example.com", "password": attacker}}
    )
    assert signed_in["signIn"]["errors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_a_later_registration_cannot_be_confirmed_with_the_first_password(client):
    await client.query(REGISTER, {"input": {"email": "two@example.com", "password": PASSWORD}})
    await client.query(
        REGISTER, {"input": {"email": "two@example.com", "password": "attacker passphrase 9"}}
    )
    # The owner types the newest code they received with their own password: refused,
    # and the attacker's password is never applied without the code.
    refused = await client.query(
        VERIFY,
        {
            "input": {
                "email": "two@example.com",
                "code": last_code("two@example.com"),
                "password": PASSWORD,
            }
        },
    )
    assert refused["verifyEmail"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert not await User.filter(email="two@example.com").exists()


async def test_guesses_sent_at_once_still_get_only_the_allowed_attempts(client, settings):
    import asyncio

    from services.accounts import codes
    from services.accounts.errors import AccountError

    code = await codes.issue_code(CodePurpose.SIGN_IN, "+14155550199", settings)
    wrong = "000000" if code != "000000" else "111111"

    async def guess():
        try:
            await codes.consume_code(CodePurpose.SIGN_IN, "+14155550199", wrong, settings)
        except AccountError as exc:
            return exc.problems[0].code.name

    results = await asyncio.gather(*(guess() for _ in range(30)))
    assert results.count("CODE_INVALID") <= settings.code_max_attempts
    row = await VerificationCode.get(target="+14155550199")
    assert row.attempts == settings.code_max_attempts
    late = await client.query(
        """mutation($input: SignInWithPhoneCodeInput!) {
          signInWithPhoneCode(input: $input) { errors { code } } }""",
        {"input": {"phone": "+14155550199", "code": code}},
    )
    assert late["signInWithPhoneCode"]["errors"][0]["code"] == "CODE_ATTEMPTS_EXCEEDED"
