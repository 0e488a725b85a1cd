"""`make run` serves the portal with one background-task worker beside it (bin/serve), and
Ctrl-C stops both."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid):
    """{pid: command line} of every living process below `pid`."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        children.setdefault(parent, []).append((int(entry.name), command))
    found, queue = {}, [pid]
    while queue:
        for child, command in children.get(queue.pop(), []):
            found[child] = command
            queue.append(child)
    return found


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.1)


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def test_serve_runs_a_worker_beside_the_server_and_ctrl_c_stops_both(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3",
        "DJANGO_SETTINGS_MODULE": "association.settings",
        "PYTHON": sys.executable,
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    port = free_port()
    serve = subprocess.Popen(
        ["bin/serve", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a terminal of its own: Ctrl-C reaches its process group
    )
    processes = {}
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/healthz"))
        processes = descendants(serve.pid)
        commands = list(processes.values())
        assert any("manage.py runserver" in command for command in commands)
        workers = [command for command in commands if "manage.py db_worker" in command]
        assert workers, commands

        os.killpg(serve.pid, signal.SIGINT)  # what Ctrl-C sends
        serve.wait(timeout=60)
        wait_for(lambda: not any(alive(pid) for pid in processes))
        assert not answers(f"http://127.0.0.1:{port}/healthz")
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
        for pid in processes:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
