"""Signals other apps listen to, so the dossier app never imports them (DESIGN.md: apps reach
each other through services, selectors and signals)."""

from django.dispatch import Signal

# Sent after the transaction that recorded the return of a result has committed.
# Arguments: ``dossier`` (the Dossier), ``at`` (when it was returned).
dossier_returned = Signal()
