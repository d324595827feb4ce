#!/usr/bin/env bash
# `make run`: prepare the embedded defaults (secret key, SQLite, filesystem
# broker, demo data, an admin, static files), then run web, worker and beat
# together. Ctrl-C stops all three; if one dies, the others are stopped too.
#
# Switches (all optional):
#   FW_VAR_DIR           where the key, database, broker and static files live (default: var/)
#   FW_BIND              gunicorn's address (default: 127.0.0.1:8000)
#   FW_WEB_WORKERS       gunicorn worker processes (default: 2)
#   FW_SKIP_DEMO=1       do not run `manage.py load_demo`
#   FW_STOP_TIMEOUT      seconds to wait for a clean stop before SIGKILL (default: 20)
#   FW_ADMIN_USERNAME / FW_ADMIN_PASSWORD / FW_ADMIN_EMAIL   the first admin account
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
BIN="$ROOT/.venv/bin"
if [ ! -x "$PY" ]; then
    echo "run.sh: $PY is missing; 'make run' creates it" >&2
    exit 1
fi

export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
export FW_VAR_DIR="${FW_VAR_DIR:-$ROOT/var}"
BIND="${FW_BIND:-127.0.0.1:8000}"
HOST="${BIND%:*}"
PORT="${BIND##*:}"
export FW_SITE_URL="${FW_SITE_URL:-http://$BIND}"
STOP_TIMEOUT="${FW_STOP_TIMEOUT:-20}"

step() { printf '==> %s\n' "$*"; }
answers() { (exec 3<>"/dev/tcp/${HOST/0.0.0.0/127.0.0.1}/$PORT") 2>/dev/null; }

if answers; then
    echo "run.sh: something already listens on $BIND (another make run?); choose another with FW_BIND=127.0.0.1:8001" >&2
    exit 1
fi

mkdir -p "$FW_VAR_DIR"

# kombu's filesystem transport does not create its folders; every process
# must find them before it first publishes or consumes.
if [[ "${CELERY_BROKER_URL:-filesystem://}" == filesystem://* ]]; then
    mkdir -p "$FW_VAR_DIR/broker/queue" "$FW_VAR_DIR/broker/processed" "$FW_VAR_DIR/broker/control"
    step "Broker: kombu filesystem transport in $FW_VAR_DIR/broker"
fi

# Generate the key here, once, before web, worker and beat start: they must
# all sign with the same key.
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
    KEY_FILE="$FW_VAR_DIR/secret_key"
    if [ -e "$KEY_FILE" ]; then
        step "Secret key: kept $KEY_FILE"
    else
        "$PY" -c 'import sys; from pathlib import Path; from config.secret_key import load_or_create; load_or_create(Path(sys.argv[1]))' "$KEY_FILE"
        step "Secret key: generated $KEY_FILE"
    fi
fi

step "Database: migrate"
"$PY" manage.py migrate --noinput

if [ "${FW_SKIP_DEMO:-0}" = "1" ]; then
    step "Demo data: skipped (FW_SKIP_DEMO=1)"
else
    step "Demo data: load_demo"
    "$PY" manage.py load_demo
fi

step "Admin account"
"$PY" manage.py ensure_admin

step "Static files: collectstatic"
"$PY" manage.py collectstatic --noinput --verbosity 0

# Each process gets a session (and process group) of its own: a Ctrl-C in the
# terminal reaches only this script, which then stops them in order, and a
# final SIGKILL to each group leaves no gunicorn worker or pool child behind.
pids=()
names=()
start() {
    local name=$1
    shift
    setsid "$@" &
    pids+=("$!")
    names+=("$name")
}

alive() {
    local pid
    for pid in "${pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then return 0; fi
    done
    return 1
}

stop_all() {
    trap '' INT TERM HUP
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while alive && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    if alive; then step "Still running after ${STOP_TIMEOUT}s: SIGKILL"; fi
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    step "Stopped web, worker and beat"
}

trap 'echo; step "Ctrl-C: stopping"; stop_all; exit 130' INT
trap 'step "SIGTERM: stopping"; stop_all; exit 143' TERM
trap 'step "SIGHUP: stopping"; stop_all; exit 129' HUP

step "Starting web, worker and beat"
# No control socket: its default path is one per user ($HOME/.gunicorn), which
# a second gunicorn on the machine (another checkout, the tests) would take over.
start web "$BIN/gunicorn" config.wsgi:application \
    --bind "$BIND" --workers "${FW_WEB_WORKERS:-2}" --graceful-timeout 10 --access-logfile - --no-control-socket
start worker "$BIN/celery" -A config worker -Q sweeps,delivery --concurrency 2 --loglevel INFO
start beat "$BIN/celery" -A config beat --loglevel INFO --schedule "$FW_VAR_DIR/celerybeat-schedule"

# Print the addresses once the site answers (at most 30 s; not if web died).
for _ in $(seq 1 150); do
    if answers; then break; fi
    kill -0 "${pids[0]}" 2>/dev/null || break
    sleep 0.2
done
if kill -0 "${pids[0]}" 2>/dev/null; then
    cat <<EOF

==> Forecast Watch is running (Ctrl-C stops web, worker and beat)
    site:      http://$BIND/
    admin:     http://$BIND/admin/
    API docs:  http://$BIND/api/docs/

EOF
fi

# Wait for the first process to exit: then stop the others.
rc=0
wait -n || rc=$?
for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
        step "${names[$i]} exited (status $rc): stopping the others"
    fi
done
stop_all
exit 1
