# Checks that need a real, running Odoo (not the test server, which serializes requests
# on one cursor), on a database where the suite has just run: sourced by run-tests.sh
# after scripts/lib.sh. Each function prints one "== ...: ok" or "== ... FAILED" line.
# shellcheck shell=bash

# Meta delivers webhooks at least once and in parallel: 100 signed deliveries (50 the
# same, 50 distinct) from 8 threads, each answered 200 and stored once.
check_webhook_concurrency() {
    local db="$1" work="$2" port pid ok=1
    port="$(free_port)"
    "$ODOO_PY" -m odoo "${DB_ARGS[@]}" -d "$db" --addons-path="$ODOO_CORE_ADDONS,$ROOT" \
        --http-port "$port" --http-interface 127.0.0.1 --max-cron-threads 0 \
        --data-dir "$work/filestore" --log-level=warn >"$work/live-server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 120); do
        curl -fs -o /dev/null "http://127.0.0.1:$port/web/login" && break
        sleep 1
    done
    # The webhook route answers too (an unsigned probe gets 403) before Meta's burst.
    for _ in $(seq 1 30); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
            --data '{}' "http://127.0.0.1:$port/dental_whatsapp/webhook")" = 403 ] && break
        sleep 1
    done
    local dsn="dbname=$db" pg_host pg_port pg_user
    pg_host="$(db_arg --db_host)"; pg_port="$(db_arg --db_port)"; pg_user="$(db_arg --db_user)"
    dsn+="${pg_host:+ host=$pg_host}${pg_port:+ port=$pg_port}${pg_user:+ user=$pg_user}"
    if "$ODOO_PY" "$ROOT/scripts/check_webhook_concurrency.py" --url "http://127.0.0.1:$port" \
        --secret demo-app-secret --phone-number-id 100000000000001 --dsn "$dsn" >&2; then
        ok=0
    fi
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    if [ "$ok" -eq 0 ]; then
        say "== Webhook under concurrent deliveries: ok"
    else
        say "== Webhook under concurrent deliveries FAILED:"; tail -n 30 "$work/live-server.log" >&2
    fi
    return "$ok"
}

# `odoo-bin neutralize` on a copy of the database: no secret left, nothing can be sent.
check_neutralize() {
    local db="$1" work="$2" copy="${1}_neutralized" left
    pg_query postgres "CREATE DATABASE \"$copy\" TEMPLATE \"$db\"" >"$work/neutralize.log" 2>&1
    "$ODOO_PY" -m odoo neutralize "${DB_ARGS[@]}" -d "$copy" --addons-path="$ODOO_CORE_ADDONS,$ROOT" \
        --data-dir "$work/filestore" >>"$work/neutralize.log" 2>&1
    left="$(pg_query "$copy" "SELECT count(*) FROM dental_whatsapp_account WHERE access_token IS NOT NULL OR app_secret IS NOT NULL OR verify_token IS NOT NULL OR base_url <> 'https://neutralized.invalid'" 2>>"$work/neutralize.log")"
    local flag
    flag="$(pg_query "$copy" "SELECT value FROM ir_config_parameter WHERE key = 'database.is_neutralized'" 2>>"$work/neutralize.log")"
    if [ "$left" = "0" ] && [ -n "$flag" ]; then
        say "== Neutralized copy keeps no WhatsApp secret: ok"
        return 0
    fi
    say "== Neutralized copy FAILED (accounts with secrets: ${left:-?}, flag: ${flag:-none}):"
    tail -n 20 "$work/neutralize.log" >&2
    return 1
}

# psql against the server DB_ARGS describe.
pg_query() {
    local dbname="$1" sql="$2" host port user
    host="$(db_arg --db_host)"; port="$(db_arg --db_port)"; user="$(db_arg --db_user)"
    PGPASSWORD="$(db_arg --db_password)" psql -XAtq ${host:+-h "$host"} ${port:+-p "$port"} \
        ${user:+-U "$user"} -d "$dbname" -c "$sql"
}

db_arg() {
    local want="$1" i
    for ((i = 0; i < ${#DB_ARGS[@]}; i++)); do
        if [ "${DB_ARGS[$i]}" = "$want" ]; then echo "${DB_ARGS[$((i + 1))]}"; return; fi
    done
}
