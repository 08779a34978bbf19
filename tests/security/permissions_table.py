"""The permissions matrix's one declared table (issue 13; R-UNIT-3, R-PRIV-1): for every route
of the URL configuration (by name) and each method the matrix sends, what each actor of
``tests/security/matrix.py`` gets when it asks about Commune C1's objects.

Actors are ``<role>@<place>`` (roles: receptionist, officer, leader, admin; places: ``own`` =
Commune C1, ``parent+`` = District D with ``covers_descendants``, ``parent`` = District D
without it, ``sibling`` = Commune C2, ``other-tree`` = Commune Q1 of the other unit tree), then
``no-role`` (signed in, no role), ``superuser``, ``kiosk`` (C1's survey tablet), ``citizen``
(holds the codes, PINs and links of C1's dossier, feedback item and survey) and
``anonymous``.

Each entry is ``rules((pattern, outcome), ...)``: the patterns (shell-style, on actor names,
or tuples of them) are applied in order, later ones win; the first is ``"*"``. Outcomes:

* ``OK`` 2xx, ``REDIRECT`` 3xx elsewhere than the sign-in page (a capability link setting its
  cookie, a write done, a page that sends the user to their own unit);
* ``INVALID`` 400 and ``CONFLICT`` 409: a write that got past the permission check and was
  refused for its (empty) body or the object's state;
* ``LOGIN`` 3xx to the sign-in page, ``UNAUTHENTICATED`` 401 (the API);
* ``FORBIDDEN`` 403 (signed in, without the role), ``NOT_FOUND`` 404 (the object is outside
  the actor's units: the same answer as an unknown id), ``NOT_ALLOWED`` 405.

Writes are sent with an empty body, in a transaction rolled back afterwards; refused ones are
checked to have changed nothing.

**Adding a route**: give it a name, add its arguments to ``matrix.ARGUMENTS`` (and a query in
``matrix.QUERIES`` if the page is about a unit), then declare it here. To draft an entry, run
the matrix with ``MATRIX_RECORD=/tmp/seen.json`` and read what each actor got; then check it
against R-UNIT-3 (no one outside C1's staff reaches C1's objects; ``parent`` without
``covers_descendants`` is outside) before copying it here.
"""

import fnmatch

from tests.security.matrix import ACTORS

OK, REDIRECT, LOGIN = "ok", "redirect", "login"
UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = "401", "403", "404", "405"
INVALID, CONFLICT = "400", "409"

# Who holds a role covering Commune C1 (and the superuser); who is not signed in.
IN_SCOPE_STAFF = ("*@own", "*@parent+")
IN_SCOPE = (*IN_SCOPE_STAFF, "superuser")
SIGNED_OUT = ("kiosk", "citizen", "anonymous")


def rules(*pairs) -> dict[str, str]:
    """{actor: outcome} from ``(pattern or tuple of patterns, outcome)`` pairs, in order."""
    assert pairs and pairs[0][0] == "*", "start with a default for every actor: ('*', ...)"
    result = {}
    for patterns, outcome in pairs:
        patterns = (patterns,) if isinstance(patterns, str) else patterns
        for pattern in patterns:
            matched = [a for a in ACTORS if fnmatch.fnmatchcase(a, pattern)]
            assert matched, f"pattern {pattern!r} matches no actor"
            for actor in matched:
                result[actor] = outcome
    return result


def expected_for(name: str, method: str) -> dict[str, str]:
    return TABLE[name][method]


# fmt: off
TABLE: dict[str, dict[str, dict[str, str]]] = {
    "admin:index": {
        "GET": rules(("*", LOGIN), ("superuser", OK)),
    },
    "administration:account": {
        "GET": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), OK), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), INVALID), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", INVALID), (SIGNED_OUT, LOGIN)),
    },
    "administration:calendar": {
        "GET": rules(("*", FORBIDDEN), ("superuser", OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), ("superuser", INVALID), (SIGNED_OUT, LOGIN)),
    },
    "administration:calendar_delete": {
        "GET": rules(("*", FORBIDDEN), (("admin@*", "superuser"), NOT_ALLOWED), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), ("superuser", REDIRECT), (SIGNED_OUT, LOGIN)),
    },
    "administration:department_add": {
        "GET": rules(("*", FORBIDDEN), (("admin@*", "superuser"), NOT_ALLOWED), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), INVALID), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", INVALID), (SIGNED_OUT, LOGIN)),
    },
    "administration:department_edit": {
        "GET": rules(("*", FORBIDDEN), (("admin@*", "superuser"), NOT_ALLOWED), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), REDIRECT), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", REDIRECT), (SIGNED_OUT, LOGIN)),
    },
    "administration:desk": {
        "GET": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), OK), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), INVALID), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", INVALID), (SIGNED_OUT, LOGIN)),
    },
    "administration:desk_new": {
        "GET": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), OK), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), INVALID), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", INVALID), (SIGNED_OUT, LOGIN)),
    },
    "administration:index": {
        "GET": rules(("*", FORBIDDEN), (("admin@*", "superuser"), OK), (SIGNED_OUT, LOGIN)),
    },
    "administration:role_end": {
        "GET": rules(("*", FORBIDDEN), (("admin@*", "superuser"), NOT_ALLOWED), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), REDIRECT), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", REDIRECT), (SIGNED_OUT, LOGIN)),
    },
    "administration:role_grant": {
        "GET": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), OK), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), INVALID), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", INVALID), (SIGNED_OUT, LOGIN)),
    },
    "administration:staff_new": {
        "GET": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), OK), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), INVALID), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", INVALID), (SIGNED_OUT, LOGIN)),
    },
    "administration:unit": {
        "GET": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), OK), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), (("admin@own", "admin@parent+"), OK), (("admin@parent", "admin@sibling", "admin@other-tree"), NOT_FOUND), ("superuser", OK), (SIGNED_OUT, LOGIN)),
    },
    "api-docs": {
        "GET": rules(("*", OK)),
    },
    "api-redoc": {
        "GET": rules(("*", OK)),
    },
    "api-redoc-bundle": {
        "GET": rules(("*", OK)),
    },
    "api-root": {
        "GET": rules(("*", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "api-schema": {
        "GET": rules(("*", OK)),
    },
    "api-token": {
        "POST": rules(("*", INVALID)),
    },
    "directory:desk": {
        "GET": rules(("*", OK)),
    },
    "directory:search": {
        "GET": rules(("*", OK)),
    },
    "dossier-complete": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+"), FORBIDDEN), (("officer@own", "officer@parent+", "leader@own", "leader@parent+"), OK), (("admin@own", "admin@parent+"), FORBIDDEN), ("superuser", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "dossier-detail": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "dossier-document": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "dossier-list": {
        "GET": rules(("*", OK), (SIGNED_OUT, UNAUTHENTICATED)),
        "POST": rules(("*", INVALID), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "dossier-refuse": {
        "POST": rules(("*", NOT_FOUND), (IN_SCOPE, INVALID), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "dossier-request-supplement": {
        "POST": rules(("*", NOT_FOUND), (IN_SCOPE, INVALID), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "dossier-reschedule": {
        "POST": rules(("*", NOT_FOUND), (IN_SCOPE, INVALID), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "dossier-resubmit": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "officer@own", "officer@parent+"), CONFLICT), (("leader@own", "leader@parent+", "admin@own", "admin@parent+"), FORBIDDEN), ("superuser", CONFLICT), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "dossier-return-result": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "officer@own", "officer@parent+"), CONFLICT), (("leader@own", "leader@parent+", "admin@own", "admin@parent+"), FORBIDDEN), ("superuser", CONFLICT), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "dossier-route": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "officer@own", "officer@parent+"), OK), (("leader@own", "leader@parent+", "admin@own", "admin@parent+"), FORBIDDEN), ("superuser", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "dossier-withdraw": {
        "POST": rules(("*", NOT_FOUND), (IN_SCOPE, INVALID), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "dossiers:act": {
        "POST": rules(("*", NOT_FOUND), (IN_SCOPE, INVALID), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:apology_pdf": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:control_slip_pdf": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:desk_procedures": {
        "GET": rules(("*", NOT_FOUND), (("admin@own", "admin@parent+", "superuser"), OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", NOT_FOUND), (("admin@own", "admin@parent+", "superuser"), REDIRECT), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:detail": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:guidance_pdf": {
        "POST": rules(("*", NOT_FOUND), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:intake": {
        "GET": rules(("*", FORBIDDEN), (("receptionist@own", "receptionist@parent+", "receptionist@sibling", "superuser"), OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", FORBIDDEN), (("receptionist@own", "receptionist@parent+", "receptionist@sibling", "superuser"), INVALID), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:intake_documents": {
        "GET": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "receptionist@sibling", "superuser"), OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:list": {
        "GET": rules(("*", OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:log_pdf": {
        "GET": rules(("*", INVALID), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:procedure_options": {
        "GET": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "receptionist@sibling", "superuser"), OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:receipt_pdf": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:received": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:refusal_pdf": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:stop_notice_pdf": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:supplement_pdf": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "dossiers:supplement_row": {
        "GET": rules(("*", OK), (SIGNED_OUT, LOGIN)),
    },
    "evaluations:circular01": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE_STAFF, OK), ("no-role", FORBIDDEN), ("superuser", OK), (SIGNED_OUT, LOGIN)),
    },
    "evaluations:dossiers": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
    },
    "evaluations:entries": {
        "GET": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "officer@own", "officer@parent+"), FORBIDDEN), (("leader@own", "leader@parent+", "admin@own", "admin@parent+"), OK), ("no-role", FORBIDDEN), ("superuser", OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "officer@own", "officer@parent+"), FORBIDDEN), (("leader@own", "leader@parent+", "admin@own", "admin@parent+"), REDIRECT), ("no-role", FORBIDDEN), ("superuser", REDIRECT), (SIGNED_OUT, LOGIN)),
    },
    "evaluations:entries766": {
        "GET": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "officer@own", "officer@parent+"), FORBIDDEN), (("leader@own", "leader@parent+", "admin@own", "admin@parent+"), OK), ("no-role", FORBIDDEN), ("superuser", OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "officer@own", "officer@parent+"), FORBIDDEN), (("leader@own", "leader@parent+", "admin@own", "admin@parent+"), REDIRECT), ("no-role", FORBIDDEN), ("superuser", REDIRECT), (SIGNED_OUT, LOGIN)),
    },
    "evaluations:index766": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE_STAFF, OK), ("no-role", FORBIDDEN), ("superuser", OK), (SIGNED_OUT, LOGIN)),
    },
    "evaluations:scorecards": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE_STAFF, OK), ("no-role", FORBIDDEN), ("superuser", OK), (SIGNED_OUT, LOGIN)),
    },
    "export-job": {
        "GET": rules(("*", NOT_FOUND), (("leader@own", "admin@own", "admin@parent+"), OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "export-job-cancel": {
        "POST": rules(("*", NOT_FOUND), (("leader@own", "admin@own", "admin@parent+"), OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "export-job-download": {
        "GET": rules(("*", NOT_FOUND), (("leader@own", "admin@own", "admin@parent+"), CONFLICT), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "export-jobs": {
        "GET": rules(("*", OK), (SIGNED_OUT, UNAUTHENTICATED)),
        "POST": rules(("*", INVALID), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "exports:cancel": {
        "POST": rules(("*", NOT_FOUND), (("leader@own", "admin@own", "admin@parent+"), REDIRECT), (SIGNED_OUT, LOGIN)),
    },
    "exports:download": {
        "GET": rules(("*", NOT_FOUND), (("leader@own", "admin@own", "admin@parent+"), CONFLICT), (SIGNED_OUT, LOGIN)),
    },
    "exports:list": {
        "GET": rules(("*", OK), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", INVALID), (SIGNED_OUT, LOGIN)),
    },
    "exports:progress": {
        "GET": rules(("*", NOT_FOUND), (("leader@own", "admin@own", "admin@parent+"), OK), (SIGNED_OUT, LOGIN)),
    },
    "exports:table": {
        "GET": rules(("*", INVALID), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "feedback-assign": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "officer@own", "officer@parent+", "leader@own", "leader@parent+"), CONFLICT), (("admin@own", "admin@parent+"), FORBIDDEN), ("superuser", CONFLICT), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-attachment": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-classify": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "officer@own", "officer@parent+", "leader@own", "leader@parent+"), CONFLICT), (("admin@own", "admin@parent+"), FORBIDDEN), ("superuser", CONFLICT), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-close": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+"), FORBIDDEN), (("officer@own", "officer@parent+", "leader@own", "leader@parent+"), OK), (("admin@own", "admin@parent+"), FORBIDDEN), ("superuser", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-detail": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-extend": {
        "POST": rules(("*", NOT_FOUND), (IN_SCOPE, INVALID), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-letter": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-list": {
        "GET": rules(("*", OK), (SIGNED_OUT, UNAUTHENTICATED)),
        "POST": rules(("*", INVALID), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-public-categories": {
        "GET": rules(("*", OK)),
    },
    "feedback-public-dispute": {
        "POST": rules(("*", INVALID)),
    },
    "feedback-public-published": {
        "GET": rules(("*", OK)),
    },
    "feedback-public-submit": {
        "POST": rules(("*", INVALID)),
    },
    "feedback-public-track": {
        "POST": rules(("*", INVALID)),
    },
    "feedback-public-units": {
        "GET": rules(("*", OK)),
    },
    "feedback-publish": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+"), FORBIDDEN), (("officer@own", "officer@parent+", "leader@own", "leader@parent+"), OK), (("admin@own", "admin@parent+"), FORBIDDEN), ("superuser", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-reject": {
        "POST": rules(("*", NOT_FOUND), (IN_SCOPE, INVALID), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-reopen": {
        "POST": rules(("*", NOT_FOUND), (IN_SCOPE, INVALID), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-reply": {
        "POST": rules(("*", NOT_FOUND), (IN_SCOPE, INVALID), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-start": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+"), FORBIDDEN), (("officer@own", "officer@parent+", "leader@own", "leader@parent+"), CONFLICT), (("admin@own", "admin@parent+"), FORBIDDEN), ("superuser", CONFLICT), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-transfer": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "officer@own", "officer@parent+", "leader@own", "leader@parent+"), CONFLICT), (("admin@own", "admin@parent+"), FORBIDDEN), ("superuser", CONFLICT), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback-unpublish": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+"), FORBIDDEN), (("officer@own", "officer@parent+", "leader@own", "leader@parent+"), OK), (("admin@own", "admin@parent+"), FORBIDDEN), ("superuser", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "feedback:act": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+"), FORBIDDEN), (("officer@own", "officer@parent+", "leader@own", "leader@parent+"), CONFLICT), (("admin@own", "admin@parent+"), FORBIDDEN), ("superuser", CONFLICT), (SIGNED_OUT, LOGIN)),
    },
    "feedback:attachment": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "feedback:detail": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "feedback:dispute": {
        "POST": rules(("*", REDIRECT), ("citizen", INVALID)),
    },
    "feedback:entered": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "feedback:entry": {
        "GET": rules(("*", OK), (("admin@*", "no-role"), FORBIDDEN), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", INVALID), (("admin@*", "no-role"), FORBIDDEN), (SIGNED_OUT, LOGIN)),
    },
    "feedback:entry_receipt": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "feedback:letter": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "feedback:letter_preview": {
        "POST": rules(("*", NOT_FOUND), (SIGNED_OUT, LOGIN)),
    },
    "feedback:published": {
        "GET": rules(("*", OK)),
    },
    "feedback:published_detail": {
        "GET": rules(("*", OK)),
    },
    "feedback:queue": {
        "GET": rules(("*", OK), (SIGNED_OUT, LOGIN)),
    },
    "feedback:receipt": {
        "GET": rules(("*", NOT_FOUND), ("citizen", OK)),
    },
    "feedback:submit": {
        "GET": rules(("*", OK)),
        "POST": rules(("*", INVALID)),
    },
    "feedback:submitted": {
        "GET": rules(("*", NOT_FOUND), ("citizen", OK)),
    },
    "feedback:track": {
        "GET": rules(("*", OK)),
        "POST": rules(("*", INVALID)),
    },
    "feedback:track_forget": {
        "POST": rules(("*", REDIRECT)),
    },
    "feedback:track_letter": {
        "GET": rules(("*", REDIRECT), ("citizen", OK)),
    },
    "feedback:track_result": {
        "GET": rules(("*", REDIRECT), ("citizen", OK)),
    },
    "feedback:track_token": {
        "GET": rules(("*", REDIRECT)),
    },
    "feedback:transfer_options": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "feedback:unit_options": {
        "GET": rules(("*", OK)),
    },
    "front_door": {
        "GET": rules(("*", OK)),
    },
    "healthz": {
        "GET": rules(("*", OK)),
    },
    # Readiness for the load balancer: names only which part is down, never a host.
    "readyz": {
        "GET": rules(("*", OK)),
    },
    "home": {
        "GET": rules(("*", OK)),
    },
    "login": {
        "GET": rules(("*", REDIRECT), (SIGNED_OUT, OK)),
        "POST": rules(("*", REDIRECT), (SIGNED_OUT, OK)),
    },
    "logout": {
        "POST": rules(("*", LOGIN)),
    },
    "procedure-detail": {
        "GET": rules(("*", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "procedure-list": {
        "GET": rules(("*", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "report-indicators": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "report-rankings": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "report-targets": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "reports:dashboard": {
        "GET": rules(("*", REDIRECT), (("no-role", "superuser"), OK), (SIGNED_OUT, LOGIN)),
    },
    "reports:list": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "reports:unit": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, LOGIN)),
    },
    "set_language": {
        "POST": rules(("*", REDIRECT)),
    },
    "staff_home": {
        "GET": rules(("*", OK), (SIGNED_OUT, LOGIN)),
    },
    "survey-by-token": {
        "GET": rules(("*", OK)),
        "POST": rules(("*", INVALID)),
    },
    "survey-form-detail": {
        "GET": rules(("*", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "survey-form-list": {
        "GET": rules(("*", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "survey-indices": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "survey-kiosk": {
        "GET": rules(("*", UNAUTHENTICATED), ("kiosk", OK)),
        "POST": rules(("*", UNAUTHENTICATED), ("kiosk", INVALID)),
    },
    "survey-response-detail": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "survey-response-list": {
        "GET": rules(("*", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "surveys:answer": {
        "GET": rules(("*", OK)),
        "POST": rules(("*", INVALID)),
    },
    "surveys:answer_by_code": {
        "GET": rules(("*", REDIRECT)),
    },
    "surveys:answers": {
        "GET": rules(("*", OK), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
    },
    "surveys:blank_form": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
    },
    "surveys:code": {
        "GET": rules(("*", OK)),
        "POST": rules(("*", INVALID)),
    },
    "surveys:forms": {
        "GET": rules(("*", OK), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", NOT_FOUND), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
    },
    "surveys:indices": {
        "GET": rules(("*", OK), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
    },
    "surveys:invitations": {
        "GET": rules(("*", OK), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", INVALID), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
    },
    "surveys:kiosk": {
        "GET": rules(("*", FORBIDDEN), ("kiosk", OK)),
        "POST": rules(("*", FORBIDDEN), ("kiosk", INVALID)),
    },
    "surveys:kiosk_revoke": {
        "POST": rules(("*", NOT_FOUND), (("receptionist@own", "receptionist@parent+", "officer@own", "officer@parent+"), FORBIDDEN), (("leader@own", "leader@parent+", "admin@own", "admin@parent+"), REDIRECT), ("no-role", FORBIDDEN), ("superuser", REDIRECT), (SIGNED_OUT, LOGIN)),
    },
    "surveys:kiosk_setup": {
        "GET": rules(("*", OK)),
        "POST": rules(("*", REDIRECT)),
    },
    "surveys:kiosk_thanks": {
        "GET": rules(("*", FORBIDDEN), ("kiosk", OK)),
    },
    "surveys:kiosks": {
        "GET": rules(("*", OK), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", INVALID), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
    },
    "surveys:paper_entry": {
        "GET": rules(("*", OK), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
        "POST": rules(("*", INVALID), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
    },
    "surveys:response_detail": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE_STAFF, OK), ("no-role", FORBIDDEN), ("superuser", OK), (SIGNED_OUT, LOGIN)),
    },
    "surveys:responses": {
        "GET": rules(("*", OK), ("no-role", FORBIDDEN), (SIGNED_OUT, LOGIN)),
    },
    "surveys:thanks": {
        "GET": rules(("*", OK)),
    },
    "tracking:forget": {
        "POST": rules(("*", REDIRECT)),
    },
    "tracking:lookup": {
        "GET": rules(("*", OK)),
        "POST": rules(("*", OK)),
    },
    "tracking:result": {
        "GET": rules(("*", REDIRECT), ("citizen", OK)),
    },
    "tracking:token": {
        "GET": rules(("*", OK)),
    },
    "unit-detail": {
        "GET": rules(("*", NOT_FOUND), (IN_SCOPE, OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
    "unit-list": {
        "GET": rules(("*", OK), (SIGNED_OUT, UNAUTHENTICATED)),
    },
}
# fmt: on
