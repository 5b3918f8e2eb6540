"""Hand-written Starlette + asyncpg: the floor of the stack in `deeprun bench perf`.

The same three routes, table, token check and input rules as `reference_fastapi.py`, with no
framework layer above Starlette: no dependency injection, no Pydantic, responses built by hand.
What the generated app pays above this is what FastAPI and the generated layers cost.

Run by the benchmark in the generated project's virtual environment: `DATABASE_URL`,
`JWT_SECRET`, `HOST`, `PORT` from the environment.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import jwt
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

SECRET = os.environ["JWT_SECRET"]
COLUMNS = "id, name, category, price, in_stock"
POOL = {"min_size": 10, "max_size": 20}  # at most 20 connections, as the generated app's fixed pool
BIGINT_MAX = 2**63 - 1
UNAUTHORIZED = JSONResponse({"detail": "Invalid or expired token"}, status_code=401)
INVALID = JSONResponse({"detail": "The request is invalid"}, status_code=422)
CREATE_FIELDS = {"name": (str, 120), "category": (str, 40), "price": (int, None)}


def authorized(request: Request) -> bool:
    """The generated app's token check, by hand."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    try:
        claims = jwt.decode(
            token, SECRET, algorithms=["HS256"], options={"require": ["exp", "iat", "sub"]}
        )
    except jwt.PyJWTError:
        return False
    return (
        claims.get("type") == "access"
        and isinstance(claims.get("sub"), str)
        and isinstance(claims.get("role"), str)
    )


def public(row: asyncpg.Record) -> dict[str, Any]:
    item = dict(row)
    item["id"] = str(item["id"])
    return item


def valid_item(body: object) -> bool:
    if not isinstance(body, dict) or set(body) != {*CREATE_FIELDS, "in_stock"}:
        return False
    if not isinstance(body["in_stock"], bool):
        return False
    for name, (kind, longest) in CREATE_FIELDS.items():
        value = body[name]
        if not isinstance(value, kind) or isinstance(value, bool):
            return False
        if longest is not None and len(value) > longest:
            return False
    return 0 <= body["price"] <= BIGINT_MAX


async def health(_: Request) -> JSONResponse:
    """What the benchmark waits for after boot (not driven)."""
    return JSONResponse({"status": "ok"})


async def get_item(request: Request) -> JSONResponse:
    if not authorized(request):
        return UNAUTHORIZED
    try:
        item_id = uuid.UUID(request.path_params["item_id"])
    except ValueError:
        return INVALID
    pool: asyncpg.Pool = request.app.state.pool
    row = await pool.fetchrow(f"SELECT {COLUMNS} FROM items WHERE id = $1", item_id)  # noqa: S608
    if row is None:
        return JSONResponse({"detail": "Item not found"}, status_code=404)
    return JSONResponse(public(row))


async def list_items(request: Request) -> JSONResponse:
    if not authorized(request):
        return UNAUTHORIZED
    params = request.query_params
    category = params.get("category")
    try:
        limit, offset = int(params.get("limit", "20")), int(params.get("offset", "0"))
    except ValueError:
        return INVALID
    if not (1 <= limit <= 100 and offset >= 0):
        return INVALID
    where = "WHERE category = $1" if category is not None else "WHERE $1::text IS NULL"
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as connection:
        rows = await connection.fetch(
            f"SELECT {COLUMNS} FROM items {where} ORDER BY id LIMIT $2 OFFSET $3",  # noqa: S608
            category,
            limit,
            offset,
        )
        total = await connection.fetchval(
            f"SELECT count(*) FROM items {where}",  # noqa: S608
            category,
        )
    page = {"items": [public(row) for row in rows], "total": total, "limit": limit}
    return JSONResponse({**page, "offset": offset})


async def create_item(request: Request) -> JSONResponse:
    if not authorized(request):
        return UNAUTHORIZED
    try:
        body = json.loads(await request.body())
    except ValueError:
        return INVALID
    if not valid_item(body):
        return INVALID
    pool: asyncpg.Pool = request.app.state.pool
    row = await pool.fetchrow(
        f"INSERT INTO items (name, category, price, in_stock) VALUES ($1, $2, $3, $4) "  # noqa: S608
        f"RETURNING {COLUMNS}",
        body["name"],
        body["category"],
        body["price"],
        body["in_stock"],
    )
    return JSONResponse(public(row), status_code=201)


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    url = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    app.state.pool = await asyncpg.create_pool(url, **POOL)
    yield
    await app.state.pool.close()


app = Starlette(
    routes=[
        Route("/health", health, methods=["GET"]),
        Route("/items", list_items, methods=["GET"]),
        Route("/items", create_item, methods=["POST"]),
        Route("/items/{item_id}", get_item, methods=["GET"]),
    ],
    lifespan=lifespan,
)


if __name__ == "__main__":
    uvicorn.run(
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ["PORT"]),
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
