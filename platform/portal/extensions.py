"""Extensions are created here, unbound, and bound to an app in ``create_app``."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from portal.database import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def redis_client():  # noqa: ANN201 - a redis.Redis, or None
    """The app's Redis connection (``REDIS_URL``), made at first use; None without one."""
    from flask import current_app

    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("portal.redis")
    if client is None:
        import redis

        client = current_app.extensions["portal.redis"] = redis.Redis.from_url(url)
    return client
