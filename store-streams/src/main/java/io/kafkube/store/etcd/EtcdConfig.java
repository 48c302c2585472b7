package io.kafkube.store.etcd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of the etcd v3 endpoint.
 *
 * @param host              the address to listen on; 127.0.0.1 by default
 * @param port              the port; 2379 by default, 0 for any free port
 * @param bootstrapServers  the Kafka cluster whose topics back the endpoint
 * @param tlsCertChain      PEM certificate chain for TLS, or null for plaintext
 * @param tlsPrivateKey     PEM private key (PKCS#8) for TLS, or null
 * @param requestTimeout    how long a write waits for the store's reply
 * @param progressInterval  how often a watch created with progress_notify gets a progress response
 *                          (etcd's default is 10 minutes)
 */
public record EtcdConfig(String host, int port, String bootstrapServers, Path tlsCertChain, Path tlsPrivateKey,
    Duration requestTimeout, Duration progressInterval) {
  public static final int DEFAULT_PORT = 2379;

  public EtcdConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(progressInterval, "progressInterval");
    if ((tlsCertChain == null) != (tlsPrivateKey == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate chain and a private key");
    }
  }

  public static EtcdConfig defaults(String bootstrapServers) {
    return new EtcdConfig("127.0.0.1", DEFAULT_PORT, bootstrapServers, null, null, Duration.ofSeconds(30),
        Duration.ofMinutes(10));
  }

  public EtcdConfig withPort(int p) {
    return new EtcdConfig(host, p, bootstrapServers, tlsCertChain, tlsPrivateKey, requestTimeout, progressInterval);
  }

  public EtcdConfig withTls(Path certChain, Path privateKey) {
    return new EtcdConfig(host, port, bootstrapServers, certChain, privateKey, requestTimeout, progressInterval);
  }

  public EtcdConfig withProgressInterval(Duration d) {
    return new EtcdConfig(host, port, bootstrapServers, tlsCertChain, tlsPrivateKey, requestTimeout, d);
  }

  public boolean tls() {
    return tlsCertChain != null;
  }
}
