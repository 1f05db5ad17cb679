"""Jobs queued while Redis is away are kept in a local spill file and reach Redis once it answers again."""

import socket
import subprocess
import time

import pytest
from huey import Huey

from marketplace.jobs import SpillingRedisStorage


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def queue(tmp_path):
    port = free_port()
    huey = Huey("spill-test", results=False, storage_class=SpillingRedisStorage, url=f"redis://127.0.0.1:{port}/0",
                spill=str(tmp_path / "spill.sqlite3"))
    done = []

    @huey.task()
    def remember(value):
        done.append(value)

    return huey, remember, port, done


def start_redis(port: int, folder) -> subprocess.Popen:
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",  # noqa: S603, S607
                               "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("redis-server did not start")


def test_a_job_queued_while_redis_is_away_is_kept_and_moved_once_it_is_back(queue, tmp_path, caplog):
    huey, remember, port, done = queue
    remember("while away")  # Redis is not running: no error for the caller, the job is spilled
    storage = huey.storage
    assert storage.spill.queue_size() == 1 and "job queue unavailable" in caplog.text
    server = start_redis(port, tmp_path)
    try:
        remember("after")  # the next job queued moves the spilled one too
        assert storage.spill.queue_size() == 0 and storage.queue_size() == 2
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
        assert sorted(done) == ["after", "while away"]
    finally:
        server.terminate()
        server.wait()


def test_spilled_jobs_move_without_a_new_job(queue, tmp_path):
    huey, remember, port, _done = queue
    remember(1)
    remember(2)
    server = start_redis(port, tmp_path)
    try:
        assert huey.storage.drain_spill() == 2 and huey.storage.queue_size() == 2
        assert huey.storage.spill.queue_size() == 0
    finally:
        server.terminate()
        server.wait()
