"""SMS gateway interface. Production points ``PORTAL_SMS_BACKEND`` at a class for the
province's gateway (e.g. a Viettel or VNPT brandname API); the default logs, masking the number
and never logging the text (no personal data in logs)."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class BaseSmsBackend:
    def send(self, *, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSmsBackend(BaseSmsBackend):
    sent: list[tuple[str, str]] = []  # kept for tests of the demo backend only

    def send(self, *, phone: str, text: str) -> None:
        masked = phone[:3] + "****" + phone[-3:] if len(phone) > 6 else "****"
        logger.info("SMS to %s (%d characters)", masked, len(text))
        type(self).sent.append((phone, text))


def get_backend() -> BaseSmsBackend:
    path = getattr(settings, "PORTAL_SMS_BACKEND", "portal.sms.LoggingSmsBackend")
    return import_string(path)()
