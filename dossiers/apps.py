from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from django.db.models.signals import post_migrate

        from dossiers.reference_data import restore_default_rule_sets

        # After migrate and after flush: the rule sets are back before anything reads them.
        post_migrate.connect(
            restore_default_rule_sets, sender=self, dispatch_uid="dossiers.default_rule_sets"
        )

    def seed_demo(self, *, desks, options, stdout):
        """Demo hook called by ``manage.py seed_demo``: the catalogue and the dossiers."""
        import time

        from dossiers import demo

        procedures = demo.seed_procedures(desks=desks)
        stdout.write(_("Demo procedures: %(n)d") % {"n": len(procedures)})
        count = options.get("dossiers", 1500)
        if count:
            import logging

            # Demo applicants are fictitious and tasks run in-process (eager): keep the SMS log
            # and Celery's per-task lines out of the seed's output.
            for name in ("portal.sms", "celery.app.trace"):
                logging.getLogger(name).setLevel(logging.WARNING)
            started = time.monotonic()

            def progress(done, total, made):
                stdout.write(f"  … {done}/{total} desks, {made} dossiers", ending="\r")
                stdout.flush()

            made = demo.seed_dossiers(
                desks=desks, count=count, days=options.get("days", 365), progress=progress
            )
            stdout.write("")
            stdout.write(
                _("Demo dossiers made: %(n)d in %(s).0f s (desks that had some kept theirs)")
                % {"n": made, "s": time.monotonic() - started}
            )
