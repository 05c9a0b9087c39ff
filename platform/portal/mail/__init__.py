"""Outgoing email: every message is kept in the outbox, and sent over SMTP when configured."""
