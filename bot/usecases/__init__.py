"""Use cases that join Slack, storage, the bank and the grader. Handlers call these."""
