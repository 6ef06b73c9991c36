#!/usr/bin/env bash
# A local pg_auto_failover formation for tests and benchmarks (SPEC §12, docs/operations.md): a
# monitor, a primary and two standbys on this machine (loopback ports 6000–6003, data under
# FORMATION_DIR, default /tmp/yilian-formation), run as the system account `yilian` (PostgreSQL and
# pg_auto_failover refuse root), number_sync_standbys 1: every acknowledged commit is on two
# servers. Installs Debian's postgresql-15-auto-failover and pg-auto-failover-cli when missing.
#
#   bench/formation.sh start          start it (creating and migrating it the first time); prints the URI
#   bench/formation.sh uri            the multi-host URI of Yilian's owner (yilian), read-write
#   bench/formation.sh state          pg_autoctl show state
#   bench/formation.sh events [N]     the monitor's last N events (pg_autoctl show events)
#   bench/formation.sh kill-primary   SIGKILL the primary's postmaster (its keeper restarts it)
#   bench/formation.sh lose-primary   SIGKILL the primary's keeper and postmaster (the monitor promotes a standby)
#   bench/formation.sh failover       a planned failover (pg_autoctl perform failover)
#   bench/formation.sh stop           stop every node and the monitor
#   bench/formation.sh destroy        stop and remove FORMATION_DIR
#   bench/formation.sh owner HOST PORT  make Yilian's owner on a new formation's primary (Docker/compose.yaml)
#
# YILIAN (default: the yilian binary on PATH, else .build/debug/yilian) migrates the database.
set -euo pipefail

dir=${FORMATION_DIR:-/tmp/yilian-formation}
account=yilian
monitor_port=6000
ports=(6001 6002 6003)
bindir=/usr/lib/postgresql/15/bin
here=$(cd "$(dirname "$0")/.." && pwd)
yilian=${YILIAN:-$(command -v yilian || echo "$here/.build/debug/yilian")}
monitor_url="postgres://autoctl_node@localhost:$monitor_port/pg_auto_failover?sslmode=disable"

# pg_autoctl connects as PGUSER, the servers' superuser `postgres` (the account's own name is
# Yilian's owner, no superuser).
as_account() { runuser -u "$account" -- env PATH="$bindir:/usr/bin:/bin" HOME="$dir" PGHOST="$dir" PGUSER=postgres "$@"; }

# A new server at $1 whose sockets are in the formation's directory (Debian's /var/run/postgresql
# is not the account's); a standby copies it, its postgresql.conf included.
new_server() {
    as_account initdb -D "$1" -U postgres --auth-local=trust --auth-host=trust >>"$dir/create.log" 2>&1
    echo "unix_socket_directories = '$dir'" >>"$1/postgresql.conf"
    # pg_autoctl sizes shared_buffers for a machine of its own (6 GB a server of four here); the
    # auto file is read last, and a standby copies it.
    echo "shared_buffers = '256MB'" >>"$1/postgresql.auto.conf"
}

install() {
    if ! command -v pg_autoctl >/dev/null || [ ! -e /usr/lib/postgresql/15/lib/pgautofailover.so ]; then
        apt-get install -y postgresql-15-auto-failover pg-auto-failover-cli >/dev/null 2>&1 \
            || { apt-get update >/dev/null && apt-get install -y postgresql-15-auto-failover pg-auto-failover-cli >/dev/null; }
    fi
    id "$account" >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$account"
    mkdir -p "$dir"
    chown "$account:" "$dir"
    chmod 755 "$dir"
}

# Runs `pg_autoctl run` for the node or monitor at $1 in the background, its output in $1.log.
run_keeper() {
    as_account bash -c "nohup pg_autoctl run --pgdata '$1' >>'$1.log' 2>&1 &"
}

uri() {
    local hosts
    hosts=$(printf 'localhost:%s,' "${ports[@]}")
    echo "postgresql://$account@${hosts%,}/yilian?target_session_attrs=read-write&connect_timeout=2"
}

# The port of the server that is the primary now, and its node's data directory.
primary_port() {
    local port
    for port in "${ports[@]}"; do
        if [ "$(psql -h localhost -p "$port" -U postgres -d postgres -Atc 'SELECT NOT pg_is_in_recovery()' 2>/dev/null)" = t ]; then
            echo "$port"
            return
        fi
    done
    echo "no primary is reachable" >&2
    return 1
}
primary() { local port; port=$(primary_port) && echo "$dir/node${port: -1}"; }

wait_for() { # description, command…
    local what=$1
    shift
    for _ in $(seq 1 120); do
        if "$@" >/dev/null 2>&1; then return; fi
        sleep 1
    done
    echo "timed out waiting for $what" >&2
    return 1
}

primary_ready() { [ "$(psql "$(uri)" -Atc 'SELECT 1')" = 1 ]; }
standbys_streaming() {
    [ "$(psql -h localhost -p "$(primary_port)" -U postgres -d postgres -Atc \
        "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 2 ]
}

# Yilian's owner on the new primary at host $1, port $2: not a superuser (docs/operations.md, a
# shared server). pg_autoctl put pg_stat_statements in the database, whose functions in `public`
# the owner could not close. What the owner cannot close as a non-superuser is closed in every
# database by the superuser (docs/operations.md's script, word for word); the monitor still connects.
owner() {
    psql -h "$1" -p "$2" -U postgres -d yilian -qc "DROP EXTENSION IF EXISTS pg_stat_statements" \
        -c "CREATE ROLE $account LOGIN CREATEDB CREATEROLE" -c "ALTER DATABASE yilian OWNER TO $account" \
        -c "ALTER SCHEMA public OWNER TO $account"
    local closing db
    closing=$(awk '/closedToUsers/{f=1} f&&/^  ```sql/{g=1;next} g&&/^  ```/{exit} g{sub(/^  /,""); print}' "$here/docs/operations.md")
    for db in template1 postgres yilian; do
        psql -h "$1" -p "$2" -U postgres -d "$db" -qc "$closing" \
            -c "GRANT CONNECT ON DATABASE postgres, template1 TO pgautofailover_monitor" >/dev/null
    done
}

start() {
    install
    if [ ! -d "$dir/monitor" ]; then
        new_server "$dir/monitor"
        as_account pg_autoctl create monitor --pgdata "$dir/monitor" --pgport "$monitor_port" --hostname localhost \
            --auth trust --no-ssl >>"$dir/create.log" 2>&1
    fi
    [ -f "$dir/monitor/postmaster.pid" ] && kill -0 "$(head -1 "$dir/monitor/postmaster.pid")" 2>/dev/null || run_keeper "$dir/monitor"
    wait_for "the monitor" psql "$monitor_url" -Atc 'SELECT 1'
    # A formation on one machine knows no network partition: the monitor finds a lost node in
    # about 3 s (not 20) and promotes after 10 s (not 30), still longer than a keeper's
    # network_partition_timeout (5 s, below), after which a cut-off primary stops itself.
    psql -h localhost -p "$monitor_port" -U postgres -d pg_auto_failover -qc \
        "ALTER SYSTEM SET pgautofailover.health_check_period = 1000" -c "ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000" \
        -c "ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1" -c "ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500" \
        -c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 3000" \
        -c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 10000" -c "SELECT pg_reload_conf()" >/dev/null
    local port created=false
    for port in "${ports[@]}"; do
        local node="$dir/node${port: -1}"
        local new=false
        if [ ! -d "$node" ]; then
            created=true
            new=true
            [ "$port" = "${ports[0]}" ] && new_server "$node"
            as_account pg_autoctl create postgres --pgdata "$node" --pgport "$port" --hostname localhost --name "node${port: -1}" \
                --username postgres --dbname yilian --monitor "$monitor_url" --auth trust --no-ssl >>"$dir/create.log" 2>&1
            as_account pg_autoctl config set timeout.network_partition_timeout 5 --pgdata "$node" >>"$dir/create.log" 2>&1
        fi
        pgrep -f "pg_autoctl run --pgdata $node\$" >/dev/null || run_keeper "$node"
        # The first node is the primary: the others copy it once it runs.
        if $new && [ "$port" = "${ports[0]}" ]; then
            wait_for "the primary" psql -h localhost -p "$port" -U postgres -d yilian -Atc 'SELECT 1'
        fi
    done
    if $created; then
        as_account pg_autoctl set formation number-sync-standbys 1 --pgdata "$dir/node1" >>"$dir/create.log" 2>&1
        owner localhost "${ports[0]}"
    fi
    wait_for "the primary to take writes" primary_ready
    wait_for "both standbys to stream" standbys_streaming
    YILIAN_DATABASE_URL=$(uri) "$yilian" db migrate >/dev/null
    uri
}

stop() {
    local node
    for node in "$dir"/node? "$dir/monitor"; do
        [ -d "$node" ] && as_account pg_autoctl stop --pgdata "$node" >/dev/null 2>&1 || true
    done
}

case "${1:-}" in
    start) start ;;
    uri) uri ;;
    state) as_account pg_autoctl show state --pgdata "$dir/monitor" ;;
    events) as_account pg_autoctl show events --count "${2:-20}" --pgdata "$dir/monitor" ;;
    kill-primary)
        node=$(primary)
        kill -KILL "$(head -1 "$node/postmaster.pid")"
        echo "killed the postmaster of $node"
        ;;
    lose-primary)
        node=$(primary)
        # The keeper, its services (which would start the server again) and the postmaster at once.
        keeper=$(pgrep -f "pg_autoctl run --pgdata $node\$" || true)
        # shellcheck disable=SC2046
        kill -KILL $keeper $([ -n "$keeper" ] && pgrep -P "$keeper") "$(head -1 "$node/postmaster.pid")" 2>/dev/null || true
        echo "lost $node: its keeper, the keeper's services and its postmaster killed"
        ;;
    failover) as_account pg_autoctl perform failover --pgdata "$dir/monitor" ;;
    stop) stop ;;
    owner) owner "$2" "$3" ;;
    destroy)
        stop
        # A keeper still stopping can write a last WAL segment into a directory being removed
        # (seen once: node2/pg_wal left behind, which the next start took for a node): wait for
        # the formation's processes to end, end the rest, then remove.
        for _ in $(seq 1 30); do pgrep -f "pgdata $dir/" >/dev/null || break; sleep 1; done
        pkill -KILL -f "pgdata $dir/" 2>/dev/null || true
        pkill -KILL -f -- "-D $dir/" 2>/dev/null || true
        rm -rf "$dir"
        ;;
    *)
        sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
        exit 64
        ;;
esac
