"""Moderation: review queue, decisions with reasons, revisions of published listings,
audit trail, reports, institution verification and expiry."""
