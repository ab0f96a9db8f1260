"""Lambda entry point of the merchant API."""

from kado.api.schemas.merchant import schema
from kado.domain.principal import Role
from kado.handlers.entry import lambda_handler

handler = lambda_handler(schema, Role.MERCHANT)
