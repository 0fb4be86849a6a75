-- Schema version 4: a timeline page read in index order. The actor index carries each event's
-- type and date (one row per event and actor), so that an actor's events come sorted from it.
ALTER TABLE event_actors ADD COLUMN type TEXT;
ALTER TABLE event_actors ADD COLUMN date TEXT;
UPDATE event_actors SET type = (SELECT e.type FROM events e WHERE e.id = event_actors.event_id),
  date = (SELECT e.date FROM events e WHERE e.id = event_actors.event_id);
CREATE INDEX event_actors_timeline ON event_actors(value, (date IS NULL), date, type, event_id);
CREATE INDEX events_order ON events((date IS NULL), date, type, id);
-- Replacing the events deletes their evidence: without this, a scan of it per event.
CREATE INDEX evidence_event ON evidence(event_id);
-- How often each entity is mentioned in each document (kept by consolidation), so that an
-- entity's page lists its top documents from an index, however many mention it.
CREATE TABLE entity_documents (
  entity_id TEXT NOT NULL,
  doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  mentions INTEGER NOT NULL,
  PRIMARY KEY (entity_id, doc)
);
CREATE INDEX entity_documents_top ON entity_documents(entity_id, mentions DESC, doc);
INSERT INTO entity_documents SELECT entity_id, doc, count(*) FROM mentions
  WHERE entity_id IS NOT NULL GROUP BY entity_id, doc;
