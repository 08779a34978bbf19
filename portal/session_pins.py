"""A new PIN waiting in the server-side session until it is shown and printed (R-PRIV-1).

PINs are stored only as keyed hashes (``portal.codes``), so a new one exists in clear once: in
the return value of the service that made it (``dossier_receive``, ``feedback_submit``). It
must reach the page and the printed receipt without ever going into a URL, and the POST that
made it must end in a redirect (a reload must not submit twice). So it waits in the session of
whoever made it, keyed by the object's id, for ``ttl`` seconds: the confirmation page shows it
once (``show``), the first print of the receipt takes it (``pop``). Afterwards the session
still remembers the object until the time is up (``holds``: a citizen without an account may
reprint the receipt, without the PIN, from the same browser); then it is gone for good.
"""

from __future__ import annotations

import time


class SessionPins:
    def __init__(self, key: str, *, ttl: int = 10 * 60):
        self.key = key
        self.ttl = ttl

    def _entries(self, request) -> dict:
        now = time.time()
        return {k: v for k, v in request.session.get(self.key, {}).items() if v["until"] > now}

    def _save(self, request, entries: dict) -> None:
        request.session[self.key] = entries

    def keep(self, request, pk: int, pin: str) -> None:
        entries = self._entries(request)
        entries[str(pk)] = {"pin": pin, "until": time.time() + self.ttl, "shown": False}
        self._save(request, entries)

    def holds(self, request, pk: int) -> bool:
        """Whether this session made the object less than ``ttl`` seconds ago."""
        return str(pk) in self._entries(request)

    def show(self, request, pk: int) -> str | None:
        """The PIN for the confirmation page, the first time only."""
        entries = self._entries(request)
        entry = entries.get(str(pk))
        if entry is None or entry["shown"]:
            self._save(request, entries)
            return None
        entry["shown"] = True
        self._save(request, entries)
        return entry["pin"]

    def pop(self, request, pk: int) -> str | None:
        """The PIN for printing the receipt, once; ``None`` afterwards."""
        entries = self._entries(request)
        entry = entries.get(str(pk))
        pin = entry["pin"] if entry else None
        if entry is not None:
            entry["pin"] = None
            entry["shown"] = True
        self._save(request, entries)
        return pin
