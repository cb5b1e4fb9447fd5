"""The fault proxy itself: each toxic does what it says, on a real TCP echo server."""

from __future__ import annotations

import socket
import socketserver
import threading
import time

import pytest

from tests.faults.proxy import DOWNSTREAM, UPSTREAM, FaultProxy, Toxic


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(65536):
            self.request.sendall(data)


@pytest.fixture
def echo_port():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(echo_port):
    with FaultProxy(echo_port, seed=1) as running:
        yield running


def roundtrip(port: int, payload: bytes, timeout: float = 5.0) -> bytes:
    """Send ``payload`` and read until it is all echoed or the proxy closes gracefully."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(payload)
        received = b""
        while len(received) < len(payload):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        return received


def was_reset(port: int) -> bool:
    """True when a connection through the proxy is reset or closed before any answer."""
    try:
        return roundtrip(port, b"hello", timeout=2) == b""
    except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
        return True


def test_clean_proxy_passes_bytes_both_ways(proxy):
    payload = bytes(range(256)) * 1000
    assert roundtrip(proxy.port, payload) == payload
    assert proxy.bytes_up == proxy.bytes_down == len(payload)


def test_limit_data_cuts_the_connection_after_n_bytes_upstream(proxy):
    proxy.add(Toxic.limit_data(1000, UPSTREAM))
    received = roundtrip(proxy.port, b"x" * 5000)
    assert len(received) <= 1000
    assert proxy.bytes_up == 1000


def test_limit_data_downstream(proxy):
    proxy.add(Toxic.limit_data(300, DOWNSTREAM))
    assert roundtrip(proxy.port, b"y" * 2000) == b"y" * 300


def test_latency_delays_delivery(proxy):
    proxy.add(Toxic.latency(300, direction=DOWNSTREAM))
    started = time.monotonic()
    assert roundtrip(proxy.port, b"ping") == b"ping"
    assert time.monotonic() - started >= 0.29


def test_bandwidth_limits_throughput(proxy):
    proxy.add(Toxic.bandwidth(64, DOWNSTREAM))  # 64 KB/s
    started = time.monotonic()
    assert roundtrip(proxy.port, b"z" * 32 * 1024) == b"z" * 32 * 1024
    assert time.monotonic() - started >= 0.4


def test_blackhole_swallows_and_never_answers(proxy):
    proxy.add(Toxic.blackhole(UPSTREAM))
    with pytest.raises(TimeoutError):
        roundtrip(proxy.port, b"hello", timeout=0.5)


def test_reset_peer_resets(proxy):
    proxy.add(Toxic.reset_peer(0, DOWNSTREAM))
    assert was_reset(proxy.port)


def test_slicer_delivers_everything_in_small_pieces(proxy):
    proxy.add(Toxic.slicer(16, 8, 100, DOWNSTREAM))
    payload = b"abcdefgh" * 200
    assert roundtrip(proxy.port, payload) == payload


def test_down_refuses_and_up_heals(proxy):
    proxy.down()
    assert was_reset(proxy.port)
    proxy.heal()
    assert roundtrip(proxy.port, b"hello") == b"hello"
