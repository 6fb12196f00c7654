/**
 * Cluster mode ({@code --kubernetes}): the one fabric8 {@code KubernetesClient} of the console and what uses it
 * (service account tokens checked with TokenReview at the CSR endpoint).
 */
@NullMarked
package dev.meshpilot.console.kube;

import org.jspecify.annotations.NullMarked;
