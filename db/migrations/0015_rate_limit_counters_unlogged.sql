-- Rate-limit counters are written on every /v1 request. As an unlogged table they write no WAL,
-- and a transaction that writes only them commits without waiting for a WAL flush. After a
-- crash PostgreSQL empties the table (every client starts a fresh window), and a standby does not
-- have it; both are acceptable for counters of a minute.
ALTER TABLE "rate_limit_counters" SET UNLOGGED;
