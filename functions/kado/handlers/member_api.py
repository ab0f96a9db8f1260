"""Lambda entry point of the member API."""

from kado.api.schemas.member import PAGES, schema
from kado.domain.principal import Role
from kado.handlers.entry import lambda_handler

handler = lambda_handler(schema, Role.MEMBER, PAGES)
