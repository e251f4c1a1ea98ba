import logging


def _console_handlers(name: str) -> list[logging.Handler]:
    """The logging module's stream handlers a record of logger `name` reaches."""
    found = []
    logger = logging.getLogger(name)
    while logger is not None:
        found += [
            h
            for h in logger.handlers
            if type(h).__module__ == "logging" and isinstance(h, logging.StreamHandler)
        ]
        if not logger.propagate:
            break
        logger = logger.parent
    return found


def test_a_background_task_line_is_printed_once():
    # django.tasks (task started, finished) used to reach Django's console handler and the
    # root's: the demo's log showed every line twice.
    assert len(_console_handlers("django.tasks")) == 1
    assert len(_console_handlers("django_tasks_db")) == 1
    assert len(_console_handlers("zongzhi")) == 1
