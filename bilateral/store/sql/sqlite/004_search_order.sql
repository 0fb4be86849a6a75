-- Schema version 4: the timeline's sort as an index (search order is the full-text rowid).
CREATE INDEX events_order ON events((date IS NULL), date, type, id);
