package dev.meshpilot.policy.internal;

import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;

/** Generated documents: YAML text out of maps, and back into resources for the parsers. */
public final class Documents {
    private Documents() {}

    public static String yaml(Map<String, Object> document) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(0).build();
        return new Dump(settings).dumpToString(document);
    }

    /** The converted document as a resource located at its legacy origin. */
    static Resource resource(LegacyConverter.Converted c) {
        MappingNode node = (MappingNode) new Compose(LoadSettings.builder().build()).composeString(yaml(c.document()))
                .orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) c.document().get("metadata");
        return new Resource(c.origin().file(), c.origin().line(), (String) c.document().get("apiVersion"),
                (String) c.document().get("kind"), (String) meta.get("namespace"), (String) meta.get("name"), node);
    }
}
