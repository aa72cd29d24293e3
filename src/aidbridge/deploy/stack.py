"""Start and stop the production stack in one directory, as the current user.

nginx (from Debian) terminates TLS, buffers every request and answer, limits body sizes
and rates, and passes requests over a Unix socket to gunicorn, whose sync worker
processes run the WSGI application; one ``db_worker`` process runs the background
tasks. Everything a run writes (nginx's configuration and temporary files, the socket,
pid files, logs, a self-signed certificate when none is given) stays under the
directory, so several stacks can run side by side on free ports (the tests do).

The configuration files are in the repository beside this module
(``nginx.conf.template``, ``gunicorn.conf.py``); this module only fills in paths and
ports.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aidbridge.core.taskqueue import worker_command

HERE = Path(__file__).resolve().parent
NGINX_TEMPLATE = HERE / "nginx.conf.template"
GUNICORN_CONFIG = HERE / "gunicorn.conf.py"
MIME_TYPES = Path("/etc/nginx/mime.types")
# Where the task backend cannot run the periodic delivery task, this keeps retrying.
OUTBOX_COMMAND = [sys.executable, "-m", "aidbridge.cli", "outbox", "deliver", "--every", "5"]


class DeployError(Exception):
    """Something the person starting the stack must fix; the message says what."""


@dataclass(frozen=True)
class Options:
    directory: Path
    http_port: int = 8080
    https_port: int = 8443
    listen: str = "127.0.0.1"
    server_name: str = "localhost"
    # gunicorn's sync processes: 2 x cores + 1 (gunicorn's own advice) on the 2-core
    # machine the benchmarks run on. Measured with bench/load.py against 3 (32 clients,
    # runs alternated, machine shared at load 5-14; bench/results/issue15-load.txt): in a
    # closed loop 134-268 req/s on the picture and 76-136 on the dashboards, against
    # 108-198 and 40-99; in an open loop at 60 req/s the centre's dashboard p95 0.06-0.41 s
    # against 0.8-6.1 s, at 100 req/s both dashboards' 0.18-0.21 s against 3.1-4.8 s.
    # Part of the gain on a shared machine is more processes taking a larger share of its
    # CPU; on a machine of its own the extra processes mostly move the waiting from
    # gunicorn's socket to the kernel's run queue. CPU per request is the same with
    # either (5-14 ms).
    app_workers: int = 5
    task_worker: bool = True
    outbox_process: bool = False
    tls_cert: Path | None = None
    tls_key: Path | None = None
    static_root: Path | None = None


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def nginx(self) -> Path:
        return self.root / "nginx"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def log(self) -> Path:
        return self.root / "log"

    @property
    def tls(self) -> Path:
        return self.root / "tls"

    @property
    def socket(self) -> Path:
        return self.run / "app.sock"

    @property
    def nginx_conf(self) -> Path:
        return self.nginx / "nginx.conf"

    @property
    def gunicorn_pid(self) -> Path:
        return self.run / "gunicorn.pid"

    def create(self) -> None:
        for path in (self.nginx, self.run, self.log, self.tls):
            path.mkdir(parents=True, exist_ok=True)
        for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.nginx / temp).mkdir(exist_ok=True)


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if Path(p).exists()), None
    )
    if found is None:
        raise DeployError("nginx is not installed: apt-get install nginx (scripts/_setup.sh)")
    return found


def self_signed_certificate(layout: Layout, server_name: str) -> tuple[Path, Path]:
    """A certificate for ``server_name``, made once with openssl and reused after.

    For tests and a first look only: a real centre gives its own (``--tls-cert``).
    """
    cert, key = layout.tls / "cert.pem", layout.tls / "key.pem"
    if cert.exists() and key.exists():
        return cert, key
    openssl = shutil.which("openssl")
    if openssl is None:
        raise DeployError("openssl is not installed: give --tls-cert and --tls-key")
    names = sorted({f"DNS:{server_name}", "DNS:localhost", "IP:127.0.0.1"})
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "90",
            "-subj", f"/CN={server_name}", "-addext", f"subjectAltName={','.join(names)}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    key.chmod(0o600)
    return cert, key


def _user_line() -> str:
    """As root, nginx would hand its workers to ``nobody``, who may not read the
    directory: keep them as the user who started the stack."""
    if os.geteuid() != 0:
        return "# not root: nginx runs as the current user"
    user = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    return f"user {user} {group};"


def render_nginx(options: Options, layout: Layout, cert: Path, key: Path) -> str:
    static_root = options.static_root or layout.root / "static"
    values = {
        "USER_LINE": _user_line(),
        "RUN_DIR": str(layout.run),
        "LOG_DIR": str(layout.log),
        "NGINX_DIR": str(layout.nginx),
        "MIME_TYPES": str(MIME_TYPES),
        "APP_SOCKET": str(layout.socket),
        "LISTEN": options.listen,
        "HTTP_PORT": str(options.http_port),
        "HTTPS_PORT": str(options.https_port),
        "SERVER_NAME": options.server_name,
        "TLS_CERT": str(cert),
        "TLS_KEY": str(key),
        "STATIC_ROOT": str(static_root).rstrip("/"),
    }
    text = NGINX_TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    if re.search(r"@[A-Z_]+@", text):
        raise DeployError("nginx.conf.template has a placeholder this version does not fill")
    return text


def app_environment(options: Options) -> dict[str, str]:
    """The application's settings behind this proxy (see README, Configuration)."""
    env = dict(os.environ)
    origin = f"https://{options.server_name}:{options.https_port}"
    hosts = {options.server_name, "localhost", "127.0.0.1"}
    hosts.update(h for h in env.get("AIDBRIDGE_ALLOWED_HOSTS", "").split(",") if h)
    origins = {origin, f"https://{options.server_name}"}
    origins.update(o for o in env.get("AIDBRIDGE_CSRF_TRUSTED_ORIGINS", "").split(",") if o)
    env.update(
        AIDBRIDGE_HTTPS="1",
        AIDBRIDGE_ALLOWED_HOSTS=",".join(sorted(hosts)),
        AIDBRIDGE_CSRF_TRUSTED_ORIGINS=",".join(sorted(origins)),
        DJANGO_SETTINGS_MODULE=env.get("DJANGO_SETTINGS_MODULE", "aidbridge.settings"),
    )
    return env


def _port_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _socket_answers(path: Path) -> bool:
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(1)
        try:
            s.connect(str(path))
        except OSError:
            return False
    return True


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass
class Stack:
    options: Options
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def layout(self) -> Layout:
        return Layout(self.options.directory.resolve())

    @property
    def url(self) -> str:
        return f"https://{self.options.server_name}:{self.options.https_port}/"

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (self.layout.log / f"{name}.log").open("ab")
        # A session of its own: Ctrl-C in the terminal reaches only this command, which
        # then stops the processes in order (nginx first, so no request is cut).
        self.processes[name] = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    def _wait_until(self, name: str, ready: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise DeployError(
                    f"{name} stopped at start-up; its log ({self.layout.log / name}.log):\n"
                    + _tail(self.layout.log / f"{name}.log")
                )
            if ready():
                return
            time.sleep(0.2)
        raise DeployError(f"{name} did not start within {timeout:.0f} s")

    def start(self) -> None:
        options, layout = self.options, self.layout
        layout.create()
        nginx = nginx_binary()
        if options.tls_cert and options.tls_key:
            cert, key = options.tls_cert.resolve(), options.tls_key.resolve()
        else:
            cert, key = self_signed_certificate(layout, options.server_name)
        layout.nginx_conf.write_text(render_nginx(options, layout, cert, key))
        nginx_command = [nginx, "-p", str(layout.nginx), "-c", str(layout.nginx_conf)]
        nginx_command += ["-e", str(layout.log / "nginx-error.log")]
        check = subprocess.run([*nginx_command, "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise DeployError(f"nginx refuses {layout.nginx_conf}:\n{check.stderr.strip()}")
        env = app_environment(options)
        layout.socket.unlink(missing_ok=True)
        try:
            self._spawn(
                "gunicorn",
                [
                    sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG),
                    "--bind", f"unix:{layout.socket}", "--workers", str(options.app_workers),
                    "--pid", str(layout.gunicorn_pid), "--no-control-socket",
                    "--error-logfile", str(layout.log / "gunicorn-error.log"),
                    "--access-logfile", str(layout.log / "gunicorn-access.log"),
                    "aidbridge.wsgi:application",
                ],
                env,
            )  # fmt: skip
            self._wait_until("gunicorn", lambda: _socket_answers(layout.socket), 60)
            if options.task_worker:
                self._spawn(
                    "worker",
                    worker_command(),
                    env,
                )
            if options.outbox_process:
                self._spawn("outbox", [*OUTBOX_COMMAND, "--worker", "deploy-outbox"], env)
            self._spawn("nginx", nginx_command, env)
            self._wait_until("nginx", lambda: _port_answers(options.listen, options.https_port), 30)
        except BaseException:
            self.stop()
            raise

    def app_worker_pids(self) -> list[int]:
        """The gunicorn worker processes now (children of the master)."""
        master = self.processes["gunicorn"].pid
        return children_of(master)

    def stop(self) -> None:
        """nginx first (no new requests), then the application, then the task worker,
        each given time to finish what it holds before it is killed."""
        order = [("nginx", signal.SIGQUIT), ("gunicorn", signal.SIGTERM)]
        order += [("worker", signal.SIGTERM), ("outbox", signal.SIGTERM)]
        for name, signum in order:
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signum)
            try:
                process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.layout.socket.unlink(missing_ok=True)

    def wait(self) -> str:
        """Block until one of the processes stops; its name."""
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    return name
            time.sleep(0.5)


def children_of(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)
