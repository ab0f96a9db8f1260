"""Lambda entry point of the admin API."""

from kado.api.schemas.admin import schema
from kado.domain.principal import Role
from kado.handlers.entry import lambda_handler

handler = lambda_handler(schema, Role.ADMIN)
