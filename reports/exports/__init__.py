"""Exports (issue 11): CSV streamed, XLSX in constant memory, PDF reports rendered on the
``pdf`` queue, and the export jobs that carry them (state, progress, cancel, expiry, audited
downloads). A Django app of its own inside ``reports`` (label ``exports``). See
docs/operations.md ("Export jobs") and docs/evaluations.md.
"""
