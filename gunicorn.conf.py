"""gunicorn's settings for the site: `gunicorn --config gunicorn.conf.py`, as
the Dockerfile, docker-compose.yml and `make bench`'s load test run it (the
address to listen on is given on the command line).

The master loads tutor.wsgi (which imports torch and the engine,
tutor/warm.py) once and the workers fork from it warm, so no worker's boot
runs into gunicorn's 30 s timeout and no request pays the import.

One sync worker per core unless WEB_CONCURRENCY says otherwise. A request
here is CPU work (Django, the templates, a question's variant) more than
waiting, so a worker beyond the cores mostly queues on them, and each costs
about 100 MiB of memory of its own under load (the pages it shares with the
master that it writes to). On two cores with 50 simulated students (the load
test of `make bench`, four alternating runs): three workers against two, the
site's memory 1116 against 1030 MiB and a question page's p95 100–110 against
86–170 ms, a difference in latency this machine's noise swamps. Threads
(`--threads 4`, two workers) were worse: each thread's own caches and
connection, 568 MiB for the web processes.
"""

import os

wsgi_app = "tutor.wsgi"
preload_app = True
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
accesslog = "-"
# gunicorn's default line, then how long the worker took over the request
# (from reading it to the last byte sent): beside a client's own timing this
# tells time spent in Django from time spent queued for a worker.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)
