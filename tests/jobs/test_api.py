"""Staff see the jobs that failed every attempt, with their error, and retry them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from jobs import registry, relay
from models.accounts import Role
from models.jobs import Job, JobStatus
from services import jobs
from tests.factories import gid, make_user

JOBS = """
query Jobs($status: JobStatus, $first: Int, $after: String) {
  jobs(filter: {status: $status}, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id task key arguments status attempts lastError finishedAt }
  }
}
"""

RETRY = """
mutation Retry($id: ID!) {
  retryJob(input: {id: $id}) {
    job { id status attempts lastError }
    errors { field message code }
  }
}
"""


@pytest.fixture
def flaky(settings, monkeypatch) -> Iterator[list[dict[str, Any]]]:
    """`test.flaky` fails while `broken` holds True; 2 attempts before a job is dead."""
    runs: list[dict[str, Any]] = []
    broken = [True]

    async def handler(**kwargs: Any) -> None:
        runs.append(kwargs)
        if broken[0]:
            raise RuntimeError("carrier unreachable")

    monkeypatch.setattr(settings, "jobs_max_attempts", 2)
    monkeypatch.setattr(settings, "jobs_retry_base_seconds", 0.0)
    registry.register("test.flaky", handler)
    try:
        yield runs
    finally:
        registry.unregister("test.flaky")


async def _dead_job(key: str) -> Job:
    await jobs.enqueue("test.flaky", key=key, order=key)
    await relay.run_due()
    await relay.run_due()
    job = await Job.get(task="test.flaky", key=key)
    assert job.status == JobStatus.DEAD
    return job


async def test_staff_see_dead_jobs_with_their_error(client, flaky):
    await _dead_job("A1")
    await jobs.enqueue("test.flaky", key="not-yet")  # pending: not among the dead
    data = await client.staff(JOBS, {"status": "DEAD"})
    connection = data["jobs"]
    assert connection["totalCount"] == 1
    (node,) = connection["nodes"]
    assert node["task"] == "test.flaky" and node["key"] == "A1"
    assert node["arguments"] == '{"order":"A1"}'
    assert (node["status"], node["attempts"]) == ("DEAD", 2)
    assert "RuntimeError: carrier unreachable" in node["lastError"]
    assert node["finishedAt"] is not None
    everything = await client.staff(JOBS)
    assert everything["jobs"]["totalCount"] == 2


async def test_the_list_pages_newest_first(client, flaky):
    for n in range(3):
        await jobs.enqueue("test.flaky", key=f"k{n}")
    first = (await client.staff(JOBS, {"first": 2}))["jobs"]
    assert [n["key"] for n in first["nodes"]] == ["k2", "k1"]
    assert first["pageInfo"]["hasNextPage"]
    rest = await client.staff(JOBS, {"first": 2, "after": first["pageInfo"]["endCursor"]})
    assert [n["key"] for n in rest["jobs"]["nodes"]] == ["k0"]


async def test_a_retried_job_runs_again(client, flaky):
    job = await _dead_job("B2")
    flaky.clear()
    node = (await client.staff(JOBS, {"status": "DEAD"}))["jobs"]["nodes"][0]
    payload = (await client.staff(RETRY, {"id": node["id"]}))["retryJob"]
    assert payload["errors"] == []
    assert (payload["job"]["status"], payload["job"]["attempts"]) == ("PENDING", 0)
    # It fails again, with all its attempts ahead of it; then runs once it can succeed.
    await relay.run_due()
    assert (await Job.get(id=job.id)).status == JobStatus.PENDING
    assert len(flaky) == 1


async def test_a_retried_job_that_now_succeeds_is_done(client, flaky, monkeypatch):
    job = await _dead_job("C3")

    async def fixed(**kwargs: Any) -> None:
        flaky.append({"fixed": True, **kwargs})

    monkeypatch.setitem(registry._tasks, "test.flaky", registry.Task("test.flaky", fixed))
    node = (await client.staff(JOBS, {"status": "DEAD"}))["jobs"]["nodes"][0]
    assert (await client.staff(RETRY, {"id": node["id"]}))["retryJob"]["errors"] == []
    assert await relay.run_due() == 1
    job = await Job.get(id=job.id)
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
    assert flaky[-1] == {"fixed": True, "order": "C3"}
    # Done: it is no longer listed among the dead.
    assert (await client.staff(JOBS, {"status": "DEAD"}))["jobs"]["totalCount"] == 0


async def test_only_a_dead_job_can_be_retried(client, flaky):
    await jobs.enqueue("test.flaky", key="pending")
    job = await Job.get(key="pending")
    node = (await client.staff(JOBS))["jobs"]["nodes"][0]
    payload = (await client.staff(RETRY, {"id": node["id"]}))["retryJob"]
    assert payload["job"] is None
    assert payload["errors"] == [
        {
            "field": ["id"],
            "message": "Only a dead job can be retried; this one is pending.",
            "code": "NOT_RETRYABLE",
        }
    ]
    assert (await Job.get(id=job.id)).status == JobStatus.PENDING


@pytest.mark.parametrize("bad_id", ["nonsense", "Sm9iOjk5OTk5", "UHJvZHVjdDox"])
async def test_retrying_an_unknown_job_is_a_payload_error(client, bad_id):
    # Not an ID at all, a job that does not exist (Job:99999), another type's ID (Product:1).
    payload = (await client.staff(RETRY, {"id": bad_id}))["retryJob"]
    assert payload["job"] is None
    assert [e["code"] for e in payload["errors"]] == ["NOT_FOUND"]


@pytest.mark.parametrize("who", ["anonymous", "customer", "orders staff"])
async def test_jobs_need_the_settings_permission(client, flaky, who):
    job = await _dead_job("D4")
    user = None
    if who == "customer":
        user = await make_user()
    elif who == "orders staff":
        user = await make_user(role=Role.STAFF, permissions=("orders",))
    expected = "UNAUTHENTICATED" if user is None else "FORBIDDEN"
    body = await client.request(JOBS, user=user)
    assert body["errors"][0]["extensions"]["code"] == expected
    body = await client.request(RETRY, {"id": "Sm9iOjE="}, user=user)
    assert body["errors"][0]["extensions"]["code"] == expected
    assert (await Job.get(id=job.id)).status == JobStatus.DEAD


async def test_settings_staff_may_retry(client, flaky):
    await _dead_job("E5")
    user = await make_user(role=Role.STAFF, permissions=("settings",))
    node = (await client.query(JOBS, {"status": "DEAD"}, user=user))["jobs"]["nodes"][0]
    payload = (await client.query(RETRY, {"id": node["id"]}, user=user))["retryJob"]
    assert payload["job"]["status"] == "PENDING"


JOB = """
query Job($id: ID!) { job(id: $id) { key status attempts lastError } }
"""

BY_TASK = """
query ByTask($task: String) {
  jobTasks
  jobs(filter: {task: $task}, first: 10) { totalCount nodes { task key } }
}
"""


async def test_staff_narrow_jobs_to_a_task_and_open_one(client, flaky):
    dead = await _dead_job("D4")
    await jobs.enqueue("test.other", key="x1")
    data = await client.staff(BY_TASK, {"task": "test.flaky"})
    assert data["jobTasks"] == ["test.flaky", "test.other"]
    assert data["jobs"]["totalCount"] == 1
    assert data["jobs"]["nodes"] == [{"task": "test.flaky", "key": "D4"}]
    everything = await client.staff(BY_TASK, {"task": None})
    assert everything["jobs"]["totalCount"] == 2
    nothing = await client.staff(BY_TASK, {"task": "no.such"})
    assert nothing["jobs"]["totalCount"] == 0

    one = (await client.staff(JOB, {"id": gid("Job", dead.id)}))["job"]
    assert (one["key"], one["status"], one["attempts"]) == ("D4", "DEAD", 2)
    assert "carrier unreachable" in one["lastError"]
    assert (await client.staff(JOB, {"id": gid("Job", dead.id + 1000)}))["job"] is None


async def test_a_task_name_is_held_to_its_length(client):
    body = await client.request(BY_TASK, {"task": "x" * 101}, user=await _settings_user())
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def _settings_user() -> Any:
    return await make_user(role=Role.STAFF, permissions=("settings",))
