# One image for web (gunicorn), worker and beat (celery); see docker-compose.yml.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH="/app/.venv/bin:$PATH"

# WeasyPrint needs Pango (and HarfBuzz's subsetter); DejaVu covers Vietnamese diacritics.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# uv from PyPI (no downloads from elsewhere), pinned for reproducible builds.
RUN pip install --no-cache-dir "uv==0.13.9"

WORKDIR /app

# Dependencies first, so code changes don't reinstall them.
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN uv sync --frozen --no-dev \
    && DJANGO_SETTINGS_MODULE=portal.settings.base DJANGO_STATIC_ROOT=/app/staticfiles \
        python manage.py collectstatic --noinput --verbosity 0

# Run as an unprivileged user who may write uploaded and generated files only.
RUN useradd --system --uid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin motcua \
    && mkdir -p /app/media /app/private/exports /app/private/feedback \
    && chown motcua:motcua /app/media /app/private /app/private/exports /app/private/feedback
USER motcua

ENV DJANGO_SETTINGS_MODULE=portal.settings.production \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/media
EXPOSE 8000
# Workers: gunicorn.conf.py (sync, one per core plus one; WEB_WORKERS overrides).
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
