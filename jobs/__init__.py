"""Background work on the job engine (taskiq): the broker, the tasks, the outbox relay and
the scheduler's periodic jobs. Services enqueue through `services.jobs`, never through here."""
