from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "zongzhi.places"
    verbose_name = "行政区划与网格"

    def ready(self) -> None:
        from django.db.models import CharField

        from zongzhi.places.lookups import Under

        CharField.register_lookup(Under)
