-- Schema version 9: what a consolidation keeps so that the next one redoes only what new,
-- changed or removed documents touch. None of these tables cascades from `documents`: what a
-- removed document gave the last run stays until the next run has taken it back.
-- The document versions the last run read, and the mention keys each gave (JSON).
CREATE TABLE consolidated (doc TEXT PRIMARY KEY, analysed TEXT NOT NULL, keys TEXT NOT NULL);
-- Mentions per distinct (type, subtype, state, key) (a JSON array) at the last run: the votes.
CREATE TABLE resolution_counts (k TEXT PRIMARY KEY, n INTEGER NOT NULL);
-- What each document gave each entity (forms, subtypes, countries; JSON), before entity merges.
CREATE TABLE entity_parts (
  entity_id TEXT NOT NULL,
  doc TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (entity_id, doc)
);
CREATE INDEX entity_parts_doc ON entity_parts(doc);
-- Each candidate's block keys and the event fusion made of it (before judgements).
CREATE TABLE candidate_blocks (
  doc TEXT NOT NULL,
  seq INTEGER NOT NULL,
  block TEXT NOT NULL,
  event_id TEXT NOT NULL,
  PRIMARY KEY (doc, seq, block)
);
CREATE INDEX candidate_blocks_block ON candidate_blocks(block);
-- Events whose id took a suffix because an earlier group had made one with the same id.
CREATE TABLE suffixed (event_id TEXT PRIMARY KEY, base TEXT NOT NULL);
-- Events judgements made, and the fused events they replaced, so that a run can undo them.
CREATE TABLE judged (event_id TEXT PRIMARY KEY);
CREATE TABLE unjudged (event_id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE INDEX mentions_key ON mentions(key);
