-- Schema version 4: sentences numbered in the order they were stored, so that search ranks the
-- newest matches (SQLite's full-text rowid gives that order), and the timeline's sort as an index.
ALTER TABLE sentences ADD COLUMN seq BIGSERIAL;
CREATE INDEX sentences_seq ON sentences(seq);
CREATE INDEX events_order ON events((date IS NULL), date, type, id);
