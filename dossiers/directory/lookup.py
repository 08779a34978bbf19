"""What the public desk directory shows, cached (front door, R-UNIT-2).

Desks, their units and the procedures they offer change a few times a year; citizens look
them up all day. So both reads are cached in Django's cache (Redis in production) under a
version number: any change to a desk, a unit, a procedure, its documents or the desks offering
it raises the version (``invalidate``, connected in ``DossiersConfig.ready``), and every entry
also expires after ``DIRECTORY_CACHE_SECONDS`` whatever happens (a change made with
``update()``, which sends no signal, shows within that time). Entries are plain data (dicts,
lists), never model instances.

Only active desks of units that exist today are listed; nothing here is personal.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.lookups import Contains
from django.utils import timezone

from dossiers.models import Procedure
from portal.models import ServiceDesk
from portal.search import FoldAccents, fold_accents
from portal.selectors import in_force_q

VERSION_KEY = "directory:version"
SEARCH_LIMIT = 30


def _seconds() -> int:
    return int(getattr(settings, "DIRECTORY_CACHE_SECONDS", 300))


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def _bump(**_kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new number will do
        cache.set(VERSION_KEY, 2, timeout=None)


def invalidate(**kwargs) -> None:
    """A signal receiver: forget every cached list now, and again when the change commits (a
    read in between could have cached the old rows)."""
    _bump()
    transaction.on_commit(_bump)


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"directory:v{_version()}:{kind}:{digest}"


def _desks():
    return ServiceDesk.objects.filter(is_active=True).filter(
        in_force_q(timezone.localdate(), prefix="unit__")
    )


def _desk_row(desk: ServiceDesk) -> dict:
    unit = desk.unit
    return {
        "id": desk.pk,
        "name": desk.name,
        "unit": unit.name,
        "parent": unit.parent.name if unit.parent_id else "",
        "address": desk.address,
        "phone": desk.phone,
        "email": desk.email,
        "hours": desk.opening_hours,
    }


def desks_matching(query: str) -> list[dict]:
    """Active desks whose name, unit, parent unit or address contains every word of
    ``query`` (accents and case ignored), at most ``SEARCH_LIMIT``, in unit order. An empty
    query lists the first ones."""
    folded = fold_accents(query or "")[:100]
    key = _key("search", folded)
    found = cache.get(key)
    if found is None:
        qs = _desks().select_related("unit", "unit__parent").order_by("unit__path", "name")
        for word in folded.split():
            qs = qs.filter(
                Q(Contains(FoldAccents("name"), word))
                | Q(Contains(FoldAccents("unit__name"), word))
                | Q(Contains(FoldAccents("unit__parent__name"), word))
                | Q(Contains(FoldAccents("address"), word))
            )
        found = [_desk_row(desk) for desk in qs[:SEARCH_LIMIT]]
        cache.set(key, found, _seconds())
    return found


def desk_page(desk_id: int) -> dict | None:
    """One active desk with the procedures it offers (name, field, processing time, fee,
    documents to bring), or None."""
    key = _key("desk", str(int(desk_id)))
    page = cache.get(key)
    if page is None:
        desk = _desks().select_related("unit", "unit__parent").filter(pk=desk_id).first()
        if desk is None:
            page = {}
        else:
            procedures = (
                Procedure.objects.filter(desks=desk, is_active=True)
                .prefetch_related("documents")
                .order_by("field", "name")
            )
            page = {
                "desk": _desk_row(desk),
                "procedures": [
                    {
                        "code": p.code,
                        "name": p.name,
                        "field": p.field,
                        "processing_time": p.processing_time,
                        "time_unit": p.time_unit,
                        "fee_vnd": p.fee_vnd,
                        "documents": [
                            {
                                "name": d.name,
                                "original": d.original_required,
                                "quantity": d.quantity,
                                "optional": d.is_optional,
                            }
                            for d in p.documents.all()
                        ],
                    }
                    for p in procedures
                ],
            }
        cache.set(key, page, _seconds())
    return page or None
