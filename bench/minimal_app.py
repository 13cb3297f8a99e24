"""The smallest Flask app, the baseline of ``load_bench.py``: served by the same gunicorn with
the same workers in the same run, so each workload's throughput is a ratio to what Flask
itself costs on this machine at that moment."""

from flask import Flask

app = Flask(__name__)


@app.route("/healthz")
def healthz():
    return "ok"
