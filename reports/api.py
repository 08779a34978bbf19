"""Read-only API of the reports (R-IND-1..3, R-IND-8): indicators of a unit and period, the
ranking of its children (or of it among its siblings) and the targets table. Thin views over
``reports.selectors``, which read only the rollups: a constant number of queries whatever the
number of units."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from portal.api import NOT_AUTHENTICATED
from portal.api_errors import ErrorSerializer
from portal.selectors import visible_units
from portal.strict_input import StrictIntegerField
from reports import selectors
from reports.models import Indicator
from reports.periods import parse_period
from reports.rankings import COMPOSITE

TAG = "reports"
RANKED = (*Indicator.values, COMPOSITE)


class ReportQuerySerializer(serializers.Serializer):
    unit = StrictIntegerField(help_text=_("Id of a unit you may see. Not yours: 404."))
    period = serializers.CharField(
        help_text=_(
            "A month (2026-03), a quarter (2026-Q1), a year (2026) or two days "
            "(2026-01-05..2026-02-10), at most ten years."
        )
    )


class ReportUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    tree = serializers.CharField(source="tree.code")


def _counts_field():
    return serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_(
            "Counts of R-IND-1/2: received, completed, early, on_time, late, overdue (snapshot "
            "of the period's last day), refused, supplement_requests, apologies, withdrawn, "
            "received_online, complaints_received, complaints_answered, "
            "complaints_answered_in_time, complaints_overdue (feedback items of every kind; "
            "overdue is the snapshot of the period's last day), responses."
        ),
    )


class ReportTargetSerializer(serializers.Serializer):
    value = serializers.FloatField(help_text=_("Target in percent."))
    lower_is_better = serializers.BooleanField(help_text=_("True: a ceiling (late share)."))
    effective_from = serializers.DateField()
    unit = serializers.IntegerField(
        source="unit_id", allow_null=True, help_text=_("Set for this unit only; null: the level's.")
    )


class ReportIndicatorSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=Indicator.choices)
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text=_("Percent; null without data."))
    previous = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    sample = serializers.IntegerField(help_text=_("The rate's denominator."))
    target = ReportTargetSerializer(allow_null=True)
    meets_target = serializers.BooleanField(allow_null=True)


class ReportPeriodPartSerializer(serializers.Serializer):
    tree = serializers.CharField(source="tree.code")
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")


class ReportIndicatorsSerializer(serializers.Serializer):
    unit = ReportUnitSerializer()
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    previous_period = serializers.CharField()
    snapshot_day = serializers.DateField(allow_null=True)
    counts = _counts_field()
    previous_counts = _counts_field()
    indicators = ReportIndicatorSerializer(many=True)
    parts = ReportPeriodPartSerializer(
        many=True, help_text=_("The unit trees valid during the period, with their part of it.")
    )


def _ranked_dict(**kwargs):
    return serializers.DictField(child=serializers.FloatField(allow_null=True), **kwargs)


class ReportRankingRowSerializer(serializers.Serializer):
    unit = ReportUnitSerializer()
    values = _ranked_dict(help_text=_("Indicator values in percent, and the composite score."))
    samples = serializers.DictField(child=serializers.IntegerField())
    ranks = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text=_("Rank per indicator; ties share a rank; null: not ranked (small sample)."),
    )
    previous_ranks = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    movement = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text=_("Places gained since the previous period (negative: lost)."),
    )


class ReportRankingSerializer(serializers.Serializer):
    parent = ReportUnitSerializer()
    focus = ReportUnitSerializer(allow_null=True)
    period = serializers.CharField()
    previous_period = serializers.CharField()
    min_sample = serializers.IntegerField()
    weights = serializers.DictField(child=serializers.FloatField())
    weights_version = serializers.IntegerField(allow_null=True)
    units = serializers.IntegerField(help_text=_("Units listed."))
    ranked = serializers.DictField(
        child=serializers.IntegerField(), help_text=_('Units ranked per indicator ("of N").')
    )
    rows = ReportRankingRowSerializer(many=True)


class ReportTargetRowSerializer(serializers.Serializer):
    unit = ReportUnitSerializer()
    values = _ranked_dict()
    targets = serializers.DictField(child=ReportTargetSerializer(allow_null=True))
    meets = serializers.DictField(child=serializers.BooleanField(allow_null=True))
    missing = serializers.ListField(child=serializers.CharField())


NOT_FOUND = OpenApiResponse(
    response=ErrorSerializer, description=_("The unit is not one of yours.")
)
BAD_PERIOD = OpenApiResponse(response=ErrorSerializer, description=_("Unknown or too long period."))


class _ReportView(APIView):
    def query(self, request):
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = visible_units(user=request.user).filter(pk=query.validated_data["unit"]).first()
        if unit is None:
            raise exceptions.NotFound()
        return unit, parse_period(query.validated_data["period"])


@extend_schema(
    summary=_("Indicators of a unit for a period"),
    description=_(
        "R-IND-1/2 counts and the on-time rate, late share, online share and satisfaction index "
        "of a unit with its descendants, read from the rollups, next to the previous period and "
        "the target in force (R-IND-8)."
    ),
    tags=[TAG],
    parameters=[ReportQuerySerializer],
    responses={
        200: ReportIndicatorsSerializer,
        400: BAD_PERIOD,
        401: NOT_AUTHENTICATED,
        404: NOT_FOUND,
    },
)
class IndicatorsView(_ReportView):
    def get(self, request):
        unit, period = self.query(request)
        result = selectors.indicator_values(user=request.user, unit=unit, period=period)
        data = {
            "unit": unit,
            "period": str(period),
            "start": period.start,
            "end": period.end,
            "previous_period": str(result.previous_period),
            "snapshot_day": result.figures.snapshot_day,
            "counts": result.figures.counts(),
            "previous_counts": result.previous_figures.counts(),
            "indicators": [
                {
                    "key": i.key,
                    "label": i.label,
                    "value": i.value,
                    "previous": i.previous,
                    "change": i.change,
                    "sample": i.sample,
                    "target": _target(i.target),
                    "meets_target": i.meets_target,
                }
                for i in result.indicators
            ],
            "parts": result.parts,
        }
        return ApiResponse(ReportIndicatorsSerializer(data).data)


def _target(target):
    if target is None:
        return None
    return {
        "value": float(target.value),
        "lower_is_better": target.lower_is_better,
        "effective_from": target.effective_from,
        "unit_id": target.unit_id,
    }


@extend_schema(
    summary=_("Ranking of the units below a unit (or of a unit among its siblings)"),
    description=_(
        "R-IND-3: the children of the unit valid in the period (a commune: it and its siblings) "
        "ranked on every indicator and on the composite score, ties sharing a rank, with the "
        "rank in the previous period and the movement; a unit under the minimum sample is "
        "listed but not ranked."
    ),
    tags=[TAG],
    parameters=[ReportQuerySerializer],
    responses={
        200: ReportRankingSerializer,
        400: BAD_PERIOD,
        401: NOT_AUTHENTICATED,
        404: NOT_FOUND,
    },
)
class RankingView(_ReportView):
    def get(self, request):
        unit, period = self.query(request)
        table = selectors.ranking_table(user=request.user, unit=unit, period=period)
        data = {
            "parent": table.parent,
            "focus": table.focus,
            "period": str(table.period),
            "previous_period": str(table.previous_period),
            "min_sample": table.min_sample,
            "weights": table.weight_values,
            "weights_version": table.weights.version if table.weights else None,
            "units": len(table.rows),
            "ranked": table.ranked_counts,
            "rows": [
                {
                    "unit": row.unit,
                    "values": row.values,
                    "samples": row.samples,
                    "ranks": row.ranks,
                    "previous_ranks": row.previous_ranks,
                    "movement": {k: row.movement(k) for k in RANKED},
                }
                for row in table.ordered()
            ],
        }
        return ApiResponse(ReportRankingSerializer(data).data)


@extend_schema(
    summary=_("Targets of the units below a unit"),
    description=_(
        "R-IND-8: the children of the unit (or the unit itself) with their indicator values and "
        "the targets in force at the period's end; units missing a target come first."
    ),
    tags=[TAG],
    parameters=[ReportQuerySerializer],
    responses={
        200: ReportTargetRowSerializer(many=True),
        400: BAD_PERIOD,
        401: NOT_AUTHENTICATED,
        404: NOT_FOUND,
    },
)
class TargetsView(_ReportView):
    def get(self, request):
        unit, period = self.query(request)
        rows = selectors.targets_table(user=request.user, unit=unit, period=period)
        data = [
            {
                "unit": row.unit,
                "values": row.values,
                "targets": {k: _target(t) for k, t in row.targets.items()},
                "meets": {k: row.meets(k) for k in row.targets},
                "missing": row.missing,
            }
            for row in rows
        ]
        return ApiResponse(ReportTargetRowSerializer(data, many=True).data)
