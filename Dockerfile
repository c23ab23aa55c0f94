# syntax=docker/dockerfile:1
# SprintSync: build every wheel in one stage, run from a slim image without compilers.
#   docker build -t sprintsync .
#   docker run -e SPRINTSYNC_DATABASE_URL=... -e SPRINTSYNC_SECRET_KEY=... -p 8501:8501 sprintsync
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# Compilers only here, for any dependency that ships no wheel for this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# .dockerignore lets in only the package, the app script, app_pages, migrations and .streamlit.
COPY . .
RUN pip wheel --wheel-dir /wheels . \


FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
# The package is installed as a wheel, away from the checkout's migrations/, hence
# SPRINTSYNC_MIGRATIONS_DIR; the sidecar listens on all interfaces inside the container.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    SPRINTSYNC_ENV=prod \
    SPRINTSYNC_METRICS_HOST=0.0.0.0 \
    SPRINTSYNC_METRICS_PORT=9464 \
    SPRINTSYNC_DATA_DIR=/home/sprintsync/data \
    SPRINTSYNC_MIGRATIONS_DIR=/app/migrations
RUN groupadd --system --gid 10001 sprintsync \
 && useradd --system --uid 10001 --gid sprintsync --create-home --home-dir /home/sprintsync \
      --shell /usr/sbin/nologin sprintsync
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links=/wheels sprintsync
WORKDIR /app
COPY --from=build /src/app.py ./app.py
COPY --from=build /src/app_pages ./app_pages
COPY --from=build /src/migrations ./migrations
COPY --from=build /src/.streamlit ./.streamlit
USER sprintsync
EXPOSE 8501 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)"]
# `sprintsync serve` checks the settings, starts the metrics sidecar, migrates under the
# advisory lock, then runs Streamlit in the same process.
CMD ["sprintsync", "serve", "--address", "0.0.0.0", "--port", "8501"]
