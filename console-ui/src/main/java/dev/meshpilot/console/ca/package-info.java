/**
 * The mesh CA for sidecars outside the process: bootstrap tokens issued by operators and the CSR endpoint that
 * signs workload certificates for the identity of a token.
 */
@NullMarked
package dev.meshpilot.console.ca;

import org.jspecify.annotations.NullMarked;
