/**
 * The mesh certificate authority and workload identity: SPIFFE IDs, workload certificates, trust bundles,
 * peer verification and certificate rotation for mTLS between sidecars.
 */
@NullMarked
package dev.meshpilot.proxy.identity;

import org.jspecify.annotations.NullMarked;
