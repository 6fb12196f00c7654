package dev.meshpilot.policy.security;

/** The mTLS mode a workload's inbound port accepts (PeerAuthentication). */
public enum MtlsMode {
    /** Only mutual TLS. */
    STRICT,
    /** Mutual TLS and plain text. */
    PERMISSIVE,
    /** Plain text only. */
    DISABLE
}
