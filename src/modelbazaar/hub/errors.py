"""One exception for everything the hub refuses, carrying the HTTP status that means it.

The API turns it into ``{"detail": message}`` with that status; the CLI's server-side
commands print it like any BazaarError. Messages say what to do, and never echo a secret.
"""

from modelbazaar.errors import BazaarError


class HubError(BazaarError):
    """A refused request: 401 who are you, 403 not allowed, 404 no such thing (or not yours
    to see), 409 conflict (moved meanwhile / exists), 413 too large, 422 bad input, 429 slow
    down."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def not_found(what: str) -> HubError:
    return HubError(404, f"{what} not found (or you are not allowed to see it)")
