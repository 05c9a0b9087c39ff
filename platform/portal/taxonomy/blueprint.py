from flask import Blueprint, g
from sqlalchemy import select

from portal.extensions import db
from portal.taxonomy.models import Center
from portal.web.templating import frame_unavailable

bp = Blueprint("taxonomy", __name__, template_folder="templates")


def ordered_centers() -> list[Center]:
    """Every center in order, read once per request: the header shows them, and a page that
    needs them too (home, a center's page) takes them from here."""
    if "header_centers" not in g:
        g.header_centers = db.session.scalars(select(Center).order_by(Center.position)).all()
    return g.header_centers


@bp.app_context_processor
def frame_values() -> dict:
    """The three centers in every page's header."""
    if frame_unavailable():
        return {"header_centers": []}
    return {"header_centers": ordered_centers()}
