"""What every benchmark run shares: fresh keys, and the server's durability settings.

Figures are only quoted from a PostgreSQL running as in production: scripts/with-postgres
--durable (fsync, synchronous_commit and full_page_writes on). Each run reads the settings
back from the server and prints them beside its figures.
"""

DURABILITY_SETTINGS = ("fsync", "synchronous_commit", "full_page_writes")


def run_keys() -> dict[str, str]:
    """Keys made for this run only (the platform refuses to start without them in production)."""
    from zongzhi.keys import generate

    return generate()


def durability(cursor) -> tuple[str, bool]:
    """The server's durability settings as text, and whether all of them are on."""
    values = {}
    for name in DURABILITY_SETTINGS:
        cursor.execute(f"SHOW {name}")
        values[name] = cursor.fetchone()[0]
    text = ", ".join(f"{name}={value}" for name, value in values.items())
    return text, all(value == "on" for value in values.values())
