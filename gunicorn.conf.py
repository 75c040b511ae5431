"""gunicorn's settings for Réalisa, read from the project's folder (gunicorn looks for this
file in the folder it starts in, or ``gunicorn -c /srv/realisa/gunicorn.conf.py``):

    gunicorn realisa.wsgi

Its access lines and its own messages go to standard output and standard error in the
portal's format: one JSON object a line with ``LOG_JSON=1`` (realisa/lib/jsonlog.py), the
access lines with the request id the portal answered with; plain lines otherwise.
``GUNICORN_BIND`` and ``GUNICORN_WORKERS`` set the address and the number of workers.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = 60  # a PDF is made in a second; a request held longer is stuck
accesslog = "-"
errorlog = "-"

JSON = os.environ.get("LOG_JSON", "").lower() in {"1", "true", "yes", "on"}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "access": {"()": "realisa.lib.jsonlog.AccessJsonFormatter"}
        if JSON
        else {"format": "%(message)s"},
        "error": {"()": "realisa.lib.jsonlog.JsonFormatter"}
        if JSON
        else {"format": "%(asctime)s %(levelname)s gunicorn: %(message)s"},
    },
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "error",
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "INFO", "handlers": []},  # the portal's own, once Django is set up
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
}
