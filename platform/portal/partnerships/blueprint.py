from flask import Blueprint

bp = Blueprint("partnerships", __name__, template_folder="templates")
