"""Plain helpers and data shared by the survey tests (fixtures stay in conftest.py)."""

from portal.models import AuditLog, Notification
from surveys import services
from surveys.models import Answer, ExtraAnswer, Invitation, Response
from tests.helpers import at

RETURNED_AT = at(2026, 3, 5, 10)
APPLICANT = {
    "name": "Trần Thị Bình",
    "id_number": "001190012345",
    "phone": "0987 654 321",
    "email": "binh.tran@example.test",
    "address": "5 Phúc Xá, Ba Đình, Hà Nội",
}


def by_id(parts, values: dict) -> dict:
    """{"x1": 5} → {criterion id: 5} for the services."""
    return {parts[code].pk: value for code, value in values.items()}


def db_state():
    """Everything a failed submission must leave untouched."""
    return {
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        "extra_answers": ExtraAnswer.objects.count(),
        "audit": AuditLog.objects.count(),
        "notifications": Notification.objects.count(),
        "invitations": sorted(
            Invitation.objects.values_list("id", "token_hash", "generation", "used_at")
        ),
    }


# Six filled-in small forms, the hand-computed example of the index tests (R-SUR-3).
# None = left blank, "na" = not applicable.
SMALL_DATASET = [
    # x1    x2    y1    harassment
    ({"x1": 5, "x2": 5, "y1": 1}, "none"),
    ({"x1": 4, "x2": 5, "y1": 4}, "none"),
    ({"x1": 3, "x2": 5, "y1": 2}, "some"),
    ({"x1": 2, "x2": "na", "y1": None}, "none"),
    ({"x1": "na", "x2": "na", "y1": None}, None),
    ({"x1": None, "x2": None, "y1": None}, "many"),
]


DATASET_ENTERED_AT = at(2026, 3, 20, 10)


def enter_dataset(
    *, desk, actor, small_form, prefix="P", submitted_at=None, entered_at=DATASET_ENTERED_AT
):
    """SMALL_DATASET keyed in at ``desk`` as paper sheets ``<prefix>-1`` to ``<prefix>-6``, on
    Friday 20 March 2026 at 10:00 unless ``entered_at`` says otherwise; ``submitted_at`` is the
    date on the sheets (by default the moment they are keyed in)."""
    for n, (answers, option) in enumerate(SMALL_DATASET, start=1):
        services.response_enter_paper(
            desk=desk,
            serial=f"{prefix}-{n}",
            answers=by_id(small_form.c, answers),
            extras={small_form.q["harassment"].pk: option},
            actor=actor,
            submitted_at=submitted_at,
            at=entered_at,
        )


def sheet_post(parts, values: dict, *, form, **fields) -> dict:
    """A posted sheet of the survey pages: {"x1": 5, "x2": "na"} → {"criterion_<id>": "5", ...}
    with the hidden form id; extra ``fields`` (e.g. ``comment``) are added as they are."""
    data = {"form": str(form.pk)}
    for code, value in values.items():
        data[f"criterion_{parts[code].pk}"] = "" if value is None else str(value)
    data.update({k: str(v) for k, v in fields.items()})
    return data
