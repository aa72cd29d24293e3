"""gunicorn's settings for ``aidbridge deploy`` (bind, workers and files come on the
command line from ``aidbridge.deploy.stack``).

Sync workers, one request at a time each: nginx in front buffers whole requests and
whole answers, so a worker is never held by a slow client, and separate processes let
CPU-heavy work (a PDF, a planning input) run on every core. The master restarts a worker
that dies and kills one stuck past ``timeout``.
"""

worker_class = "sync"
# Not gthread: threads take the queue into the process, where a request "served" in
# gunicorn's log includes its waits for the interpreter lock, and one CPU-heavy request
# slows every thread of its process. Measured (bench/load.py, 3 x 4 threads against 5
# sync processes, 32 clients): no better latency, and a dashboard's p95 of 2.2 s in a
# closed loop where the sync processes gave 0.3-0.5 s.
# A 10,000-line import or a first PDF rendering takes seconds, not minutes; a worker
# silent for longer than this is stuck and is replaced.
timeout = 120
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows without bound. Measured at 32
# clients for 60 s (bench/load.py; 6 recycles, each new worker booted within a second of
# the old one's exit): p95 214 ms, the same as with recycling pushed past the run
# (max_requests 20,000 + up to 20,000: no recycle, p95 216 ms), since the collector's
# freeze and the URL map loaded before the fork (below) made a new worker cheap; so kept.
max_requests = 2000
max_requests_jitter = 200
# The master imports the application once and forks each worker from it: a recycled or
# replaced worker starts at once, instead of spending seconds of CPU importing Django
# and aidbridge while the others serve alone (measured with bench/load.py: the picture at
# 32 clients after 4,700 requests: 105 req/s and p95 5.7 s without, 262-374 req/s and
# p95 0.1-1.7 s with it; bench/results/issue15-load.txt). Nothing opens a database
# connection at import, so no connection is shared across the fork. Importing the
# application (``aidbridge.wsgi``) also freezes what lives for the process's whole life
# before the fork (``aidbridge.core.collector``): the workers' garbage collections never
# walk those objects, nor write to their shared pages.
preload_app = True
# Nothing reads the master's stdout in production; logs go to files.
capture_output = True
proc_name = "aidbridge"
# The access log (its file comes from the command line) names each request by the id
# nginx passed on and gives the worker's own time in microseconds: beside nginx's log
# (same id) it tells the time a request waited for a worker from the time it was served.
access_log_format = 'timed %({x-request-id}i)s %(D)s %(s)s "%(r)s" %(B)s'
