#!/usr/bin/env bash
# Where the standalone sidecar spends its CPU under load: JFR execution samples (and allocations) while wrk drives
# it at full speed, after a JIT warm-up. Writes proxy/target/bench/profile/{sidecar.jfr,hot-methods.txt,inclusive.txt}.
#   proxy/bench/profile.sh            (run proxy/bench/run.sh first: it builds and writes target/cp.txt)
# Environment: BENCH_PORT_BASE=18180, PROFILE_WARMUP=30, PROFILE_SECONDS=15.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); PROXY=$(dirname "$HERE"); OUT="$PROXY/target/bench/profile"
BASE=${BENCH_PORT_BASE:-18180}; WARM=${PROFILE_WARMUP:-30}; SECS=${PROFILE_SECONDS:-15}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}; export PATH="$PATH:/usr/sbin"
CP="$PROXY/target/classes:$(cat "$PROXY/target/cp.txt")"
rm -rf "$OUT"; mkdir -p "$OUT"
PIDS=(); trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT INT TERM
cat >"$OUT/backend.conf" <<CONF
worker_processes 1; pid $OUT/nginx.pid; error_log $OUT/error.log warn; events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$BASE; location / { default_type text/plain; return 200 "hello"; } } }
CONF
taskset -c 0 nginx -p "$OUT" -c "$OUT/backend.conf" -g 'daemon off;' >/dev/null 2>&1 & PIDS+=($!)
taskset -c 0 "$JAVA_HOME/bin/java" "@$HERE/sidecar-jvm.options" -cp "$CP" \
  dev.meshpilot.proxy.standalone.StandaloneSidecar --listen "127.0.0.1:$((BASE + 1))" --upstream "127.0.0.1:$BASE" \
  >"$OUT/sidecar.log" 2>&1 & SIDECAR=$!; PIDS+=($SIDECAR)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$((BASE + 1))") 2>/dev/null && break; sleep 0.1; done
taskset -c 1 wrk -t1 -c16 -d"${WARM}"s "http://127.0.0.1:$((BASE + 1))/" | grep Requests/sec
"$JAVA_HOME/bin/jcmd" "$SIDECAR" JFR.start name=bench settings=profile >/dev/null
taskset -c 1 wrk -t1 -c16 -d"${SECS}"s "http://127.0.0.1:$((BASE + 1))/" | grep Requests/sec
"$JAVA_HOME/bin/jcmd" "$SIDECAR" JFR.stop name=bench filename="$OUT/sidecar.jfr" >/dev/null
"$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$OUT/sidecar.jfr" >"$OUT/hot-methods.txt"
"$JAVA_HOME/bin/jfr" view --width 160 allocation-by-class "$OUT/sidecar.jfr" >"$OUT/allocations.txt" || true
# Inclusive share: the fraction of samples whose stack contains a frame of each method.
"$JAVA_HOME/bin/jfr" print --stack-depth 200 --events jdk.ExecutionSample "$OUT/sidecar.jfr" | awk '
  /jdk.ExecutionSample/ { n++; delete seen; next }
  /line:/ { sub(/^[ \t]+/, ""); sub(/\(.*$/, ""); if (!($0 in seen)) { seen[$0] = 1; c[$0]++ } }
  END { for (m in c) printf "%5.1f%%  %s\n", 100 * c[m] / n, m }' | sort -rn | head -80 >"$OUT/inclusive.txt"
head -30 "$OUT/hot-methods.txt"; head -60 "$OUT/inclusive.txt"
