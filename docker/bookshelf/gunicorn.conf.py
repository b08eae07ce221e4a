# gunicorn reads ./gunicorn.conf.py from its working directory (/app) when no -c is given: the
# image's CMD only names the app. Threads, because each add-a-book request waits on the books API.
import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 2
# Under the load balancer's 30 s; a lookup that hangs longer than this is cut.
timeout = 20
graceful_timeout = 10
keepalive = 5
accesslog = "-"
loglevel = "info"
