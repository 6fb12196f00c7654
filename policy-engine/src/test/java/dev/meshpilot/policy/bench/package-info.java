/** JMH benchmarks of the decisions and of compilation (run them as the module README says). */
@NullMarked
package dev.meshpilot.policy.bench;

import org.jspecify.annotations.NullMarked;
