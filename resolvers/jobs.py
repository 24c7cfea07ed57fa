"""Staff root fields for background jobs: listing them (the failed ones above all) and
retrying a dead one. Both need the `settings` staff permission (admins hold every one)."""

from __future__ import annotations

import strawberry

from models.jobs import JobStatus
from schema.context import Info
from schema.jobs import JobConnection, JobFilterInput, JobType, RetryJobInput, RetryJobPayload
from schema.kit import connection, input_pk, mutation, or_none, page_or_error, pk_or_none
from schema.permissions import CanManageSettings
from schema.relay import page_request
from services import jobs


@strawberry.type
class JobsQuery:
    @strawberry.field(
        permission_classes=[CanManageSettings],
        description="Background jobs, the newest first; `filter: {status: DEAD}` lists those "
        "that failed every attempt, with their error.",
    )
    async def jobs(
        self,
        info: Info,
        filter: JobFilterInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> JobConnection:
        status = JobStatus(filter.status) if filter and filter.status else None
        task = filter.task if filter else None
        page = await page_or_error(
            jobs.list_jobs(
                status,
                page_request(first, after, last, before),
                task=task,
                max_size=info.context.settings.max_page_size,
            )
        )
        return connection(
            JobConnection,
            page,
            [JobType.build(job) for job in page.items],
            lambda: jobs.count_jobs(status, task),
        )

    @strawberry.field(
        permission_classes=[CanManageSettings],
        description="One background job, with its attempts and last error; null if none.",
    )
    async def job(self, info: Info, id: strawberry.ID) -> JobType | None:
        pk = pk_or_none(id, "Job")
        job = await or_none(jobs.get_job(pk)) if pk is not None else None
        return JobType.build(job) if job is not None else None

    @strawberry.field(
        permission_classes=[CanManageSettings],
        description="The tasks that have jobs, by name: what `jobs(filter: {task})` takes.",
    )
    async def job_tasks(self, info: Info) -> list[str]:
        return await jobs.job_tasks()


@strawberry.type
class JobsMutation:
    @mutation(
        permission_classes=[CanManageSettings],
        description="Run a dead job again, with all its attempts ahead of it.",
    )
    async def retry_job(self, info: Info, input: RetryJobInput) -> RetryJobPayload:
        job = await jobs.retry_job(input_pk(input.id, "Job", "id", what="The job"))
        return RetryJobPayload(job=JobType.build(job))
