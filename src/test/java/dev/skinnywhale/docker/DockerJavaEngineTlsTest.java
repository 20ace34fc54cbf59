package dev.skinnywhale.docker;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import org.junit.jupiter.api.Test;

/** A local socket's transport gets a TLS context that costs nothing and can never be used. */
class DockerJavaEngineTlsTest {
  @Test
  void sslConfig_unixSocket_aContextEveryUseOfWhichFails() throws Exception {
    var config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost("unix:///var/run/docker.sock")
            .withDockerTlsVerify(false)
            .build();
    var ssl = DockerJavaEngine.sslConfig(config);
    assertNotNull(ssl, "the transport would build the JVM's default TLS context");
    var context = ssl.getSSLContext();
    assertThrows(IllegalStateException.class, context::getSocketFactory);
    assertThrows(IllegalStateException.class, context::createSSLEngine);
  }

  @Test
  void sslConfig_plainTcp_noneSoTheTransportSpeaksHttp() {
    var config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost("tcp://127.0.0.1:2375")
            .withDockerTlsVerify(false)
            .build();
    assertNull(DockerJavaEngine.sslConfig(config));
  }
}
