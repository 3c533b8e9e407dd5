# One image for the web process and the grading worker.

FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
COPY static/src static/src
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    # The CPU build of torch; the default index would pull the CUDA one.
    PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu
WORKDIR /app
# Chromium prints the cheat sheets to PDF (it lays out MathML natively).
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-extra \
    && rm -rf /var/lib/apt/lists/*
COPY requirements requirements
RUN pip install -r requirements/base.txt
COPY . .
COPY --from=assets /app/static/dist static/dist
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin tutor \
    && mkdir -p /app/var && chown tutor /app/var
EXPOSE 8000
# Preloaded, one worker per core (WEB_CONCURRENCY to change): gunicorn.conf.py.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
