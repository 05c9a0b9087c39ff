"""Public statistics of the portal and of each center: ``/<lang>/statistics/`` and
``/<lang>/statistics/<center>/``, ``/api/v1/statistics``, and CSV and JSON downloads.

How it fits together:

* ``registry`` – a *figure* is one chart of the page: ``compute`` aggregates it in SQL (GROUP
  BY, both databases) into plain JSON, ``present`` turns that into a chart and a data table in
  the reader's language (Babel/CLDR numbers, months, country names), and ``records`` gives its
  open-data rows (codes and numbers, never contact data). The page, the API and the downloads
  all walk the registered figures in order, so a new chart is one ``register(Figure(...))``.
* ``figures`` – the portal's figures (open listings over time, by country, interests between
  countries, accepted interests, time to first interest, subjects in demand) and ``figures_for``,
  which computes all registered figures of a scope once an hour for every process together
  (``portal.cache.shared``: Redis or the ``cached_values`` table).
* ``charts`` – the SVG: pygal renders it on the server (no script; its stylesheet is served by
  this package's ``charts.css``), then the SVG gets ``role="img"``, a ``<title>`` and a
  ``<desc>`` named by ``aria-labelledby``.
* ``views`` – the pages and downloads; ``portal.api`` serves the same figures as JSON.

Adding a figure from another feature (partnerships by stage, partnership country pairs): the
statistics package sits above every feature it reads (pyproject's layers), so write the figure
in a module of this package — e.g. ``statistics/partnerships.py`` with ``compute`` querying the
partnership models, ``present`` returning a ``Presentation`` (``figures.pair_matrix`` builds the
China × Central Asia matrix from (country, partner country, count) rows, as interests use it) —
call ``register(Figure(key=..., order=..., ...))`` at its import, and import that module in
``figures.py``'s last lines (or the app factory). Nothing else changes: the page, the API, its
OpenAPI description and the downloads show it.
"""
