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
        self._connect_directory_cache()

    def _connect_directory_cache(self):
        """The public desk directory is cached (dossiers.directory.lookup): any change to what
        it shows makes it read afresh."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from dossiers.directory.lookup import invalidate
        from dossiers.models import Procedure, RequiredDocument
        from portal.models import AdministrativeUnit, ServiceDesk

        for model in (ServiceDesk, AdministrativeUnit, Procedure, RequiredDocument):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    invalidate, sender=model, dispatch_uid=f"directory.{model.__name__}.{name}"
                )
        m2m_changed.connect(
            invalidate, sender=Procedure.desks.through, dispatch_uid="directory.offerings"
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
