package io.kafkube.registry.server;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Typed configuration of a registry instance.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topic the compacted, single-partition topic holding the registry (kafkube's is
 *     {@code kafkube._schemas}, named by the topic catalogue); created when missing
 * @param host interface the HTTP server binds to
 * @param port HTTP port; 0 picks a free one
 * @param replicationFactor replication factor used when the topic is created
 * @param advertisedUrl URL other instances forward writes to; null means {@code http://host:port}
 * @param groupId consumer group whose owner of partition 0 is the single writer
 * @param transactionalId transactional id of the writer: a new writer fences the previous one
 * @param kafkaProperties extra client properties (security, …) for every Kafka client
 * @param writeTimeout how long a write may wait for Kafka
 * @param forwardTimeout how long a non-writer retries forwarding a write while a writer is elected
 * @param sessionTimeout consumer-group session timeout: how fast a dead writer is replaced
 */
public record RegistryConfig(
    String bootstrapServers,
    String topic,
    String host,
    int port,
    short replicationFactor,
    String advertisedUrl,
    String groupId,
    String transactionalId,
    Map<String, Object> kafkaProperties,
    Duration writeTimeout,
    Duration forwardTimeout,
    Duration sessionTimeout) {

  public static final String DEFAULT_HOST = "127.0.0.1";

  public RegistryConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(host, "host");
    kafkaProperties = Map.copyOf(kafkaProperties);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  public static Builder builder(String bootstrapServers, String topic) {
    return new Builder(bootstrapServers, topic);
  }

  /** Builder with the defaults: 127.0.0.1, free port, RF 1, 30 s writes, 10 s forwarding. */
  public static final class Builder {
    private final String bootstrapServers;
    private final String topic;
    private String host = DEFAULT_HOST;
    private int port;
    private short replicationFactor = 1;
    private String advertisedUrl;
    private String groupId;
    private String transactionalId;
    private Map<String, Object> kafkaProperties = Map.of();
    private Duration writeTimeout = Duration.ofSeconds(30);
    private Duration forwardTimeout = Duration.ofSeconds(10);
    private Duration sessionTimeout = Duration.ofSeconds(10);

    private Builder(String bootstrapServers, String topic) {
      this.bootstrapServers = bootstrapServers;
      this.topic = topic;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder replicationFactor(int replicationFactor) {
      this.replicationFactor = (short) replicationFactor;
      return this;
    }

    public Builder advertisedUrl(String advertisedUrl) {
      this.advertisedUrl = advertisedUrl;
      return this;
    }

    public Builder groupId(String groupId) {
      this.groupId = groupId;
      return this;
    }

    public Builder transactionalId(String transactionalId) {
      this.transactionalId = transactionalId;
      return this;
    }

    public Builder kafkaProperties(Map<String, Object> kafkaProperties) {
      this.kafkaProperties = kafkaProperties;
      return this;
    }

    public Builder writeTimeout(Duration writeTimeout) {
      this.writeTimeout = writeTimeout;
      return this;
    }

    public Builder forwardTimeout(Duration forwardTimeout) {
      this.forwardTimeout = forwardTimeout;
      return this;
    }

    public Builder sessionTimeout(Duration sessionTimeout) {
      this.sessionTimeout = sessionTimeout;
      return this;
    }

    public RegistryConfig build() {
      String base = "kafkube-schema-registry." + topic;
      return new RegistryConfig(bootstrapServers, topic, host, port, replicationFactor, advertisedUrl,
          groupId != null ? groupId : base + ".leader",
          transactionalId != null ? transactionalId : base + ".writer",
          kafkaProperties, writeTimeout, forwardTimeout, sessionTimeout);
    }
  }
}
