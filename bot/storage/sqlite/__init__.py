"""SQLite storage: one connection per process (WAL), append-only migrations, repositories."""
