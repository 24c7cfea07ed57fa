"""Background jobs as staff see them: their state, their last error, and retrying them."""

from __future__ import annotations

from datetime import datetime

import orjson
import strawberry

from models.jobs import Job, JobStatus
from schema.errors import UserError
from schema.relay import Connection, encode_id
from services.jobs import JobErrorCode

JobStatusEnum = strawberry.enum(
    JobStatus,
    name="JobStatus",
    description="pending: waiting to be handed to a worker, or for its next attempt; queued: "
    "handed over; running; done; dead: failed every attempt, kept for staff to retry.",
)
JobErrorCodeEnum = strawberry.enum(JobErrorCode, name="JobErrorCode")


@strawberry.type(name="Job", description="One unit of background work and where it stands.")
class JobType:
    id: strawberry.ID
    task: str = strawberry.field(description="The task run, e.g. `orders.cancel_unpaid`.")
    key: str = strawberry.field(description="Unique per task: the same work is one job.")
    arguments: str = strawberry.field(description="The task's arguments, as a JSON object.")
    status: JobStatusEnum  # type: ignore[valid-type]
    attempts: int = strawberry.field(description="Runs started so far.")
    last_error: str | None = strawberry.field(description="How the last failed run ended.")
    run_after: datetime = strawberry.field(description="Not run before this time.")
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def build(cls, job: Job) -> JobType:
        return cls(
            id=encode_id("Job", job.id),
            task=job.task,
            key=job.key,
            arguments=orjson.dumps(job.kwargs).decode(),
            status=JobStatus(job.status),
            attempts=job.attempts,
            last_error=job.last_error or None,
            run_after=job.run_after,
            created_at=job.created_at,
            updated_at=job.updated_at,
            finished_at=job.finished_at,
        )


@strawberry.type(name="JobConnection")
class JobConnection(Connection[JobType]):
    pass


@strawberry.input
class JobFilterInput:
    status: JobStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only jobs in this state (`DEAD`: the failed ones)."
    )
    task: str | None = strawberry.field(
        default=None, description="Only jobs of this task (`jobTasks` lists them)."
    )


@strawberry.input
class RetryJobInput:
    id: strawberry.ID


@strawberry.type(name="JobError")
class JobErrorType(UserError):
    code: JobErrorCodeEnum  # type: ignore[valid-type]


@strawberry.type(description="The job, pending again; or why it could not be retried.")
class RetryJobPayload:
    job: JobType | None = None
    errors: list[JobErrorType] = strawberry.field(default_factory=list)
