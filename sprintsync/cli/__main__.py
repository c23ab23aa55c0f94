from sprintsync.cli import run

run()
