"""The one kind of error casec answers a request with: an HTTP status and a message for people."""

from __future__ import annotations


class Refusal(Exception):
    """A request that will not get the answer it asked for; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
