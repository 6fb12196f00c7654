package dev.meshpilot.policy.cli;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.Finding;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.Severity;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.cli.ConfigFiles.UsageException;
import dev.meshpilot.policy.diff.SnapshotDiff;
import dev.meshpilot.policy.internal.Conversion;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code meshpilot analyze|convert|simulate|diff}: exit 0 on success, 1 when the configuration has
 * errors, 2 on a usage error. Never prints a stack trace.
 */
public final class PolicyCli {
    static final String USAGE = """
            usage: meshpilot analyze [--output json] PATH...
                   meshpilot convert PATH...
                   meshpilot simulate --config PATH [--config PATH]... (--gateway NS/NAME | --from NS/DEPLOYMENT)
                                      [-H 'Name: value']... [--jwt-claims JSON] [--output json] METHOD URL
                   meshpilot diff [--output json] OLD_PATH NEW_PATH
            PATH is a YAML file or a folder (walked for *.yaml and *.yml).""";

    private PolicyCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        try {
            return switch (args[0]) {
                case "analyze" -> analyze(rest, out);
                case "convert" -> convert(rest, out, err);
                case "simulate" -> SimulateCommand.run(rest, out, err);
                case "diff" -> diff(rest, out, err);
                case "help", "-h", "--help" -> {
                    out.println(USAGE);
                    yield 0;
                }
                default -> throw new UsageException("unknown command: " + args[0]);
            };
        } catch (UsageException e) {
            err.println("meshpilot: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println("meshpilot: internal error (please report it): " + e);
            return 1;
        }
    }

    /** Removes {@code --output FORMAT} and returns whether the format is json. */
    static boolean json(List<String> args) {
        int i = args.indexOf("--output");
        if (i < 0) {
            return false;
        }
        if (i + 1 >= args.size() || !(args.get(i + 1).equals("json") || args.get(i + 1).equals("text"))) {
            throw new UsageException("--output: expected json or text");
        }
        boolean json = args.get(i + 1).equals("json");
        args.remove(i + 1);
        args.remove(i);
        return json;
    }

    static void noOptions(List<String> args) {
        for (String a : args) {
            if (a.startsWith("-")) {
                throw new UsageException("unknown option: " + a);
            }
        }
    }

    private static int analyze(List<String> args, PrintStream out) {
        boolean json = json(args);
        noOptions(args);
        if (args.isEmpty()) {
            throw new UsageException("analyze: at least one PATH is needed");
        }
        List<SourceFile> files = ConfigFiles.read(args);
        CompileResult result = MeshCompiler.compile("analyze", files);
        long errors = result.findings().stream().filter(f -> f.severity() == Severity.ERROR).count();
        long warnings = result.findings().stream().filter(f -> f.severity() == Severity.WARNING).count();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("findings", result.findings().stream().map(PolicyCli::finding).toList());
            doc.put("errors", errors);
            doc.put("warnings", warnings);
            doc.put("files", files.size());
            out.println(Json.write(doc));
        } else {
            result.findings().forEach(f -> out.println(text(f)));
            out.println(errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning"
                    + (warnings == 1 ? "" : "s") + " in " + files.size() + " file" + (files.size() == 1 ? "" : "s"));
        }
        return errors > 0 ? 1 : 0;
    }

    static String text(Finding f) {
        String s = f.toString();
        String location = f.file() == null ? "" : f.file() + (f.line() > 0 ? ":" + f.line() : "") + " ";
        return location + f.severity() + " " + f.code() + " " + s.substring(location.length());
    }

    static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", f.code());
        m.put("severity", f.severity().name());
        m.put("file", f.file());
        m.put("line", f.line());
        m.put("resource", f.resource());
        m.put("field", f.field());
        m.put("message", f.message());
        return m;
    }

    private static int convert(List<String> args, PrintStream out, PrintStream err) {
        noOptions(args);
        if (args.isEmpty()) {
            throw new UsageException("convert: at least one PATH is needed");
        }
        Conversion.Result result = Conversion.convert(ConfigFiles.read(args));
        List<Finding> errors = result.findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
        errors.forEach(f -> err.println(text(f)));
        out.print(result.yaml());
        return errors.isEmpty() ? 0 : 1;
    }

    private static int diff(List<String> args, PrintStream out, PrintStream err) {
        boolean json = json(args);
        noOptions(args);
        if (args.size() != 2) {
            throw new UsageException("diff: expected OLD_PATH NEW_PATH");
        }
        CompileResult before = MeshCompiler.compile("old", ConfigFiles.read(List.of(args.get(0))));
        CompileResult after = MeshCompiler.compile("new", ConfigFiles.read(List.of(args.get(1))));
        if (before.snapshot() == null || after.snapshot() == null) {
            before.errors().forEach(f -> err.println(text(f)));
            after.errors().forEach(f -> err.println(text(f)));
            return 1;
        }
        List<String> changes = SnapshotDiff.describe(before.snapshot(), after.snapshot());
        if (json) {
            out.println(Json.write(Map.of("changes", changes)));
        } else if (changes.isEmpty()) {
            out.println("no semantic changes");
        } else {
            changes.forEach(out::println);
        }
        return 0;
    }
}
