-- Schema version 5: finding a document by its path (every ingest asks) without reading them all.
CREATE INDEX documents_path ON documents(path);
