"""Moderation: the review queue, decisions with reasons on submissions and revisions, reports,
suspension, institution verification, the expiry job and the statistics. A listing's history
and revisions themselves belong to the listing (``listings.history``, ``listings.snapshot``)."""
