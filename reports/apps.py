from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Dossiers and surveys never import reports: their rows mark buckets through signals.
        from django.db.models.signals import post_delete, post_migrate, post_save

        from reports import dirty, reference_data
        from reports.cache import rollups_changed

        dirty.connect()
        # Cached dashboard pages show targets and rank by the weights: a change makes them stale.
        for model in ("reports.Target", "reports.RankingWeights"):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(rollups_changed, sender=model, dispatch_uid=f"{model}.{name}")
        post_migrate.connect(
            reference_data.restore_defaults, sender=self, dispatch_uid="reports.reference_data"
        )

    def seed_demo(self, *, desks, options, stdout):
        """Demo hook of ``manage.py seed_demo`` (after dossiers' and surveys', which come first
        in INSTALLED_APPS): compute the rollups of the demo's history."""
        import time

        from reports import demo

        started = time.monotonic()
        run = demo.seed_rollups(days=options.get("days", 365))
        stdout.write(
            _("Report figures computed for %(n)d days in %(s).0f s")
            % {"n": run.done_days if run else 0, "s": time.monotonic() - started}
        )
