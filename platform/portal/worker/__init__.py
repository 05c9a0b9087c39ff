"""The background worker (``flask worker``): what follows a request's commit, out of the request.

Each pass sends the outbox's due messages over SMTP (``mail.delivery``), computes suggested
partners for the listings changed since the last pass (``matching.follow.rematch_changed``:
only the worker does, never a web request), sends the daily and weekly digests when a new
period begins (``notifications.delivery.send_digests``), and makes the machine translations
readers asked for, edits made stale or TRANSLATION_LANGUAGES want
(``machine_translation.services``), and recomputes the public statistics once an hour
(``statistics.figures.refresh_due``). Run one beside the web processes, or one per kind of work
with ``--only``; ``--once`` makes one pass, for cron and tests.
"""
