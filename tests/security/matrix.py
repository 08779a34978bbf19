"""The permissions matrix's dataset, actors and routes (helpers, not fixtures).

One small explicit dataset, built once per test module::

    tree "legacy"  Province P ── District D ─┬─ Commune C1   (the objects: desk, dossiers,
                                             │                feedback, survey answers, kiosk,
                                             │                export job, a staff member)
                                             └─ Commune C2   (sibling)
    tree "current" Province Q ── Commune Q1                  (the other tree)

Every object the routes take lives at Commune C1. The actors (``ACTORS``) are each role of
``portal.models.Role`` placed at C1 itself (``own``), at District D with ``covers_descendants``
(``parent+``) and without (``parent``), at the sibling C2 (``sibling``) and at Q1 of the other
tree (``other-tree``); then a signed-in account without any role (``no-role``), a superuser,
the citizen who holds the dossier's and the feedback item's codes and PINs (looked up, so the
tracking cookies are set), the survey link and the filing session of the item, and anonymous.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.models import CalendarOverride, Role, UnitLevel
from tests.factories import (
    CalendarOverrideFactory,
    DepartmentFactory,
    DeskFactory,
    MembershipFactory,
    ProcedureFactory,
    UnitFactory,
    UnitTreeFactory,
    UserFactory,
)
from tests.helpers import at

ROLES = tuple(Role.values)  # receptionist, officer, leader, admin
PLACES = ("own", "parent+", "parent", "sibling", "other-tree")
STAFF = tuple(f"{role}@{place}" for role in ROLES for place in PLACES)
OTHERS = ("no-role", "superuser", "kiosk", "citizen", "anonymous")
ACTORS = STAFF + OTHERS

# Who holds a role covering Commune C1 (R-UNIT-3): the people who may see its data.
IN_SCOPE_PLACES = ("own", "parent+")

# Personal data of the applicant and the sender (R-PRIV-1): no answer to an actor outside
# C1's staff may contain them (the citizen's own tracking pages mask them too).
SECRETS = (
    "079099000111",  # the applicant's ID number
    "99 Phố Bí Mật",  # the applicant's address
    "079099000222",  # the sender's ID number
    "77 Ngõ Riêng",  # the sender's address
)
APPLICANT = {
    "name": "Trần Thị Matrix",
    "id_number": "079099000111",
    "phone": "0912 000 111",
    "email": "matrix.applicant@example.test",
    "address": "99 Phố Bí Mật, Phúc Xá",
}
SENDER = {
    "name": "Lê Văn Sender",
    "id_number": "079099000222",
    "phone": "0912 000 222",
    "email": "matrix.sender@example.test",
    "address": "77 Ngõ Riêng, Phúc Xá",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def in_scope(actor: str) -> bool:
    """Whether the actor may see Commune C1's dossiers, items and personal data."""
    return actor == "superuser" or actor.partition("@")[2] in IN_SCOPE_PLACES


def build():
    """The dataset (call inside a transaction that is rolled back after the module)."""
    from dossiers import services as dossier_services
    from dossiers.models import RuleSet
    from feedback import services as feedback_services
    from feedback.models import Attachment
    from reports.exports import services as export_services
    from surveys import kiosk_setup
    from surveys import services as survey_services
    from surveys.models import Criterion, SurveyForm

    legacy = UnitTreeFactory(code="legacy")
    current = UnitTreeFactory(
        code="current", name="Hai cấp", levels=2, valid_from=dt.date(2025, 7, 1), valid_to=None
    )
    p = UnitFactory(tree=legacy, level=UnitLevel.CITY, code="91", name="Tỉnh P")
    d = UnitFactory(tree=legacy, parent=p, level=UnitLevel.DISTRICT, code="911", name="Huyện D")
    c1 = UnitFactory(
        tree=legacy,
        parent=d,
        level=UnitLevel.COMMUNE,
        code="91101",
        name="Xã C1",
        agency_code="000.91.01.H26",
    )
    c2 = UnitFactory(tree=legacy, parent=d, level=UnitLevel.COMMUNE, code="91102", name="Xã C2")
    q = UnitFactory(tree=current, level=UnitLevel.CITY, code="92", name="Tỉnh Q")
    q1 = UnitFactory(
        tree=current, parent=q, level=UnitLevel.COMMUNE, code="92001", name="Phường Q1"
    )
    units = {"own": c1, "parent+": d, "parent": d, "sibling": c2, "other-tree": q1}
    RuleSet.objects.get(code="nd118-2025")  # reference data (post_migrate)

    users = {}
    for role in ROLES:
        for place in PLACES:
            username = f"{role}-{place}".replace("+", "-covers")
            user = UserFactory(username=username)
            MembershipFactory(
                user=user, unit=units[place], role=role, covers_descendants=place == "parent+"
            )
            users[f"{role}@{place}"] = user
    users["no-role"] = UserFactory(username="no-role")
    users["superuser"] = UserFactory(username="root", is_superuser=True, is_staff=True)
    # A staff member of C1 whose account and role the admin routes take.
    member = UserFactory(username="member-c1")
    membership = MembershipFactory(user=member, unit=c1, role=Role.OFFICER)

    desk = DeskFactory(unit=c1, name="Bộ phận một cửa C1")
    DeskFactory(unit=c2, name="Bộ phận một cửa C2")
    department = DepartmentFactory(desk=desk, code="tu-phap", name="Tư pháp")
    procedure = ProcedureFactory(code="1.009999", name="Đăng ký khai sinh", offered_at=[desk])
    receptionist, officer = users["receptionist@own"], users["officer@own"]

    dossier, pin = dossier_services.dossier_receive(
        desk=desk,
        procedure=procedure,
        applicant=dict(APPLICANT),
        actor=receptionist,
        received_at=at(2026, 3, 2, 9),
    )

    def returned(day):
        done, _pin = dossier_services.dossier_receive(
            desk=desk,
            procedure=procedure,
            applicant=dict(APPLICANT),
            actor=receptionist,
            received_at=at(2026, 3, day, 9),
        )
        dossier_services.dossier_complete(dossier=done, actor=officer, at=at(2026, 3, day + 1))
        dossier_services.dossier_return(dossier=done, actor=receptionist, at=at(2026, 3, day + 2))
        return done

    # One dossier per printed letter, so each document route has something to print.
    root = users["superuser"]

    def received(day):
        made, _pin = dossier_services.dossier_receive(
            desk=desk,
            procedure=procedure,
            applicant=dict(APPLICANT),
            actor=receptionist,
            received_at=at(2026, 3, day, 9),
        )
        return made

    refused = received(2)
    dossier_services.dossier_refuse(
        dossier=refused,
        reason="Không thuộc thẩm quyền",
        legal_basis="Điều 9 Nghị định 61/2018",
        actor=root,
        at=at(2026, 3, 2, 10),
    )
    withdrawn = received(2)
    dossier_services.dossier_withdraw(
        dossier=withdrawn, request_text="Tôi xin rút hồ sơ", actor=root, at=at(2026, 3, 2, 10)
    )
    paused = received(2)
    dossier_services.dossier_request_supplement(
        dossier=paused, items=[{"name": "Giấy chứng sinh"}], actor=root, at=at(2026, 3, 2, 10)
    )
    rescheduled = received(2)
    dossier_services.dossier_reschedule(
        dossier=rescheduled,
        reason="Chờ xác minh",
        new_due_date=dt.date(2026, 3, 12),
        actor=root,
        at=at(2026, 3, 5, 9),
    )

    invited = returned(3)
    survey_token = survey_services.invitation_create(dossier=invited, send=False)
    answered = returned(4)
    form = SurveyForm.objects.filter(is_published=True).order_by("pk").first()
    criteria = list(Criterion.objects.filter(area__form=form).order_by("pk")[:2])
    response = survey_services.response_enter_paper(
        desk=desk,
        serial="MATRIX-1",
        answers={c.pk: 4 for c in criteria},
        actor=receptionist,
        dossier=answered,
    )
    kiosk, kiosk_token = survey_services.kiosk_device_register(
        desk=desk, name="Kiosk C1", actor=users["leader@own"]
    )

    item, item_pin = feedback_services.feedback_submit(
        unit=c1,
        kind="feedback",
        channel="web",
        body="Phản ánh về thời gian chờ tại Bộ phận một cửa C1.",
        sender=dict(SENDER),
        attachments=[SimpleUploadedFile("thu.pdf", PDF, "application/pdf")],
        received_at=at(2026, 3, 2, 9),
    )
    reply = feedback_services.feedback_reply(
        item=item, actor=officer, text="Đã khắc phục.", at=at(2026, 3, 5, 9)
    )
    feedback_services.feedback_publish(item=item, actor=officer, at=at(2026, 3, 6, 9))
    attachment = Attachment.objects.filter(item=item).first()

    job = export_services.export_job_create(
        owner=users["leader@own"],
        kind="table",
        fmt="csv",
        params={"unit": c1.pk, "period": "2026-03"},
        table="dossiers",
    )
    override = CalendarOverrideFactory(
        date=dt.date(2026, 12, 31), kind=CalendarOverride.Kind.DAY_OFF, created_by=None
    )

    return SimpleNamespace(
        units=SimpleNamespace(p=p, d=d, c1=c1, c2=c2, q=q, q1=q1),
        users=users,
        member=member,
        membership=membership,
        desk=desk,
        department=department,
        procedure=procedure,
        dossier=dossier,
        pin=pin,
        refused=refused,
        withdrawn=withdrawn,
        paused=paused,
        rescheduled=rescheduled,
        survey_token=survey_token,
        survey_code=survey_services.invitation_code(survey_token),
        form=form,
        criterion=criteria[0],
        response=response,
        kiosk=kiosk,
        kiosk_token=kiosk_token,
        new_kiosk_setup_code=lambda: kiosk_setup.setup_code_create(device_token=kiosk_token),
        item=item,
        item_pin=item_pin,
        reply=reply,
        attachment=attachment,
        job=job,
        override=override,
    )


def clients(data) -> dict[str, Client]:
    """One test client per actor: staff signed in; the citizen with both lookups done (the
    tracking cookies) and the feedback item's filing session; anonymous with nothing."""
    from surveys import kiosk_setup

    result = {}
    for actor in ACTORS:
        client = Client()
        user = data.users.get(actor)
        if user is not None:
            client.force_login(user)
        result[actor] = client
    kiosk = Client(headers={"Authorization": f"Kiosk {data.kiosk_token}"})
    kiosk.cookies[kiosk_setup.COOKIE_NAME] = data.kiosk_token
    result["kiosk"] = kiosk
    citizen = result["citizen"]
    found = citizen.post(reverse("tracking:lookup"), {"code": data.dossier.code, "pin": data.pin})
    assert found.status_code == 303 and found["Location"].endswith(reverse("tracking:result"))
    found = citizen.post(reverse("feedback:track"), {"code": data.item.code, "pin": data.item_pin})
    assert found.status_code == 303, found
    assert found["Location"].endswith(reverse("feedback:track_result"))
    session = citizen.session
    session["feedback.submitted"] = {
        str(data.item.pk): {"pin": data.item_pin, "until": time.time() + 3600, "shown": True}
    }
    session.save()
    return result


# --- routes -------------------------------------------------------------------------------
# Namespaces left out of the matrix, with the reason (a route of any other namespace must be
# in the table). Django's own admin is for superusers and ``is_staff`` accounts only: the
# matrix checks its index (``admin:index``) and Django's tests check the rest.
EXCLUDED_NAMESPACES = {"admin": "Django's admin site (is_staff only); its index is checked"}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str


def url_routes() -> dict[str, Route]:
    """Every named route of the URL configuration (walking the resolver), format-suffix
    variants folded into their route, excluded namespaces left out (but ``admin:index``)."""
    found: dict[str, Route] = {}

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                if namespace.partition(":")[0] in EXCLUDED_NAMESPACES and name != "admin:index":
                    continue
                if not entry.name:
                    raise AssertionError(f"unnamed route {prefix}{entry.pattern}: name it")
                found.setdefault(name, Route(name, prefix + str(entry.pattern)))

    walk(get_resolver(), "", "")
    return found


def schema_operations() -> set[tuple[str, str]]:
    """(route name, METHOD) of every operation of the OpenAPI schema (drf-spectacular's
    generator, what docs/openapi.yaml is made from): each path's placeholders filled with a
    sample value and resolved back to its route."""
    from django.urls import resolve
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    samples = {
        "pk": "1",
        "id": "1",
        "attachment_id": "1",
        "number": "1",
        "kind": "receipt",
        "token": "x",
    }
    operations = set()
    uuid = "00000000-0000-0000-0000-000000000000"
    for path, methods in schema["paths"].items():
        exports = "/exports/" in path
        concrete = re.sub(
            r"\{(\w+)\}",
            lambda m, exports=exports: uuid if exports else samples.get(m.group(1), "1"),
            path,
        )
        match = resolve(concrete)
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        for method in methods:
            if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                operations.add((name, method.upper()))
    return operations


# Values for the routes' arguments, all about Commune C1's objects.
ARGUMENTS: dict[str, Callable] = {
    "directory:desk": lambda d: {"pk": d.desk.pk},
    "dossiers:desk_procedures": lambda d: {"pk": d.desk.pk},
    "dossiers:detail": lambda d: {"pk": d.dossier.pk},
    "dossiers:received": lambda d: {"pk": d.dossier.pk},
    "dossiers:act": lambda d: {"pk": d.dossier.pk, "action": "route"},
    "dossiers:receipt_pdf": lambda d: {"pk": d.dossier.pk},
    "dossiers:control_slip_pdf": lambda d: {"pk": d.dossier.pk},
    "dossiers:supplement_pdf": lambda d: {"pk": d.paused.pk},
    "dossiers:refusal_pdf": lambda d: {"pk": d.refused.pk},
    "dossiers:apology_pdf": lambda d: {"pk": d.rescheduled.pk},
    "dossiers:stop_notice_pdf": lambda d: {"pk": d.withdrawn.pk},
    "tracking:token": lambda d: {"token": _tracking_token(d)},
    "administration:unit": lambda d: {"pk": d.units.c1.pk},
    "administration:desk_new": lambda d: {"unit_pk": d.units.c1.pk},
    "administration:staff_new": lambda d: {"unit_pk": d.units.c1.pk},
    "administration:role_grant": lambda d: {"unit_pk": d.units.c1.pk},
    "administration:desk": lambda d: {"pk": d.desk.pk},
    "administration:department_add": lambda d: {"desk_pk": d.desk.pk},
    "administration:department_edit": lambda d: {"pk": d.department.pk},
    "administration:role_end": lambda d: {"pk": d.membership.pk},
    "administration:account": lambda d: {"pk": d.member.pk},
    "administration:calendar_delete": lambda d: {"pk": d.override.pk},
    "surveys:kiosk_setup": lambda d: {"code": d.new_kiosk_setup_code()},
    "surveys:response_detail": lambda d: {"pk": d.response.pk},
    "surveys:kiosk_revoke": lambda d: {"pk": d.kiosk.pk},
    "surveys:answer": lambda d: {"token": d.survey_token},
    "feedback:submitted": lambda d: {"pk": d.item.pk},
    "feedback:receipt": lambda d: {"pk": d.item.pk},
    "feedback:track_letter": lambda d: {"number": d.reply.number},
    "feedback:track_token": lambda d: {"token": _feedback_token(d)},
    "feedback:published_detail": lambda d: {"pk": _publication(d).pk},
    "feedback:detail": lambda d: {"pk": d.item.pk},
    "feedback:entered": lambda d: {"pk": d.item.pk},
    "feedback:entry_receipt": lambda d: {"pk": d.item.pk},
    "feedback:act": lambda d: {"pk": d.item.pk, "action": "start"},
    "feedback:transfer_options": lambda d: {"pk": d.item.pk},
    "feedback:letter_preview": lambda d: {"pk": d.item.pk},
    "feedback:letter": lambda d: {"pk": d.item.pk, "number": d.reply.number},
    "feedback:attachment": lambda d: {"pk": d.item.pk, "attachment_id": d.attachment.pk},
    "reports:unit": lambda d: {"unit_id": d.units.c1.pk},
    "reports:list": lambda d: {"unit_id": d.units.c1.pk, "figure": "received"},
    "exports:progress": lambda d: {"pk": d.job.pk},
    "exports:cancel": lambda d: {"pk": d.job.pk},
    "exports:download": lambda d: {"pk": d.job.pk},
    "exports:table": lambda d: {"table": "dossiers", "fmt": "csv"},
    "unit-detail": lambda d: {"pk": d.units.c1.pk},
    "procedure-detail": lambda d: {"pk": d.procedure.pk},
    "dossier-detail": lambda d: {"pk": d.dossier.pk},
    "dossier-complete": lambda d: {"pk": d.dossier.pk},
    "dossier-document": lambda d: {"pk": d.dossier.pk, "kind": "receipt"},
    "dossier-refuse": lambda d: {"pk": d.dossier.pk},
    "dossier-request-supplement": lambda d: {"pk": d.dossier.pk},
    "dossier-reschedule": lambda d: {"pk": d.dossier.pk},
    "dossier-resubmit": lambda d: {"pk": d.dossier.pk},
    "dossier-return-result": lambda d: {"pk": d.dossier.pk},
    "dossier-route": lambda d: {"pk": d.dossier.pk},
    "dossier-withdraw": lambda d: {"pk": d.dossier.pk},
    "survey-by-token": lambda d: {"token": d.survey_token},
    "survey-form-detail": lambda d: {"pk": d.form.pk},
    "survey-response-detail": lambda d: {"pk": d.response.pk},
    "feedback-detail": lambda d: {"pk": d.item.pk},
    "feedback-assign": lambda d: {"pk": d.item.pk},
    "feedback-attachment": lambda d: {"pk": d.item.pk, "attachment_id": d.attachment.pk},
    "feedback-classify": lambda d: {"pk": d.item.pk},
    "feedback-close": lambda d: {"pk": d.item.pk},
    "feedback-extend": lambda d: {"pk": d.item.pk},
    "feedback-letter": lambda d: {"pk": d.item.pk, "number": d.reply.number},
    "feedback-publish": lambda d: {"pk": d.item.pk},
    "feedback-reject": lambda d: {"pk": d.item.pk},
    "feedback-reopen": lambda d: {"pk": d.item.pk},
    "feedback-reply": lambda d: {"pk": d.item.pk},
    "feedback-start": lambda d: {"pk": d.item.pk},
    "feedback-transfer": lambda d: {"pk": d.item.pk},
    "feedback-unpublish": lambda d: {"pk": d.item.pk},
    "export-job": lambda d: {"pk": d.job.pk},
    "export-job-cancel": lambda d: {"pk": d.job.pk},
    "export-job-download": lambda d: {"pk": d.job.pk},
}

# Query strings that make a page about Commune C1 (where the page takes one).
QUERIES: dict[str, dict] = {
    "dossiers:log_pdf": {"desk": "DESK", "date_from": "2026-03-01", "date_to": "2026-03-31"},
    "surveys:blank_form": {"desk": "DESK"},
    "surveys:answers": {"criterion": "CRITERION"},
    "reports:dashboard": {"unit": "C1"},
    "evaluations:circular01": {"unit": "C1"},
    "evaluations:dossiers": {"unit": "C1", "index": "1"},
    "evaluations:entries": {"unit": "C1"},
    "evaluations:index766": {"unit": "C1"},
    "evaluations:entries766": {"unit": "C1"},
    "evaluations:scorecards": {"unit": "C1"},
    "exports:table": {"unit": "C1", "period": "2026-03"},
    "report-indicators": {"unit": "C1", "period": "2026-03"},
    "report-rankings": {"unit": "C1", "period": "2026-03"},
    "report-targets": {"unit": "C1", "period": "2026-03"},
    "survey-indices": {"unit": "C1"},
}


def url_for(name: str, data) -> str:
    kwargs = ARGUMENTS[name](data) if name in ARGUMENTS else {}
    url = reverse(name, kwargs=kwargs)
    values = {"C1": data.units.c1.pk, "DESK": data.desk.pk, "CRITERION": data.criterion.code}
    query = {k: values.get(v, v) for k, v in QUERIES.get(name, {}).items()}
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def _tracking_token(data):
    from dossiers.tracking.tokens import make_tracking_token

    return make_tracking_token(data.dossier)


def _feedback_token(data):
    from feedback import tracking

    return tracking.make_tracking_token(data.item)


def _publication(data):
    from feedback.models import Publication

    return Publication.objects.get(item=data.item)
