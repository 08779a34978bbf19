"""``manage.py seed_demo``: demo data for the zero-setup run (see ``portal/demo.py``).

DEMO ONLY: all demo accounts share a published password. Refused when the setting
``PORTAL_ALLOW_DEMO_SEED`` is false (the production settings default).
"""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import demo
from portal.exceptions import DomainError
from portal.http import public_url
from portal.models import Role


class Command(BaseCommand):
    help = (
        "Create (or complete) the demo data: Hà Nội units, desks, departments and staff, then "
        "each app's own demo data (procedures, about a year of dossiers, ...)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossiers",
            type=int,
            default=1500,
            help="About how many demo dossiers to make (0 for none). Default 1500.",
        )
        parser.add_argument("--days", type=int, default=365, help="Days of history. Default 365.")

    def handle(self, *args, **options):
        if not getattr(settings, "PORTAL_ALLOW_DEMO_SEED", True):
            raise CommandError(
                _(
                    "Demo data is disabled here (PORTAL_ALLOW_DEMO_SEED is off): it would create "
                    "accounts with a published password."
                )
            )
        if connection.vendor == "sqlite":
            # The zero-setup demo's SQLite file: thousands of small commits (every dossier's
            # transaction, its outbox hand-off and report marks) each waited for an fsync, which
            # was most of the seed's wall time on a busy disk. A write-ahead log without syncing
            # makes a commit a plain write; a crash during the seed leaves a demo file to delete.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=OFF")
        try:
            data = demo.seed_all()
        except DomainError as exc:
            raise CommandError(exc.message) from exc

        for result in data.import_results:
            self.stdout.write(
                _(
                    "Units of tree %(tree)s: %(created)d created, %(updated)d updated, "
                    "%(unchanged)d unchanged"
                )
                % {
                    "tree": result.tree.code,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )
        self.stdout.write(
            _("Demo units: %(units)d, service desks: %(desks)d")
            % {"units": len(data.units.all()), "desks": len(data.desks)}
        )
        # Other apps add their demo data through a ``seed_demo`` hook on their AppConfig, so
        # the core app does not import them (DESIGN.md: portal imports no app of ours).
        for config in apps.get_app_configs():
            hook = getattr(config, "seed_demo", None)
            if hook is not None:
                try:
                    hook(desks=list(data.desks.values()), options=options, stdout=self.stdout)
                except DomainError as exc:
                    raise CommandError(exc.message) from exc
        self.stdout.write("")
        self.stdout.write(
            _("Demo accounts (password for all: %(password)s — demo only):")
            % {"password": demo.DEMO_PASSWORD}
        )
        rows = [("admin", _("Superuser"), "—")]
        for account in data.accounts:
            unit = f"{account.unit.name} [{account.unit.tree.code}]"
            if account.covers_descendants:
                unit += " " + _("+ descendants")
            rows.append((account.username, str(Role(account.role).label), unit))
        width_user = max(len(r[0]) for r in rows)
        width_role = max(len(r[1]) for r in rows)
        for username, role, unit in rows:
            self.stdout.write(f"  {username:<{width_user}}  {role:<{width_role}}  {unit}")
        self.stdout.write(
            _("  … and a receptionist and an officer at every other demo desk (clerk-*).")
        )
        self.stdout.write("")
        self.stdout.write(
            _("Sign in at %(url)s with one of these accounts.")
            % {"url": public_url(reverse("login"))}
        )
