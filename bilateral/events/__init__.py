"""Events: typed extraction per sentence (extract) and the ontology they follow (ontology)."""
