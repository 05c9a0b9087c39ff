"""Listings: offers and requests for joint research, technology transfer and youth exchange.

``models`` and ``schema`` (one declaration of the fields), ``lifecycle`` (who may do what in
which status), ``services`` (create, edit, translate, submit, withdraw, renew: each announces
its change, see ``portal.changes``), ``history`` and ``snapshot`` (events and revisions),
``transfer`` (import/export), the authoring and reading pages, and the home page.
"""
