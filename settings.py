"""Typed settings, read from the environment (and an optional `.env` file).

The defaults run the embedded shop: a SQLite file under `data/`, the in-process event
bus and media files on local disk. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL
and Redis for production.

Each setting, or run of settings declared together, has a `#:` comment: `make settings-doc`
writes the README's settings table from them, and a test keeps the two in step.
"""

from __future__ import annotations

import ipaddress
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from iso4217 import Currency
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from tortoise.backends.base.config_generator import expand_db_url

import models

ROOT = Path(__file__).resolve().parent
#: The embedded shop's files (SQLite database, media, secret key): `data/` of the checkout,
#: or of the working directory when the shop runs from an installed wheel (then `ROOT` is
#: site-packages, which is no place for them).
DATA_DIR = ROOT / "data" if (ROOT / "pyproject.toml").is_file() else Path.cwd() / "data"
#: URL schemes Tortoise serves from PostgreSQL (asyncpg).
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "asyncpg://")
#: The Tortoise connection names of the primary database and of its read replica.
PRIMARY = "default"
REPLICA = "replica"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    #: 1 turns on introspection, GraphiQL and debug logs; never in production.
    debug: bool = False
    #: The database: a SQLite file (the embedded shop) or `postgres://user:pass@host:5432/db`.
    database_url: str = f"sqlite://{DATA_DIR / 'tradewind.sqlite3'}"
    #: Redis (`redis://host:6379/0`): events, rate limits and cache flushes then reach every
    #: server process; unset keeps them inside the process.
    redis_url: str | None = None
    #: A PostgreSQL replica of `DATABASE_URL` (`postgres://user:pass@replica:5432/db`): GraphQL
    #: queries read from it, unless their client wrote within
    #: `replica_primary_after_write_seconds`; mutations, subscriptions, jobs and webhooks
    #: use the primary. Unset, everything uses `DATABASE_URL`.
    database_replica_url: str | None = None
    #: Seconds a client's reads stay on the primary after its last mutation, so that it
    #: reads its own writes: keep it above the replica's usual lag.
    replica_primary_after_write_seconds: Annotated[float, Field(ge=0, le=3600)] = 5.0

    #: The shop's own currency: catalog prices are kept in it.
    shop_currency: str = "USD"
    #: The language texts fall back to when none of the caller's is translated.
    default_locale: str = "en"
    #: Locales that product and category translations may be written in.
    supported_locales: list[str] = Field(
        default_factory=lambda: ["en", "de", "fr", "es", "it", "ja", "zh", "pt"]
    )

    #: Where uploaded images are stored, and the URL they are served under (an absolute
    #: URL, such as a CDN's serving that folder, is used as is).
    media_dir: Path = DATA_DIR / "media"
    media_url: str = "/media/"
    #: Upload limits: bytes and pixels of one image, and images per product.
    max_image_bytes: int = 5 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    max_images_per_product: int = 20

    #: Signs access tokens; at least 32 characters, the same in every process. Required with
    #: PostgreSQL; unset, the embedded SQLite shop keeps one in `data/secret_key`.
    secret_key: SecretStr | None = None
    #: Lifetimes of an access token and of a refresh token, in seconds.
    access_token_seconds: int = 15 * 60
    refresh_token_seconds: int = 30 * 24 * 3600
    #: One-time codes (email, SMS): seconds they stay valid and wrong guesses allowed.
    code_seconds: int = 10 * 60
    code_max_attempts: int = 5
    #: Sign-in tries allowed per account, and failed ones per client address (successes are
    #: not counted there), within the window.
    sign_in_limit_per_account: int = 5
    sign_in_limit_per_address: int = 30
    sign_in_window_seconds: int = 15 * 60
    #: Codes sent allowed per email or phone number and per client address within the window.
    code_send_limit_per_target: int = 3
    code_send_limit_per_address: int = 20
    code_send_window_seconds: int = 15 * 60

    #: Query limits: depth, aliases and tokens of a document, and the largest page asked of
    #: a connection.
    max_query_depth: int = 12
    #: Fields a document may select once every fragment spread in it is expanded.
    max_query_fields: int = 1000
    #: Times one field may be selected in one selection set, fragments expanded (validation
    #: compares such fields pair by pair).
    max_field_repeats: int = 15
    max_aliases: int = 30
    max_query_tokens: int = 5000
    max_page_size: int = 100
    #: Facet counts read at most this many products (the newest a list shows); past that
    #: they cover these only and `ProductFacets.exact` is false.
    facet_count_limit: Annotated[int, Field(ge=1)] = 50_000
    #: The most one operation may cost, in points (see the README's Conventions).
    max_query_cost: Annotated[int, Field(ge=1)] = 1000
    #: Points each client's bucket holds, and the points a second it refills by.
    query_cost_bucket_size: Annotated[int, Field(ge=1)] = 10_000
    query_cost_restore_rate: Annotated[float, Field(gt=0)] = 500.0
    #: Largest GraphQL request body without a file (document, variables): bytes, counted as
    #: they arrive, chunked or not. A multipart upload may add `max_image_bytes`.
    max_request_bytes: int = 1024 * 1024
    #: Origins (`https://shop.example.com`, or "*") whose pages may call the API from a
    #: browser: CORS for HTTP requests, and the check of WebSocket handshakes.
    allowed_origins: list[str] = Field(default_factory=list)
    #: Proxies (addresses or CIDR networks, "*" for any) whose `X-Forwarded-For` and
    #: `X-Forwarded-Proto` are believed; empty believes none, so every rate limit and
    #: session sees the connecting peer's address.
    trusted_proxies: list[str] = Field(default_factory=list)

    #: Seconds a subscription lasts before the server ends it and the client resubscribes.
    subscription_lifetime: float = 3600.0
    #: Seconds between the server's graphql-transport-ws pings on an open socket, so that
    #: proxies with idle timeouts keep quiet sockets open; 0 turns them off.
    websocket_ping_interval: float = 15.0
    #: Operations (subscriptions, and queries in flight) one WebSocket may run at once.
    websocket_max_operations: int = 50

    #: Seconds an anonymous query's answer may be reused (flushed on every change); 0 = off.
    response_cache_seconds: float = 5.0
    response_cache_size: int = 1000
    #: Seconds a product's executed answer may be reused by any shopper's list or page with
    #: the same selection, locale and currency (flushed as the response cache is); 0 = off.
    product_view_cache_seconds: float = 5.0
    #: Product answers kept (one per product, selection, locale and currency).
    product_view_cache_size: Annotated[int, Field(ge=0)] = 5000
    #: Seconds browsers and CDNs may reuse a shared answer to a GET query (anonymous, catalog
    #: fields only) without asking again; 0 lets them keep it but revalidate every time (a
    #: 304 while its `ETag` holds). Past 0, a change reaches shoppers that late.
    http_cache_seconds: Annotated[int, Field(ge=0)] = 0

    #: Anonymous callers may run only the trusted documents (the storefront's and console's
    #: own, by hash or by text), and may not register others; on in production.
    trusted_documents_only: bool = False
    #: Documents clients registered by hash (automatic persisted queries) each process
    #: keeps, and the longest kept, in characters (a longer one runs but is not kept).
    persisted_queries_size: Annotated[int, Field(ge=1)] = 1000
    persisted_query_max_chars: Annotated[int, Field(ge=1)] = 50_000

    #: Where email goes: "log" writes it to the server log (embedded), "smtp" sends it.
    email_backend: Literal["log", "smtp"] = "log"
    #: SMTP server host name, used when `email_backend` is "smtp".
    smtp_host: str = "localhost"
    #: SMTP server port: 587 for submission with STARTTLS, 465 for TLS.
    smtp_port: int = 587
    #: SMTP login name; the server is used without authentication when unset.
    smtp_username: str | None = None
    #: SMTP login password.
    smtp_password: SecretStr | None = None
    #: "starttls" upgrades a plain connection (587), "tls" connects over TLS (465),
    #: "none" sends in the clear (a local relay only).
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    #: Seconds to wait on the SMTP server before a send fails.
    smtp_timeout: float = 10.0
    #: The From header of every email the shop sends.
    email_from: str = "Tradewind <no-reply@localhost>"
    #: The shop's name, as order emails greet and sign with it.
    shop_name: str = "Tradewind"
    #: The storefront's public address; links in emails (the order page) start with it.
    storefront_url: str = "http://127.0.0.1:8000/"
    #: Where shoppers can write to the shop: parcel emails tell them so ("" to point them
    #: to their order's page instead). The shop's notice of each new return goes there too.
    shop_contact_email: str = ""
    #: The customer service address: emails to it, and to each conversation's reply address
    #: `support+<token>@` its domain, become conversations; staff replies are sent from it.
    support_email: str = "support@localhost"
    #: Standard Webhooks secret (`whsec_` and base64) of `/webhooks/support/email`, which
    #: takes inbound email from a mail provider; the endpoint is off (404) while unset.
    support_inbound_secret: SecretStr | None = None
    #: The largest inbound email taken, in bytes, attachments included; larger mail is refused.
    support_inbound_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    #: Trust an inbound email's From (thread by sender, link to the account of that address)
    #: only when it is authenticated: the provider's Authentication-Results over HTTP, DKIM
    #: over SMTP. Off only for a provider that gives no verdict: anyone could then write as
    #: a customer.
    support_email_verify_sender: bool = True
    #: The authserv-id your mail provider stamps its Authentication-Results header with
    #: (RFC 8601, e.g. `mx.google.com`); the verdicts of any other id are ignored as forgeable.
    support_email_authserv_id: str = ""
    #: New conversations email may open per window: from one sender address, and in all;
    #: mail over it is kept (status `limited`) but opens nothing. Replies are not limited.
    support_email_open_limit_per_sender: int = Field(default=5, ge=1)
    support_email_open_limit: int = Field(default=300, ge=1)
    #: The window of the two limits above, in seconds.
    support_email_open_window: float = Field(default=3600.0, gt=0)

    #: Loyalty points earned per whole unit of the shop currency an order totals.
    points_per_currency_unit: Decimal = Decimal(1)
    #: Days after which earned points lapse.
    points_expiry_days: int = 365
    #: Points for a daily check-in on the first day of a streak.
    check_in_points: int = 5
    #: Extra points for each further consecutive day of a check-in streak.
    check_in_streak_bonus: int = 1
    #: The streak day from which the check-in bonus stops growing.
    check_in_streak_cap: int = 7
    #: Points for a review once staff approve it.
    review_points: int = 10
    #: Days a personal coupon issued for points stays valid.
    reward_coupon_days: int = 30

    #: Pictures a shopper may attach to one product review.
    max_images_per_review: int = 6

    #: Most addresses one member's address book may hold.
    max_addresses_per_member: int = 50

    #: Pages a third-party sign-in may return to (the storefront's callback pages), matched
    #: exactly; a sign-in naming any other is refused, so nobody can borrow the shop's
    #: provider apps to have codes sent elsewhere.
    oauth_redirect_uris: list[str] = Field(default_factory=list)
    #: Seconds a started third-party sign-in waits for its callback.
    oauth_attempt_seconds: int = 10 * 60
    #: Seconds to wait for a provider's answer before the sign-in fails.
    oauth_http_timeout: float = 10.0
    #: Google (OpenID Connect) client id; Google sign-in is offered when it and the secret are set.
    oauth_google_client_id: str | None = None
    #: Google client secret.
    oauth_google_client_secret: SecretStr | None = None
    #: Google's authorization endpoint.
    oauth_google_authorize_url: str = "https://accounts.google.com/o/oauth2/v2/auth"
    #: Google's token endpoint.
    oauth_google_token_url: str = "https://oauth2.googleapis.com/token"
    #: Google's OpenID Connect userinfo endpoint.
    oauth_google_userinfo_url: str = "https://openidconnect.googleapis.com/v1/userinfo"
    #: Google's signing keys, which ID tokens are checked against.
    oauth_google_jwks_url: str = "https://www.googleapis.com/oauth2/v3/certs"
    #: The `iss` Google's ID tokens carry.
    oauth_google_issuer: str = "https://accounts.google.com"
    #: Facebook app id; Facebook sign-in is offered when it and the secret are set.
    oauth_facebook_client_id: str | None = None
    #: Facebook app secret.
    oauth_facebook_client_secret: SecretStr | None = None
    #: Facebook's login dialog (unversioned: the app's default Graph API version applies).
    oauth_facebook_authorize_url: str = "https://www.facebook.com/dialog/oauth"
    #: Facebook's token endpoint.
    oauth_facebook_token_url: str = "https://graph.facebook.com/oauth/access_token"
    #: Facebook's Graph API profile of the signed-in person.
    oauth_facebook_userinfo_url: str = "https://graph.facebook.com/me"
    #: WeChat Open Platform website app id (`appid`); WeChat sign-in is offered when it and
    #: the secret are set.
    oauth_wechat_client_id: str | None = None
    #: WeChat website app secret (`secret`).
    oauth_wechat_client_secret: SecretStr | None = None
    #: WeChat's QR-code login page.
    oauth_wechat_authorize_url: str = "https://open.weixin.qq.com/connect/qrconnect"
    #: WeChat's token endpoint.
    oauth_wechat_token_url: str = "https://api.weixin.qq.com/sns/oauth2/access_token"
    #: WeChat's profile endpoint.
    oauth_wechat_userinfo_url: str = "https://api.weixin.qq.com/sns/userinfo"
    #: QQ Connect app id; QQ sign-in is offered when it and the app key are set.
    oauth_qq_client_id: str | None = None
    #: QQ Connect app key.
    oauth_qq_client_secret: SecretStr | None = None
    #: QQ's authorization endpoint.
    oauth_qq_authorize_url: str = "https://graph.qq.com/oauth2.0/authorize"
    #: QQ's token endpoint.
    oauth_qq_token_url: str = "https://graph.qq.com/oauth2.0/token"
    #: QQ's endpoint naming the `openid` an access token belongs to.
    oauth_qq_openid_url: str = "https://graph.qq.com/oauth2.0/me"
    #: QQ's profile endpoint.
    oauth_qq_userinfo_url: str = "https://graph.qq.com/user/get_user_info"

    #: Points a member redeems at checkout for one unit of the shop currency off.
    points_redeemed_per_currency_unit: int = 100

    #: Grams a catalog item of unknown weight counts as when a parcel is priced for shipping.
    default_item_weight_grams: int = 500

    #: The shop's postal address, printed as the sender on customs declarations and
    #: commercial invoices: street lines, city, postal code, region and phone (the country
    #: is the one parcels leave from). Papers are refused while the street or city is unset.
    shop_address_lines: list[str] = Field(default_factory=list)
    shop_address_city: str = ""
    shop_address_postal_code: str = ""
    shop_address_region: str = ""
    shop_phone: str = ""
    #: Carriers (their codes) that ask for a CN23 with every parcel, whatever its value and
    #: weight; the others get a CN22 up to 300 SDR and 2 kg.
    customs_cn23_carriers: list[str] = Field(default_factory=list)
    #: Seconds a link to download a parcel's customs papers stays valid.
    customs_document_link_seconds: int = Field(default=120, ge=10, le=3600)
    #: A TrueType font (.ttf, .ttc) embedded in customs papers for Chinese and Japanese text;
    #: unset, they use the PDF standard's CJK fonts, which readers supply.
    documents_cjk_font: Path | None = None

    #: Currencies shoppers may see prices in when the merchant has not chosen any yet
    #: (the shop currency is always one of them).
    presentment_currencies: list[str] = Field(
        default_factory=lambda: ["USD", "EUR", "GBP", "JPY", "CNY"]
    )
    #: Hours after the end of its day that an exchange rate counts as stale: flagged to
    #: shoppers and refused at checkout. 72 spans a weekend, when the ECB publishes nothing.
    exchange_rate_max_age_hours: float = 72.0
    #: Where the ECB's daily reference rates are fetched from (`eurofxref-daily.xml`).
    ecb_rates_url: str = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
    #: Seconds between two imports of `ecb_rates_url` by the scheduler; 0 (the default)
    #: disables it: run `cli.py import-rates` from cron instead, or set e.g. 3600.
    exchange_rate_refresh_seconds: float = 0.0

    #: The country the merchant ships from (ISO code): a parcel to it crosses no border, so
    #: it pays no duty or import tax.
    ship_from_country: str = "CN"
    #: How markets without a row of their own settle duties and import taxes: `dap` (the
    #: carrier collects them at the door; checkout shows an estimate) or `ddp` (charged at
    #: checkout).
    customs_default_incoterm: Literal["ddp", "dap"] = "dap"
    #: An operator's own import-regimes file (same format as the shipped
    #: `services/customs/data/regimes.toml`); unset uses the shipped one. Read and checked at
    #: start-up: a broken file stops the server.
    customs_regimes_file: Path | None = None

    #: Days a parcel is assumed to travel when tracking recorded no delivery: a return
    #: window then runs from the shipping date plus these days.
    returns_delivery_margin_days: int = Field(default=14, ge=0, le=120)
    #: Whether a return gives back the duties the shopper paid at checkout under DDP (import
    #: VAT/GST collected at the point of sale always goes back). Off by default: the shop
    #: recovers a duty already paid at the border only through a repayment claim.
    returns_refund_duties: bool = False

    #: Minutes an order may wait for payment before the sweeper cancels it.
    unpaid_order_minutes: float = 60.0
    #: Seconds between two runs of the unpaid-order sweeper; 0 disables it (run
    #: `tradewind cancel-unpaid` from cron instead).
    unpaid_sweep_interval: float = 300.0
    #: Order lookups by number and email one client address may make per window.
    order_lookup_limit: int = 30
    #: The window of `order_lookup_limit`, in seconds.
    order_lookup_window: float = 600.0
    #: Days after placing it that a guest's order-access token reads and follows the order.
    order_access_days: int = 180

    #: Days a guest's conversation token (handed out when the guest starts a chat) opens
    #: that conversation; raising the conversation's access epoch ends every token at once.
    support_guest_token_days: int = Field(default=90, ge=1, le=3650)
    #: Conversations one client address may start per hour.
    support_start_limit_per_address: int = Field(default=10, ge=1)
    #: Chat messages per minute: into one conversation, and from one client address.
    support_message_limit_per_conversation: int = Field(default=20, ge=1)
    support_message_limit_per_address: int = Field(default=40, ge=1)
    #: Typing signals per minute one side of one conversation may send.
    support_typing_limit: int = Field(default=30, ge=1)
    #: Seconds a staff answer in a chat may stay unread before the customer is emailed
    #: about it (once for the answers given meanwhile).
    support_chat_email_delay_seconds: float = Field(default=300.0, ge=0, le=7 * 86400)

    #: Available units (on hand less reserved) at or below which merchants get a low-stock
    #: alert, for variants without a threshold of their own.
    low_stock_threshold: int = 5

    #: Which gateway takes payments when `payment_gateways` is empty: "test" (built in, no
    #: account) or "stripe".
    payment_gateway: Literal["test", "stripe"] = "test"
    #: The gateways that take payments, in order of precedence: a method two of them offer
    #: goes through the first (`["stripe","alipay"]` takes Alipay through Stripe,
    #: `["alipay","stripe"]` directly). Empty: `payment_gateway` alone.
    payment_gateways: list[Literal["test", "stripe", "alipay", "wechat_pay", "paypal"]] = Field(
        default_factory=list
    )
    #: The public origin payment providers send their notifications to (`/webhooks/...`);
    #: `storefront_url` when unset, as when the API and the storefront share an address.
    webhook_base_url: str | None = None
    #: Stripe secret API key (`sk_live_...`, `sk_test_...`); required with "stripe".
    stripe_api_key: SecretStr | None = None
    #: Stripe publishable key (`pk_live_...`, `pk_test_...`), handed to the storefront with
    #: each PaymentIntent for Stripe.js; without it, a storefront brings its own.
    stripe_publishable_key: str | None = None
    #: Signing secret of the `/webhooks/stripe` endpoint (`whsec_...`).
    stripe_webhook_secret: SecretStr | None = None
    #: Stripe API address, for a proxy or a local stand-in; Stripe's own when unset.
    stripe_api_base: str | None = None
    #: Methods the merchant enabled in Stripe: card, alipay, wechat_pay, paypal,
    #: bank_transfer (Stripe's customer_balance); each is offered only where it is supported.
    stripe_payment_methods: list[str] = Field(default_factory=lambda: ["card"])
    #: The Stripe account's country (ISO code): PayPal is offered only to European accounts.
    stripe_merchant_country: str | None = None
    #: Times the SDK retries a request after a network error or a 5xx (same idempotency key).
    stripe_max_network_retries: int = 2
    #: Alipay open platform app id (`app_id`); required with the "alipay" gateway.
    alipay_app_id: str | None = None
    #: The app's RSA2 private key: PEM text, or the path of a PEM file.
    alipay_app_private_key: SecretStr | None = None
    #: Alipay's public key (from the open platform console): PEM text, or a file's path.
    #: Every answer and notification is verified with it.
    alipay_public_key: str | None = None
    #: Alipay's gateway address: the sandbox's, a proxy's or a local stand-in's instead of
    #: the production one.
    alipay_gateway_url: str = "https://openapi.alipay.com/gateway.do"
    #: Currencies the Alipay contract takes (CNY for a mainland contract; a cross-border
    #: contract adds the foreign currencies it settles).
    alipay_currencies: list[str] = Field(default_factory=lambda: ["CNY"])
    #: Alipay's fee as a share of each payment, from the merchant's contract (Alipay reports
    #: it only in its daily bills): it and the settled amount are recorded per payment.
    alipay_fee_rate: Decimal = Field(default=Decimal("0.006"), ge=0, lt=1)
    #: WeChat Pay merchant id (`mchid`); required with the "wechat_pay" gateway.
    wechat_pay_mchid: str | None = None
    #: The app id bound to the merchant id (an official account's, or a website app's).
    wechat_pay_appid: str | None = None
    #: The merchant API certificate's private key: PEM text, or the path of a PEM file.
    wechat_pay_private_key: SecretStr | None = None
    #: The merchant API certificate's serial number.
    wechat_pay_cert_serial_no: str | None = None
    #: The APIv3 key (32 characters) notifications and platform certificates are
    #: encrypted with.
    wechat_pay_apiv3_key: SecretStr | None = None
    #: Where WeChat Pay's platform certificates are kept between restarts (fetched and
    #: refreshed from WeChat Pay); a folder under the data directory when unset.
    wechat_pay_cert_dir: str | None = None
    #: WeChat Pay's API address: Hong Kong's (`https://apihk.mch.weixin.qq.com`), a
    #: proxy's or a local stand-in's instead of the mainland one.
    wechat_pay_api_base: str = "https://api.mch.weixin.qq.com"
    #: Currencies the WeChat Pay contract takes (CNY for a mainland merchant).
    wechat_pay_currencies: list[str] = Field(default_factory=lambda: ["CNY"])
    #: WeChat Pay's fee as a share of each payment, from the merchant's contract (charged
    #: per transaction, rounded to the fen, and reported only in the daily bills).
    wechat_pay_fee_rate: Decimal = Field(default=Decimal("0.006"), ge=0, lt=1)
    #: PayPal REST app client id; required with the "paypal" gateway.
    paypal_client_id: str | None = None
    #: PayPal REST app secret.
    paypal_client_secret: SecretStr | None = None
    #: The id PayPal gave the `/webhooks/paypal` webhook: deliveries are verified with it.
    paypal_webhook_id: str | None = None
    #: "sandbox" or "live" PayPal.
    paypal_environment: Literal["sandbox", "live"] = "sandbox"
    #: PayPal's API address, for a proxy or a local stand-in; the environment's when unset.
    paypal_api_base: str | None = None
    #: Days an order with a bank transfer under way (Stripe's customer balance) is kept
    #: from the unpaid-order sweeper, since transfers take days to arrive.
    bank_transfer_wait_days: float = 7.0
    #: Seconds between two reconciliations with the payment provider (attempts, refunds and
    #: settlements whose notification is late or was missed); 0 disables it (run
    #: `tradewind reconcile-payments` from cron instead).
    payment_reconcile_interval: float = 600.0

    #: Seconds between two runs of the listing sweeper; 0 disables it.
    listing_sweep_interval: float = 30.0
    #: Seconds between two re-evaluations of every member's tier (old orders age out); 0
    #: disables it (run `tradewind recompute-tiers` from cron instead).
    tier_recompute_interval: float = 86400.0
    #: Seconds between two write-offs of points past their expiry date; 0 disables it (run
    #: `tradewind expire-points` from cron instead).
    points_expiry_interval: float = 86400.0
    #: Seconds between two looks for parcels whose tracking went quiet for longer than their
    #: carrier's `tracking_expiry_days`; 0 disables it.
    tracking_expiry_interval: float = 3600.0
    #: Seconds between two looks for conversations past a service-level due time, which
    #: are flagged as breached (live, in the staff inbox); 0 disables it.
    support_breach_sweep_interval: float = 60.0
    #: Signing secret of `/webhooks/tracking/aftership` (AfterShip's webhook secret); the
    #: endpoint answers 503 while it is unset.
    aftership_webhook_secret: SecretStr | None = None
    #: Standard Webhooks secret (`whsec_` and base64) of `/webhooks/tracking/standard`, for
    #: the shop's generic tracking format; the endpoint answers 503 while it is unset.
    tracking_webhook_secret: SecretStr | None = None
    #: Secret URL token of `/webhooks/tracking/standard/{token}`, for senders of the generic
    #: format that cannot sign (at least 32 characters); the endpoint is off while unset.
    tracking_webhook_token: SecretStr | None = None
    #: Seconds a tracking webhook's delivery id is remembered, so that a replay changes
    #: nothing (in Redis with `REDIS_URL`, else in the database).
    tracking_replay_seconds: float = Field(default=3 * 86400.0, gt=0)
    #: Seconds between two rounds of asking carriers with a registered poller about their
    #: parcels still on their way; 0 disables it.
    tracking_poll_interval: float = 1800.0
    #: Tracking numbers asked of a poller in one question.
    tracking_poll_batch: int = Field(default=50, ge=1, le=1000)
    #: The demo's simulated carrier: every parcel shipped while it is on receives a journey
    #: of tracking events, signed and posted to `/webhooks/tracking/simulated`. Unset, it is
    #: on for the embedded demo (SQLite with `DEBUG`) and off otherwise: never set it in a
    #: real shop, whose customers would see made-up journeys.
    tracking_simulator: bool | None = None
    #: Seconds between two steps of a simulated journey (twelve steps).
    tracking_simulator_step_seconds: float = Field(default=20.0, ge=0)
    #: The simulated carrier's Standard Webhooks secret; unset, one derived from the shop's
    #: key.
    tracking_simulator_secret: SecretStr | None = None
    #: Where the simulated carrier posts its deliveries: the shop's own address as the
    #: server process reaches it (`make run` sets it to the address it serves); unset,
    #: `storefront_url`.
    tracking_simulator_url: str | None = None

    #: Whether the server runs background jobs and the scheduler in its own process. Keep it
    #: on for the embedded shop; with `REDIS_URL`, turn it off where `tradewind worker` and
    #: `tradewind scheduler` run as processes of their own.
    jobs_in_process: bool = True
    #: Runs a job gets before it is dead: kept with its error for staff to retry.
    jobs_max_attempts: int = Field(default=5, ge=1, le=100)
    #: Seconds before the first retry of a failed job; each further retry waits twice as
    #: long, up to `jobs_retry_max_seconds`.
    jobs_retry_base_seconds: float = Field(default=10.0, ge=0)
    jobs_retry_max_seconds: float = Field(default=3600.0, ge=0)
    #: Seconds between two sweeps of the outbox for jobs due and not yet handed to the
    #: engine (left by a crash, or waiting for a retry).
    jobs_relay_interval: float = Field(default=5.0, gt=0)
    #: Seconds a job may stay queued or running before it counts as lost (its worker died):
    #: a queued job is handed over again, a running one counts as a failed attempt.
    jobs_stale_seconds: float = Field(default=900.0, gt=0)
    #: Days finished jobs are kept before they are deleted (dead jobs stay until retried).
    jobs_keep_days: float = Field(default=7.0, gt=0)

    @field_validator("secret_key")
    @classmethod
    def _long_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("SECRET_KEY must be at least 32 characters long")
        return value

    @field_validator("tracking_webhook_token")
    @classmethod
    def _long_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("TRACKING_WEBHOOK_TOKEN must be at least 32 characters long")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: list[str]) -> list[str]:
        for entry in value:
            if entry != "*":
                ipaddress.ip_network(entry, strict=False)  # ValueError names the bad entry
        return value

    @field_validator("allowed_origins")
    @classmethod
    def _bare_origins(cls, value: list[str]) -> list[str]:
        # Browsers send `Origin` as scheme://host[:port], lower-case and without a slash.
        return [origin.strip().rstrip("/").lower() for origin in value]

    @field_validator("database_replica_url")
    @classmethod
    def _postgres_replica(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(POSTGRES_SCHEMES):
            raise ValueError(
                "DATABASE_REPLICA_URL must be a PostgreSQL URL (postgres://...): "
                "a SQLite file has no replicas"
            )
        return value

    @model_validator(mode="after")
    def _replica_of_postgres(self) -> Settings:
        if self.database_replica_url and not self.database_url.startswith(POSTGRES_SCHEMES):
            raise ValueError("DATABASE_REPLICA_URL needs DATABASE_URL to be PostgreSQL as well")
        return self

    @field_validator("ship_from_country")
    @classmethod
    def _country_code(cls, value: str) -> str:
        code = value.strip().upper()
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return code

    @field_validator("shop_currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        code = value.upper()
        Currency(code)  # raises ValueError for a code ISO 4217 does not know
        return code

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def simulates_tracking(self) -> bool:
        """Whether the demo's simulated carrier runs (`tracking_simulator`, see there)."""
        if self.tracking_simulator is not None:
            return self.tracking_simulator
        return self.debug and self.is_sqlite


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()


def tortoise_config(
    database_url: str, *, connection: str = PRIMARY, replica_url: str | None = None
) -> dict[str, Any]:
    """The Tortoise configuration for a database URL (one app, `models`).

    With `replica_url`, a second connection (`REPLICA`) reads from the replica, and a router
    sends to it the reads `services.database_routing` allows; everything else uses the
    primary.
    """
    config: dict[str, Any] = {
        "connections": {connection: database_url},
        "apps": {
            "models": {
                "models": models.MODULES,
                "default_connection": connection,
                "migrations": "migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }
    if replica_url:
        # Named as strings: settings stays free of services (which import settings).
        config["connections"][REPLICA] = replica_connection(replica_url, primary=connection)
        config["routers"] = ["services.database_routing.ReplicaRouter"]
    return config


def replica_connection(url: str, *, primary: str) -> dict[str, Any]:
    """The replica's Tortoise connection: asyncpg, falling back to `primary` when unreachable."""
    expanded = expand_db_url(url)
    credentials = dict(expanded["credentials"])
    # asyncpg waits 60 s to connect by default: a replica that does not answer would hold
    # every read that long before it falls back to the primary.
    credentials.setdefault("timeout", 5)
    credentials["primary"] = primary
    return {"engine": "services.database_routing", "credentials": credentials}


#: Read by Tortoise's own command line (`tortoise makemigrations`), see pyproject.toml.
TORTOISE_ORM = tortoise_config(get_settings().database_url)
