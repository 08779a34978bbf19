"""Targets in force (R-IND-8): per indicator and unit level, effective-dated; a target set for a
unit (e.g. a province's online share) applies to it and its descendants and wins over the
general one of the level."""

import datetime as dt

from reports.models import Indicator, Target


class TargetBook:
    """The targets in force on a day, loaded with one query; ``for_unit`` picks the most specific
    one for a unit and indicator (None: the unit has no target)."""

    def __init__(self, on: dt.date):
        self.on = on
        latest: dict[tuple, Target] = {}
        for target in (
            Target.objects.filter(effective_from__lte=on)
            .select_related("unit")
            .order_by("effective_from", "id")
        ):
            latest[(target.indicator, target.level, target.unit_id)] = target
        self._targets = list(latest.values())

    def for_unit(self, unit, indicator: str) -> Target | None:
        paths = unit.ancestors_and_self_paths()
        best, depth = None, -1
        for target in self._targets:
            if target.indicator != indicator or target.level != unit.level:
                continue
            if target.unit_id is None:
                if depth < 0:
                    best, depth = target, 0
            elif target.unit.path in paths and len(target.unit.path) > depth:
                best, depth = target, len(target.unit.path)
        return best

    def all_for_unit(self, unit) -> dict[str, Target | None]:
        return {indicator: self.for_unit(unit, indicator) for indicator in Indicator.values}
