"""Reads remembered for the length of one request (issue 14).

A staff page asked the database for the signed-in user's memberships once per scoped
question: nine times on the work queue (each tab's count, the desks, the procedures), once more
for the menu, and each service asks again whether the user holds a role at a unit. Inside a
request (``RequestMemoMiddleware`` opens the scope) ``remembered`` computes such a read once;
outside one (a Celery task, a management command, a service called from a test) it computes
every time, as before, so nothing long-lived keeps a stale answer.

A membership saved or deleted through the ORM forgets what was remembered
(``portal.apps``); a queryset ``update()`` of memberships sends no signal, so a request that
changes memberships that way and then asks again in the same request must call ``forget``.
"""

from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("portal_request_memo", default=None)


@contextmanager
def request_scope():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def active() -> bool:
    return _memo.get() is not None


def remembered[T](key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per request for ``key``; every time outside a request."""
    memo = _memo.get()
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = compute()
        return value


def forget(kind: str | None = None) -> None:
    """Forget what this request remembered (keys are tuples starting with their ``kind``)."""
    memo = _memo.get()
    if not memo:
        return
    if kind is None:
        memo.clear()
        return
    for key in [k for k in memo if isinstance(k, tuple) and k and k[0] == kind]:
        del memo[key]


class RequestMemoMiddleware:
    """Opens the scope of ``remembered`` around the request (the first middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)
