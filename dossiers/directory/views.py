"""The public desk directory: find a desk, then see what it offers. The lists come from the
cache (``dossiers.directory.lookup``); the pages themselves are rendered per request (they hold
the language switch and its CSRF token, so they are not shared between browsers)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dossiers.directory import lookup


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "dossiers/directory/search.html",
        {"query": query, "desks": lookup.desks_matching(query), "limit": lookup.SEARCH_LIMIT},
    )


@require_GET
def desk(request, pk):
    page = lookup.desk_page(pk)
    if page is None:
        raise Http404
    return render(request, "dossiers/directory/desk.html", page)
