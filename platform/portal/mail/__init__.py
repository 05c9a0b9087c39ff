"""Outgoing email: every message is written to the outbox in the transaction that sends it, and
the worker (``flask worker``) delivers it over SMTP after commit, when SMTP is configured."""
