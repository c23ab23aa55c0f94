-- Grafana's login to the SprintSync database: read-only, and only what the dashboard needs
-- (who logged how much, on which task). Never password hashes, audit details or emails.
-- Run with psql by the database owner: psql -v reader_password=... -f grafana-reader.sql
-- Idempotent: safe on every deploy; re-running with a new password rotates it.

SELECT 'CREATE ROLE grafana_reader LOGIN'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'grafana_reader') \gexec

ALTER ROLE grafana_reader WITH LOGIN PASSWORD :'reader_password';
ALTER ROLE grafana_reader SET default_transaction_read_only = on;
ALTER ROLE grafana_reader SET statement_timeout = '10s';

GRANT CONNECT ON DATABASE :"DBNAME" TO grafana_reader;
GRANT USAGE ON SCHEMA public TO grafana_reader;
GRANT SELECT ON time_entries, tasks TO grafana_reader;
GRANT SELECT (id, username, full_name, role, is_active) ON users TO grafana_reader;
