"""Signals other apps listen to, so feedback never imports them (DESIGN.md: reports read the
other apps through their selectors and learn of changes through signals).

``feedback_changed`` is sent after the transaction of a change has committed, once for each
unit whose figures the change touches (a transfer touches both units), with the local day of
the change, so a rollup can mark its (unit, day) bucket dirty. Arguments: ``unit_id``, ``day``
(a ``date`` in Asia/Ho_Chi_Minh), ``action`` (an ``EventKind`` value) and ``item_id``.
Receivers' errors are logged, never raised: the change is committed already.
"""

from django.dispatch import Signal

feedback_changed = Signal()
