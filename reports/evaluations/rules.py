"""The scoring rules of Circular 01/2018/TT-VPCP Art. 13 and 15 as pure functions (R-IND-6):
no database, only numbers in and points out, so each boundary is tested directly.

All scores are ``Decimal``: an index is points ÷ dossiers rounded half up to one decimal
(Art. 15.2.a), a total is the sum of the rounded indices (Art. 15.2.b), and a band compares that
total with the rule set's thresholds exactly (5.0 is "100 %", 4.9 is not).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

ONE_DECIMAL = Decimal("0.1")
TWO, ONE, ZERO = Decimal(2), Decimal(1), Decimal(0)

# Art. 15.1: officials are scored on indices 1, 2, 3, 4 and 7 (max 10), agencies on all nine.
OFFICIAL_INDICES = (1, 2, 3, 4, 7)
AGENCY_INDICES = (1, 2, 3, 4, 5, 6, 7, 8, 9)
PER_DOSSIER = (1, 2, 3, 4, 7)

INDEX_LABELS = {
    1: _("Total processing time against the legal time"),
    2: _("Time taken at each step against its limit"),
    3: _("Contacts with the desk needed to complete the dossier"),
    4: _("Bodies the applicant had to contact"),
    5: _("Received, appraised and returned at the one-stop desk"),
    6: _("Procedures published at the desk and electronically"),
    7: _("Staff conduct in guiding, receiving and handling"),
    8: _("Feedback handled on time"),
    9: _("Progress and quality of online public services"),
}

STAFF_BANDS = {
    # xgettext: no-python-format
    "full": _("100 % of duties"),
    "partial": _("70 % to under 100 % of duties"),
    # xgettext: no-python-format
    "low": _("under 70 % of duties"),
}
AGENCY_GRADES = {
    "excellent": _("Excellent"),
    "good": _("Good"),
    "fair": _("Fair"),
    "average": _("Average"),
    "weak": _("Weak"),
}


def as_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def index_value(points, dossiers: int) -> Decimal | None:
    """Art. 15.2.a: the points of all dossiers ÷ the number of dossiers, one decimal (half up);
    None when there is no dossier (the index is missing, not zero)."""
    if not dossiers:
        return None
    return (as_decimal(points) / Decimal(dossiers)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def counts_points(n2: int, n1: int, n0: int) -> tuple[int, int]:
    """Dossiers that scored 2, 1 and 0 → (points, dossiers)."""
    return 2 * n2 + n1, n2 + n1 + n0


def classification_points(classification: str) -> int:
    """Index 1 (and the base of index 7): early 2, on time 1, late 0 (R-DUE-6)."""
    return {"early": 2, "on_time": 1}.get(classification, 0)


def total(values) -> Decimal:
    """Art. 15.2.b: the sum of the index scores present (missing ones are left out)."""
    return sum((as_decimal(v) for v in values if v is not None), ZERO)


def staff_band(score: Decimal, rules) -> str:
    """Art. 15.3.a: ≥ 5 → 100 % of duties; 3.5 to < 5 → 70 % to < 100 %; < 3.5 → < 70 %."""
    if score >= rules.staff_full:
        return "full"
    if score >= rules.staff_partial:
        return "partial"
    return "low"


def agency_grade(score: Decimal, rules) -> str:
    """Art. 15.3.b: ≥ 15 excellent, 12–15 good, 9–12 fair, 6–9 average, < 6 weak."""
    if score >= rules.grade_excellent:
        return "excellent"
    if score >= rules.grade_good:
        return "good"
    if score >= rules.grade_fair:
        return "fair"
    if score >= rules.grade_average:
        return "average"
    return "weak"


def percent(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return as_decimal(numerator) * 100 / as_decimal(denominator)


def desk_minimum(level: str, rules) -> Decimal:
    return {
        "city": rules.desk_share_city,
        "district": rules.desk_share_district,
        "commune": rules.desk_share_commune,
    }.get(level, rules.desk_share_commune)


def index5_points(*, at_desk: int, procedures: int, level: str, rules) -> Decimal | None:
    """Index 5: 2 points when the desk itself receives, appraises, approves and returns at
    least the level's share of its procedures (20 % province, 50 % district, 100 % commune);
    1 point when every procedure is at least received and returned at the desk (always true of
    the dossiers the portal records, which are received and returned through the desk); missing
    without a completed dossier."""
    share = percent(at_desk, procedures)
    if share is None:
        return None
    return TWO if share >= desk_minimum(level, rules) else ONE


def index6_points(*, at_desk: bool | None, online: bool | None) -> Decimal | None:
    """Index 6: accurate, complete and timely both at the desk and electronically → 2; one of
    them → 1; neither → 0; missing until both answers are entered."""
    if at_desk is None or online is None:
        return None
    return Decimal(int(at_desk) + int(online))


def index8_points(*, answered: int, in_time: int, dragging: int, rules) -> Decimal:
    """Index 8: no feedback at all, or 100 % handled on time, and none dragging on → 2;
    ≥ 90 % on time and none dragging on → 1; otherwise 0."""
    if dragging:
        return ZERO
    if not answered:
        # nothing answered and nothing overdue: "no feedback at all" when none came in either;
        # feedback received and still within its deadline is not late yet.
        return TWO
    share = percent(in_time, answered)
    if share >= rules.feedback_full:
        return TWO
    if share >= rules.feedback_partial:
        return ONE
    return ZERO


def index9_points(
    *, procedures: int, online_procedures: int, received: int, online: int, problems: int, rules
) -> Decimal | None:
    """Index 9: 2 points with ≥ 20 % of the procedures offered online (levels 3–4, today partly
    or fully online), ≥ 30 % of the dossiers received online and no online dossier late or
    overdue; 1 point with some procedures online, 15 % to < 30 % online and none late or
    overdue; otherwise 0. Missing without procedures or without dossiers."""
    services = percent(online_procedures, procedures)
    share = percent(online, received)
    if services is None or share is None:
        return None
    if problems or online_procedures == 0 or share < rules.online_dossiers_partial:
        return ZERO
    if services >= rules.online_services_full and share >= rules.online_dossiers_full:
        return TWO
    # None of the 0-point conditions holds (some procedures online, ≥ 15 % online, nothing late
    # or overdue). ≥ 30 % online with fewer than 20 % of the procedures online meets neither the
    # 2-point nor, literally, the 1-point wording (15 % to < 30 %); the 0-point list does not
    # name it either, so it scores 1 (docs/evaluations.md).
    return ONE
