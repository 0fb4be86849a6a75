"""Value types of ONTOLOGY.md, one module each: dates, money, numbers."""
