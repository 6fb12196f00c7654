package dev.meshpilot.policy;

/** How bad a {@link Finding} is. Only {@link #ERROR} rejects a configuration. */
public enum Severity {
    ERROR,
    WARNING,
    INFO
}
