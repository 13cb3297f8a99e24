"""Entry point: ``flask --app app run`` and ``gunicorn app:app``."""

import gc

from kil_consult import create_app

app = create_app()

# Everything made while starting (modules, the ORM's mappers, compiled templates...) lives as
# long as the process: move it out of the garbage collector's sight, so the collections that
# requests trigger no longer walk a heap that never changes. Under gunicorn this more than
# doubled the requests a worker answers (bench/load_bench.py).
gc.freeze()
