from flask import Blueprint

bp = Blueprint("web", __name__)  # pages of the whole portal, under the language prefix
root = Blueprint("root", __name__)  # addresses without a language: the redirect, /healthz
