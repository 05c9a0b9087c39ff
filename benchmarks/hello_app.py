"""The yardstick of ``http_benchmark.py``: the least a Flask app can do, served by the same
gunicorn with the same settings as the portal (``gunicorn benchmarks.hello_app:app``)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"
