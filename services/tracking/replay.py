"""Tracking webhook deliveries already received, so that a replay changes nothing.

`first_time(source, delivery_id)` is true once per delivery: in Redis (`SET key NX EX`),
shared by every server process, when the shop runs with `REDIS_URL`; else, or while Redis
does not answer, in the `TrackingDelivery` table, whose unique key settles a race between
two copies of one delivery. Either remembers a delivery for `tracking_replay_seconds`.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from datetime import timedelta

from redis import asyncio as aioredis
from tortoise import timezone
from tortoise.exceptions import IntegrityError

from models.tracking import TrackingDelivery
from services.transactions import atomic
from settings import get_settings

log = logging.getLogger("tradewind.tracking")

PREFIX = "tradewind:tracking:delivery:"
#: Longest delivery id stored as it is; a longer one is stored as its digest.
MAX_ID = 128

_redis: aioredis.Redis | None = None


def configure(redis: aioredis.Redis | None) -> None:
    """Keep delivery ids in `redis` (None: in the database)."""
    global _redis
    _redis = redis


def stored_id(delivery_id: str) -> str:
    """The id a delivery is remembered under: itself, or its digest when long."""
    if len(delivery_id) <= MAX_ID:
        return delivery_id
    return hashlib.sha256(delivery_id.encode()).hexdigest()


async def first_time(source: str, delivery_id: str) -> bool:
    """Remember the delivery; whether this is the first time it is seen."""
    key = stored_id(delivery_id)
    ttl = max(1, int(get_settings().tracking_replay_seconds))
    if _redis is not None:
        try:
            return bool(await _redis.set(f"{PREFIX}{source}:{key}", 1, nx=True, ex=ttl))
        except (aioredis.RedisError, OSError) as exc:
            log.warning("tracking.replay_store_redis_down error=%s; using the database", exc)
    try:
        async with atomic():
            await TrackingDelivery.create(source=source[:32], delivery_id=key)
    except IntegrityError:
        return False
    return True


async def forget(source: str, delivery_id: str) -> None:
    """Drop a delivery `first_time` remembered in Redis whose work was then not handed on
    (in the database, the row goes with the transaction rolled back)."""
    if _redis is not None:
        with contextlib.suppress(aioredis.RedisError, OSError):
            await _redis.delete(f"{PREFIX}{source}:{stored_id(delivery_id)}")


async def prune() -> int:
    """Delete the database's delivery ids older than the replay window; how many."""
    cutoff = timezone.now() - timedelta(seconds=get_settings().tracking_replay_seconds)
    return await TrackingDelivery.filter(received_at__lt=cutoff).delete()
