-- Schema version 1 of a bilateral knowledge base (SQLite). Migrations: one file per version.
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  title TEXT, source TEXT, published TEXT, url TEXT, kind TEXT,
  encoding TEXT NOT NULL DEFAULT 'utf-8',
  extra TEXT NOT NULL DEFAULT '{}',
  text TEXT NOT NULL,
  analysed_sha TEXT,            -- sha256 the nlp/events stages last ran on
  ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE TABLE sentences (
  doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  PRIMARY KEY (doc, idx)
);

CREATE VIRTUAL TABLE sentences_fts USING fts5(
  text, doc UNINDEXED, start UNINDEXED, "end" UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE mentions (
  doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  text TEXT NOT NULL,
  type TEXT NOT NULL,
  subtype TEXT, iso3 TEXT,
  key TEXT NOT NULL,
  entity_id TEXT,
  PRIMARY KEY (doc, start, "end", type)
);
CREATE INDEX mentions_entity ON mentions(entity_id);

-- Per-document event reports before fusion; fusion rebuilds `events` from them.
CREATE TABLE candidates (
  doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (doc, seq)
);

CREATE TABLE entities (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  subtype TEXT, iso3 TEXT,
  aliases TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX entities_type ON entities(type);

CREATE TABLE events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  date TEXT,
  modality TEXT NOT NULL,
  sources INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX events_type ON events(type);

CREATE TABLE evidence (
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  doc TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX evidence_doc ON evidence(doc);

-- Which entities take part in which event, for actor filters and the network views.
CREATE TABLE event_actors (
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX event_actors_value ON event_actors(value);
