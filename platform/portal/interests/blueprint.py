from flask import Blueprint

bp = Blueprint("interests", __name__, template_folder="templates")
