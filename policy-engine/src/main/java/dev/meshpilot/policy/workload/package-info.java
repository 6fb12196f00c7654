@NullMarked
package dev.meshpilot.policy.workload;

import org.jspecify.annotations.NullMarked;
