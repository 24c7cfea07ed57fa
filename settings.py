"""Typed settings, read from the environment (and an optional `.env` file).

The defaults run the embedded shop: a SQLite file under `data/`, the in-process event
bus and media files on local disk. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL
and Redis for production.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from iso4217 import Currency
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent

#: Every module that declares Tortoise models; one app, one migrations package.
MODEL_MODULES = [
    "models.catalog",
    "models.accounts",
    "models.members",
    "models.coupons",
    "models.reviews",
    "models.orders",
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    debug: bool = False
    database_url: str = f"sqlite://{ROOT / 'data' / 'tradewind.sqlite3'}"
    redis_url: str | None = None

    #: The shop's own currency: catalog prices are kept in it.
    shop_currency: str = "USD"
    default_locale: str = "en"
    #: Locales that product and category translations may be written in.
    supported_locales: list[str] = Field(
        default_factory=lambda: ["en", "de", "fr", "es", "it", "ja", "zh", "pt"]
    )

    media_dir: Path = ROOT / "data" / "media"
    media_url: str = "/media/"
    max_image_bytes: int = 5 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    max_images_per_product: int = 20

    #: Signs access tokens. Required with PostgreSQL: every process must share it.
    secret_key: SecretStr | None = None
    #: Lifetimes of an access token and of a refresh token, in seconds.
    access_token_seconds: int = 15 * 60
    refresh_token_seconds: int = 30 * 24 * 3600
    #: One-time codes (email, SMS): seconds they stay valid and wrong guesses allowed.
    code_seconds: int = 10 * 60
    code_max_attempts: int = 5
    #: Sign-in attempts allowed per account and per client address within the window.
    sign_in_limit_per_account: int = 5
    sign_in_limit_per_address: int = 30
    sign_in_window_seconds: int = 15 * 60
    #: Codes sent allowed per email or phone number and per client address within the window.
    code_send_limit_per_target: int = 3
    code_send_limit_per_address: int = 20
    code_send_window_seconds: int = 15 * 60

    max_query_depth: int = 12
    max_aliases: int = 30
    max_query_tokens: int = 5000
    max_page_size: int = 100
    #: Origins allowed to open GraphQL WebSockets from a browser.
    allowed_origins: list[str] = Field(default_factory=list)

    #: Seconds a subscription lasts before the server ends it and the client resubscribes.
    subscription_lifetime: float = 3600.0

    #: Seconds an anonymous query's answer may be reused (flushed on every change); 0 = off.
    response_cache_seconds: float = 5.0
    response_cache_size: int = 1000

    #: Seconds between two runs of the listing sweeper; 0 disables it in this process.
    listing_sweep_interval: float = 30.0

    @field_validator("shop_currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        code = value.upper()
        Currency(code)  # raises ValueError for a code ISO 4217 does not know
        return code

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()


def tortoise_config(database_url: str, *, connection: str = "default") -> dict[str, Any]:
    """The Tortoise configuration for a database URL (one app, `models`)."""
    return {
        "connections": {connection: database_url},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": connection,
                "migrations": "migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


#: Read by Tortoise's own command line (`tortoise makemigrations`), see pyproject.toml.
TORTOISE_ORM = tortoise_config(get_settings().database_url)
