"""Settings: ``base`` (zero-setup demo defaults), ``production`` and ``test``."""
