"""Language choice, and the change history's request context.

Language choice: Vietnamese unless the user picked another language.

Django's ``LocaleMiddleware`` follows the browser's Accept-Language, so a desk PC or a phone
set to English would open the portal in English. Here the language comes from the cookie that
the language switcher (``set_language``) writes, and otherwise is ``LANGUAGE_CODE`` (vi).
API clients are programs that say what they want: under ``/api/`` Accept-Language still counts.
"""

import pghistory.middleware
from django.conf import settings
from django.db import connection
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class HistoryMiddleware(pghistory.middleware.HistoryMiddleware):
    """Groups the changes of a request in the change history (``portal/history.py``) with the
    user, the path and the method. pghistory's context is PostgreSQL's (``set_config`` before
    each statement): on another database (the SQLite demo) the request passes through."""

    def get_context(self, request):
        return {**super().get_context(request), "method": request.method}

    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)
