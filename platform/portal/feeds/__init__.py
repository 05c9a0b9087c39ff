"""Atom feeds of newly published listings, overall and per center, in the page's language."""
