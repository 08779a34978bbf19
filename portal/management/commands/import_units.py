"""``manage.py import_units``: load administrative units from the ``vietnam-provinces`` package.

    manage.py import_units                         # both trees, whole country
    manage.py import_units --tree 2025 --province 01 79

Idempotent: a second run reports every unit unchanged (R-UNIT-1).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.exceptions import DomainError
from portal.models import UnitLevel
from portal.unit_import import UNIT_TREES, units_import


class Command(BaseCommand):
    help = "Import administrative units (legacy three-level and/or 2025 two-level tree)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--tree",
            choices=[*UNIT_TREES, "all"],
            default="all",
            help="Which unit tree to import (default: all).",
        )
        parser.add_argument(
            "--province",
            dest="provinces",
            nargs="+",
            action="extend",
            metavar="CODE",
            help="Official province code(s), e.g. 01 79 (default: the whole country).",
        )

    def handle(self, *args, tree, provinces, **options):
        tree_codes = list(UNIT_TREES) if tree == "all" else [tree]
        try:
            # Both trees in one transaction: an error in either leaves the database unchanged.
            with transaction.atomic():
                results = [
                    units_import(tree_code=code, province_codes=provinces) for code in tree_codes
                ]
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for result in results:
            self.stdout.write(
                _("Unit tree %(tree)s (%(provinces)s provinces):")
                % {"tree": result.tree.code, "provinces": len(result.province_codes)}
            )
            for level, counts in result.by_level.items():
                self.stdout.write(
                    "  "
                    + _(
                        "%(level)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged"
                    )
                    % {
                        "level": UnitLevel(level).label,
                        "created": counts.created,
                        "updated": counts.updated,
                        "unchanged": counts.unchanged,
                    }
                )
        self.stdout.write(self.style.SUCCESS(_("Import finished.")))
