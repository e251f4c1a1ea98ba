"""The administrative ladder and the grids below it, as one tree with a materialised path.

A node's `path` is its ancestors' codes and its own, each followed by '/', e.g.
`530000/530400/530402/530402001/`. "Everything under this node" is
`Place.objects.filter(path__under=node.path)`: one indexed range query (see lookups.py).
"""

from django.db import models
from django.db.models import Index


class Level(models.IntegerChoices):
    # Values grow downwards so that "at or below" is a comparison.
    PROVINCE = 1, "省"
    CITY = 2, "市（州）"
    COUNTY = 3, "县（市、区）"
    TOWNSHIP = 4, "乡镇（街道）"
    VILLAGE = 5, "村（社区）"
    GRID = 6, "网格"
    MICROGRID = 7, "微网格"

    @property
    def centre_name(self) -> str:
        return {
            Level.PROVINCE: "省综治中心",
            Level.CITY: "市级综治中心",
            Level.COUNTY: "县级综治中心",
            Level.TOWNSHIP: "乡镇（街道）综治中心",
            Level.VILLAGE: "村（社区）综治中心",
        }.get(self, "网格")


class PlaceQuerySet(models.QuerySet):
    def under(self, node: "Place", include_self: bool = True) -> "PlaceQuerySet":
        qs = self.filter(path__under=node.path)
        return qs if include_self else qs.exclude(pk=node.pk)

    def at_level(self, level: Level) -> "PlaceQuerySet":
        return self.filter(level=level)


class Place(models.Model):
    code = models.CharField(
        "区划代码",
        max_length=20,
        unique=True,
        help_text="GB/T 2260 six digits for county and above, twelve-digit statistical code "
        "below; grids extend their village's code.",
    )
    name = models.CharField("名称", max_length=60)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = "地点"
        verbose_name_plural = "行政区划与网格"
        ordering = ["path"]
        indexes = [
            Index(fields=["parent", "name"], name="place_parent_name"),
            # Serves `path LIKE 'p%'` on PostgreSQL whatever the collation; SQLite ignores
            # the operator class and uses it for the range form of `under`.
            Index(fields=["path"], name="place_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        stored = None
        if not self._state.adding:
            stored = Place.objects.filter(pk=self.pk).values("code", "parent_id", "path").first()
        if stored is None:
            self.path = (self.parent.path if self.parent_id else "") + self.code + "/"
        elif (stored["code"], stored["parent_id"]) == (self.code, self.parent_id):
            self.path = stored["path"]  # the stored one: this object's parent may be stale
        else:
            # Saving would strand the subtree's and the cases' copies of the old path.
            raise ValueError(
                "a place's code and parent change only through "
                "zongzhi.places.services.change_code and move"
            )
        super().save(*args, **kwargs)

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def ancestor_codes(self) -> list[str]:
        return self.path.rstrip("/").split("/")

    def ancestors(self, include_self: bool = False) -> models.QuerySet["Place"]:
        codes = self.ancestor_codes if include_self else self.ancestor_codes[:-1]
        return Place.objects.filter(code__in=codes).order_by("level")

    def ancestor_at(self, level: Level) -> "Place | None":
        if self.level == level:
            return self
        if self.level < level:
            return None
        return self.ancestors().filter(level=level).first()

    def contains(self, other: "Place | str") -> bool:
        """True when `other` (a place or a path) is this node or lies under it."""
        other_path = other if isinstance(other, str) else other.path
        return other_path.startswith(self.path)

    @property
    def full_name(self) -> str:
        """Names from the county down, as a clerk writes an address: 红塔区玉兴街道…"""
        names = list(
            self.ancestors(include_self=True)
            .filter(level__gte=Level.COUNTY)
            .values_list("name", flat=True)
        )
        return "".join(names) or self.name
