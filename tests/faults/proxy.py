"""A small asyncio TCP fault proxy with toxiproxy's vocabulary, for the fault-injection suite.

It sits between the laptop's sync engine and the real server on loopback and runs its own
event loop on a background thread, so synchronous tests drive it directly:

    with FaultProxy(upstream_port=server.port) as proxy:
        proxy.add(Toxic.limit_data(5_000_000, UPSTREAM))   # close after 5 MB client→server
        ...

Toxics (each on the UPSTREAM client→server or DOWNSTREAM server→client direction):
``down`` (refuse new connections, drop open ones), ``latency(ms, jitter_ms)``,
``bandwidth(kb_per_s)``, ``blackhole`` (swallow bytes, never answer, never close),
``reset_peer`` (RST at once or after ``timeout_ms``), ``limit_data(n)`` (close the connection
after n bytes in that direction), ``slicer(avg_size, size_variation, delay_us)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
import threading
from dataclasses import dataclass, field

UPSTREAM = "upstream"
DOWNSTREAM = "downstream"
_READ_SIZE = 64 * 1024


@dataclass
class Toxic:
    """One fault on one direction; ``params`` as in toxiproxy."""

    kind: str
    direction: str = DOWNSTREAM
    params: dict[str, float] = field(default_factory=dict)
    toxicity: float = 1.0  # probability that a new connection is affected

    @classmethod
    def latency(cls, ms: float, jitter_ms: float = 0, direction: str = DOWNSTREAM) -> Toxic:
        return cls("latency", direction, {"latency": ms, "jitter": jitter_ms})

    @classmethod
    def bandwidth(cls, kb_per_s: float, direction: str = DOWNSTREAM) -> Toxic:
        return cls("bandwidth", direction, {"rate": kb_per_s})

    @classmethod
    def blackhole(cls, direction: str = DOWNSTREAM) -> Toxic:
        return cls("blackhole", direction)

    @classmethod
    def reset_peer(cls, timeout_ms: float = 0, direction: str = DOWNSTREAM) -> Toxic:
        return cls("reset_peer", direction, {"timeout": timeout_ms})

    @classmethod
    def limit_data(cls, nbytes: int, direction: str = DOWNSTREAM) -> Toxic:
        return cls("limit_data", direction, {"bytes": nbytes})

    @classmethod
    def slicer(
        cls, avg_size: int = 64, size_variation: int = 32, delay_us: int = 1000,
        direction: str = DOWNSTREAM,
    ) -> Toxic:  # fmt: skip
        return cls(
            "slicer",
            direction,
            {"average_size": avg_size, "size_variation": size_variation, "delay": delay_us},
        )


class _CloseError(Exception):
    """The connection must close now, gracefully (a data limit was reached)."""


class FaultProxy:
    """A TCP proxy on 127.0.0.1 that applies toxics to every connection through it."""

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1", seed: int = 0):
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.toxics: list[Toxic] = []
        self.is_down = False
        self.bytes_up = 0
        self.bytes_down = 0
        self.connections = 0
        self._random = random.Random(seed)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> FaultProxy:
        self._thread.start()
        self._call(self._start())
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._call(self._stop())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- toxics -------------------------------------------------------------------------------
    def add(self, toxic: Toxic) -> Toxic:
        """Apply ``toxic`` to connections opened from now on (and ``down`` at once)."""
        self.toxics.append(toxic)
        return toxic

    def remove(self, toxic: Toxic) -> None:
        self.toxics.remove(toxic)

    def heal(self) -> None:
        """Remove every toxic and bring the proxy up."""
        self.toxics.clear()
        self.is_down = False

    def down(self) -> None:
        """Refuse new connections and drop the open ones, like toxiproxy's disabled proxy."""
        self.is_down = True
        self._call(self._drop_all())

    def up(self) -> None:
        self.is_down = False

    # -- internals ----------------------------------------------------------------------------
    def _call(self, coro):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        await self._drop_all()
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _drop_all(self) -> None:
        for writer in list(self._writers):
            _abort(writer)
        self._writers.clear()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        if self.is_down:
            _abort(client_w)
            return
        self.connections += 1
        try:
            server_r, server_w = await asyncio.open_connection(*self.upstream)
        except OSError:
            _abort(client_w)
            return
        self._writers |= {client_w, server_w}
        toxics = [t for t in self.toxics if self._random.random() < t.toxicity]
        up = asyncio.ensure_future(self._pipe(client_r, server_w, UPSTREAM, toxics, client_w))
        down = asyncio.ensure_future(self._pipe(server_r, client_w, DOWNSTREAM, toxics, server_w))
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
        for task in (up, down):
            task.cancel()
        for writer in (client_w, server_w):
            if writer in self._writers:
                self._writers.discard(writer)
                with contextlib.suppress(Exception):
                    writer.close()

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        direction: str,
        toxics: list[Toxic],
        source_writer: asyncio.StreamWriter,
    ) -> None:
        mine = [t for t in toxics if t.direction == direction]
        passed = 0
        for toxic in mine:
            if toxic.kind == "reset_peer":
                await asyncio.sleep(toxic.params["timeout"] / 1000)
                _abort(source_writer)
                _abort(writer)
                return
        try:
            while not self.is_down:
                data = await reader.read(_READ_SIZE)
                if not data:
                    with contextlib.suppress(Exception):
                        writer.write_eof()
                    await asyncio.sleep(3600)  # the other direction may still be talking
                    return
                for toxic in mine:
                    if toxic.kind == "blackhole":
                        data = b""
                    elif toxic.kind == "limit_data":
                        room = int(toxic.params["bytes"]) - passed
                        if len(data) >= room:
                            await self._send(writer, data[: max(room, 0)], direction)
                            raise _CloseError
                if not data:
                    continue
                passed += len(data)
                await self._deliver(writer, data, direction, mine)
        except _CloseError:
            _close(writer)
            _close(source_writer)
            return
        except (ConnectionError, OSError):
            pass
        _abort(writer)
        _abort(source_writer)

    async def _deliver(
        self, writer: asyncio.StreamWriter, data: bytes, direction: str, toxics: list[Toxic]
    ) -> None:
        pieces = [data]
        delay_each = 0.0
        for toxic in toxics:
            p = toxic.params
            if toxic.kind == "latency":
                jitter = self._random.uniform(-p["jitter"], p["jitter"])
                await asyncio.sleep(max(0.0, p["latency"] + jitter) / 1000)
            elif toxic.kind == "slicer":
                pieces = _slices(
                    data, int(p["average_size"]), int(p["size_variation"]), self._random
                )
                delay_each = p["delay"] / 1_000_000
        bandwidth = next((t.params["rate"] for t in toxics if t.kind == "bandwidth"), None)
        for piece in pieces:
            if bandwidth:
                await asyncio.sleep(len(piece) / (bandwidth * 1024))
            await self._send(writer, piece, direction)
            if delay_each:
                await asyncio.sleep(delay_each)

    async def _send(self, writer: asyncio.StreamWriter, data: bytes, direction: str) -> None:
        if not data:
            return
        # counted when handed to the socket: the peer may read them before drain() returns
        if direction == UPSTREAM:
            self.bytes_up += len(data)
        else:
            self.bytes_down += len(data)
        writer.write(data)
        await writer.drain()


def _slices(data: bytes, average: int, variation: int, rng: random.Random) -> list[bytes]:
    pieces, start = [], 0
    while start < len(data):
        size = max(1, average + rng.randint(-variation, variation))
        pieces.append(data[start : start + size])
        start += size
    return pieces


def _close(writer: asyncio.StreamWriter) -> None:
    """Close with a FIN, as toxiproxy's limit_data does."""
    with contextlib.suppress(Exception):
        writer.close()


def _abort(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0), as a dropped link looks to the other side."""
    sock = writer.get_extra_info("socket")
    with contextlib.suppress(Exception):
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
