"""Expressions of interest: one institution asks another about a listing, the listing's
institution accepts or declines, and after acceptance both see each other's contacts and talk."""
