"""The one application layer: each module is one feature, combining storage, Slack,
the question bank and the grader through the typed ports in `bot.ports`.

A use case reads, decides with the core's pure rules, and writes in one transaction;
every message it sends goes to the outbox in that same transaction and reaches Slack
after the commit (`bot.jobs.delivery`)."""
