"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

The file is validated against the Compose Specification's JSON schema, as
vendored by check-jsonschema, then its shape is asserted: the services the
architecture names, one image, health checks, start-up order and one beat.
"""

import json
import re
import shlex
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = {"migrate", "web", "worker", "beat"}
LONG_RUNNING = {"postgres", "redis", "web", "worker", "beat"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command(service):
    cmd = service["command"]
    return cmd if isinstance(cmd, list) else shlex.split(cmd)


def test_file_follows_the_compose_specification(compose):
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(compose), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_services_are_the_architectures(compose):
    assert set(compose["services"]) == {"postgres", "redis"} | APP_SERVICES


def test_one_image_built_once(compose):
    services = compose["services"]
    assert {services[name]["image"] for name in APP_SERVICES} == {"forecast-watch"}
    builders = [name for name, service in services.items() if "build" in service]
    assert builders == ["migrate"], "build the image in one service only; the others share it by name"
    assert services["postgres"]["image"].startswith("postgres:15")


def test_every_long_running_service_has_a_health_check(compose):
    for name in LONG_RUNNING:
        healthcheck = compose["services"][name].get("healthcheck", {})
        assert healthcheck.get("test"), f"{name} has no health check"
        assert not healthcheck.get("disable"), name
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert "/admin/login/" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])


def test_migrations_run_once_before_anything_else(compose):
    services = compose["services"]
    migrate = services["migrate"]
    assert command(migrate)[-3:] == ["manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
        assert depends_on["postgres"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name


def test_processes(compose):
    services = compose["services"]
    assert command(services["web"])[:2] == ["gunicorn", "config.wsgi:application"]
    assert any(port.endswith(":8000") for port in services["web"]["ports"])
    worker = command(services["worker"])
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert worker[worker.index("-Q") + 1] == "sweeps,delivery"
    assert command(services["beat"])[:4] == ["celery", "-A", "config", "beat"]


def test_exactly_one_beat(compose):
    beat = compose["services"]["beat"]
    assert beat["deploy"]["replicas"] == 1
    assert "scale" not in beat


def test_production_environment(compose):
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production", name
        # Compose refuses to start when the key is unset, rather than run with a default.
        assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?"), name
        assert environment["DATABASE_URL"].startswith("postgres://"), name
        assert environment["DATABASE_URL"].endswith("@postgres:5432/forecast_watch"), name
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0", name
        assert environment["CACHE_URL"] == "rediscache://redis:6379/1", name
        for variable in ("EMAIL_URL", "FW_SITE_URL", "DJANGO_ALLOWED_HOSTS"):
            assert variable in environment, (name, variable)


def test_postgres_keeps_its_data_in_a_named_volume(compose):
    volumes = compose["services"]["postgres"]["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in volumes
    assert "postgres-data" in compose["volumes"]


def test_dockerfile():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11(-slim)?\b", dockerfile, re.M)
    assert re.search(r"^RUN pip install .*-r requirements\.txt", dockerfile, re.M)
    assert "collectstatic --noinput" in dockerfile
    user = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert user and user[-1] not in {"root", "0"}, "the image must not run as root"
    assert re.search(r'^CMD \["gunicorn", "config\.wsgi:application"', dockerfile, re.M)


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var"} <= ignored
