package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.Finding;
import dev.meshpilot.policy.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites configuration to today's APIs: removed kinds become their modern equivalents, older API
 * versions of kept kinds move to the current one in place (comments and layout kept), everything else
 * is copied unchanged.
 */
public final class Conversion {
    private static final Pattern API_VERSION = Pattern.compile(
            "(?m)^(apiVersion:\\s*[\"']?)(networking\\.istio\\.io/v1(?:alpha3|beta1)|security\\.istio\\.io/v1beta1)([\"']?)");
    private static final Pattern EXTENSIONS = Pattern.compile("(?m)^(apiVersion:\\s*[\"']?)extensions/v1beta1([\"']?)");
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(?:#.*)?$");

    /** The converted text and the findings of reading the input. */
    public record Result(String yaml, List<Finding> findings) {}

    private Conversion() {}

    private static int lineAt(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    public static Result convert(List<SourceFile> files) {
        Findings findings = new Findings();
        List<Resource> resources = ResourceLoader.load(files, findings);
        MeshModel model = MeshModel.build(resources, findings);
        List<String> docs = new ArrayList<>();
        for (SourceFile file : files) {
            String content = file.content();
            List<int[]> ranges = new ArrayList<>();
            Matcher sep = SEPARATOR.matcher(content);
            int from = 0;
            while (sep.find()) {
                ranges.add(new int[] {from, sep.start()});
                from = sep.end();
            }
            ranges.add(new int[] {from, content.length()});
            for (int[] range : ranges) {
                String chunk = content.substring(range[0], range[1]);
                int startLine = lineAt(content, range[0]);
                int endLine = lineAt(content, range[1]) + 1;
                if (chunk.isBlank()) {
                    continue;
                }
                List<Resource> inChunk = resources.stream().filter(r -> r.file().equals(file.path())
                        && r.line() >= startLine && r.line() < endLine).toList();
                if (!inChunk.isEmpty() && LegacyConverter.isLegacy(inChunk.get(0))) {
                    Resource legacy = inChunk.get(0);
                    List<LegacyConverter.Converted> converted = model.converted().stream()
                            .filter(c -> c.origin() == legacy).toList();
                    for (LegacyConverter.Converted c : converted) {
                        docs.add("# converted from " + legacy.kind() + " " + legacy.key() + " (" + legacy.apiVersion()
                                + ", " + file.path() + ":" + legacy.line() + ")\n" + Documents.yaml(c.document()));
                    }
                    if (converted.isEmpty()) {
                        docs.add("# " + legacy.kind() + " " + legacy.key() + " (" + legacy.apiVersion()
                                + ") needs no equivalent today: it has no effect on its own\n");
                    }
                    continue;
                }
                String text = chunk.startsWith("\n") ? chunk.substring(1) : chunk;
                text = API_VERSION.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1)
                        + m.group(2).substring(0, m.group(2).indexOf('/')) + "/v1" + m.group(3)));
                if (!inChunk.isEmpty() && inChunk.get(0).kind().equals("Deployment")) {
                    text = EXTENSIONS.matcher(text).replaceAll("$1apps/v1$2");
                }
                docs.add(text.endsWith("\n") ? text : text + "\n");
            }
        }
        return new Result(String.join("---\n", docs), findings.list());
    }
}
