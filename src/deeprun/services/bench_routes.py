"""The three routes ``bench perf`` drives, the same on every app: the request each run repeats,
and what a right answer to it is, checked on every app before any figure is taken."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Final

from deeprun.contracts.errors import GateError
from deeprun.ports.bench import HttpClient, Reply, Shot

ROUTES: Final = ("get_by_id", "list_filtered", "create")
PAGE: Final = 20
ITEM_KEYS: Final = frozenset({"id", "name", "category", "price", "in_stock"})
NEW_ITEM: Final = {"name": "bench item", "category": "bench-created", "price": 42, "in_stock": True}


def shots_for(base: str, token: str, seeded: Mapping[str, object]) -> dict[str, Shot]:
    auth = {"Authorization": f"Bearer {token}"}
    query = f"category={seeded['category']}&limit={PAGE}"
    return {
        "get_by_id": Shot("GET", f"{base}/items/{seeded['item_id']}", auth),
        "list_filtered": Shot("GET", f"{base}/items?{query}", auth),
        "create": Shot(
            "POST",
            f"{base}/items",
            {**auth, "Content-Type": "application/json"},
            json.dumps(NEW_ITEM),
        ),
    }


def preflight(
    shots: Mapping[str, Mapping[str, Shot]], seeded: Mapping[str, object], http: HttpClient
) -> None:
    """Every app answers every route alike before any figure is taken: the status, the shape of
    the answer, and a 401 without the token. GateError names the first difference."""
    for app, routes in shots.items():
        for route, shot in routes.items():
            body = json.loads(shot.body) if shot.body else None
            reply = http.send(shot.method, shot.url, headers=shot.headers, json=body)
            problem = answer_problem(route, reply, seeded)
            if problem is None:
                anonymous = {k: v for k, v in shot.headers.items() if k != "Authorization"}
                bare = http.send(shot.method, shot.url, headers=anonymous, json=body)
                problem = None if bare.status == 401 else f"answered {bare.status} without a token"
            if problem is not None:
                raise GateError(f"{app} {route} ({shot.method} {shot.url}): {problem}")


def answer_problem(route: str, reply: Reply, seeded: Mapping[str, object]) -> str | None:
    """What is wrong with an app's answer to a route, or None."""
    expected = 201 if route == "create" else 200
    if reply.status != expected:
        return f"answered {reply.status}, expected {expected}"
    body = reply.body if isinstance(reply.body, dict) else {}
    if route == "list_filtered":
        items = body.get("items")
        if body.get("total") != seeded["matching"] or not isinstance(items, list):
            return f"the page is not the {seeded['matching']} matching rows: {_cut(body)}"
        if len(items) != min(PAGE, int(str(seeded["matching"]))):
            return f"the page holds {len(items)} items, expected {PAGE}"
        body = items[0] if items and isinstance(items[0], dict) else {}
    if set(body) != ITEM_KEYS:
        return f"the item has keys {sorted(body)}, expected {sorted(ITEM_KEYS)}"
    if route == "get_by_id" and body.get("id") != seeded["item_id"]:
        return f"answered the item {body.get('id')}, not {seeded['item_id']}"
    return None


def _cut(body: object) -> str:
    return json.dumps(body)[:200]
