"""Fills the migrated `items` table of one benchmark database with the same rows every time.

`python seed.py ROWS` with `DATABASE_URL` set; prints one JSON line: the id that get-by-id asks
for, the category the list filters on and how many rows that category holds. Ids come from
the row number, so every app's database holds exactly the same rows.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

import asyncpg

CATEGORIES = 10
FILTERED = "category-3"
SEED = """
INSERT INTO items (id, name, category, price, in_stock)
SELECT md5('deeprun-item-' || n)::uuid, 'item ' || n, 'category-' || (n % $2), n * 7 % 10000,
       n % 3 <> 0
FROM generate_series(1, $1) AS n
"""


async def main(rows: int) -> None:
    url = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(SEED, rows, CATEGORIES)
        await connection.execute("ANALYZE items")
        item_id = await connection.fetchval("SELECT md5('deeprun-item-1')::uuid")
        count = await connection.fetchval(
            "SELECT count(*) FROM items WHERE category = $1", FILTERED
        )
    finally:
        await connection.close()
    sys.stdout.write(
        json.dumps({"item_id": str(item_id), "category": FILTERED, "matching": count}) + "\n"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
