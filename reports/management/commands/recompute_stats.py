"""``manage.py recompute_stats --from YYYY-MM-DD --to YYYY-MM-DD [--unit CODE]``: rebuild the
rollups of a range of days, with a progress bar on stderr (the progress is also stored in the
``RecomputeRun`` row, readable in the admin). Safe to run again: the same rows come out; a run
that was interrupted resumes where it stopped."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.exceptions import DomainError
from portal.models import AdministrativeUnit
from reports import services


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(_("Write days as YYYY-MM-DD, not “%(text)s”.") % {"text": text}) from exc


class Command(BaseCommand):
    help = "Rebuild the report rollups of a range of days (all units, or one unit and below)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="first day")
        parser.add_argument("--to", dest="date_to", required=True, help="last day")
        parser.add_argument(
            "--unit",
            help="official code of a unit (and its descendants); with --tree when ambiguous",
        )
        parser.add_argument("--tree", help="unit tree code (legacy, 2025) to find --unit in")

    def handle(self, *args, date_from, date_to, unit=None, tree=None, **options):
        start, end = _date(date_from), _date(date_to)
        target = None
        if unit:
            units = AdministrativeUnit.objects.filter(code=unit)
            if tree:
                units = units.filter(tree__code=tree)
            found = list(units.select_related("tree")[:2])
            if not found:
                raise CommandError(_("No unit has the code “%(code)s”.") % {"code": unit})
            if len(found) > 1:
                raise CommandError(
                    _("Several units have the code “%(code)s”; say which tree with --tree.")
                    % {"code": unit}
                )
            target = found[0]
        err = self.stderr

        def progress(run):
            width = 30
            filled = int(width * run.done_days / run.total_days) if run.total_days else width
            err.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {run.done_days}/{run.total_days} "
                + _("days"),
                ending="",
            )
            err.flush()

        try:
            run = services.stats_recompute_range(
                date_from=start, date_to=end, unit=target, progress=progress
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        err.write("")
        self.stdout.write(
            _("Recomputed %(days)d days (run %(run)d).") % {"days": run.done_days, "run": run.pk}
        )
