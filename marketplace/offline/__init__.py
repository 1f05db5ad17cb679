"""Listing on a weak signal: the server side of the offline product form (idempotency keys of queued submissions
and photos, a fresh CSRF token for a replay, the service worker's URL). The client side is
static/js/offline-form.js, static/js/offline-queue.js and static/js/sw.js."""
