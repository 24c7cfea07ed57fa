"""The job outbox: work caused by a change, written in the change's own transaction.

A row is the job's whole record: what to run (`task` with its `kwargs`), the idempotency key
that makes a second enqueue of the same work a no-op, and where the job stands. The relay
hands pending rows to the job engine; a worker claims a row before running it, so two
workers never run the same job, and marks it done, or pending again with a later
`run_after`, or dead once it has failed `jobs_max_attempts` times.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class JobStatus(StrEnum):
    PENDING = "pending"  # written, waiting to be handed to the engine (or to be retried)
    QUEUED = "queued"  # handed to the engine, waiting for a worker
    RUNNING = "running"  # claimed by a worker
    DONE = "done"
    DEAD = "dead"  # failed every attempt: kept with its error for staff to see and retry


class Job(Model):
    """One unit of background work and its history."""

    id = fields.BigIntField(primary_key=True)
    #: The registered task's name, e.g. `orders.send_email`.
    task = fields.CharField(max_length=100)
    #: Unique per task: enqueueing the same task with the same key again changes nothing.
    key = fields.CharField(max_length=200)
    kwargs: fields.JSONField[dict[str, object]] = fields.JSONField(default=dict)
    status = fields.CharEnumField(JobStatus, max_length=10, default=JobStatus.PENDING)
    #: Runs started so far: a claim raises it, so a stale message cannot claim the job again.
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(default="")
    #: Not to be run before this time (now when written, later after a failed attempt).
    run_after = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "jobs_job"
        unique_together = (("task", "key"),)
        indexes = (("status", "run_after"),)
        ordering = ["-id"]
