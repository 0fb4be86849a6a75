-- Schema version 3: indexes for the timeline and actor queries of large knowledge bases.
CREATE INDEX event_actors_event ON event_actors(event_id);
CREATE INDEX events_date ON events(date);
