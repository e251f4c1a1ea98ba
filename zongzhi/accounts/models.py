"""Staff accounts, their roles, the node they belong to, and the units of a centre."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from zongzhi.places.models import Place


class Role(models.TextChoices):
    CITIZEN = "citizen", "群众"
    GRID_WORKER = "grid_worker", "网格员"
    WINDOW_CLERK = "window_clerk", "综合受理窗口"
    MEDIATOR = "mediator", "调解员"
    DEPARTMENT_HANDLER = "department_handler", "入驻部门"
    CENTRE_LEADER = "centre_leader", "综治中心主任"
    ANALYST = "analyst", "研判分析员"
    ADMINISTRATOR = "administrator", "系统管理员"


# Roles that handle cases assigned to them (their own or their unit's).
HANDLER_ROLES = frozenset({Role.DEPARTMENT_HANDLER, Role.MEDIATOR, Role.GRID_WORKER})
# Roles that direct a centre's work and may act on any case in their area.
DIRECTING_ROLES = frozenset({Role.CENTRE_LEADER, Role.ADMINISTRATOR})


class UnitKind(models.TextChoices):
    STATIONED = "stationed", "常驻部门"
    ROTATING = "rotating", "轮驻部门"
    MEDIATION_ROOM = "mediation_room", "调解工作室"
    MEDIATION_COMMITTEE = "mediation_committee", "人民调解委员会"
    CENTRE_OFFICE = "centre_office", "综治中心内设"


class Unit(models.Model):
    """A department stationed at a centre, a mediation room, or the centre's own office."""

    name = models.CharField("单位名称", max_length=80)
    kind = models.CharField("类别", max_length=30, choices=UnitKind.choices)
    department = models.CharField(
        "所属部门", max_length=40, blank=True, help_text="例如：法院、公安、司法、人社、住建"
    )
    place = models.ForeignKey(
        Place, verbose_name="所在综治中心", on_delete=models.PROTECT, related_name="units"
    )
    is_active = models.BooleanField("在岗", default=True)
    # A unit may serve places beyond its own centre's node, e.g. a people's court tribunal
    # (人民法庭) or a procuratorate office that covers several townships (see dispatch).
    serves = models.ManyToManyField(
        Place,
        verbose_name="服务区域",
        blank=True,
        related_name="served_by_units",
        help_text="本单位还负责的地点（如人民法庭覆盖的几个乡镇）；留空表示只负责所在中心辖区",
    )

    class Meta:
        verbose_name = "入驻单位"
        verbose_name_plural = "入驻单位与调解室"
        ordering = ["place__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="unit_unique_name_per_centre")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. Staff belong to one node and see that node's subtree only."""

    display_name = models.CharField("姓名", max_length=40, blank=True)
    role = models.CharField("角色", max_length=30, choices=Role.choices, default=Role.CITIZEN)
    place = models.ForeignKey(
        Place,
        verbose_name="所属节点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="The node whose subtree this account sees; none means it sees no cases.",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def is_directing(self) -> bool:
        return self.role in DIRECTING_ROLES

    @property
    def works_in_an_area(self) -> bool:
        """A staff account with a node: the only kind that sees cases. Citizen-role accounts
        (the role's default) see none, even if an administrator gave them a place."""
        return self.is_active and self.role != Role.CITIZEN and self.place_id is not None

    def can_see_path(self, path: str) -> bool:
        """Whether a place path lies in this account's area (its node's subtree)."""
        return self.works_in_an_area and path.startswith(self.place.path)
