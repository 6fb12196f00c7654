package dev.meshpilot.console.views.canary;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.slider.IntegerSlider;
import dev.meshpilot.policy.edit.CanaryRoute;
import dev.meshpilot.policy.route.WeightedDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RouteCardTest {

    private static final String HOST = "hello.default.svc.cluster.local";

    private final CanaryRoute route = new CanaryRoute("helloworld-v2-canary.yaml", "default", "helloworld-canary",
            List.of("hello.example.com"), List.of("helloworld-gateway"), 0,
            List.of(new WeightedDestination(HOST, "v1", 8080, 90), new WeightedDestination(HOST, "v2", 8080, 10)));

    @Test
    void namesEverySliderAfterTheRouteHostAndSubset() {
        RouteCard card = new RouteCard(route, "commit-canary");

        assertThat(all(card, IntegerSlider.class)).extracting(slider -> slider.getId().orElseThrow())
                .containsExactly("weight-hello.example.com-v1", "weight-hello.example.com-v2");
        assertThat(all(card, IntegerSlider.class)).extracting(IntegerSlider::getLabel).containsExactly("v1", "v2");
        assertThat(commitButton(card).isEnabled()).as("nothing to commit yet").isFalse();
    }

    @Test
    void movingOneSliderRebalancesTheOtherAndFiresTheWeightsOnCommit() {
        RouteCard card = new RouteCard(route, "commit-canary");
        List<List<Integer>> committed = new ArrayList<>();
        card.addCommitListener(event -> committed.add(event.weights()));

        card.moveSlider(1, 30);
        commitButton(card).click();

        assertThat(card.weights()).containsExactly(70, 30);
        assertThat(committed).containsExactly(List.of(70, 30));
        card.markCommitted(List.of(70, 30));
        assertThat(commitButton(card).isEnabled()).isFalse();
    }

    private static Button commitButton(RouteCard card) {
        Button button = card.commitButton();
        assertThat(button.getId()).contains("commit-canary");
        return button;
    }

    private static <T extends Component> List<T> all(Component root, Class<T> type) {
        return descendants(root).filter(type::isInstance).map(type::cast).toList();
    }

    private static Stream<Component> descendants(Component root) {
        return Stream.concat(Stream.of(root), root.getChildren().flatMap(RouteCardTest::descendants));
    }
}
