package dev.meshpilot.console.cli;

/** The text {@code meshpilot --help} prints. */
public final class Usage {

    public static final String TEXT = """
            Usage: meshpilot <command> [options]

            Commands:
              up [--port N] [--gateway-port N] [--gateway-https-port N] [--data DIR]
                 [--resolve HOST:PORT=ADDRESS:PORT]... [--ca-certs DIR] [--kubernetes]
                  Start the console (default port 8080), the ingress gateway (default 8081; its
                  HTTPS port, serving the Gateway servers of port 443, default 8443), the mesh Git
                  repository DIR/mesh.git and the sync loop, in one process.
                  Port 0 picks a free port. DIR defaults to ~/.meshpilot. TLS credentials named by
                  a Gateway's credentialName: DIR/credentials/NAMESPACE/NAME/{tls.crt,tls.key,ca.crt}.
                  The admin password is MESHPILOT_ADMIN_PASSWORD, or generated and shown once.
                  --resolve sends the mesh's calls to a host outside the mesh to a local address
                  instead, like curl's --resolve (e.g. ifconfig.co:80=127.0.0.1:18080); repeatable.
                  The mesh CA is a root created on first start in DIR/ca (key encrypted with
                  MESHPILOT_CA_KEY_PASSWORD or DIR/ca/root-key.password), or, with --ca-certs, your
                  own intermediate: Istio's ca-cert.pem, ca-key.pem (plain or encrypted with
                  MESHPILOT_CA_KEY_PASSWORD), root-cert.pem and cert-chain.pem, checked at start.
                  --kubernetes adds cluster mode: the Kubernetes API of the pod's service account (or
                  the kubeconfig) checks service account tokens at the CSR endpoint (TokenReview,
                  audience istio-ca) and every accepted commit is applied to the cluster too.
              logs NAMESPACE/DEPLOYMENT [--tail N] [--url http://localhost:8080] [--user admin]
                  Print the sidecar access log of a Deployment from a running `meshpilot up`
                  (like `kubectl logs POD -c istio-proxy`). Password: MESHPILOT_ADMIN_PASSWORD.
              analyze, convert, simulate, diff
                  Policy tools on YAML files (see `meshpilot <command> --help`).
              --help
                  Show this text.
            """;

    private Usage() {}
}
