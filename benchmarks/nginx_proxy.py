"""nginx as a reference reverse proxy for the gateway benchmark: the same upstream, the same
requests, a mature C proxy in between. Installed from Debian's packages when missing."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CONFIG = """
worker_processes 1;
pid {pid};
error_log {log} warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  upstream app {{ server 127.0.0.1:{upstream}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }}
  }}
}}
"""


def ensure_nginx() -> str:
    """The nginx binary, installed from Debian's packages if missing."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "nginx-light"], check=True, capture_output=True)
    return "/usr/sbin/nginx"


@contextlib.contextmanager
def nginx_proxy(upstream_port: int, port: int) -> Iterator[str]:
    """Run nginx on `port` proxying to 127.0.0.1:`upstream_port`; yields its base URL."""
    binary = ensure_nginx()
    work = ROOT / "var" / "bench" / f"nginx-{port}"
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(CONFIG.format(pid=work / "nginx.pid", log=work / "error.log", upstream=upstream_port, port=port))
    proc = subprocess.Popen([binary, "-c", str(conf), "-p", str(work), "-g", "daemon off;"])
    try:
        time.sleep(0.5)
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited: {(work / 'error.log').read_text()[-2000:]}")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)
