package dev.meshpilot.policy.bench;

import dev.meshpilot.policy.SourceFile;
import java.util.List;

/** Large synthetic configurations for the benchmarks. */
public final class MeshGenerator {
    private MeshGenerator() {}

    /** One Gateway and {@code services} VirtualServices of {@code rules} header-matched http rules each. */
    public static SourceFile gatewayRoutes(int services, int rules) {
        StringBuilder y = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw}
                spec:
                  selector: {istio: ingressgateway}
                  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
                """);
        for (int i = 0; i < services; i++) {
            y.append("---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs-").append(i)
                    .append("}\nspec:\n  hosts: [svc-").append(i).append(".example.com]\n  gateways: [gw]\n  http:\n");
            for (int r = 0; r < rules; r++) {
                y.append("  - match: [{headers: {x-rule: {exact: \"").append(r).append("\"}}, uri: {prefix: /api}}]\n")
                        .append("    route: [{destination: {host: svc-").append(i).append(", port: {number: 8080}}}]\n");
            }
            y.append("---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-").append(i)
                    .append("}\nspec: {selector: {app: svc-").append(i).append("}, ports: [{port: 8080}]}\n");
        }
        return new SourceFile("routes.yaml", y.toString());
    }

    /** {@code count} AuthorizationPolicies in namespace default, each selecting one app. */
    public static SourceFile policies(int count) {
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < count; i++) {
            y.append("---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p-").append(i)
                    .append("}\nspec:\n  selector: {matchLabels: {app: svc-").append(i % 50).append("}}\n")
                    .append(i % 10 == 0 ? "  action: DENY\n" : "")
                    .append("  rules:\n  - from: [{source: {principals: [\"cluster.local/ns/default/sa/client-")
                    .append(i).append("\"]}}]\n    to: [{operation: {methods: [GET], paths: [\"/api/").append(i)
                    .append("/*\"]}}]\n");
        }
        return new SourceFile("policies.yaml", y.toString());
    }

    /** About {@code resources} resources: Deployments, Services, DestinationRules and VirtualServices in equal parts. */
    public static List<SourceFile> mixed(int resources) {
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < resources / 4; i++) {
            y.append("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-").append(i).append("}\n")
                    .append("spec:\n  replicas: 2\n  template:\n    metadata: {labels: {app: app-").append(i)
                    .append(", version: v1}}\n    spec:\n      containers:\n      - name: c\n        image: img\n")
                    .append("        env: [{name: TEXT, value: hi}]\n        ports: [{containerPort: 8080}]\n")
                    .append("---\napiVersion: v1\nkind: Service\nmetadata: {name: app-").append(i)
                    .append("}\nspec: {selector: {app: app-").append(i).append("}, ports: [{port: 8080}]}\n")
                    .append("---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: app-")
                    .append(i).append("}\nspec: {host: app-").append(i).append(", subsets: [{name: v1, labels: {version: v1}}]}\n")
                    .append("---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: app-")
                    .append(i).append("}\nspec:\n  hosts: [app-").append(i).append("]\n  http:\n")
                    .append("  - match: [{headers: {end-user: {exact: john}}}]\n    route: [{destination: {host: app-")
                    .append(i).append(", subset: v1}, weight: 90}, {destination: {host: app-").append(i)
                    .append("}, weight: 10}]\n    timeout: 5s\n");
        }
        return List.of(new SourceFile("mixed.yaml", y.toString()));
    }
}
