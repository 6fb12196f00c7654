package dev.meshpilot.sync.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The request the real-cluster applier sends (the CRUD mock lacks server-side apply, so it is checked here). */
@EnableKubernetesMockClient
class ServerSideApplierTest {

    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void sendsAForcedApplyPatchAsFieldManagerMeshpilot() throws Exception {
        IstioCrds.quietMockServer();
        Service desired = new ServiceBuilder()
                .withNewMetadata().withName("hello").withNamespace("default").withResourceVersion("41")
                .addToLabels(KubernetesTarget.MANAGED_BY_LABEL, KubernetesTarget.MANAGED_BY)
                .addToAnnotations(KubernetesTarget.COMMIT_ANNOTATION, "c1").endMetadata()
                .withNewSpec().addToSelector("app", "hello").addNewPort().withName("http").withPort(8080).endPort()
                .endSpec()
                .build();
        server.expect().patch().withPath("/api/v1/namespaces/default/services/hello?fieldManager=meshpilot&force=true")
                .andReturn(200, desired).once();

        HasMetadata stored = KubeApplier.serverSideApply().apply(client, desired);

        RecordedRequest request = server.getLastRequest();
        assertThat(request.getMethod()).isEqualTo("PATCH");
        assertThat(request.getPath()).isEqualTo("/api/v1/namespaces/default/services/hello?fieldManager=meshpilot&force=true");
        assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
        String body = request.getBody().readUtf8();
        assertThat(body).contains("\"app.kubernetes.io/managed-by\":\"meshpilot\"", "\"meshpilot.dev/commit\":\"c1\"",
                "\"kind\":\"Service\"", "\"apiVersion\":\"v1\"");
        assertThat(body).doesNotContain("resourceVersion");
        assertThat(stored.getMetadata().getName()).isEqualTo("hello");
    }
}
