# One image for all five processes; the command picks which one runs:
#   python -m gateway | services.auth | services.customer | services.order | services.customer_list
# and the operator's command: python -m admin ...
FROM python:3.11-slim

# Tag the image with this version (docker build -t ocapi-backend:$(cat VERSION) .), never latest.
ARG VERSION=1.0.0
LABEL org.opencontainers.image.title="ocapi-backend" \
      org.opencontainers.image.version="${VERSION}"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Fixed numeric ids so Kubernetes can enforce runAsNonRoot.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app

WORKDIR /app

# The lock: every package pinned and checked against its hash.
COPY requirements.txt .
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.txt

# Code stays root-owned and read-only to the runtime user.
COPY shared ./shared
COPY contracts ./contracts
COPY gateway ./gateway
COPY services ./services
COPY config ./config
# The admin command (python -m admin, docs/operations.md "Admin CLI") and the event tools it runs.
COPY admin ./admin
COPY scripts/__init__.py scripts/tail.py scripts/dlq.py scripts/replay.py scripts/reload_settings.py ./scripts/
# The hook events catalogue the gateway serves (/asyncapi.json, /docs/hooks).
COPY docs/asyncapi.json ./docs/asyncapi.json

ENV OCAPI_SETTINGS_FILE=/app/config/ocapi-settings.json

USER 10001:10001
EXPOSE 8080 8081 8082 8083 8084
CMD ["python", "-m", "gateway"]
