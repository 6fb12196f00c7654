package dev.meshpilot.proxy.standalone;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;

class NoMBeanServerTest {

    private static final String PROPERTY = "javax.management.builder.initial";

    @Test
    void theMBeanServerFactoryRefusesToBuildAServerWhenNoMBeanServerIsTheBuilder() {
        String before = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, NoMBeanServer.class.getName());
        try {
            assertThatThrownBy(MBeanServerFactory::newMBeanServer)
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("disabled for the standalone sidecar");
        } finally {
            if (before == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, before);
            }
        }
    }
}
