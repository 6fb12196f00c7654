package dev.meshpilot.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.proxy.endpoint.Endpoint;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    private static final List<Endpoint> ENDPOINTS = List.of(endpoint("hello-aaaaa"), endpoint("hello-bbbbb"),
            endpoint("hello-ccccc"));

    @Test
    void cyclesThroughEveryEndpoint() {
        RoundRobin rr = new RoundRobin();
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picked.add(rr.next("k", ENDPOINTS, Set.of()).id());
        }
        assertThat(picked).containsExactly("hello-aaaaa", "hello-bbbbb", "hello-ccccc", "hello-aaaaa", "hello-bbbbb",
                "hello-ccccc");
    }

    @Test
    void retryGoesToAnEndpointNotTriedYet() {
        RoundRobin rr = new RoundRobin();
        assertThat(rr.next("k", ENDPOINTS, Set.of("hello-aaaaa")).id()).isEqualTo("hello-bbbbb");
        assertThat(rr.next("k", ENDPOINTS, Set.of("hello-bbbbb", "hello-ccccc")).id()).isEqualTo("hello-aaaaa");
        assertThat(rr.next("k", ENDPOINTS, Set.of("hello-aaaaa", "hello-bbbbb", "hello-ccccc"))).isNotNull();
    }

    @Test
    void answersNullWithoutEndpoints() {
        assertThat(new RoundRobin().next("k", List.of(), Set.of())).isNull();
    }

    private static Endpoint endpoint(String id) {
        return new Endpoint(id, "default", "hello", Map.of("app", "hello"), "default",
                new InetSocketAddress("127.0.0.1", 1));
    }
}
