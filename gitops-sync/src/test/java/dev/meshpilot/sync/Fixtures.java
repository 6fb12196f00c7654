package dev.meshpilot.sync;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The tutorial's hello service (v1 + v2), its gateway and a 90/10 canary, as repository files. */
public final class Fixtures {

    public static final Author ALICE = new Author("Alice Operator", "alice@example.com");
    public static final Author BOB = new Author("Bob Approver", "bob@example.com");

    public static final String APPS = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: hello
            spec:
              replicas: 1
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
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: hello-v2
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: hello
              template:
                metadata:
                  labels:
                    app: hello
                    version: v2
                spec:
                  containers:
                  - name: hello
                    image: wardviaene/http-echo
                    env:
                    - name: TEXT
                      value: hello, this is v2
                    ports:
                    - name: http
                      containerPort: 8080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: hello
              labels:
                app: hello
            spec:
              selector:
                app: hello
              ports:
              - name: http
                port: 8080
                targetPort: 8080
            """;

    public static final String GATEWAY = """
            apiVersion: networking.istio.io/v1alpha3
            kind: Gateway
            metadata:
              name: helloworld-gateway
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
            """;

    private Fixtures() {}

    /** DestinationRule hello (v1, v2) and VirtualService helloworld splitting v1/v2 by the given weights. */
    public static String canary(int v1, int v2) {
        return canaryTo("v2", v1, v2);
    }

    /** Like {@link #canary} but the second destination uses {@code subset}, e.g. an undefined one. */
    public static String canaryTo(String subset, int v1, int v2) {
        return """
                apiVersion: networking.istio.io/v1alpha3
                kind: DestinationRule
                metadata:
                  name: hello
                spec:
                  host: hello.default.svc.cluster.local
                  subsets:
                  - name: v1
                    labels:
                      version: v1
                  - name: v2
                    labels:
                      version: v2
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata:
                  name: helloworld
                spec:
                  hosts:
                  - "hello.example.com"
                  gateways:
                  - helloworld-gateway
                  http:
                  - route:
                    - destination:
                        host: hello.default.svc.cluster.local
                        subset: v1
                        port:
                          number: 8080
                      weight: %d
                    - destination:
                        host: hello.default.svc.cluster.local
                        subset: %s
                        port:
                          number: 8080
                      weight: %d
                """.formatted(v1, subset, v2);
    }

    /** The whole tutorial mesh with a 90/10 canary. */
    public static Map<String, String> tutorial() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("apps/hello.yaml", APPS);
        files.put("istio/gateway.yaml", GATEWAY);
        files.put("istio/hello-routing.yaml", canary(90, 10));
        return files;
    }

    /** Polls until the condition holds; fails after the timeout. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
