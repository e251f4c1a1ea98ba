"""`path__under=prefix`: everything whose materialised path starts with a prefix, indexed.

A plain `startswith` becomes `LIKE 'p%' ESCAPE '\\'`, which SQLite runs as a full scan (its LIKE
is case-insensitive, so a normal index cannot serve it). A path only ever holds codes and '/',
so on SQLite the prefix is turned into a half-open range that any B-tree index answers. On
PostgreSQL `LIKE 'p%'` is kept: it is served by the `varchar_pattern_ops` index the models
declare, whatever the database's collation (a range would depend on the collation).
"""

from django.db.models import Lookup


def upper_bound(prefix: str) -> str:
    """The smallest string greater than every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class Under(Lookup):
    lookup_name = "under"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = connection.ops.prep_for_like_query(self.rhs)
        return f"{lhs} LIKE %s", [*lhs_params, prefix + "%"]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"({lhs} >= %s AND {lhs} < %s)", [
            *lhs_params,
            self.rhs,
            *lhs_params,
            upper_bound(self.rhs),
        ]
