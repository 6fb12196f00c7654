#!/usr/bin/env bash
# One proxy hop, side by side, on 127.0.0.1: direct, Meshpilot standalone sidecar, nginx, HAProxy; and two hops
# with TLS between them: two nginx (TLS 1.3), two Meshpilot sidecars (outbound -> STRICT inbound, mutual TLS 1.3
# with SPIFFE certificates of a CA created in a temporary directory outside the repository). For each: max throughput (wrk, closed loop), p50/p99 at a fixed rate (open loop,
# dev.meshpilot.proxy.standalone.OpenLoopClient) and the proxy's RSS (the highest VmRSS sampled during both). The
# sidecars run with the JVM flags of proxy/bench/sidecar-jvm.options. Writes a table and
# proxy/target/bench/proxy-bench.json.
#
#   proxy/bench/run.sh                 # ~8.5 minutes
# Environment (all optional): BENCH_DURATION=8 (s per measurement), BENCH_ROUNDS=3, BENCH_JVM_WARMUP=30 (s of load before the
# sidecar is measured; twice that for the mTLS pair), BENCH_RATE=1000 (req/s, open loop), BENCH_CONNECTIONS=16, BENCH_PORT_BASE=18080,
# BENCH_SKIP_BUILD=1 (use proxy/target/classes as they are), JAVA_HOME (JDK >= 21; default Temurin 25).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PROXY=$(dirname "$HERE")
ROOT=$(dirname "$PROXY")
OUT="$PROXY/target/bench"
DURATION=${BENCH_DURATION:-8}
ROUNDS=${BENCH_ROUNDS:-3}
JVM_WARMUP=${BENCH_JVM_WARMUP:-30}
RATE=${BENCH_RATE:-1000}
CONNS=${BENCH_CONNECTIONS:-16}
BASE=${BENCH_PORT_BASE:-18080}
P_BACKEND=$BASE P_MESH=$((BASE + 1)) P_NGINX=$((BASE + 2)) P_HAPROXY=$((BASE + 3))
P_TLS_FRONT=$((BASE + 4)) P_TLS_BACK=$((BASE + 5)) P_MTLS_FRONT=$((BASE + 6)) P_MTLS_BACK=$((BASE + 7))
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
JAVA="$JAVA_HOME/bin/java"
SIDECAR_FLAGS=("@$HERE/sidecar-jvm.options")  # the sidecar's JVM flags, one place (see the file)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- what the run needs -------------------------------------------------------------------------------------
missing=()
for tool in nginx haproxy wrk jq curl openssl; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} (Debian packages)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin"
for tool in nginx haproxy wrk openssl jq taskset; do
  command -v "$tool" >/dev/null || { log "missing $tool"; exit 1; }
done
for p in $P_BACKEND $P_MESH $P_NGINX $P_HAPROXY $P_TLS_FRONT $P_TLS_BACK $P_MTLS_FRONT $P_MTLS_BACK; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then log "port $p is in use (set BENCH_PORT_BASE)"; exit 1; fi
done

# Two cores or more: load generator alone on core 1, proxies and backend share core 0. One core: no pinning.
if [ "$(nproc)" -ge 2 ]; then
  LOAD=(taskset -c 1); PROX=(taskset -c 0); CPUS="load on cpu 1, proxy and backend on cpu 0"
else
  LOAD=(); PROX=(); CPUS="one cpu, not pinned"
fi

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building proxy (offline, main classes only)"
  build() { (cd "$ROOT" && mvn -o -q -pl proxy compile && \
    mvn -o -q -pl proxy dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/cp-runtime.txt && \
    mvn -o -q -pl proxy dependency:build-classpath -DincludeArtifactIds=slf4j-simple -Dmdep.outputFile=target/cp-log.txt && \
    echo "$(cat proxy/target/cp-runtime.txt):$(cat proxy/target/cp-log.txt)" >proxy/target/cp.txt); }
  # runtime scope only (-DincludeScope; -Dmdep.includeScope is ignored and put JUnit, AssertJ and Byte Buddy on the
  # sidecar's class path: 0.6 MB more of jar indexes on its heap) plus slf4j-simple so its log lines are written
  build || { log "build failed, retrying in 30 s (another build may be running)"; sleep 30; build; }
fi
CP="$PROXY/target/classes:$(cat "$PROXY/target/cp.txt")"

# --- processes ----------------------------------------------------------------------------------------------
rm -rf "$OUT"; mkdir -p "$OUT"
MTLS_CA=$(mktemp -d /tmp/meshpilot-bench-ca.XXXXXX)  # the CA refuses a directory inside a git repository
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$MTLS_CA"
}
trap cleanup EXIT INT TERM

wait_port() {  # port: until it accepts connections (60 s: JVMs start on one shared core)
  for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  log "nothing listens on $1"; exit 1
}

nginx_conf() {  # name, http block body
  local dir="$OUT/$1"; mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fcgi; uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  keepalive_requests 1000000; keepalive_timeout 120s;
  $2
}
EOF
}
start_nginx() {  # name: starts it pinned to the proxy core; its master's pid in LAST_PID
  "${PROX[@]}" nginx -p "$OUT/$1" -c "$OUT/$1/nginx.conf" -g 'daemon off;' >"$OUT/$1/stdout.log" 2>&1 &
  LAST_PID=$!; PIDS+=("$LAST_PID")
}

KEEPALIVE_UP="keepalive 64; keepalive_requests 1000000;"
PROXY_LOC='proxy_http_version 1.1; proxy_set_header Connection "";'

nginx_conf backend "server { listen 127.0.0.1:$P_BACKEND backlog=4096;
    location / { default_type text/plain; return 200 \"hello\"; } }"
nginx_conf nginx "upstream backend { server 127.0.0.1:$P_BACKEND; $KEEPALIVE_UP }
  server { listen 127.0.0.1:$P_NGINX backlog=4096; location / { proxy_pass http://backend; $PROXY_LOC } }"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
  -keyout "$OUT/tls.key" -out "$OUT/tls.crt" 2>/dev/null
nginx_conf tls-front "upstream tlsback { server 127.0.0.1:$P_TLS_BACK; $KEEPALIVE_UP }
  server { listen 127.0.0.1:$P_TLS_FRONT backlog=4096; location / { proxy_pass https://tlsback; $PROXY_LOC
    proxy_ssl_session_reuse on; proxy_ssl_protocols TLSv1.3; } }"
nginx_conf tls-back "upstream backend { server 127.0.0.1:$P_BACKEND; $KEEPALIVE_UP }
  server { listen 127.0.0.1:$P_TLS_BACK ssl backlog=4096; ssl_certificate $OUT/tls.crt;
    ssl_certificate_key $OUT/tls.key; ssl_protocols TLSv1.3;
    location / { proxy_pass http://backend; $PROXY_LOC } }"
mkdir -p "$OUT/haproxy"
cat >"$OUT/haproxy/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 2s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:$P_HAPROXY
  default_backend be
backend be
  server backend 127.0.0.1:$P_BACKEND
EOF

# --- measuring ----------------------------------------------------------------------------------------------
rss_mb() {  # pids...: VmRSS of them and their children, MB
  local total=0 pid kb
  for pid in "$@" $(for p in "$@"; do pgrep -P "$p" || true; done); do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  awk -v kb="$total" 'BEGIN { printf "%.1f", kb / 1024 }'
}

wrk_run() {  # port seconds: requests/s (closed loop, 1 thread, CONNS connections)
  local out
  out=$("${LOAD[@]}" wrk -t1 -c"$CONNS" -d"$2"s -H "Host: upstream" "http://127.0.0.1:$1/")
  if grep -q -E 'Non-2xx|Socket errors' <<<"$out"; then log "wrk on $1: $(grep -E 'Non-2xx|Socket errors' <<<"$out")"; fi
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

check() {  # name port: answers hello
  wait_port "$2"
  [ "$(curl -s -H 'Host: upstream' "http://127.0.0.1:$2/" 2>/dev/null || true)" = hello ] \
    || { log "$1 on $2 does not answer hello"; exit 1; }
}

ROUNDS_FILE="$OUT/rounds.jsonl"
measure() {  # round name port pids...: one throughput and one latency measurement, appended to rounds.jsonl
  local round=$1 name=$2 port=$3; shift 3
  local rss="null" sampler="" samples="$OUT/rss-samples.txt"
  if [ $# -gt 0 ]; then  # RSS: the highest of samples every 0.25 s while both measurements run
    : >"$samples"
    ( while :; do echo "$(rss_mb "$@")" >>"$samples"; sleep 0.25; done ) &
    sampler=$!; PIDS+=("$sampler")
    [ ${#LOAD[@]} -gt 0 ] && taskset -cp 1 "$sampler" >/dev/null
  fi
  local rps; rps=$(wrk_run "$port" "$DURATION")
  local lat; lat=$("${LOAD[@]}" "$JAVA" -XX:+UseSerialGC -Xmx64m -cp "$PROXY/target/classes" \
    dev.meshpilot.proxy.standalone.OpenLoopClient --target "127.0.0.1:$port" --host upstream --rate "$RATE" \
    --connections "$CONNS" --warmup 3 --duration "$DURATION")
  if [ -n "$sampler" ]; then
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    rss=$(sort -n "$samples" | tail -1)
  fi
  jq -c --arg name "$name" --argjson round "$round" --argjson rps "$rps" --argjson rss "$rss" \
    '{setup: $name, round: $round, rps: $rps, p50_ms: .p50_ms, p99_ms: .p99_ms, rss_mb: $rss, p90_ms: .p90_ms,
      p999_ms: .p999_ms, max_ms: .max_ms, latency_samples: .completed, latency_errors: .errors}' <<<"$lat" \
    | tee -a "$ROUNDS_FILE" | sed 's/^/  /' >&2
}

stop() {  # pids: TERM, then until they are gone (10 s)
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "$CPUS; $CONNS connections; ${DURATION}s per measurement, $ROUNDS rounds; open loop at $RATE req/s; load average $LOAD_BEFORE"
start_nginx backend; BACKEND_PID=$LAST_PID
"${PROX[@]}" "$JAVA" "${SIDECAR_FLAGS[@]}" -cp "$CP" dev.meshpilot.proxy.standalone.StandaloneSidecar \
  --listen "127.0.0.1:$P_MESH" --upstream "127.0.0.1:$P_BACKEND" >"$OUT/meshpilot.log" 2>&1 &
MESH_PID=$!; PIDS+=("$MESH_PID")
start_nginx nginx; NGINX_PID=$LAST_PID
"${PROX[@]}" haproxy -db -f "$OUT/haproxy/haproxy.cfg" >"$OUT/haproxy/stderr.log" 2>&1 &
HAPROXY_PID=$!; PIDS+=("$HAPROXY_PID")
start_nginx tls-back; TLS_BACK_PID=$LAST_PID
start_nginx tls-front; TLS_FRONT_PID=$LAST_PID
"${PROX[@]}" "$JAVA" "${SIDECAR_FLAGS[@]}" -cp "$CP" dev.meshpilot.proxy.standalone.StandaloneSidecar --role inbound \
  --mtls-ca "$MTLS_CA/ca" --listen "127.0.0.1:$P_MTLS_BACK" --upstream "127.0.0.1:$P_BACKEND" >"$OUT/meshpilot-mtls-back.log" 2>&1 &
MTLS_BACK_PID=$!; PIDS+=("$MTLS_BACK_PID")
wait_port "$P_MTLS_BACK"   # the inbound sidecar created the CA; the outbound one opens it
"${PROX[@]}" "$JAVA" "${SIDECAR_FLAGS[@]}" -cp "$CP" dev.meshpilot.proxy.standalone.StandaloneSidecar \
  --mtls-ca "$MTLS_CA/ca" --listen "127.0.0.1:$P_MTLS_FRONT" --upstream "127.0.0.1:$P_MTLS_BACK" >"$OUT/meshpilot-mtls-front.log" 2>&1 &
MTLS_FRONT_PID=$!; PIDS+=("$MTLS_FRONT_PID")

# All setups run at once (idle ones cost nothing); rounds interleave them so a noisy neighbour hurts all alike.
SETUPS=(direct meshpilot nginx haproxy nginx_tls_2hop meshpilot_mtls_2hop)
declare -A PORT=([direct]=$P_BACKEND [meshpilot]=$P_MESH [nginx]=$P_NGINX [haproxy]=$P_HAPROXY
  [nginx_tls_2hop]=$P_TLS_FRONT [meshpilot_mtls_2hop]=$P_MTLS_FRONT)
declare -A RSS_PIDS=([direct]="" [meshpilot]="$MESH_PID" [nginx]="$NGINX_PID" [haproxy]="$HAPROXY_PID"
  [nginx_tls_2hop]="$TLS_FRONT_PID $TLS_BACK_PID" [meshpilot_mtls_2hop]="$MTLS_FRONT_PID $MTLS_BACK_PID")
wait_port "$P_TLS_BACK"
for s in "${SETUPS[@]}"; do check "$s" "${PORT[$s]}"; done
# The mTLS pair is two JVMs compiling on one core: twice the warm-up (C2 still took 20 % of the core after 30 s).
log "warm-up: meshpilot ${JVM_WARMUP}s, meshpilot_mtls_2hop $((JVM_WARMUP * 2))s (JIT), the others 3s"
wrk_run "$P_MESH" "$JVM_WARMUP" >/dev/null
wrk_run "$P_MTLS_FRONT" "$((JVM_WARMUP * 2))" >/dev/null
for s in direct nginx haproxy nginx_tls_2hop; do wrk_run "${PORT[$s]}" 3 >/dev/null; done
for round in $(seq "$ROUNDS"); do
  for s in "${SETUPS[@]}"; do
    log "round $round/$ROUNDS: $s (throughput ${DURATION}s, then latency at $RATE req/s ${DURATION}s)"
    # shellcheck disable=SC2086
    measure "$round" "$s" "${PORT[$s]}" ${RSS_PIDS[$s]}
  done
done
stop "$MTLS_FRONT_PID" "$MTLS_BACK_PID" "$TLS_FRONT_PID" "$TLS_BACK_PID" "$HAPROXY_PID" "$NGINX_PID" "$MESH_PID" \
  "$BACKEND_PID"

# --- report -------------------------------------------------------------------------------------------------
# Per setup the best round: highest throughput, lowest p50 and p99 (noise on a shared machine only ever hurts).
JSON="$OUT/proxy-bench.json"
jq -s --arg cpus "$CPUS" --argjson conns "$CONNS" --argjson rate "$RATE" --argjson dur "$DURATION" \
  --argjson rounds "$ROUNDS" --argjson jvmwarm "$JVM_WARMUP" --arg load "$LOAD_BEFORE" '
  (group_by(.setup) | map({key: .[0].setup, value: {rps: (map(.rps) | max), p50_ms: (map(.p50_ms) | min),
      p99_ms: (map(.p99_ms) | min), rss_mb: (map(.rss_mb) | max)}}) | from_entries) as $s
  | {setups: ([ "direct", "meshpilot", "nginx", "haproxy", "nginx_tls_2hop", "meshpilot_mtls_2hop" ]
              | map({key: ., value: $s[.]})
              | from_entries),
     conditions: {cpus: $cpus, connections: $conns, open_loop_rate: $rate, seconds_per_measurement: $dur,
                  rounds: $rounds, aggregate: "best round per figure: max rps, min p50, min p99, max rss",
                  jvm_warmup_seconds: $jvmwarm, load_average_before: $load,
                  backend: "nginx return 200 hello, 1 worker",
                  mtls_2hop: "meshpilot: outbound sidecar -> inbound sidecar (STRICT), mutual TLS 1.3, EC P-256 SPIFFE certificates; nginx: TLS 1.3 server-auth only, keep-alive upstream"},
     targets: {
       throughput_vs_nginx: ($s.meshpilot.rps / $s.nginx.rps),
       added_p50_ms: {meshpilot: ($s.meshpilot.p50_ms - $s.direct.p50_ms), nginx: ($s.nginx.p50_ms - $s.direct.p50_ms),
                      limit: ($s.nginx.p50_ms - $s.direct.p50_ms + 0.1)},
       added_p99_ms: {meshpilot: ($s.meshpilot.p99_ms - $s.direct.p99_ms), nginx: ($s.nginx.p99_ms - $s.direct.p99_ms)},
       added_p99_ratio_vs_nginx: (($s.nginx.p99_ms - $s.direct.p99_ms) as $n
         | if $n < 0.01 then null else ($s.meshpilot.p99_ms - $s.direct.p99_ms) / $n end),
       sidecar_rss_mb: $s.meshpilot.rss_mb,
       mtls_2hop_throughput_vs_nginx_tls_2hop: ($s.meshpilot_mtls_2hop.rps / $s.nginx_tls_2hop.rps),
       mtls_2hop_added_p50_ms: ($s.meshpilot_mtls_2hop.p50_ms - $s.direct.p50_ms),
       nginx_tls_2hop_added_p50_ms: ($s.nginx_tls_2hop.p50_ms - $s.direct.p50_ms)},
     rounds: .}' "$ROUNDS_FILE" >"$JSON"

jq -r '.setups.direct as $d | .setups.nginx.rps as $n
  | "setup             req/s  x nginx   p50 ms (added)     p99 ms (added)     RSS MB",
  (.setups | to_entries[] | .key as $k | .value as $v |
    "\($k + "                " | .[0:15]) \($v.rps | floor | tostring | ("        " + .) | .[-7:])" +
    "  \(($v.rps / $n * 100 | floor) / 100 | tostring | ("     " + .) | .[-5:])" +
    "   \($v.p50_ms | tostring | ("      " + .) | .[-6:]) (\(($v.p50_ms - $d.p50_ms) * 1000 | round | tostring | ("      " + .) | .[-6:]) us)" +
    "   \($v.p99_ms | tostring | ("      " + .) | .[-6:]) (\(($v.p99_ms - $d.p99_ms) * 1000 | round | tostring | ("      " + .) | .[-6:]) us)" +
    "   \($v.rss_mb // "-")")' "$JSON" | tee "$OUT/proxy-bench.txt"
jq -r '.targets | "targets: sidecar throughput \(.throughput_vs_nginx * 100 | floor / 100)x nginx (>= 1.0);" +
  " added p50 \(.added_p50_ms.meshpilot * 1000 | round) us (limit \(.added_p50_ms.limit * 1000 | round) us);" +
  " added p99 \(.added_p99_ms.meshpilot * 1000 | round) us vs nginx \(.added_p99_ms.nginx * 1000 | round) us (ratio \(if .added_p99_ratio_vs_nginx == null then "n/a: below noise" else (.added_p99_ratio_vs_nginx * 100 | floor / 100 | tostring) + "x" end), <= 1.5x); RSS \(.sidecar_rss_mb) MB (<= 60)"' \
  "$JSON" | tee -a "$OUT/proxy-bench.txt"
log "wrote $JSON"
