package dev.meshpilot.sync;

/** Outcome of syncing one commit. */
public enum SyncState {
    /** Compiled and applied to every target; it is the live snapshot. */
    APPLIED,
    /** The configuration is invalid (see the findings); nothing was applied, the live snapshot stayed. */
    REJECTED,
    /** Valid, but a target (or reading the commit) failed; the live snapshot was not advanced. */
    FAILED
}
