package io.kafkube.agent.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The node agent's HTTPS server (kubelet's port 10250): where it listens and its TLS material, all PEM files
 * signed by the cluster CA.
 *
 * @param bindAddress  a loopback address
 * @param port         0 for an ephemeral port (the Node object advertises the actual one)
 * @param certFile     the agent's serving certificate
 * @param keyFile      its key
 * @param clientCaFile the CA that client certificates (the API server's) must chain to
 */
public record ServerConfig(String bindAddress, int port, Path certFile, Path keyFile, Path clientCaFile) {
  public ServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(clientCaFile, "clientCaFile");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("invalid agent server port " + port);
    }
  }
}
