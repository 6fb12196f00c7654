package dev.meshpilot.proxy.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** The SNI of real ClientHellos made by the JDK's TLS engine. */
class ClientHelloSniTest {

    @Test
    void findsTheServerNameOfAClientHello() throws Exception {
        byte[] record = ClientHelloSni.readFirstRecord(new ByteArrayInputStream(clientHello("IfConfig.co")));

        assertThat(ClientHelloSni.serverName(record)).isEqualTo("ifconfig.co");
    }

    @Test
    void aClientHelloWithoutServerNameHasNone() throws Exception {
        assertThat(ClientHelloSni.serverName(clientHello(null))).isNull();
    }

    @Test
    void readsExactlyTheFirstRecordAndLeavesTheRest() throws Exception {
        byte[] hello = clientHello("a.example");
        byte[] more = Arrays.copyOf(hello, hello.length + 3);
        ByteArrayInputStream in = new ByteArrayInputStream(more);

        assertThat(ClientHelloSni.readFirstRecord(in)).isEqualTo(hello);
        assertThat(in.available()).isEqualTo(3);
    }

    @Test
    void plainTextIsNoClientHello() throws Exception {
        byte[] first = ClientHelloSni.readFirstRecord(new ByteArrayInputStream("GET / HTTP/1.1\r\n".getBytes()));

        assertThat(first).containsExactly('G');
        assertThat(ClientHelloSni.serverName(first)).isNull();
        assertThat(ClientHelloSni.serverName(Arrays.copyOf(clientHello("cut.example"), 40))).isNull();
    }

    private static byte[] clientHello(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine("peer", 443);
        engine.setUseClientMode(true);
        if (serverName != null) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            engine.setSSLParameters(parameters);
        } else {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of());
            engine.setSSLParameters(parameters);
        }
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}
