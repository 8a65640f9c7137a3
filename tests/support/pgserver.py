"""A throwaway PostgreSQL cluster for the tests: ``initdb`` in a temporary folder, started
on a free port on 127.0.0.1 (and a socket in that folder), stopped and removed after.

The binaries are looked up on PATH, then under ``/usr/lib/postgresql/*/bin`` (Debian's
layout; ``.ci/run`` installs the ``postgresql`` package when they are missing). PostgreSQL
refuses to run as root, so under root the cluster runs as the ``postgres`` account (or
``nobody``) that owns the folder.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def find_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is absent."""
    candidates = []
    for name in ("pg_ctl", "initdb"):
        found = shutil.which(name)
        if found:
            candidates.append(Path(os.path.realpath(found)).parent)
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for d in candidates:
        if (d / "initdb").is_file() and (d / "pg_ctl").is_file():
            return d
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    bindir: Path
    folder: Path
    port: int
    user: str | None

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / argv[0]), *argv[1:]]
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=self.folder)


@contextmanager
def cluster(bindir: Path) -> Iterator[Cluster]:
    """Start a cluster; stop it and remove its folder afterwards."""
    user = None
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            try:
                pwd.getpwnam(name)
            except KeyError:
                continue
            user = name
            break
        if user is None:
            raise RuntimeError("running as root with neither a postgres nor a nobody account")
    folder = Path(tempfile.mkdtemp(prefix="creditrules-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    c = Cluster(bindir, folder, _free_port(), user)
    data = folder / "data"
    try:
        r = c.run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        if r.returncode != 0:
            raise RuntimeError(f"initdb failed: {r.stderr or r.stdout}")
        # A test cluster: durability across a power cut is not what these tests check
        # (a killed client is), so fsync is off to keep 10,000 commits quick.
        opts = (
            f"-p {c.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=50"
        )
        r = c.run(
            "pg_ctl",
            "-D",
            str(data),
            "-o",
            opts,
            "-l",
            str(folder / "server.log"),
            "-w",
            "-t",
            "120",
            "start",
        )
        if r.returncode != 0:
            log = (
                (folder / "server.log").read_text(errors="replace")
                if (folder / "server.log").exists()
                else ""
            )
            raise RuntimeError(f"pg_ctl start failed: {r.stderr or r.stdout}\n{log}")
        yield c
    finally:
        c.run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)
