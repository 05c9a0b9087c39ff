"""Institutions: public profiles, membership and join requests."""
