from flask import Blueprint

bp = Blueprint("listings", __name__, template_folder="templates")
