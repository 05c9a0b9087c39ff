"""Listings: offers and requests for joint research, technology transfer and youth exchange."""
