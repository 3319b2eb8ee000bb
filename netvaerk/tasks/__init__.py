"""Background work: the task queue (Huey), the schedule of periodic jobs and the mail outbox."""
