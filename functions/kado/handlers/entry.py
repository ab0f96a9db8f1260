"""Builds a Lambda entry point: Powertools around Mangum around one GraphQL schema.

Powertools decorates from the outside in: logging context first, then metrics
(with the cold-start metric), then tracing, so every layer sees the invocation.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from mangum import Mangum
from strawberry import Schema

from kado.api.kernel.app import KadoGraphQL, PublicPage
from kado.domain.principal import Role

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def lambda_handler(schema: Schema, role: Role,
                   pages: dict[str, PublicPage] | None = None) -> Handler:
    service = f"kado-{role.value}-api"
    logger = Logger(service=service)
    metrics = Metrics(namespace="Kado", service=service)
    asgi = Mangum(KadoGraphQL(schema, role, pages), lifespan="off")

    def serve(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return asgi(event, context)

    traced = _traced(serve, service)

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    @metrics.log_metrics(capture_cold_start_metric=True, raise_on_empty_metrics=False)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return traced(event, context)

    return handler


def _tracing_wanted() -> bool:
    in_lambda = bool(os.environ.get("LAMBDA_TASK_ROOT"))
    disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() in ("1", "true", "yes")
    return in_lambda and not disabled


def _traced(serve: Handler, service: str) -> Handler:
    """X-Ray only where it can report: the SDK alone costs ~0.4 s of cold start."""
    if not _tracing_wanted():
        return serve
    from aws_lambda_powertools import Tracer

    tracer = Tracer(service=service)
    wrapped: Handler = tracer.capture_lambda_handler(serve, capture_response=False)
    return wrapped
