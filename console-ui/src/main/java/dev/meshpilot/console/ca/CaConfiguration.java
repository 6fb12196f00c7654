package dev.meshpilot.console.ca;

import dev.meshpilot.console.config.MeshpilotProperties;
import dev.meshpilot.console.kube.TokenReviewAuthenticator;
import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import dev.meshpilot.proxy.identity.BootstrapTokens;
import dev.meshpilot.proxy.identity.CsrSigner;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The CSR endpoint's wiring: bootstrap tokens in {@code <data>/bootstrap-tokens} (hashes only, owner-only), the
 * fleet's CA as signer, and a filter chain for {@code POST /api/ca/csr} that needs no console login and no CSRF token
 * (the caller authenticates with its bearer token, checked by the {@link CsrAuthenticator}). Issuing tokens stays
 * behind the console's basic auth of {@code /api/**}.
 */
@Configuration(proxyBeanMethods = false)
public class CaConfiguration {

    static final String CSR_PATH = "/api/ca/csr";

    @Bean
    BootstrapTokens bootstrapTokens(MeshpilotProperties properties) {
        return BootstrapTokens.open(properties.data().resolve("bootstrap-tokens"));
    }

    /**
     * Bootstrap tokens always; in cluster mode also Kubernetes service account tokens, checked with TokenReview for
     * Istio's CA audience {@code istio-ca}.
     */
    @Bean
    CsrAuthenticator csrAuthenticator(BootstrapTokens tokens, ObjectProvider<KubernetesClient> kubernetes) {
        KubernetesClient client = kubernetes.getIfAvailable();
        return new TokenKindAuthenticator(new BootstrapTokenAuthenticator(tokens),
                client == null ? null : new TokenReviewAuthenticator(client, TokenReviewAuthenticator.ISTIO_CA));
    }

    @Bean
    CsrSigner csrSigner(EmbeddedFleet fleet) {
        return new CsrSigner(fleet.certificateAuthority());
    }

    @Bean
    @Order(0)
    SecurityFilterChain csrFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher(CaConfiguration::isCsr)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    static boolean isCsr(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri.substring(Math.min(uri.length(), request.getContextPath().length())).equals(CSR_PATH);
    }
}
