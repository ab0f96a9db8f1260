"""Relay connections: a page of nodes with a cursor after each, as every list answers."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

from kado.domain.pages import Page


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None

    @classmethod
    def of(cls, page: Page) -> PageInfo:
        return cls(has_next_page=page.has_next, end_cursor=page.end_cursor)


T = TypeVar("T")


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo

    @strawberry.field
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @classmethod
    def of(cls, nodes: list[T], page: Page) -> Connection[T]:
        return cls(edges=[Edge(cursor=c, node=n) for c, n in zip(page.cursors, nodes,
                                                                 strict=True)],
                   page_info=PageInfo.of(page))
