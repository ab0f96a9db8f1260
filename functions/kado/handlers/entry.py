"""Builds a Lambda entry point: Powertools around Mangum around one GraphQL schema.

Powertools decorates from the outside in: logging context first, then metrics
(with the cold-start metric), then tracing, so every layer sees the invocation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from mangum import Mangum
from strawberry import Schema

from kado.api.app import KadoGraphQL
from kado.domain.principal import Role

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def lambda_handler(schema: Schema, role: Role) -> Handler:
    service = f"kado-{role.value}-api"
    logger = Logger(service=service)
    metrics = Metrics(namespace="Kado", service=service)
    tracer = Tracer(service=service)
    asgi = Mangum(KadoGraphQL(schema, role), lifespan="off")

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    @metrics.log_metrics(capture_cold_start_metric=True, raise_on_empty_metrics=False)
    @tracer.capture_lambda_handler(capture_response=False)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return asgi(event, context)

    return handler
