"""Read models over the store that answer researchers' questions: counts, conflicts, the membership panel, search."""
