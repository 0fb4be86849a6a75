-- Schema version 7: full-text search matches word forms ("drones" finds "drone"): the same
-- tokenizer behind FTS5's Porter stemmer. The index is rebuilt from itself, rowids kept (search
-- ranks the newest matches by rowid).
CREATE VIRTUAL TABLE sentences_fts_stemmed USING fts5(
  text, doc UNINDEXED, start UNINDEXED, "end" UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO sentences_fts_stemmed (rowid, text, doc, start, "end")
  SELECT rowid, text, doc, start, "end" FROM sentences_fts;
DROP TABLE sentences_fts;
ALTER TABLE sentences_fts_stemmed RENAME TO sentences_fts;
