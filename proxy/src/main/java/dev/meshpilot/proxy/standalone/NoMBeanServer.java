package dev.meshpilot.proxy.standalone;

import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import org.jspecify.annotations.Nullable;

/**
 * An {@link MBeanServerBuilder} that refuses to build: with
 * {@code -Djavax.management.builder.initial=dev.meshpilot.proxy.standalone.NoMBeanServer} (in
 * {@code proxy/bench/sidecar-jvm.options}) the platform MBean server cannot be created. XNIO registers every worker
 * and server with it (and ignores any failure); creating it registers all platform MXBeans, which loads ~470 classes
 * (JMX, {@code java.lang.management}, JFR's diagnostic commands) and cost the standalone sidecar 5–7 MB of RSS under
 * load for nothing it uses. jboss-threads (XNIO's task pool, which runs TLS handshake tasks) does not ignore the
 * failure, so the options file also sets {@code -Djboss.threads.eqe.disable-mbean=true}. {@code jcmd} (JFR, NMT, heap
 * info) goes through the attach mechanism and still works; a JMX agent does not.
 */
public final class NoMBeanServer extends MBeanServerBuilder {

    @Override
    public MBeanServer newMBeanServer(@Nullable String defaultDomain, @Nullable MBeanServer outer,
            @Nullable MBeanServerDelegate delegate) {
        throw new UnsupportedOperationException("MBean server: disabled for the standalone sidecar"
                + " (javax.management.builder.initial=" + NoMBeanServer.class.getName() + ")");
    }
}
