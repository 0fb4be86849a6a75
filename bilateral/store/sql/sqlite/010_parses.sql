-- Schema version 10: each document's spaCy parse (a compressed DocBin of the pieces the model read),
-- so that new rules or lexicons re-run on it instead of re-running the model. A parse is used only
-- while text_sha (the hash of the text the model read) and model (the model, its version and the
-- pipeline parts that made the parse) match; it goes with its document.
CREATE TABLE parses (
  doc TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  text_sha TEXT NOT NULL,
  model TEXT NOT NULL,
  words INTEGER NOT NULL,
  data BLOB NOT NULL
);
