package dev.meshpilot.proxy.authz;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.security.CustomAuthorization;
import dev.meshpilot.policy.security.ExtensionProvider;
import dev.meshpilot.proxy.internal.ProxiedClients;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Asks the external authorizer of a CUSTOM AuthorizationPolicy ({@code envoyExtAuthzHttp}), as Envoy's HTTP ext_authz
 * does: the request's method and {@code pathPrefix} + path, no body, {@code authorization} and the provider's
 * {@code includeRequestHeadersInCheck}. 200 allows (copying {@code headersToUpstreamOnAllow} into the request); any
 * other answer below 500 denies with the authorizer's status and body (and {@code headersToDownstreamOnDeny}); an
 * authorizer that cannot be reached or answers 5xx (or a GRPC provider, which this proxy does not speak) denies with
 * {@code statusOnError} unless {@code failOpen}. The call goes through the sidecar's outbound listener, so mesh routing applies.
 */
public final class ExternalAuthorizer implements AutoCloseable {

    /** Istio's default timeout of a check. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

    /** The verdict of the authorizer; {@code status} and {@code body} matter when denied. */
    public record Result(boolean allowed, int status, String body, Map<String, String> downstreamHeaders,
            Map<String, String> upstreamHeaders, String reason) {
        public Result {
            requireNonNull(body, "body");
            requireNonNull(reason, "reason");
            downstreamHeaders = Map.copyOf(downstreamHeaders);
            upstreamHeaders = Map.copyOf(upstreamHeaders);
        }
    }

    private final Supplier<@Nullable InetSocketAddress> proxy;
    private final ProxiedClients clients;

    /** @param proxy the sidecar's outbound listener (null: connect to the provider's service directly) */
    public ExternalAuthorizer(Supplier<@Nullable InetSocketAddress> proxy, @Nullable Executor executor) {
        this.proxy = requireNonNull(proxy, "proxy");
        this.clients = new ProxiedClients(executor);
    }

    /** Checks one request ({@code pathAndQuery} normalized, {@code headers} lower-case names). */
    public Result check(CustomAuthorization custom, String method, String pathAndQuery,
            Map<String, List<String>> headers) throws InterruptedException {
        ExtensionProvider provider = custom.provider();
        String who = "CUSTOM policy " + custom.policy() + " (provider " + provider.name() + ")";
        if (provider.kind() != ExtensionProvider.Kind.HTTP) {
            return unreachable(provider, who + ": envoyExtAuthzGrpc is not supported by this proxy");
        }
        String host = provider.service().contains("/") ? provider.service().substring(provider.service().indexOf('/') + 1)
                : provider.service();
        String prefix = provider.pathPrefix() == null ? "" : provider.pathPrefix();
        URI uri;
        try {
            uri = URI.create("http://" + host + ":" + provider.port() + prefix + pathAndQuery);
        } catch (IllegalArgumentException e) {
            return unreachable(provider, who + ": cannot build the check request: " + e.getMessage());
        }
        Duration timeout = provider.timeout() == null ? DEFAULT_TIMEOUT : provider.timeout();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (String name : checkHeaders(provider)) {
            for (String value : headers.getOrDefault(name, List.of())) {
                request.header(name, value);
            }
        }
        HttpResponse<String> response;
        try {
            response = clients.via(proxy.get()).send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return unreachable(provider, who + ": authorizer unavailable: " + e);
        }
        if (response.statusCode() >= 500) {
            // Envoy counts a 5xx check answer as an error (as this proxy's own 502/503/504 for an unreachable one)
            return unreachable(provider, who + ": authorizer error " + response.statusCode());
        }
        if (response.statusCode() == 200) {
            return new Result(true, 200, "", Map.of(), pick(response, provider.headersToUpstreamOnAllow()),
                    "allowed by " + who);
        }
        return new Result(false, response.statusCode(), response.body(),
                pick(response, provider.headersToDownstreamOnDeny()), Map.of(),
                "denied by " + who + ": the authorizer answered " + response.statusCode());
    }

    private static List<String> checkHeaders(ExtensionProvider provider) {
        List<String> names = new ArrayList<>(List.of("authorization"));
        provider.includeRequestHeadersInCheck().forEach(h -> {
            String name = h.toLowerCase(Locale.ROOT);
            if (!names.contains(name) && !name.equals("host") && !name.equals("content-length")) {
                names.add(name);
            }
        });
        return names;
    }

    private static Map<String, String> pick(HttpResponse<String> response, List<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names) {
            response.headers().firstValue(name).ifPresent(v -> out.put(name.toLowerCase(Locale.ROOT), v));
        }
        return out;
    }

    private static Result unreachable(ExtensionProvider provider, String reason) {
        if (provider.failOpen()) {
            return new Result(true, 200, "", Map.of(), Map.of(), reason + " (failOpen: allowed)");
        }
        int status = provider.statusOnError() == 0 ? 403 : provider.statusOnError();
        return new Result(false, status, "", Map.of(), Map.of(), reason);
    }


    @Override
    public void close() {
        clients.close();
    }
}
