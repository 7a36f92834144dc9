"""The SPARQL protocol pipeline without the web framework: the guard, the sandboxed runner, result formats."""
