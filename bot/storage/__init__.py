"""Storage behind the ports of `bot.ports.storage`: one package per backend.

`bot.storage.sqlite` is the embedded default (aiosqlite, WAL). A second backend
(PostgreSQL) is an added package implementing the same protocols; only the
composition root chooses between them."""
