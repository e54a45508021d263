"""The helpers of the tests that run real servers (Prometheus, exporters), in one place."""

from __future__ import annotations

import socket
import subprocess


def free_port() -> int:
    """A local TCP port nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop a server process: politely, then for good."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)
