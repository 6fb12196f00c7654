package dev.meshpilot.proxy.standalone;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;

/**
 * An open-loop HTTP/1.1 load client: sends GET requests on a fixed schedule over keep-alive connections (one
 * request in flight per connection, no pipelining) and measures each latency from the request's intended send
 * time, so a slow response delays and is charged to the requests queued behind it (no coordinated omission).
 * One thread, non-blocking sockets, busy polling for precise send times: pin it to its own core.
 *
 * <pre>
 * java ... OpenLoopClient --target 127.0.0.1:8080 [--host upstream] [--path /] [--rate 1000] [--connections 16]
 *     [--warmup 2] [--duration 10]
 * </pre>
 *
 * Prints one JSON object: {@code {"rate":…, "completed":…, "errors":…, "p50_ms":…, "p90_ms":…, "p99_ms":…,
 * "p999_ms":…, "max_ms":…}}.
 */
public final class OpenLoopClient {

    private OpenLoopClient() {}

    /** One keep-alive connection and the request it has in flight. */
    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long intended = -1;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    public static void main(String[] args) throws IOException {
        String target = "127.0.0.1:8080";
        String host = null;
        String path = "/";
        double rate = 1000;
        int connections = 16;
        double warmup = 2;
        double duration = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--target" -> target = v;
                case "--host" -> host = v;
                case "--path" -> path = v;
                case "--rate" -> rate = Double.parseDouble(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--duration" -> duration = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("option: " + args[i] + " (expected: --target, --host,"
                        + " --path, --rate, --connections, --warmup, --duration)");
            }
        }
        if (rate <= 0 || connections < 1 || duration <= 0 || warmup < 0) {
            throw new IllegalArgumentException("rate, connections, duration must be > 0 and warmup >= 0");
        }
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--target: " + target + " (expected: host:port)");
        }
        InetSocketAddress address = new InetSocketAddress(target.substring(0, colon),
                Integer.parseInt(target.substring(colon + 1)));
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + (host == null ? target : host)
                + "\r\nUser-Agent: meshpilot-openloop\r\nAccept: */*\r\n\r\n").getBytes(US_ASCII);
        System.out.println(run(address, request, rate, connections, warmup, duration));
    }

    static String run(InetSocketAddress address, byte[] request, double rate, int connections, double warmupSeconds,
            double durationSeconds) throws IOException {
        long interval = (long) (1e9 / rate);
        long[] latencies = new long[(int) (rate * durationSeconds * 1.1) + 16];
        int count = 0;
        long errors = 0;
        try (Selector selector = Selector.open()) {
            ArrayDeque<Conn> idle = new ArrayDeque<>();
            for (int i = 0; i < connections; i++) {
                idle.add(open(address, selector));
            }
            ArrayDeque<Long> backlog = new ArrayDeque<>();
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmupSeconds * 1e9);
            long end = measureFrom + (long) (durationSeconds * 1e9);
            long drainUntil = end + 5_000_000_000L;
            long next = start;
            int inFlight = 0;
            ByteBuffer out = ByteBuffer.wrap(request);
            while (true) {
                long now = System.nanoTime();
                while (next <= now && next < end) {
                    backlog.add(next);
                    next += interval;
                }
                if (next >= end && backlog.isEmpty() && inFlight == 0 || now > drainUntil) {
                    break;
                }
                while (!backlog.isEmpty() && !idle.isEmpty()) {
                    Conn c = idle.poll();
                    c.intended = backlog.poll();
                    out.clear();
                    while (out.hasRemaining()) {
                        c.channel.write(out);
                    }
                    inFlight++;
                }
                if (selector.selectNow() == 0) {
                    Thread.yield(); // lets the JIT and GC threads pinned to this core run
                    continue;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    int n;
                    try {
                        n = c.channel.read(c.in);
                    } catch (IOException e) {
                        n = -1;
                    }
                    long done = System.nanoTime();
                    int complete = n < 0 ? -1 : complete(c.in);
                    if (complete == 0) {
                        continue;
                    }
                    if (c.intended >= 0) {
                        inFlight--;
                        if (complete < 0) {
                            errors++;
                        } else if (c.intended >= measureFrom && count < latencies.length) {
                            latencies[count++] = done - c.intended;
                        }
                    }
                    c.intended = -1;
                    if (complete < 0 || c.in.position() > 0) {
                        key.cancel();
                        c.channel.close();
                        idle.add(open(address, selector));
                    } else {
                        idle.add(c);
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "{\"rate\": %.0f, \"completed\": %d, \"errors\": %d, \"p50_ms\": %.3f,"
                + " \"p90_ms\": %.3f, \"p99_ms\": %.3f, \"p999_ms\": %.3f, \"max_ms\": %.3f}", rate, count, errors,
                ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), ms(sorted, 0.999), ms(sorted, 1.0));
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static Conn open(InetSocketAddress address, Selector selector) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        Conn c = new Conn(channel);
        channel.register(selector, SelectionKey.OP_READ, c);
        return c;
    }

    /**
     * Whether {@code in} (in write mode) holds a whole response: 1 when complete (the response is consumed and the
     * buffer left holding any following bytes), 0 when more bytes are needed, -1 when it cannot be parsed or asks
     * to close the connection.
     */
    static int complete(ByteBuffer in) {
        byte[] a = in.array();
        int len = in.position();
        int headerEnd = indexOf(a, len, 0);
        if (headerEnd < 0) {
            return len == a.length ? -1 : 0;
        }
        String head = new String(a, 0, headerEnd, US_ASCII).toLowerCase(Locale.ROOT);
        boolean close = head.contains("\r\nconnection: close");
        int bodyStart = headerEnd + 4;
        int end;
        int cl = head.indexOf("\r\ncontent-length:");
        if (cl >= 0) {
            int eol = head.indexOf("\r\n", cl + 2);
            int length = Integer.parseInt(head.substring(cl + 17, eol < 0 ? head.length() : eol).trim());
            end = bodyStart + length;
            if (len < end) {
                return 0;
            }
        } else if (head.contains("\r\ntransfer-encoding: chunked")) {
            end = chunkedEnd(a, len, bodyStart);
            if (end < 0) {
                return 0;
            }
        } else {
            return -1;
        }
        in.flip();
        in.position(end);
        in.compact();
        return close ? -1 : 1;
    }

    private static int chunkedEnd(byte[] a, int len, int from) {
        int p = from;
        while (true) {
            int eol = crlf(a, len, p);
            if (eol < 0) {
                return -1;
            }
            String size = new String(a, p, eol - p, US_ASCII);
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                int trailerEnd = indexOf(a, len, eol);
                return trailerEnd < 0 ? -1 : trailerEnd + 4;
            }
            p = eol + 2 + n + 2;
            if (p > len) {
                return -1;
            }
        }
    }

    private static int crlf(byte[] a, int len, int from) {
        for (int i = from; i + 1 < len; i++) {
            if (a[i] == '\r' && a[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first CRLFCRLF at or after {@code from}, or -1. */
    private static int indexOf(byte[] a, int len, int from) {
        for (int i = from; i + 3 < len; i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
