from sprintsync.services import tasks, timelog


def test_member_can_create_and_log(uow, member):
    t = tasks.create_task(uow(), actor=member, title="Write docs", estimate="2h")
    timelog.log_time(uow(), actor=member, task_id=t.id, duration="1h30m")
    assert tasks.get_task(uow(), actor=member, task_id=t.id).total_minutes == 90
