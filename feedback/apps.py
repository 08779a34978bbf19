from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback"
    verbose_name = _("Feedback")

    def seed_demo(self, *, desks, options, stdout):
        """Demo hook of ``manage.py seed_demo``: about a year of feedback and complaints
        (none when the run asks for no dossiers: ``--dossiers 0``)."""
        import logging
        import time

        from feedback import demo

        if not options.get("dossiers", 1):
            return
        for name in ("portal.sms", "celery.app.trace"):
            logging.getLogger(name).setLevel(logging.WARNING)
        started = time.monotonic()
        made = demo.seed_feedback(desks=desks, days=options.get("days", 365))
        stdout.write(
            _("Demo feedback items made: %(n)d in %(s).0f s (units that had some kept theirs)")
            % {"n": made, "s": time.monotonic() - started}
        )
