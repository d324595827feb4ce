"""The receivers `make bench` sends to, each run as its own process:

    python -m benchmarks.receivers http PORT    # answers every POST with 204, keeps connections alive
    python -m benchmarks.receivers smtp PORT    # aiosmtpd, accepts every message and keeps none

Fast on purpose (asyncio, no per-request work), so the sender is what is measured.
`GET /count` on the HTTP receiver answers how many POSTs it has taken.
"""

from __future__ import annotations

import asyncio
import sys


async def _http(port: int) -> None:
    received = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal received
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:].strip())
                if length:
                    await reader.readexactly(length)
                if head.startswith(b"GET /count"):
                    body = str(received).encode()
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                else:
                    received += 1
                    writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    print(f"http receiver ready on {port}", flush=True)
    async with server:
        await server.serve_forever()


class _Accept:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def _smtp(port: int) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(_Accept(), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"smtp receiver ready on {port}", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind == "http":
        asyncio.run(_http(port))
    else:
        _smtp(port)
