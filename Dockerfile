# syntax=docker/dockerfile:1
# Groeiwijzer TSO: one image for every process of a deployment (README "Deploying on more servers"):
#   web        (default command) gunicorn on port 8000
#   worker     python manage.py db_worker --no-reload --interval 5
#   scheduler  python manage.py scheduler
#   migrate    python manage.py migrate --no-input   (once per release, before the new web servers start)
# Settings: groeiwijzer.settings_production, everything else from the environment (.env.example).
# Build: docker build -t groeiwijzer .

ARG PYTHON_IMAGE=python:3.12-slim

# --- build: the virtualenv from the lock file (wheels only, every hash checked), messages, static files ---------------
FROM ${PYTHON_IMAGE} AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext: only to compile message catalogues, when the repository has them (not in the final image).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.lock /tmp/requirements.lock
RUN pip install --require-hashes --only-binary=:all: -r /tmp/requirements.lock

WORKDIR /app
COPY . .
# Throwaway values: the production settings refuse to load without them; nothing here connects to a database.
RUN export DJANGO_SETTINGS_MODULE=groeiwijzer.settings_production \
        SECRET_KEY=build-only-not-a-secret \
        ALLOWED_HOSTS=localhost \
        DATABASE_URL=sqlite:////tmp/build-only.sqlite3 \
    && if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then python manage.py compilemessages --ignore=.venv; fi \
    && python manage.py collectstatic --no-input -v0 \
    && rm -f /tmp/build-only.sqlite3 \
    && python -m compileall -q /app

# --- runtime ----------------------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}

# WeasyPrint (the PDF reports) needs pango (with fontconfig and harfbuzz) and a font; the Word export measures words in
# DejaVu Sans (core/wordprocessing.py). No compiler, no gettext.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# A user without a password or login shell; the code stays owned by root (the app cannot change itself).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home --shell /usr/sbin/nologin app

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

# WEB_CONCURRENCY: gunicorn's worker processes (sync workers; about 2 x CPU cores + 1). GUNICORN_CMD_ARGS adds options,
# e.g. the access log: --access-logfile - (README "Production", "Logs").
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=groeiwijzer.settings_production \
    WEB_CONCURRENCY=3

WORKDIR /app
USER app
EXPOSE 8000

# Liveness only (the process answers); the load balancer asks /health/ready/. The request carries the first allowed
# host name (Django answers 400 to any other), as the load balancer's requests do.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; hosts = [h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', '').split(',') if h.strip() not in ('', '*')]; u.urlopen(u.Request('http://127.0.0.1:8000/health/live/', headers={'Host': (hosts or ['localhost'])[0], 'X-Forwarded-Proto': 'https'}), timeout=4)"]

# --proxy-protocol auto: behind a proxy that sends the PROXY protocol (compose.yaml's HAProxy), REMOTE_ADDR is the
# client's address, which the login throttle counts per client; plain requests (the health check) work as well.
# PROXY lines are accepted only from PROXY_ALLOW_FROM (set it to the proxy's network; '*' in compose.yaml, where
# only the proxy can reach the app containers).
# --timeout 60: a request that takes longer is stopped (heavy exports are made by the worker).
# --graceful-timeout 20: on `docker stop` (SIGTERM) running requests may finish (compose gives 30 s before SIGKILL).
# --max-requests: each worker is replaced after about 1000 requests, so slow memory growth never adds up.
# The scheme (https) comes from X-Forwarded-Proto through Django's SECURE_PROXY_SSL_HEADER, not from gunicorn.
CMD ["sh", "-c", "exec gunicorn groeiwijzer.wsgi --bind 0.0.0.0:8000 --timeout 60 --graceful-timeout 20 --keep-alive 5 --max-requests 1000 --max-requests-jitter 100 --proxy-protocol auto --proxy-allow-from \"${PROXY_ALLOW_FROM:-127.0.0.1}\""]
