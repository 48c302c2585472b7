package io.kafkube.agent.proxy;

import java.util.Objects;

/**
 * Settings of the Service and Ingress proxies.
 *
 * @param bootstrapServers the Kafka cluster
 * @param nodeAddress      where NodePorts listen (the node's address)
 * @param ingressHost      where the Ingress proxy listens
 * @param ingressPort      the Ingress proxy's port: 0 picks a free one, -1 runs no Ingress proxy
 */
public record ProxyConfig(String bootstrapServers, String nodeAddress, String ingressHost, int ingressPort) {
  public ProxyConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (!ServiceProxy.loopback(nodeAddress) || !ServiceProxy.loopback(ingressHost)) {
      throw new IllegalArgumentException("the proxies listen on loopback addresses only (127.0.0.0/8)");
    }
  }

  public static ProxyConfig defaults(String bootstrapServers) {
    return new ProxyConfig(bootstrapServers, "127.0.0.1", "127.0.0.1", -1);
  }

  public ProxyConfig withIngressPort(int port) {
    return new ProxyConfig(bootstrapServers, nodeAddress, ingressHost, port);
  }
}
