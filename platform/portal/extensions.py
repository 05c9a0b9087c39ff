"""Extensions are created here, unbound, and bound to an app in ``create_app``."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from portal.database import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
