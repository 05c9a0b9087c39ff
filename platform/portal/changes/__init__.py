"""One path for every change: from a form to the indexes, the suggestions and the news.

A listing's life, step by step (each package is crossed once):

1. **listings** – a service (``listings.services``, ``moderation.services``, the import, the
   expiry job, ``institutions.services``) changes rows and, in the same transaction, announces
   what changed: ``announce_listing_changed(session, ids)`` or
   ``announce_institution_changed(session, id)`` (``changes.signals``). A publication is a
   change like any other: every receiver reads the listing's status for itself.
2. **changes** – the announcement writes the change log at once (``changes.log``: a row of
   listing ids under a new token, ordered by the lock on ``search_state``), and holds the
   signal until the commit. A rollback forgets both.
3. After the commit, ``PortalSession`` (``portal.database``) sends the signals; each receiver
   works in a transaction of its own:

   * ``listings.events`` – an institution's change is announced as a change of its listings;
   * ``subjects.events`` – annotates the listing with thesaurus concepts;
   * ``search.events`` – rewrites its search document (and logs the change once more, so
     facet indexes re-read it with its subjects);
   * ``notifications.events`` – tells the institutions concerned about strong new matches
     (``matches_found``, announced by the worker's matching step, point 5).

4. **Every process** keeps its in-memory indexes (``search.facet_cache``, ``matching.store``)
   current through the log (``changes.following.FollowingIndexes``): before use, an index
   compares its token with the database's and re-reads the listings changed since. Processes
   behind a load balancer therefore agree without talking to each other.
5. **The worker** (``flask worker``) follows the same log to compute suggestions for every
   change (``matching.follow``), so nothing is lost when a process dies after a commit. Only
   the worker computes suggestions: a web request never builds the matching index (1–2 minutes
   at 100,000 listings, longer than a request may take), so a publication returns at once and
   its partners appear with the worker's next pass, within seconds.
"""
