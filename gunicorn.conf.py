"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (values can be overridden by env)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers with threads: a page waits mostly on the database; 2 cores -> 5 workers x 4 threads by default.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # an upload of 8 phone photos on a slow line takes time
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then, with jitter so they don't all restart at once
max_requests_jitter = 200
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27's control socket lives at one fixed path per user (~/.gunicorn/gunicorn.ctl), shared by every gunicorn
# on the machine (a second site, a script's throwaway instance); nothing here uses it.
control_socket_disable = True


def on_starting(server):
    """Production refuses to start when more than one worker would keep rate limits in its own memory: with
    RATELIMIT_STORAGE_URI=memory:// each worker counts alone, so 10 failed logins per client become 10 per worker."""
    from config import app_env

    storage = server.app.wsgi().config.get("RATELIMIT_STORAGE_URI", "")  # the app is preloaded: its real settings
    if app_env() == "production" and server.cfg.workers > 1 and storage.startswith("memory://"):
        raise RuntimeError(f"RATELIMIT_STORAGE_URI is memory:// with {server.cfg.workers} workers: each worker would "
                           "count rate limits on its own. Use redis:// (e.g. redis://127.0.0.1:6379/0) or one worker.")
