package io.kafkube.agent.proxy;

import io.kafkube.schemas.config.Flags;
import io.kafkube.schemas.topic.KafkubeTopics;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the Service and Ingress proxies.
 *
 * @param bootstrapServers the Kafka cluster
 * @param registryUrl      the schema registry (for {@link ProxyMain})
 * @param prefix           the topics' prefix
 * @param partitions       P, the partition count of the keyed topics
 * @param nodeAddress      where NodePorts listen (the node's address)
 * @param ingressHost      where the Ingress proxy listens
 * @param ingressPort      the Ingress proxy's port: 0 picks a free one, -1 runs no Ingress proxy
 */
public record ProxyConfig(String bootstrapServers, String registryUrl, String prefix, int partitions,
    String nodeAddress, String ingressHost, int ingressPort) {
  public ProxyConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (!ServiceProxy.loopback(nodeAddress) || !ServiceProxy.loopback(ingressHost)) {
      throw new IllegalArgumentException("the proxies listen on loopback addresses only (127.0.0.0/8)");
    }
    if (partitions < 1 || ingressPort < -1 || ingressPort > 65535) {
      throw new IllegalArgumentException("invalid proxy configuration");
    }
  }

  public static ProxyConfig defaults(String bootstrapServers) {
    return new ProxyConfig(bootstrapServers, "http://127.0.0.1:8081", KafkubeTopics.DEFAULT_PREFIX, 6, "127.0.0.1",
        "127.0.0.1", -1);
  }

  public ProxyConfig withIngressPort(int port) {
    return new ProxyConfig(bootstrapServers, registryUrl, prefix, partitions, nodeAddress, ingressHost, port);
  }

  /** Applies {@code KAFKUBE_*} environment variables and then {@code --name=value} flags. */
  public static ProxyConfig parse(Map<String, String> env, String[] args) {
    return Flags.parse(defaults("127.0.0.1:9092"), env, Map.of("KAFKUBE_BOOTSTRAP_SERVERS", "bootstrap-servers",
        "KAFKUBE_REGISTRY_URL", "registry-url", "KAFKUBE_PREFIX", "prefix", "KAFKUBE_PARTITIONS", "partitions"),
        args, ProxyConfig::set);
  }

  private ProxyConfig set(String name, String v) {
    return switch (name) {
      case "bootstrap-servers" -> new ProxyConfig(v, registryUrl, prefix, partitions, nodeAddress, ingressHost,
          ingressPort);
      case "registry-url" -> new ProxyConfig(bootstrapServers, v, prefix, partitions, nodeAddress, ingressHost,
          ingressPort);
      case "prefix" -> new ProxyConfig(bootstrapServers, registryUrl, v, partitions, nodeAddress, ingressHost,
          ingressPort);
      case "partitions" -> new ProxyConfig(bootstrapServers, registryUrl, prefix, Integer.parseInt(v), nodeAddress,
          ingressHost, ingressPort);
      case "node-address" -> new ProxyConfig(bootstrapServers, registryUrl, prefix, partitions, v, ingressHost,
          ingressPort);
      case "ingress-host" -> new ProxyConfig(bootstrapServers, registryUrl, prefix, partitions, nodeAddress, v,
          ingressPort);
      case "ingress-port" -> withIngressPort(Integer.parseInt(v));
      default -> throw new IllegalArgumentException("unknown option --" + name);
    };
  }
}
