"""The container and cluster deployment files, checked by parsing them (no Docker or cluster needed).

What is checked is what breaks a deployment quietly: an app missing from compose or Kubernetes, an
app pointed at another app's database or at no broker, probes on the wrong path or port, a
Dockerfile whose CMD is not the package's console script, and a secret value committed in clear.
The list of apps is fixed here on purpose (the design fixes it); the packages' pyproject files are
cross-checked against it.
"""

from __future__ import annotations

import copy
import os
import re
import shlex
import subprocess
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
DOCKER = DEPLOY / "docker"


@dataclass(frozen=True)
class App:
    name: str
    directory: str  # the installable package, relative to the repository root
    port: int

    @property
    def prefix(self) -> str:
        return f"{self.name.upper()}_"

    @property
    def database(self) -> str:
        return f"ipops_{self.name}"

    @property
    def dockerfile(self) -> Path:
        return DOCKER / f"{self.name}.Dockerfile"


GATEWAY = App("gateway", "gateway", 8000)
SERVICES = (
    App("pledge", "services/pledge", 8001),
    App("trusteeship", "services/trusteeship", 8002),
    App("navigation", "services/navigation", 8003),
    App("enforcement", "services/enforcement", 8004),
    App("operations", "services/operations", 8005),
)
APPS = (GATEWAY, *SERVICES)
PREFIXES = tuple(app.prefix for app in APPS)

by_app = pytest.mark.parametrize("app", APPS, ids=lambda app: app.name)
by_service = pytest.mark.parametrize("app", SERVICES, ids=lambda app: app.name)


# --- loading ---------------------------------------------------------------------------------


@cache
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


@cache
def kustomization() -> dict[str, Any]:
    return yaml.safe_load((K8S / "kustomization.yaml").read_text())


@cache
def k8s_objects() -> dict[tuple[str, str], dict[str, Any]]:
    """Every object the kustomization applies, by (kind, name)."""
    objects: dict[tuple[str, str], dict[str, Any]] = {}
    for resource in kustomization()["resources"]:
        for doc in yaml.safe_load_all((K8S / resource).read_text()):
            if doc is None:
                continue
            key = (doc["kind"], doc["metadata"]["name"])
            assert key not in objects, f"{key} defined twice"
            objects[key] = doc
    return objects


def k8s(kind: str, name: str) -> dict[str, Any]:
    objects = k8s_objects()
    assert (kind, name) in objects, f"no {kind} {name!r} in deploy/k8s (kustomization resources)"
    return objects[(kind, name)]


def required_variables() -> set[str]:
    """The ${NAME:?...} variables compose refuses to start without (comments aside)."""
    lines = (DEPLOY / "compose.yaml").read_text().splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    return set(re.findall(r"\$\{([A-Z0-9_]+):\?", text))


def compose_env(app: App) -> dict[str, str]:
    env = compose()["services"][app.name]["environment"]
    assert isinstance(env, dict), "environment as a mapping, so keys can be checked"
    return {key: str(value) for key, value in env.items()}


DB_URL = re.compile(
    r"(?P<scheme>[a-z0-9+]+)://(?P<user>[^:@/]+):(?P<password>.+)@(?P<host>[^:@/]+):(?P<port>\d+)/(?P<database>[^/?]+)"
)


def database_url(app: App) -> dict[str, str]:
    """The parts of an app's compose DATABASE_URL (its password is a ${...} reference with a colon in it)."""
    url = compose_env(app)[f"{app.prefix}DATABASE_URL"]
    match = DB_URL.fullmatch(url)
    assert match, f"{app.prefix}DATABASE_URL is not user:password@host:port/database: {url}"
    return match.groupdict()


def container(app: App) -> dict[str, Any]:
    containers = k8s("Deployment", app.name)["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def configmap(app: App) -> dict[str, str]:
    return k8s("ConfigMap", f"{app.name}-config")["data"]


def dockerfile(app: App) -> list[tuple[str, str]]:
    """The instructions of an app's Dockerfile as (KEYWORD, arguments), continuations joined."""
    text = app.dockerfile.read_text()
    logical = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    instructions = []
    for line in logical.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def instruction_args(app: App, keyword: str) -> list[str]:
    return [rest for kw, rest in dockerfile(app) if kw == keyword]


def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every (path, key, value) pair in a parsed YAML tree; list items have key None."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{path}.{key}", key, value
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield f"{path}[{index}]", None, value
            yield from walk(value, f"{path}[{index}]")


# --- the secret-value scanner, tested on its own first --------------------------------------

SECRET_KEY = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)", re.IGNORECASE)
# A reference is ${NAME}, ${NAME:?message}, ${NAME:-default} (compose) or $(NAME) (Kubernetes).
REFERENCE = re.compile(r"^(\$\{[A-Z0-9_]+(:?[?-][^}]*)?\}|\$\([A-Z0-9_]+\))$")
URL_WITH_USERINFO = re.compile(
    r"[a-z][a-z0-9+.-]*://(?P<user>[^:/@\s]+):(?P<password>\$\{[^}]*\}|\$\([^)]*\)|[^@\s]+)@"
)


# Keys that name a Kubernetes Secret object rather than hold a secret value.
SECRET_OBJECT_NAMES = {"secretName"}


def secret_literals(tree: Any) -> list[str]:
    """Places where a secret-looking key or a URL's password holds a literal instead of a reference."""
    found = []
    for path, key, value in walk(tree):
        is_scalar = isinstance(value, str | int | float) and not isinstance(value, bool)
        secret_key = isinstance(key, str) and key not in SECRET_OBJECT_NAMES and SECRET_KEY.search(key)
        if secret_key and is_scalar and not REFERENCE.match(str(value)):
            found.append(f"{path} = {value!r}")
        if isinstance(value, str):
            found.extend(
                f"{path}: password in URL {match.group(0)!r}"
                for match in URL_WITH_USERINFO.finditer(value)
                if not REFERENCE.match(match.group("password"))
            )
        # Kubernetes: an env entry named like a secret must come from valueFrom, not value.
        env_entry = isinstance(value, dict) and isinstance(value.get("name"), str) and "value" in value
        if env_entry and SECRET_KEY.search(value["name"]) and not REFERENCE.match(str(value["value"])):
            found.append(f"{path} env {value['name']} = {value['value']!r}")
    return found


class TestSecretScanner:
    def test_flags_literal_passwords_keys_and_urls(self) -> None:
        tree = {
            "environment": {
                "POSTGRES_PASSWORD": "hunter2",
                "PLEDGE_DATABASE_URL": "postgresql+asyncpg://ipops_pledge:hunter2@postgres:5432/ipops_pledge",
            },
            "env": [{"name": "GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_SECRET", "value": "s3cret"}],
        }
        assert len(secret_literals(tree)) == 3

    def test_accepts_references(self) -> None:
        tree = {
            "environment": {
                "POSTGRES_PASSWORD": "${POSTGRES_PASSWORD:?set it}",
                "PLEDGE_DATABASE_URL": "postgresql+asyncpg://u:${PLEDGE_DB_PASSWORD:?set it}@postgres:5432/db",
            },
            "env": [
                {"name": "X_DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "x-db", "key": "password"}}},
                {"name": "X_DATABASE_URL", "value": "postgresql+asyncpg://$(X_DB_USER):$(X_DB_PASSWORD)@h:5432/d"},
            ],
        }
        assert secret_literals(tree) == []

    def test_flags_a_literal_put_into_the_real_compose_file(self) -> None:
        tree = copy.deepcopy(compose())
        env = tree["services"]["pledge"]["environment"]
        env["PLEDGE_DATABASE_URL"] = "postgresql+asyncpg://ipops_pledge:hunter2@postgres:5432/ipops_pledge"
        assert secret_literals(tree) == [
            ".services.pledge.environment.PLEDGE_DATABASE_URL: password in URL "
            "'postgresql+asyncpg://ipops_pledge:hunter2@'"
        ]


# --- compose ---------------------------------------------------------------------------------


class TestCompose:
    def test_runs_kafka_postgres_every_service_and_the_gateway(self) -> None:
        assert set(compose()["services"]) == {"kafka", "postgres", *(app.name for app in APPS)}

    def test_kafka_is_a_single_kraft_node_without_automatic_topics(self) -> None:
        kafka = compose()["services"]["kafka"]
        env = {key: str(value) for key, value in kafka["environment"].items()}
        assert kafka["image"] == "apache/kafka:4.1.1"
        assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
        assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{env['KAFKA_NODE_ID']}@kafka:")
        assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
        assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"].split(",")
        controller = env["KAFKA_CONTROLLER_LISTENER_NAMES"]
        assert any(listener.startswith(f"{controller}://") for listener in env["KAFKA_LISTENERS"].split(","))
        assert "ZOOKEEPER" not in " ".join(env)
        assert "kafka-broker-api-versions.sh" in " ".join(kafka["healthcheck"]["test"])

    def test_postgres_creates_one_database_per_app_and_reports_health(self) -> None:
        postgres = compose()["services"]["postgres"]
        assert re.fullmatch(r"postgres:1[56](\.\d+)?(-\w+)?", postgres["image"])
        assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
        mounts = [volume.split(":") for volume in postgres["volumes"]]
        init = [(source, target) for source, target, *_ in mounts if target.startswith("/docker-entrypoint-initdb.d/")]
        assert len(init) == 1
        script = DEPLOY / init[0][0]
        assert script.is_file() and os.access(script, os.X_OK)
        text = script.read_text()
        apps_in_loop = re.search(r"for app in ([a-z ]+); do", text)
        assert apps_in_loop and set(apps_in_loop.group(1).split()) == {app.name for app in APPS}
        assert 'db="ipops_$app"' in text and "CREATE DATABASE" in text
        # The init script reads <APP>_DB_PASSWORD: compose must pass each one to the container.
        for app in APPS:
            assert f"{app.prefix}DB_PASSWORD" in postgres["environment"]

    @by_app
    def test_app_is_wired_to_its_own_database(self, app: App) -> None:
        url = database_url(app)
        assert url["scheme"] == "postgresql+asyncpg"
        assert (url["host"], url["port"]) == ("postgres", "5432")
        assert url["database"] == app.database
        assert url["user"] == app.database
        assert url["password"] == f"${{{app.prefix}DB_PASSWORD:?set {app.prefix}DB_PASSWORD in the env file}}"

    def test_no_two_apps_share_a_database(self) -> None:
        databases = [database_url(app)["database"] for app in APPS]
        assert len(set(databases)) == len(APPS)

    @by_app
    def test_app_is_wired_to_kafka_and_binds_its_port(self, app: App) -> None:
        env = compose_env(app)
        assert env[f"{app.prefix}KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert env[f"{app.prefix}HOST"] == "0.0.0.0"
        assert env[f"{app.prefix}PORT"] == str(app.port)
        assert env[f"{app.prefix}ENVIRONMENT"] in {"prod", "${IPOPS_ENVIRONMENT:-prod}"}
        jwks = env[f"{app.prefix}JWT_JWKS_URL"]
        expected_host = "127.0.0.1" if app is GATEWAY else "gateway"
        assert jwks == f"http://{expected_host}:8000/.well-known/jwks.json"

    @by_app
    def test_app_reads_only_its_own_prefix(self, app: App) -> None:
        foreign = [key for key in compose_env(app) if not key.startswith(app.prefix)]
        assert foreign == []

    @by_app
    def test_app_waits_for_healthy_infrastructure_and_reports_readiness(self, app: App) -> None:
        service = compose()["services"][app.name]
        for dependency in ("kafka", "postgres"):
            assert service["depends_on"][dependency] == {"condition": "service_healthy"}
        probe = " ".join(service["healthcheck"]["test"])
        assert f"http://127.0.0.1:{app.port}/readyz" in probe
        assert str(app.port) in [str(port) for port in service.get("expose", [app.port])]

    @by_app
    def test_app_is_built_from_its_dockerfile_at_the_repository_root(self, app: App) -> None:
        build = compose()["services"][app.name]["build"]
        context = (DEPLOY / build["context"]).resolve()
        assert context == ROOT
        assert (context / build["dockerfile"]).resolve() == app.dockerfile
        assert app.dockerfile.is_file()
        assert compose()["services"][app.name]["image"].startswith(f"ipops/{app.name}:")

    def test_gateway_waits_for_every_service_and_listens_on_loopback_only(self) -> None:
        gateway = compose()["services"]["gateway"]
        for app in SERVICES:
            assert gateway["depends_on"][app.name] == {"condition": "service_healthy"}
        assert gateway["ports"] == ["127.0.0.1:8000:8000"]
        assert all("ports" not in compose()["services"][app.name] for app in SERVICES)

    def test_gateway_routes_to_each_service_by_name_and_port(self) -> None:
        env = compose_env(GATEWAY)
        for app in SERVICES:
            assert env[f"GATEWAY_{app.name.upper()}_URL"] == f"http://{app.name}:{app.port}"

    def test_gateway_keeps_its_signing_keys_on_a_volume(self) -> None:
        keys_dir = compose_env(GATEWAY)["GATEWAY_KEYS_DIR"]
        targets = [volume.split(":")[1] for volume in compose()["services"]["gateway"]["volumes"]]
        assert any(keys_dir == target or keys_dir.startswith(target.rstrip("/") + "/") for target in targets)
        named = {volume.split(":")[0] for volume in compose()["services"]["gateway"]["volumes"]}
        assert named <= set(compose()["volumes"])

    def test_every_required_variable_is_in_the_example_with_a_placeholder(self) -> None:
        required = required_variables()
        example = {}
        for line in (DEPLOY / "compose.env.example").read_text().splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                example[key.strip()] = value.strip()
        assert required, "compose reads its secrets from the env file"
        assert required <= set(example)
        for key, value in example.items():
            if SECRET_KEY.search(key):
                assert value == "replace-me", f"{key} in compose.env.example must be a placeholder"

    def test_commits_no_secret_values(self) -> None:
        assert secret_literals(compose()) == []

    def test_make_env_writes_a_fresh_url_safe_value_for_every_placeholder(self, tmp_path: Path) -> None:
        target = tmp_path / "compose.env"
        script = DEPLOY / "compose" / "make-env.sh"
        subprocess.run(["bash", str(script), str(target)], check=True, capture_output=True)
        written = dict(
            line.split("=", 1) for line in target.read_text().splitlines() if line and not line.startswith("#")
        )
        secrets = [written[key] for key in required_variables()]
        assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", value) for value in secrets)
        assert len(set(secrets)) == len(secrets)
        assert target.stat().st_mode & 0o077 == 0, "readable by its owner only"
        again = subprocess.run(["bash", str(script), str(target)], capture_output=True)
        assert again.returncode != 0, "must not overwrite: the database volume keeps the old passwords"


# --- Dockerfiles ------------------------------------------------------------------------------


class TestDockerfiles:
    @by_app
    def test_slim_python_311_in_every_stage(self, app: App) -> None:
        stages = instruction_args(app, "FROM")
        assert len(stages) >= 2, "multi-stage: build tools stay out of the runtime image"
        assert all(stage.split()[0] == "python:3.11-slim" for stage in stages)

    @by_app
    def test_installs_its_package_with_the_pinned_constraints(self, app: App) -> None:
        copies = [shlex.split(args) for args in instruction_args(app, "COPY")]
        sources = {part.rstrip("/") for args in copies if not args[0].startswith("--from") for part in args[:-1]}
        assert {"constraints.txt", "shared", app.directory} <= sources
        installs = [args for args in instruction_args(app, "RUN") if "pip install" in args and "./" in args]
        assert installs and all("-c constraints.txt" in args for args in installs)
        assert any(f"./{app.directory}" in args for args in installs)

    @by_app
    def test_runs_as_an_unprivileged_user(self, app: App) -> None:
        users = instruction_args(app, "USER")
        assert users, "no USER: the image would run as root"
        assert users[-1].split(":")[0] not in {"root", "0"}

    @by_app
    def test_exposes_binds_and_checks_its_port(self, app: App) -> None:
        assert instruction_args(app, "EXPOSE") == [str(app.port)]
        env = " ".join(instruction_args(app, "ENV"))
        assert f"{app.prefix}HOST=0.0.0.0" in env
        assert f"{app.prefix}PORT={app.port}" in env
        (healthcheck,) = instruction_args(app, "HEALTHCHECK")
        assert "/healthz" in healthcheck and f"'{app.port}'" in healthcheck and f"{app.prefix}PORT" in healthcheck

    @by_app
    def test_cmd_is_the_console_script(self, app: App) -> None:
        assert instruction_args(app, "CMD") == [f'["{app.name}"]']

    def test_the_five_dockerfiles_differ_only_in_name_directory_and_port(self) -> None:
        def normalised(app: App) -> str:
            text = app.dockerfile.read_text()
            text = text.replace(app.directory, "<DIR>").replace(app.prefix, "<PREFIX>").replace(app.name, "<APP>")
            return text.replace(str(app.port), "<PORT>")

        reference = normalised(SERVICES[0])
        for app in APPS[1:]:
            assert normalised(app) == reference, f"{app.dockerfile.name} drifted from {SERVICES[0].dockerfile.name}"

    def test_console_scripts_match_the_packages(self) -> None:
        """Each Dockerfile's CMD names a script the package declares; a missing package fails in CI."""
        missing = []
        for app in APPS:
            pyproject = ROOT / app.directory / "pyproject.toml"
            if not pyproject.is_file():
                missing.append(app.directory)
                continue
            scripts = tomllib.loads(pyproject.read_text())["project"]["scripts"]
            assert app.name in scripts, f"{pyproject} declares no console script {app.name!r}"
            module = scripts[app.name].partition(":")[0]
            assert module == f"{app.name}.main", f"{app.name} runs {scripts[app.name]}"
        assert len(missing) < len(APPS), "no package found at all: wrong repository root?"
        if os.environ.get("CI") == "true":
            assert missing == [], f"packages without pyproject.toml: {missing}"

    def test_dockerignore_sends_only_what_the_images_copy(self) -> None:
        lines = [
            line.strip()
            for line in (ROOT / ".dockerignore").read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        assert lines[0] == "*", "allow-list: exclude everything, then re-include"
        included = {line[1:].strip("/") for line in lines if line.startswith("!")}
        for never in (".venv", "var", ".git", "tests"):
            assert never not in included
        for pattern in ("**/var", "**/.venv", "**/__pycache__"):
            assert pattern in lines
        for app in APPS:
            for args in instruction_args(app, "COPY"):
                parts = shlex.split(args)
                if parts[0].startswith("--from"):
                    continue
                for source in parts[:-1]:
                    assert source.strip("/").split("/")[0] in included, f"{source} is not in the build context"


# --- Kubernetes -------------------------------------------------------------------------------


class TestKubernetes:
    def test_kustomization_lists_every_manifest_and_a_namespace(self) -> None:
        listed = {K8S / resource for resource in kustomization()["resources"]}
        on_disk = {path for path in K8S.rglob("*.yaml") if path.name != "kustomization.yaml"}
        assert listed == on_disk
        namespace = kustomization()["namespace"]
        assert k8s("Namespace", namespace)["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"

    def test_every_app_has_a_deployment_service_and_configmap(self) -> None:
        kinds = {(kind, name) for kind, name in k8s_objects()}
        for app in APPS:
            assert {("Deployment", app.name), ("Service", app.name), ("ConfigMap", f"{app.name}-config")} <= kinds

    def test_services_take_traffic_only_from_the_gateway_and_the_metrics_scraper(self) -> None:
        policy = k8s("NetworkPolicy", "services-only-from-gateway")
        selected = policy["spec"]["podSelector"]["matchLabels"]
        services = [a for a in APPS if a.name != "gateway"]
        for app in services:  # every service pod is selected, the gateway's is not
            labels = k8s("Deployment", app.name)["spec"]["template"]["metadata"]["labels"]
            assert selected.items() <= labels.items(), app.name
        gateway_labels = k8s("Deployment", "gateway")["spec"]["template"]["metadata"]["labels"]
        assert not selected.items() <= gateway_labels.items()
        sources = [peer for rule in policy["spec"]["ingress"] for peer in rule["from"]]
        assert {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "gateway"}}} in sources
        assert all(set(peer) <= {"podSelector", "namespaceSelector"} and peer for peer in sources)
        assert policy["spec"]["policyTypes"] == ["Ingress"]

    def test_no_secret_objects_or_values_are_committed(self) -> None:
        assert [name for kind, name in k8s_objects() if kind == "Secret"] == []
        for obj in k8s_objects().values():
            assert secret_literals(obj) == []
        for path in DEPLOY.rglob("*"):
            if path.is_file():
                assert "PRIVATE KEY-----" not in path.read_text(errors="ignore"), path

    @by_app
    def test_probes_readiness_on_readyz_and_liveness_on_healthz(self, app: App) -> None:
        c = container(app)
        named_ports = {port["name"]: port["containerPort"] for port in c["ports"]}
        assert named_ports == {"http": app.port}

        def probe(kind: str) -> tuple[str, int]:
            get = c[kind]["httpGet"]
            port = get["port"]
            return get["path"], named_ports[port] if isinstance(port, str) else port

        # The gateway checks only itself for traffic: one service down must not take the front
        # door (and the other services behind it) out of the load balancer.
        readiness = "/readyz?scope=self" if app.name == "gateway" else "/readyz"
        assert probe("readinessProbe") == (readiness, app.port)
        assert probe("livenessProbe") == ("/healthz", app.port)
        assert probe("startupProbe") == ("/healthz", app.port)

    @by_app
    def test_has_resources_and_runs_non_root(self, app: App) -> None:
        c = container(app)
        for bound in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(c["resources"][bound])
        pod = k8s("Deployment", app.name)["spec"]["template"]["spec"]["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] != 0
        assert pod["seccompProfile"]["type"] == "RuntimeDefault"
        assert c["securityContext"]["allowPrivilegeEscalation"] is False
        assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
        assert c["securityContext"]["readOnlyRootFilesystem"] is True

    @by_app
    def test_image_is_built_from_its_dockerfile(self, app: App) -> None:
        image = container(app)["image"]
        assert image.partition(":")[0] == f"ipops/{app.name}"
        assert app.dockerfile.is_file()
        assert f"ipops/{app.name}" in {entry["name"] for entry in kustomization()["images"]}

    @by_app
    def test_service_selects_its_pods_on_its_port(self, app: App) -> None:
        service = k8s("Service", app.name)["spec"]
        labels = k8s("Deployment", app.name)["spec"]["template"]["metadata"]["labels"]
        assert service["selector"].items() <= labels.items()
        assert k8s("Deployment", app.name)["spec"]["selector"]["matchLabels"].items() <= labels.items()
        (port,) = service["ports"]
        assert port["port"] == app.port and port["targetPort"] in {"http", app.port}

    @by_app
    def test_settings_come_from_its_configmap_and_secrets_under_its_prefix(self, app: App) -> None:
        c = container(app)
        sources = [next(iter(source.items())) for source in c["envFrom"]]
        assert ("configMapRef", {"name": f"{app.name}-config"}) in sources
        assert all(kind in {"configMapRef", "secretRef"} for kind, _ in sources)
        data = configmap(app)
        assert all(key.startswith(app.prefix) for key in data)
        assert all(entry["name"].startswith(app.prefix) for entry in c["env"])
        assert data[f"{app.prefix}HOST"] == "0.0.0.0"
        assert data[f"{app.prefix}PORT"] == str(app.port)
        assert data[f"{app.prefix}ENVIRONMENT"] == "prod"

    @by_app
    def test_wired_to_its_own_database(self, app: App) -> None:
        data = configmap(app)
        assert data[f"{app.prefix}DB_NAME"] == app.database
        assert data[f"{app.prefix}DB_USER"] == app.database
        env = {entry["name"]: entry for entry in container(app)["env"]}
        secret = env[f"{app.prefix}DB_PASSWORD"]["valueFrom"]["secretKeyRef"]
        assert secret == {"name": f"{app.name}-db", "key": "password"}
        url = env[f"{app.prefix}DATABASE_URL"]["value"]
        p = app.prefix
        assert url == f"postgresql+asyncpg://$({p}DB_USER):$({p}DB_PASSWORD)@$({p}DB_HOST):$({p}DB_PORT)/$({p}DB_NAME)"

    @by_app
    def test_env_references_are_defined_before_use(self, app: App) -> None:
        """Kubernetes expands $(NAME) only from the ConfigMap (envFrom) and earlier env entries."""
        defined = set(configmap(app))
        for entry in container(app)["env"]:
            for name in re.findall(r"\$\(([A-Z0-9_]+)\)", entry.get("value", "")):
                assert name in defined, f"{entry['name']} uses $({name}) before it is defined"
            defined.add(entry["name"])

    def test_no_two_apps_share_a_database_or_a_secret(self) -> None:
        assert len({configmap(app)[f"{app.prefix}DB_NAME"] for app in APPS}) == len(APPS)
        secrets = {
            entry["valueFrom"]["secretKeyRef"]["name"]
            for app in APPS
            for entry in container(app)["env"]
            if "valueFrom" in entry
        }
        assert len(secrets) == len(APPS)

    @by_app
    def test_wired_to_the_kafka_cluster(self, app: App) -> None:
        bootstrap = configmap(app)[f"{app.prefix}KAFKA_BOOTSTRAP_SERVERS"]
        assert bootstrap == configmap(GATEWAY)["GATEWAY_KAFKA_BOOTSTRAP_SERVERS"], "one cluster for all"
        brokers = bootstrap.split(",")
        # ipops.kafka picks replication factor 3 only for a multi-address bootstrap list.
        assert len(brokers) >= 3 and all(re.fullmatch(r"[a-z0-9.-]+:9092", broker) for broker in brokers)

    @by_service
    def test_services_verify_tokens_with_the_gateways_jwks(self, app: App) -> None:
        assert configmap(app)[f"{app.prefix}JWT_JWKS_URL"] == "http://gateway:8000/.well-known/jwks.json"

    def test_gateway_routes_to_each_service(self) -> None:
        data = configmap(GATEWAY)
        for app in SERVICES:
            service = k8s("Service", app.name)
            assert data[f"GATEWAY_{app.name.upper()}_URL"] == f"http://{service['metadata']['name']}:{app.port}"

    def test_gateway_keys_are_a_read_only_secret_mount(self) -> None:
        keys_dir = configmap(GATEWAY)["GATEWAY_KEYS_DIR"]
        mounts = {mount["mountPath"]: mount for mount in container(GATEWAY)["volumeMounts"]}
        assert keys_dir in mounts and mounts[keys_dir]["readOnly"] is True
        assert "subPath" not in mounts[keys_dir], "a subPath mount never sees a rotated key"
        volumes = {v["name"]: v for v in k8s("Deployment", "gateway")["spec"]["template"]["spec"]["volumes"]}
        assert volumes[mounts[keys_dir]["name"]]["secret"]["secretName"] == "gateway-keys"
        assert ("secretRef", {"name": "gateway-operator"}) in [
            next(iter(source.items())) for source in container(GATEWAY)["envFrom"]
        ]

    def test_readme_explains_kafka_and_postgres_operators(self) -> None:
        readme = (K8S / "README.md").read_text()
        blocks = re.findall(r"```yaml\n(.*?)```", readme, flags=re.DOTALL)
        samples = [doc for block in blocks for doc in yaml.safe_load_all(block) if doc]
        kinds = {doc["kind"] for doc in samples}
        assert {"Kafka", "KafkaNodePool", "Cluster", "Database"} <= kinds
        pool = next(doc for doc in samples if doc["kind"] == "KafkaNodePool")
        assert set(pool["spec"]["roles"]) == {"controller", "broker"}
        kafka = next(doc for doc in samples if doc["kind"] == "Kafka")
        assert kafka["spec"]["kafka"]["config"]["auto.create.topics.enable"] is False
        assert "zookeeper" not in kafka["spec"]
        roles = next(doc for doc in samples if doc["kind"] == "Cluster")["spec"]["managed"]["roles"]
        assert {role["name"]: role["passwordSecret"]["name"] for role in roles} == {
            app.database: f"{app.name}-db" for app in APPS
        }
        for sample in samples:
            assert secret_literals(sample) == []
