"""包保: which cadre answers for which place (county leaders for townships, township leaders
for villages, township cadres for villagers' groups, village cadres for households,
political-legal units' leaders for townships), and each township's party secretary and head
(属地党政主要负责人). One table, read through zongzhi.dispatch.coverage only: 一案三交 finds a
case's three responsible people here, 包保 leaders see their places' cases through it, and
the key-people ledgers take a person's responsible cadres from it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from zongzhi.places.models import Level


class CoverKind(models.TextChoices):
    COUNTY_LEADER = "county_leader", "县级领导包乡（镇、街道）"
    POLITICAL_LEGAL = "political_legal", "政法单位班子成员包乡（镇、街道）"
    PARTY_SECRETARY = "party_secretary", "属地党（工）委书记"
    GOVERNMENT_HEAD = "government_head", "属地乡镇长（街道办主任）"
    TOWNSHIP_LEADER = "township_leader", "乡镇班子成员包村（社区）"
    TOWNSHIP_CADRE = "township_cadre", "乡镇干部包村民小组"
    VILLAGE_CADRE = "village_cadre", "村干部包户"


# Which level the covered place must have for each kind; a labelled row (a villager's group
# or a household named by a label) sits on the village or a place below it.
PLACE_LEVELS: dict[str, frozenset[int]] = {
    CoverKind.COUNTY_LEADER: frozenset({Level.TOWNSHIP}),
    CoverKind.POLITICAL_LEGAL: frozenset({Level.TOWNSHIP}),
    CoverKind.PARTY_SECRETARY: frozenset({Level.TOWNSHIP}),
    CoverKind.GOVERNMENT_HEAD: frozenset({Level.TOWNSHIP}),
    CoverKind.TOWNSHIP_LEADER: frozenset({Level.VILLAGE}),
    CoverKind.TOWNSHIP_CADRE: frozenset({Level.VILLAGE, Level.GRID, Level.MICROGRID}),
    CoverKind.VILLAGE_CADRE: frozenset({Level.VILLAGE, Level.GRID, Level.MICROGRID}),
}
# Kinds whose row names something smaller than its place by a label: a household always, a
# villagers' group when the tree has no place for it (then the row sits on the village).
LABEL_REQUIRED = frozenset({CoverKind.VILLAGE_CADRE})


class Coverage(models.Model):
    """One cadre covering one place (or a labelled group or household in it) for a period."""

    cadre = models.ForeignKey(
        "accounts.User",
        verbose_name="包保干部",
        on_delete=models.PROTECT,
        related_name="coverages",
    )
    title = models.CharField("职务", max_length=60, help_text="例如：县委常委、政法委书记")
    kind = models.CharField("包保类别", max_length=20, choices=CoverKind.choices)
    place = models.ForeignKey(
        "places.Place", verbose_name="包保地点", on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(
        "包保对象",
        max_length=60,
        blank=True,
        help_text="村民小组或户（如：第三村民小组、张某某户）；留空表示整个地点",
    )
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("终止日期", null=True, blank=True, help_text="留空表示至今")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "包保关系"
        verbose_name_plural = "包保责任表"
        ordering = ["place__path", "kind", "starts_on"]
        indexes = [
            models.Index(fields=["cadre", "kind"], name="coverage_cadre_kind"),
            models.Index(fields=["place", "kind"], name="coverage_place_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="coverage_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        target = f"{self.place}{self.label}" if self.label else str(self.place)
        return f"{self.cadre}（{self.title}）包保{target}"

    def clean(self) -> None:
        errors = {}
        levels = PLACE_LEVELS.get(self.kind)
        if levels and self.place_id and self.place.level not in levels:
            names = "、".join(Level(level).label for level in sorted(levels))
            errors["place"] = f"“{self.get_kind_display()}”的包保地点应为{names}"
        if self.kind in LABEL_REQUIRED and not self.label.strip():
            errors["label"] = "包户须填写包保对象（户）"
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "终止日期不能早于起始日期"
        if errors:
            raise ValidationError(errors)
