package dev.meshpilot.console.ca;

import dev.meshpilot.console.config.MeshpilotProperties;
import dev.meshpilot.console.kube.TokenReviewAuthenticator;
import dev.meshpilot.proxy.identity.BootstrapTokens;
import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.CsrSigner;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
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
 * The mesh CA ({@link MeshCaChoice}: {@code --ca-certs}, the cluster's Secrets when a {@link KubernetesClient} bean
 * exists, else {@code <data>/ca}; key password {@value CaSettings#KEY_PASSWORD_ENV}) that the fleet uses, its root
 * published in the cluster ({@link RootCertificatePublisher}), and the CSR endpoint's wiring: bootstrap tokens in
 * {@code <data>/bootstrap-tokens} (hashes only, owner-only), the CA as signer, and a filter chain for
 * {@code POST /api/ca/csr} that needs no console login and no CSRF token (the caller authenticates with its bearer
 * token, checked by the {@link CsrAuthenticator}). Issuing tokens stays behind the console's basic auth of
 * {@code /api/**}.
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
    WorkloadCertificateAuthority meshCertificateAuthority(MeshpilotProperties properties,
            ObjectProvider<KubernetesClient> kubernetes) {
        return MeshCaChoice.open(properties, kubernetes.getIfAvailable(), CaSettings.fromEnvironment());
    }

    @Bean
    CaAdministration caAdministration(WorkloadCertificateAuthority ca, BootstrapTokens tokens,
            MeshpilotProperties properties, ObjectProvider<KubernetesClient> kubernetes) {
        return new CaAdministration(ca, tokens, MeshCaChoice.location(properties, kubernetes.getIfAvailable(), ca));
    }

    @Bean(destroyMethod = "close")
    RootCertificatePublisher rootCertificatePublisher(WorkloadCertificateAuthority ca,
            ObjectProvider<KubernetesClient> kubernetes) {
        return new RootCertificatePublisher(kubernetes.getIfAvailable(), ca);
    }

    @Bean
    CsrSigner csrSigner(WorkloadCertificateAuthority ca) {
        return new CsrSigner(ca);
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
