"""Printed survey documents (R-SUR-1, R-SUR-2): the blank paper form (A4) staff hand out and
key in later, and the invitation (A6) handed over with a dossier's result, with the QR code and
the short link of the applicant's survey.

Rendering goes through ``portal.pdf`` (shipped fonts only, no network). The texts are
translatable and printed in Vietnamese by default; the form's own wording (areas, criteria,
questions, options) comes from the form version, in the language asked for when the form has
it. These functions check no permissions: callers pass what they fetched through the scoped
selectors.
"""

import segno
from django.utils import timezone, translation

from portal.http import public_url
from portal.pdf import qr_data_uri, render_pdf_template
from surveys import selectors
from surveys.forms import RESPONDENT_FIELDS, localized, scale_options
from surveys.models import Invitation, Scale
from surveys.services import invitation_code, invitation_url


def invitation_qr_url(token: str) -> str:
    """The address in the QR code: the survey link, marked as reached by QR (channel ``qr``)."""
    return f"{invitation_url(token)}?qr=1"


def invitation_qr_svg(token: str) -> str:
    """The QR code of a survey link as an inline SVG document (``<svg ...>``)."""
    return segno.make(invitation_qr_url(token), error="m").svg_inline(
        scale=4, border=4, dark="#000"
    )


def blank_form_pdf(*, form, desk=None, language: str = "vi") -> bytes:
    """A4 blank form: the form's areas and criteria, each row with the scale's boxes (and
    "not applicable"), the extra questions, the respondent fields, a comment box, and boxes for
    the serial number and the date that staff fill in before handing it out."""
    form = selectors.survey_form_structure(form=form)
    with translation.override(language):
        options = scale_options(form, language)
        number = 0
        areas = []
        for area in form.areas.all():
            criteria = []
            for criterion in area.criteria.all():
                number += 1
                criteria.append({"number": number, "text": localized(criterion, "text", language)})
            areas.append({"name": localized(area, "name", language), "criteria": criteria})
        questions = [
            {
                "text": localized(q, "text", language),
                "options": [localized(o, "label", language) for o in q.options or []],
            }
            for q in form.extra_questions.all()
        ]
        respondent = [
            {"label": label, "choices": [str(c.label) for c in choices]}
            for _name, label, choices in RESPONDENT_FIELDS
        ]
        context = {
            "form": form,
            "form_name": localized(form, "name", language),
            "desk": desk,
            "unit": desk.unit if desk else None,
            "options": options,
            "five_level": form.scale == Scale.FIVE_LEVEL,
            "areas": areas,
            "questions": questions,
            "respondent": respondent,
        }
    return render_pdf_template("surveys/pdf/blank_form.html", context, language=language)


def invitation_pdf(*, dossier, token: str, language: str = "vi") -> bytes:
    """An A6 invitation with the QR code and the short link of the dossier's survey, and the
    date until which the link works."""
    invitation = Invitation.objects.get(dossier=dossier)
    context = {
        "dossier": dossier,
        "desk": dossier.desk,
        "unit": dossier.unit,
        "qr": qr_data_uri(invitation_qr_url(token)),
        "url": invitation_url(token),
        "code": invitation_code(token),
        "portal": public_url("/"),
        "expires_at": timezone.localtime(invitation.expires_at),
    }
    return render_pdf_template("surveys/pdf/invitation.html", context, language=language)
