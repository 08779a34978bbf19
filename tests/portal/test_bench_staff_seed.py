"""The staff pages benchmark (``benchmarks.staff``, issue 14 Deliver 3) seeds what it measures
through the demo's seed functions: at a tiny size here, so a change to those functions that
breaks the benchmark fails in CI rather than at the next ``make bench``. No server is started;
the pages it measures answer 200 to the accounts it signs in."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from benchmarks import staff
from dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_the_staff_benchmark_seeds_its_desk_its_peers_and_the_dashboard():
    seed = staff.seed(
        dossiers=40, peers=2, peer_dossiers=5, feedback=4, days=20, progress=lambda _line: None
    )

    measured = Dossier.objects.filter(desk_id=seed.desk_id)
    assert measured.count() >= 30  # the days' draws land on working days, a few on weekends
    assert Dossier.objects.exclude(desk_id=seed.desk_id).exists()  # peers to rank
    assert set(seed.dossier_ids) <= set(measured.values_list("pk", flat=True))
    assert seed.counts["communes ranked"] > 2
    assert seed.counts["feedback items at the unit"] > 0

    pages = staff.pages_of(seed)
    assert [p.key for p in pages] == ["base", "list", "detail", "dashboard_cached", "list"]
    for page in pages[1:]:
        user = get_user_model().objects.get(username=page.user)
        assert user.check_password(seed.password)  # what sign_in posts to the login form
        client = Client()
        client.force_login(user)
        response = client.get(page.paths[0])
        assert response.status_code == 200, page.name
