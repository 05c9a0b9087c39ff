"""The background worker (``flask worker``): what follows a request's commit, out of the request.

Each pass sends the outbox's due messages over SMTP (``mail.delivery``), computes suggested
partners for the listings changed since the last pass (``matching.follow.rematch_changed``:
only the worker does, never a web request), and sends the daily and weekly digests when a new
period begins (``notifications.delivery.send_digests``). Run one beside the web processes,
or one per kind of work with ``--only``; ``--once`` makes one pass, for cron and tests.
"""
