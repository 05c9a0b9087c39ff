"""China–Central Asia Cooperation Platform."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import DEFAULT_INSTANCE, load_config, log_levels
from portal.extensions import csrf, db
from portal.web.public_url import PortalFlask


def create_app(overrides: dict | None = None, instance_path: Path | None = None) -> Flask:
    instance = Path(instance_path or DEFAULT_INSTANCE)
    app = PortalFlask(__name__, instance_path=str(instance), static_folder="web/static",
                template_folder="web/templates")
    # Debug comes from Flask (--debug, FLASK_DEBUG): without it a missing SECRET_KEY is an error.
    app.config.update(load_config(instance, overrides, debug=app.debug))
    if app.config["TRUSTED_PROXIES"]:
        count = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    root_level, alembic_level = log_levels(app.config["PORTAL_LOG_LEVEL"])
    logging.basicConfig(level=root_level)
    logging.getLogger("alembic").setLevel(alembic_level)  # before anything imports Alembic

    import portal.models  # noqa: F401 - every table known before the first query

    db.init_app(app)
    csrf.init_app(app)

    from portal import i18n
    from portal.accounts import auth
    from portal.cache import pages
    from portal.web import assets, compression, errors, security, templating

    i18n.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    assets.init_app(app)
    pages.init_app(app)  # before the compression: its after_request runs after it
    compression.init_app(app)
    _register_blueprints(app)
    _connect_receivers()

    from portal import cli

    cli.init_app(app)
    return app


def _connect_receivers() -> None:
    """What follows a committed change, in this order (see ``portal.changes``): subjects are
    annotated before the search document reads them. Suggested partners are not among them: the
    worker computes them from the change log (``matching.follow``), never a web request; only
    matching's analysis of the texts (about a millisecond) is stored here, for the worker's build."""
    from portal.listings import events as _listings  # noqa: F401
    from portal.machine_translation import events as _machine_translation  # noqa: F401
    from portal.subjects import events as _subjects  # noqa: F401
    from portal.search import events as _search  # noqa: F401
    from portal.matching import events as _matching  # noqa: F401
    from portal.notifications import events as _notifications  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    # Every module that adds routes, template globals or page sections is imported before
    # any blueprint is registered: some add routes to another feature's blueprint (the search
    # pages, the interest report), keeping their addresses and endpoint names.
    from portal.accounts.views import bp as accounts
    from portal.api.views import bp as api
    from portal.feeds.views import bp as feeds
    from portal.i18n.routing import register_localized
    from portal.institutions.views import bp as institutions
    from portal.interests import views as interests_views  # noqa: F401
    from portal.interests.blueprint import bp as interests
    from portal.listings import authoring, home, views  # noqa: F401
    from portal.listings.blueprint import bp as listings
    from portal.machine_translation.views import bp as machine_translation
    from portal.mail.views import bp as mail
    from portal.matching.views import bp as matching
    from portal.moderation import admin, projects as moderation_projects, reports, views as moderation_views  # noqa: F401,E501
    from portal.moderation.blueprint import bp as moderation
    from portal.notifications.views import bp as notifications
    from portal.partnerships.views import bp as partnerships
    from portal.saved_searches.views import bp as saved_searches
    from portal.search import views as search_views  # noqa: F401
    from portal.statistics.views import assets as statistics_assets
    from portal.statistics.views import bp as statistics
    from portal.subjects.views import bp as subjects
    from portal.taxonomy.blueprint import bp as taxonomy
    from portal.web.views import bp as web
    from portal.web.views import root

    app.register_blueprint(matching)  # templates only
    app.register_blueprint(root)
    app.register_blueprint(statistics_assets)
    app.register_blueprint(api, url_prefix="/api/v1")
    register_localized(app, web)
    register_localized(app, accounts, "/account")
    register_localized(app, institutions, "/institutions")
    register_localized(app, listings, "/listings")
    register_localized(app, machine_translation, "/listings")
    register_localized(app, taxonomy, "/centers")
    register_localized(app, mail, "/admin/outbox")
    register_localized(app, feeds, "/feeds")
    register_localized(app, moderation, "/moderation")
    register_localized(app, interests, "/interests")
    register_localized(app, notifications, "/notifications")
    register_localized(app, partnerships, "/projects")
    register_localized(app, saved_searches, "/saved-searches")
    register_localized(app, subjects, "/subjects")
    register_localized(app, statistics, "/statistics")
