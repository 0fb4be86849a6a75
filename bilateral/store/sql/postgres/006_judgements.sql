-- Schema version 6: analysts' judgements on events, kept apart from what extraction rebuilds and
-- re-applied after every consolidation. `target` and `other` are events' stable keys (type,
-- identifying values, evidence spans) as JSON; `value` a role's new value as JSON.
CREATE TABLE judgements (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  role TEXT,
  value TEXT,
  other TEXT,
  author TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT NOT NULL
);
