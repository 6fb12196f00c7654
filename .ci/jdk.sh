# Sourced by ./meshpilot and .ci/run: selects a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME, the `java` on PATH, then the JDKs under /usr/lib/jvm (newest first).

meshpilot_java_major() { # $1 = path to a java binary
    "$1" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

meshpilot_select_jdk() {
    local candidates=() java_bin major
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
    java_bin=$(command -v java 2>/dev/null) && candidates+=("$(readlink -f "$java_bin")")
    for dir in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
        candidates+=("${dir%/}/bin/java")
    done
    for java_bin in "${candidates[@]}"; do
        [ -x "$java_bin" ] || continue
        major=$(meshpilot_java_major "$java_bin")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            JAVA_HOME=$(cd "$(dirname "$java_bin")/.." && pwd)
            export JAVA_HOME
            export PATH="$JAVA_HOME/bin:$PATH"
            if [ "$major" -ge 24 ]; then
                # JDK 24+ warns about sun.misc.Unsafe use in Maven's dependencies.
                export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
            fi
            return 0
        fi
    done
    echo "meshpilot: a JDK 21 or newer is required (set JAVA_HOME); found none" >&2
    return 1
}
