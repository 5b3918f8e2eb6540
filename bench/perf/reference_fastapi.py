"""Hand-written FastAPI + asyncpg: the ceiling for FastAPI code in `deeprun bench perf`.

The three routes the benchmark drives, over the `items` table the generated project's migration
creates, with the generated app's token check (HS256, `exp`/`iat`/`sub` required, `type` access,
`sub` and `role` strings) and its validation rules, but nothing else: no middleware, no ORM, no
per-request session object. Idiomatic FastAPI all the same: a bearer dependency, Pydantic
models for the body and the responses, a pool made in the lifespan.

Run by the benchmark in the generated project's virtual environment (the same FastAPI, Starlette,
uvicorn, asyncpg and PyJWT): `DATABASE_URL`, `JWT_SECRET`, `HOST`, `PORT` from the environment.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import asyncpg
import jwt
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

SECRET = os.environ["JWT_SECRET"]
COLUMNS = "id, name, category, price, in_stock"
POOL = {"min_size": 10, "max_size": 20}  # at most 20 connections, as the generated app's fixed pool


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=120)
    category: str = Field(max_length=40)
    price: int = Field(ge=0, le=2**63 - 1)
    in_stock: bool


class ItemPublic(BaseModel):
    id: uuid.UUID
    name: str
    category: str
    price: int
    in_stock: bool


class ItemPage(BaseModel):
    items: list[ItemPublic]
    total: int
    limit: int
    offset: int


bearer = HTTPBearer(auto_error=False)


def principal(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """The caller's id from the access token, checked as the generated app checks it."""
    if credentials is None:
        raise HTTPException(401, "Authentication required")
    try:
        claims = jwt.decode(
            credentials.credentials,
            SECRET,
            algorithms=["HS256"],
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.PyJWTError as exc:
        raise HTTPException(401, "Invalid or expired token") from exc
    subject, role = claims.get("sub"), claims.get("role")
    if claims.get("type") != "access" or not isinstance(subject, str) or not isinstance(role, str):
        raise HTTPException(401, "Invalid or expired token")
    return subject


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    url = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    app.state.pool = await asyncpg.create_pool(url, **POOL)
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)
Caller = Annotated[str, Depends(principal)]


def pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


Pool = Annotated[asyncpg.Pool, Depends(pool)]


@app.get("/health")
async def health() -> dict[str, str]:
    """What the benchmark waits for after boot (not driven)."""
    return {"status": "ok"}


@app.get("/items/{item_id}", response_model=ItemPublic)
async def get_item(item_id: uuid.UUID, db: Pool, _: Caller) -> ItemPublic:
    row = await db.fetchrow(f"SELECT {COLUMNS} FROM items WHERE id = $1", item_id)  # noqa: S608
    if row is None:
        raise HTTPException(404, "Item not found")
    return ItemPublic(**row)


@app.get("/items", response_model=ItemPage)
async def list_items(
    db: Pool,
    _: Caller,
    category: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ItemPage:
    where = "WHERE category = $1" if category is not None else "WHERE $1::text IS NULL"
    async with db.acquire() as connection:
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
    return ItemPage(
        items=[ItemPublic(**row) for row in rows], total=total, limit=limit, offset=offset
    )


@app.post("/items", status_code=201, response_model=ItemPublic)
async def create_item(body: ItemCreate, db: Pool, _: Caller) -> ItemPublic:
    row = await db.fetchrow(
        f"INSERT INTO items (name, category, price, in_stock) VALUES ($1, $2, $3, $4) "  # noqa: S608
        f"RETURNING {COLUMNS}",
        body.name,
        body.category,
        body.price,
        body.in_stock,
    )
    return ItemPublic(**row)


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
