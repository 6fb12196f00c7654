/** The Kubernetes sync target: applies the committed YAML through fabric8 and prunes what Git no longer has. */
@NullMarked
package dev.meshpilot.sync.kube;

import org.jspecify.annotations.NullMarked;
