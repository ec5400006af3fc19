# syntax=docker/dockerfile:1
# Image of the ipops gateway service. Build from the repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t ipops/gateway .
#
# One Dockerfile per app rather than one parameterised by a SERVICE build argument: the issue asks
# for a Dockerfile per service, and Docker expands build arguments neither in an exec-form CMD nor
# in HEALTHCHECK, so a shared file would need a shell wrapper to find its console script and port.
# Here each file states them literally. The six files are otherwise identical, and
# tests/deploy/test_manifests.py fails if they drift apart.

# --- build: a virtual environment with the pinned packages -----------------------------------
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
RUN pip install "pip==26.3"
# The library first: its dependencies are most of the image and change least often.
COPY constraints.txt ./
COPY shared/ shared/
RUN pip install -c constraints.txt ./shared
# Editable, so the package finds its alembic.ini and migrations/ beside it (main.py looks for
# them next to the package directory; they are not package data).
COPY gateway/ gateway/
RUN pip install -c constraints.txt -e ./gateway

# --- runtime: the environment and the sources, run as an unprivileged user --------------------
FROM python:3.11-slim
RUN groupadd --system --gid 10001 ipops \
 && useradd --system --uid 10001 --gid ipops --home-dir /app --no-create-home --shell /usr/sbin/nologin ipops
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app/gateway /app/gateway
# var/ is the only place the app may write (an SQLite file in a quick run; nothing on PostgreSQL).
RUN mkdir -p /app/var && chown ipops:ipops /app/var
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8000
USER 10001:10001
EXPOSE 8000
# Liveness only: /healthz needs no database or broker. Orchestrators check /readyz themselves.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('GATEWAY_PORT', '8000') + '/healthz', timeout=4)"]
CMD ["gateway"]
