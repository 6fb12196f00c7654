package dev.meshpilot.proxy.standalone;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import dev.meshpilot.proxy.fleet.FleetOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What each extra sidecar costs in the embedded fleet: starts a fleet with {@code --from} replicas of an http-echo
 * Deployment (each with its sidecar), sends a request through the gateway per replica, measures the process's RSS
 * after a GC, scales to {@code --to} replicas and measures again. Prints one JSON line with the RSS per extra replica.
 *
 * <pre>java -Xmx256m ... dev.meshpilot.proxy.standalone.FleetFootprint --from 10 --to 40</pre>
 */
public final class FleetFootprint {

    private FleetFootprint() {}

    public static void main(String[] args) throws Exception {
        int from = 10;
        int to = 40;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--from" -> from = Integer.parseInt(args[i + 1]);
                case "--to" -> to = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("option: " + args[i] + " (expected: --from, --to)");
            }
        }
        try (EmbeddedFleet fleet = new EmbeddedFleet(FleetOptions.localhost())) {
            fleet.start();
            long before = measure(fleet, from);
            long after = measure(fleet, to);
            System.out.printf("{\"replicas_from\": %d, \"rss_from_mb\": %.1f, \"replicas_to\": %d, \"rss_to_mb\": %.1f,"
                    + " \"rss_per_extra_replica_mb\": %.2f}%n", from, before / 1024.0, to, after / 1024.0,
                    (after - before) / 1024.0 / (to - from));
        }
    }

    /** Applies {@code replicas}, sends one request per replica through the gateway, returns VmRSS in KiB after a GC. */
    private static long measure(EmbeddedFleet fleet, int replicas) throws Exception {
        fleet.apply(snapshot(replicas));
        for (int i = 0; i < replicas * 3; i++) {
            get(fleet.gatewayPort());
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(500);
        }
        return rssKib();
    }

    private static void get(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: hello.example.com\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!answer.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException("gateway answered: " + answer.lines().findFirst().orElse(""));
            }
        }
    }

    private static long rssKib() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
    }

    private static MeshSnapshot snapshot(int replicas) {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: hello
                spec:
                  replicas: %d
                  selector:
                    matchLabels:
                      app: hello
                  template:
                    metadata:
                      labels:
                        app: hello
                        version: v1
                    spec:
                      containers:
                      - name: hello
                        image: wardviaene/http-echo
                        env:
                        - name: TEXT
                          value: hello
                        ports:
                        - name: http
                          containerPort: 8080
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: hello
                spec:
                  selector:
                    app: hello
                  ports:
                  - name: http
                    port: 8080
                    targetPort: 8080
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: Gateway
                metadata:
                  name: hello-gateway
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                  - port:
                      number: 80
                      name: http
                      protocol: HTTP
                    hosts:
                    - "*"
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata:
                  name: hello
                spec:
                  hosts:
                  - "*"
                  gateways:
                  - hello-gateway
                  http:
                  - route:
                    - destination:
                        host: hello.default.svc.cluster.local
                        port:
                          number: 8080
                """.formatted(replicas);
        CompileResult result = MeshCompiler.compile("footprint-" + replicas,
                List.of(new SourceFile("footprint.yaml", yaml)));
        if (result.snapshot() == null) {
            throw new IllegalStateException("footprint mesh does not compile: " + result.findings());
        }
        return result.snapshot();
    }
}
