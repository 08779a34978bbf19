"""Language choice, unreadable page parameters, and the change history's request context.

Language: Vietnamese unless the user picked another language.

Django's ``LocaleMiddleware`` follows the browser's Accept-Language, so a desk PC or a phone
set to English would open the portal in English. Here the language comes from the cookie that
the language switcher (``set_language``) writes, and otherwise is ``LANGUAGE_CODE`` (vi).
API clients are programs that say what they want: under ``/api/`` Accept-Language still counts.
"""

import pghistory.middleware
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from portal.exceptions import InvalidInput


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


class InvalidInputMiddleware:
    """A page given an unreadable parameter (``?desk=²``, a date in year 9999: ``InvalidInput``
    from ``portal.strict_input``) answers 400 with the translated message, not a 500. The API
    turns the same error into JSON itself (``portal.api_errors``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, InvalidInput):
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": exception.message, "code": exception.code}, status=400)
        return render(request, "portal/bad_input.html", {"message": exception.message}, status=400)


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
