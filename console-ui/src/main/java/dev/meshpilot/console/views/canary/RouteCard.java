package dev.meshpilot.console.views.canary;

import static java.util.Objects.requireNonNull;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.card.Card;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.slider.IntegerSlider;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.shared.Registration;
import dev.meshpilot.console.canary.CanaryLabels;
import dev.meshpilot.console.canary.WeightBalancer;
import dev.meshpilot.policy.edit.CanaryRoute;
import dev.meshpilot.policy.route.WeightedDestination;
import java.util.ArrayList;
import java.util.List;

/**
 * One weighted route: a slider per destination (kept at a sum of 100) and a Commit button. The card
 * never commits itself; it fires a {@link CommitEvent} that the view handles.
 */
public class RouteCard extends Card {

    private final CanaryRoute route;
    private final List<IntegerSlider> sliders = new ArrayList<>();
    private final List<Span> values = new ArrayList<>();
    private final Button commit = new Button("Commit");
    private List<Integer> committed;
    private boolean updating;

    /**
     * @param commitButtonId {@code commit-canary} when the view has one route, else {@code commit-<host>}
     */
    public RouteCard(CanaryRoute route, String commitButtonId) {
        this.route = requireNonNull(route, "route");
        this.committed = route.destinations().stream().map(WeightedDestination::weight).toList();
        String host = CanaryLabels.host(route);
        setTitle(CanaryLabels.title(route));
        setSubtitle(route.file() + " · VirtualService " + route.namespace() + "/" + route.virtualService());
        setId("route-" + host);
        setWidthFull();
        for (int i = 0; i < route.destinations().size(); i++) {
            add(destinationRow(host, i, route.destinations().get(i)));
        }
        commit.setId(requireNonNull(commitButtonId, "commitButtonId"));
        commit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        commit.addClickListener(click -> fireEvent(new CommitEvent(this, weights())));
        addToFooter(commit);
        refreshState();
    }

    public CanaryRoute route() {
        return route;
    }

    /** The weights the sliders show, in the route's destination order. */
    public List<Integer> weights() {
        return sliders.stream().map(slider -> slider.getValue() == null ? 0 : slider.getValue()).toList();
    }

    Button commitButton() {
        return commit;
    }

    /** Moves one slider as a user would, rebalancing the others. */
    public void moveSlider(int index, int value) {
        setWeights(WeightBalancer.rebalance(weights(), index, value));
    }

    /** The weights are now in a commit: the button stays disabled until they change again. */
    public void markCommitted(List<Integer> weights) {
        committed = List.copyOf(weights);
        refreshState();
    }

    public Registration addCommitListener(ComponentEventListener<CommitEvent> listener) {
        return addListener(CommitEvent.class, listener);
    }

    private HorizontalLayout destinationRow(String host, int index, WeightedDestination destination) {
        String name = CanaryLabels.destination(destination);
        IntegerSlider slider = new IntegerSlider(name, 0, WeightBalancer.TOTAL);
        slider.setId("weight-" + host + "-" + name);
        slider.setValue(destination.weight());
        slider.setStep(1);
        slider.setValueChangeMode(ValueChangeMode.ON_CHANGE);
        slider.setWidth("24rem");
        slider.addValueChangeListener(change -> {
            if (!updating && change.isFromClient() && change.getValue() != null) {
                moveSlider(index, change.getValue());
            }
        });
        Span value = new Span(destination.weight() + "%");
        value.setId("weight-" + host + "-" + name + "-value");
        value.getStyle().set("font-variant-numeric", "tabular-nums").set("min-width", "4ch");
        sliders.add(slider);
        values.add(value);
        HorizontalLayout row = new HorizontalLayout(slider, value);
        row.setAlignItems(Alignment.BASELINE);
        return row;
    }

    private void setWeights(List<Integer> weights) {
        updating = true;
        try {
            for (int i = 0; i < sliders.size(); i++) {
                sliders.get(i).setValue(weights.get(i));
            }
        } finally {
            updating = false;
        }
        refreshState();
    }

    private void refreshState() {
        List<Integer> weights = weights();
        for (int i = 0; i < values.size(); i++) {
            values.get(i).setText(weights.get(i) + "%");
        }
        commit.setEnabled(!weights.equals(committed));
    }

    /** The operator asked to commit these weights for the card's route. */
    public static final class CommitEvent extends ComponentEvent<RouteCard> {
        private final List<Integer> weights;

        CommitEvent(RouteCard source, List<Integer> weights) {
            super(source, true);
            this.weights = List.copyOf(weights);
        }

        public List<Integer> weights() {
            return weights;
        }
    }
}
