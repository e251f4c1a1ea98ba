from django.apps import AppConfig
from django_tasks_db.apps import TasksAppConfig


class JobsConfig(AppConfig):
    name = "zongzhi.jobs"
    verbose_name = "后台任务"


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db (the task queue in the database) under a Chinese name in the admin."""

    verbose_name = "任务队列"
