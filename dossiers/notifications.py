"""Messages to the applicant, written to the outbox after the change commits (R-RES-3).

Texts are Vietnamese, the language of the citizens served; they carry the dossier code but no
PIN and no personal data beyond what the applicant gave for contact.
"""

from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from portal.http import public_url
from portal.outbox import notify_contact


def _send(dossier, event: str, subject: str, body: str) -> None:
    notify_contact(
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
        subject=subject,
        body=body,
        dedupe_prefix=f"dossier:{dossier.pk}:{event}",
        object_type="dossier",
        object_id=dossier.pk,
    )


def _when(moment) -> str:
    from django.utils import timezone

    return formats.date_format(timezone.localtime(moment), "d/m/Y")


def _tracking() -> str:
    return public_url(reverse("tracking:lookup"))


def dossier_received(dossier) -> None:
    with translation.override("vi"):
        _send(
            dossier,
            "received",
            _("Dossier %(code)s received") % {"code": dossier.code},
            _(
                "Your dossier %(code)s was received. Appointment: %(due)s. Track it at "
                "%(url)s with the PIN on your receipt."
            )
            % {"code": dossier.code, "due": _when(dossier.due_at), "url": _tracking()},
        )


def supplement_requested(dossier, items) -> None:
    with translation.override("vi"):
        names = "; ".join(i["name"] for i in items)
        _send(
            dossier,
            f"supplement:{dossier.supplement_count}",
            _("Dossier %(code)s needs more documents") % {"code": dossier.code},
            _(
                "Your dossier %(code)s needs: %(items)s. Processing resumes when the complete "
                "dossier is received."
            )
            % {"code": dossier.code, "items": names},
        )


def result_ready(dossier) -> None:
    with translation.override("vi"):
        _send(
            dossier,
            "result_ready",
            _("Result of dossier %(code)s is ready") % {"code": dossier.code},
            _("The result of your dossier %(code)s is ready to collect.") % {"code": dossier.code},
        )


def dossier_refused(dossier) -> None:
    with translation.override("vi"):
        _send(
            dossier,
            "refused",
            _("Dossier %(code)s refused") % {"code": dossier.code},
            _("Your dossier %(code)s was refused. The refusal slip states the reason; see %(url)s.")
            % {"code": dossier.code, "url": _tracking()},
        )


def dossier_rescheduled(dossier, reschedule) -> None:
    with translation.override("vi"):
        _send(
            dossier,
            "rescheduled",
            _("Apology and new appointment for dossier %(code)s") % {"code": dossier.code},
            _(
                "We apologise: your dossier %(code)s will not be ready on %(old)s. Reason: "
                "%(reason)s. New appointment: %(new)s."
            )
            % {
                "code": dossier.code,
                "old": _when(reschedule.original_due_at),
                "reason": reschedule.reason,
                "new": _when(reschedule.new_due_at),
            },
        )
