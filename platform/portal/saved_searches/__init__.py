"""Searches a member keeps, with alerts of new listings that match them in a digest."""
