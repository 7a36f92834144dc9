"""casec: the Central Asian security knowledge graph."""

__version__ = "0.1.0"
