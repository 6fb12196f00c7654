package dev.meshpilot.proxy.testing;

import dev.meshpilot.proxy.internal.Servers;
import io.undertow.Undertow;
import io.undertow.util.HeaderValues;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/** A workload that answers {@code workload saw <request target>} and remembers the last request it got. */
public final class RecordingWorkload implements AutoCloseable {

    /** One request as the workload received it. */
    public record Seen(String method, String target, Map<String, List<String>> headers) {
        public @Nullable String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final AtomicReference<@Nullable Seen> last = new AtomicReference<>();
    private final AtomicInteger count = new AtomicInteger();
    private final Undertow server;

    public RecordingWorkload() {
        this.server = Servers.start("127.0.0.1", List.of(new Servers.Listener(0, exchange -> {
            String query = exchange.getQueryString();
            String target = exchange.getRequestURI() + (query == null || query.isEmpty() ? "" : "?" + query);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (HeaderValues values : exchange.getRequestHeaders()) {
                headers.put(values.getHeaderName().toString().toLowerCase(Locale.ROOT), List.copyOf(values));
            }
            last.set(new Seen(exchange.getRequestMethod().toString(), target, headers));
            count.incrementAndGet();
            exchange.getResponseSender().send("workload saw " + target, StandardCharsets.UTF_8);
        })));
    }

    public InetSocketAddress address() {
        return Servers.address(server, 0);
    }

    /** The last request, null when none arrived. */
    public @Nullable Seen last() {
        return last.get();
    }

    /** How many requests arrived. */
    public int count() {
        return count.get();
    }

    @Override
    public void close() {
        server.stop();
    }
}
