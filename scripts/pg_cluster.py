"""A throwaway PostgreSQL cluster on a loopback port, for the store's tests and benchmark.

    python scripts/pg_cluster.py start DIR   # prints the URL; the cluster runs until stopped
                                             # (DIR must be reachable by the server's user)
    python scripts/pg_cluster.py stop DIR

``initdb`` and ``pg_ctl`` are taken from PATH or Debian's /usr/lib/postgresql/*/bin. The
server refuses to run as root, so as root the cluster belongs to the ``postgres`` user (or
``nobody``). Trust authentication on 127.0.0.1 only; the data lives in DIR.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _runner() -> list[str]:
    if os.geteuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return ["runuser", "-u", user, "--"]
    raise RuntimeError("running as root and no unprivileged user for PostgreSQL")


@dataclass
class Cluster:
    directory: Path
    port: int
    bin: Path
    owned: bool = False  # the directory was made by start(): removed by stop()

    @property
    def url(self) -> str:
        return f"postgresql://jjnlp@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(
            [
                *_runner(),
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.directory / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
        if self.owned:
            shutil.rmtree(self.directory, ignore_errors=True)


def start(directory: str | Path | None = None) -> Cluster:
    """A cluster in ``directory`` (made there unless one is there already; by default a new
    folder in the temporary directory, which the server's user can reach when we run as
    root), started and ready."""
    import tempfile

    folder = binaries()
    if folder is None:
        raise RuntimeError("PostgreSQL binaries (initdb, pg_ctl) not found")
    owned = directory is None
    directory = Path(tempfile.mkdtemp(prefix="jjnlp-pg-") if directory is None else directory)
    data = directory / "data"
    directory.mkdir(parents=True, exist_ok=True)
    runner = _runner()
    if runner:
        user = runner[2]
        entry = pwd.getpwnam(user)
        os.chown(directory, entry.pw_uid, entry.pw_gid)
        os.chmod(directory, 0o700)
    if not (data / "PG_VERSION").exists():  # else: a kept cluster, started again
        _run(
            [
                *runner,
                str(folder / "initdb"),
                "-D",
                str(data),
                "-U",
                "jjnlp",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
    port = _free_port()
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -k {directory} -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB"
        " -c max_connections=50"
    )
    _run(
        [
            *runner,
            str(folder / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(directory / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        ]
    )
    (directory / "port").write_text(str(port))
    return Cluster(directory, port, folder, owned)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip() or done.stdout}")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__)
        return 2
    if argv[0] == "start":
        print(start(argv[1]).url)
    else:
        directory = Path(argv[1])
        folder = binaries()
        if folder is not None and (directory / "port").exists():
            Cluster(directory, int((directory / "port").read_text()), folder).stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
