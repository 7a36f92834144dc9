"""Offline checks of the curated files against the ontology, the shapes and the source texts."""
