"""The hand-off to the broker keeps its connection (issue 14): a new connection per publish cost
about 8 ms of CPU per dossier received (a pool, a PING, a queue declaration, a look-up of the
package metadata). Reusing it must not cost the outage behaviour of issue 13: a broker that
restarted is reached again at once, a dead one is still skipped without waiting."""

import logging

import pytest
import redis

from portal import broker
from portal.tasks import ping
from tests.redis_outage import at_most


@pytest.fixture
def connections_made(monkeypatch):
    made = []
    original = broker._connection

    def counting(app, timeout):
        made.append(app.conf.broker_url)
        return original(app, timeout)

    monkeypatch.setattr(broker, "_connection", counting)
    return made


def queued(server) -> int:
    return redis.Redis.from_url(server.url).llen("default")


def test_publishes_share_one_connection(own_redis, connections_made):
    assert all(broker.publish(ping) for _ in range(5))
    assert queued(own_redis) == 5
    assert len(connections_made) == 1


def test_a_broker_that_restarted_is_reached_again_without_losing_the_task(
    own_redis, connections_made, caplog
):
    assert broker.publish(ping)
    own_redis.stop()
    own_redis.start()  # same port, empty: the kept connection's socket is closed
    with caplog.at_level(logging.ERROR, logger="portal.broker"), at_most(1.0, "the publish"):
        assert broker.publish(ping)
    assert queued(own_redis) == 1
    assert "broker unavailable" not in caplog.text
    # redis-py reconnects the kept connection by itself; were that to fail quickly, the publish
    # would be tried once on a new connection.
    assert len(connections_made) in (1, 2)


def test_a_dead_broker_is_still_skipped_without_waiting(own_redis, connections_made, caplog):
    assert broker.publish(ping)
    own_redis.stop()
    with at_most(1.5, "three publishes with the broker down"):
        results = [broker.publish(ping) for _ in range(3)]
    assert results == [False, False, False]
    assert caplog.text.count("broker unavailable") == 1  # then skipped for the back-off
    assert len(connections_made) == 2  # the kept one, one new try; none while skipped


def test_reset_closes_the_kept_connection(own_redis, connections_made):
    assert broker.publish(ping)
    broker.reset()
    assert broker.publish(ping)
    assert len(connections_made) == 2
