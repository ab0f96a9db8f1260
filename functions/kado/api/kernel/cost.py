"""What a request may cost, computed from its document before anything runs.

The model (published in docs/guide/api.md), as Shopify and GitHub price their APIs:
- a field of an object type costs 1 (it may be a read), a scalar or enum field nothing
  (it comes with its object), except those listed in FIELD_COSTS, which cost the DynamoDB
  calls they make (an event's availability: a batch read and 8 counts);
- a field that takes `first` is a page: what is selected inside it costs `first` times
  (the argument's value, its variable's, or its default);
- fragments count where they are spread.
A request above MAX_COST is refused with MAX_COST_EXCEEDED and its cost in `extensions`,
before validation, so neither validation nor any resolver pays for it. The same response
key selected more than MAX_REPEATS times in one selection set is refused the same way:
graphql-core compares such fields pairwise, so 500 copies of `me { id }` would cost
seconds of validation while costing little by the model above.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    value_from_ast,
)
from strawberry.extensions import ValidationCache

from kado.domain.errors import DomainError, ErrorCode

MAX_COST = 1_000
MAX_REPEATS = 8
# Fields whose resolvers make calls of their own, priced as those calls.
FIELD_COSTS = {("Event", "seatsLeft"): 9, ("Event", "waitlistLength"): 9}


class TooCostly(DomainError):
    def __init__(self, cost: int, message: str) -> None:
        super().__init__(ErrorCode.MAX_COST_EXCEEDED, message, None)
        self.cost = cost


def cost_of(schema: GraphQLSchema, document: Any, operation_name: str | None,
            variables: dict[str, Any] | None) -> int:
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or
              (o.name is not None and o.name.value == operation_name)]
    if not chosen:
        return 0  # graphql-core explains an unknown operation
    operation = chosen[0]
    root = schema.get_root_type(operation.operation)
    return _Pricer(fragments, variables or {}).selection(root, operation.selection_set, 0)


class _Pricer:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode],
                 variables: dict[str, Any]) -> None:
        self.fragments = fragments
        self.variables = variables

    def selection(self, parent: Any, selection_set: SelectionSetNode | None,
                  depth: int) -> int:
        if selection_set is None or not isinstance(parent, GraphQLObjectType) or depth > 32:
            return 0  # a scalar, an abstract type or a depth the limiter refuses anyway
        fields = list(self._fields(selection_set, parent, set()))
        repeats = Counter((f.alias or f.name).value for f in fields)
        key, most = repeats.most_common(1)[0] if repeats else ("", 0)
        if most > MAX_REPEATS:
            raise TooCostly(MAX_COST + 1, f"{key!r} is selected {most} times in one "
                            f"selection set; at most {MAX_REPEATS}")
        return sum(self._field(parent, f, depth) for f in fields)

    def _fields(self, selection_set: SelectionSetNode, parent: GraphQLObjectType,
                seen: set[str]) -> Iterator[FieldNode]:
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                yield node
            elif isinstance(node, InlineFragmentNode):
                yield from self._fields(node.selection_set, parent, seen)
            elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
                fragment = self.fragments.get(node.name.value)
                if fragment is not None:  # an unknown one is validation's to explain
                    yield from self._fields(fragment.selection_set, parent,
                                            seen | {node.name.value})

    def _field(self, parent: GraphQLObjectType, node: FieldNode, depth: int) -> int:
        name = node.name.value
        definition = parent.fields.get(name)
        if definition is None:
            return 0  # validation explains an unknown field
        named = get_named_type(definition.type)
        own = FIELD_COSTS.get((parent.name, name), 1 if isinstance(named, GraphQLObjectType)
                              else 0)
        inner = self.selection(named, node.selection_set, depth + 1)
        return own + self._page_size(definition, node) * inner

    def _page_size(self, definition: Any, node: FieldNode) -> int:
        argument = definition.args.get("first")
        if argument is None:
            return 1
        given = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
        value = argument.default_value
        if given is not None:
            value = value_from_ast(given, argument.type, self.variables)
        return value if isinstance(value, int) and value > 0 else 1


class PricedValidation(ValidationCache):
    """Validation, cached per document, after the price: a request above MAX_COST is
    refused before graphql-core validates it (and nothing is cached for it, since its
    cost may depend on its variables)."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        refusal = _refusal(context.schema._schema, context.graphql_document,
                           context.operation_name, context.variables)
        if refusal is None:
            yield from super().on_validate()
            return
        context.pre_execution_errors = [refusal]
        yield


def _refusal(schema: GraphQLSchema, document: Any, operation_name: str | None,
             variables: dict[str, Any] | None) -> GraphQLError | None:
    if document is None:
        return None
    try:
        cost = cost_of(schema, document, operation_name, variables)
    except TooCostly as refused:
        cost, message = refused.cost, refused.message
    else:
        if cost <= MAX_COST:
            return None
        message = f"this request costs {cost}, above the limit of {MAX_COST}"
    return GraphQLError(message, original_error=TooCostly(cost, message),
                        extensions={"cost": cost, "limit": MAX_COST})
