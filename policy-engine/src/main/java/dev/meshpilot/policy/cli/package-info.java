/** The command line: analyze, convert, simulate and diff. */
@NullMarked
package dev.meshpilot.policy.cli;

import org.jspecify.annotations.NullMarked;
