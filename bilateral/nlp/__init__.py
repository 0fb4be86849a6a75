"""NLP: the spaCy pipeline, entity mentions and their resolution into entities."""
