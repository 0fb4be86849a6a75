-- Schema version 8: what each consolidation changed. A run is one consolidation; its changes are
-- the events it added, the evidence, values and conflicts it added to known events, and the
-- events it lost; event_states keeps the last run's events to compare the next one with.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  documents INTEGER NOT NULL,
  analysed INTEGER NOT NULL,
  analyser TEXT NOT NULL
);
CREATE TABLE changes (
  run INTEGER NOT NULL,
  kind TEXT NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  summary TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX changes_run ON changes(run);
CREATE TABLE event_states (
  event_id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  data TEXT NOT NULL
);
