package dev.meshpilot.console.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Cluster mode against fabric8's mock API server (CRUD with Istio's CRDs, plus the TokenReview API), a bean of the
 * test's context so that it stops after the console's client. The token {@link #REVIEWS} is
 * {@code shop/reviews}'s, projected for {@code istio-ca}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ClusterModeTestConfiguration {

    static final String REVIEWS = FakeTokenReviewApi.jwt("system:serviceaccount:shop:reviews");

    /** Cluster mode on, writing with create-or-replace (the mock server has no server-side apply). */
    static void register(DynamicPropertyRegistry registry) {
        registry.add("meshpilot.kubernetes.enabled", () -> "true");
        registry.add("meshpilot.kubernetes.apply", () -> "create-or-replace");
    }

    @Bean(destroyMethod = "destroy")
    KubernetesMockServer mockApiServer() {
        return MockCluster.start();
    }

    @Bean
    Config kubernetesConnection(KubernetesMockServer server) {
        return MockCluster.config(server);
    }

    @Bean
    FakeTokenReviewApi tokenReviewApi(KubernetesMockServer server) {
        return FakeTokenReviewApi.install(server).know(REVIEWS, "system:serviceaccount:shop:reviews", "istio-ca");
    }
}
