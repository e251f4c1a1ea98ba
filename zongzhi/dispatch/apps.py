from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "zongzhi.dispatch"
    verbose_name = "分流交办"

    def ready(self) -> None:
        from zongzhi.cases.selectors import register_area_extension, register_involvement
        from zongzhi.dispatch import key_cases, whistles
        from zongzhi.dispatch.coverage import covered_paths
        from zongzhi.dispatch.teams import team_case_ids

        # Members of a cross-area team (一案一专班) see and work the team's case.
        register_involvement("team", team_case_ids)

        # 包保: a cadre's covered places join their area; 一案三交 duties and 一案一策 items
        # put their people on the case.
        register_area_extension("coverage", covered_paths)
        register_involvement("key_cases", key_cases.involved_case_ids)

        # A unit called on a case (吹哨报到) is on it, also after it reported back.
        register_involvement("dispatch.sub_tasks", whistles.involved_case_ids)
