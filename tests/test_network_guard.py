"""The suite-wide network guard (pytest-socket, switched on in pyproject's addopts): a test
that connects anywhere but this machine fails; local servers and unix sockets still work."""

from __future__ import annotations

import contextlib
import socket
import tempfile
from pathlib import Path

import pytest
from pytest_socket import SocketConnectBlockedError


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_connecting_to_another_machine_is_refused_and_remembered(blocked_connects):
    # 192.0.2.1 is TEST-NET-1, reserved for documentation: nothing would answer anyway.
    # Code under test might swallow the refusal like this; the teardown check still fails it.
    with contextlib.suppress(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 443), timeout=0.5)
    assert blocked_connects == ["192.0.2.1"]
    blocked_connects.clear()  # this test wanted the refusal; others fail at teardown


def test_a_local_server_on_a_free_port_can_be_reached():
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            conn, _ = server.accept()
            conn.close()


def test_unix_sockets_such_as_postgresqls_are_allowed():
    path = str(Path(tempfile.mkdtemp()) / "s")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen()
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(path)
