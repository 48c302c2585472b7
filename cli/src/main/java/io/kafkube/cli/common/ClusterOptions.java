package io.kafkube.cli.common;

import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.client.SchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicCatalog;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a command finds a running cluster: its data directory, or explicit addresses. */
public final class ClusterOptions {
  @Option(names = "--data-dir", defaultValue = "data", description = "data directory of `kafkube up` (default: ${DEFAULT-VALUE})")
  public Path dataDir;

  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: from endpoints.json)")
  public String bootstrapServers;

  @Option(names = "--registry-url", description = "schema registry URL (default: from endpoints.json)")
  public String registryUrl;

  @Option(names = "--prefix", description = "cluster topic prefix (default: from endpoints.json, else kafkube)")
  public String prefix;

  @Option(names = "--partitions", description = "partition count P of the cluster (default: from endpoints.json)")
  public Integer partitions;

  private Endpoints endpoints;

  private Endpoints endpoints() {
    if (endpoints == null) {
      endpoints = Endpoints.read(dataDir);
    }
    return endpoints;
  }

  public String bootstrapServers() {
    return bootstrapServers != null ? bootstrapServers : endpoints().get("kafka");
  }

  public String registryUrl() {
    return registryUrl != null ? registryUrl : endpoints().get("registry");
  }

  public String prefix() {
    if (prefix != null) {
      return prefix;
    }
    if (bootstrapServers != null && registryUrl != null) {
      return KafkubeTopics.DEFAULT_PREFIX;
    }
    String p = endpoints().get("prefix");
    return p == null ? KafkubeTopics.DEFAULT_PREFIX : p;
  }

  public int partitions() {
    if (partitions != null) {
      return partitions;
    }
    String p = endpoints().get("partitions");
    if (p == null) {
      throw new IllegalStateException("the partition count is unknown: pass --partitions");
    }
    return Integer.parseInt(p);
  }

  /** The catalogue of the cluster, its values read and written through its registry. */
  public TopicCatalog catalog() {
    SchemaRegistryClient client = new CachedSchemaRegistryClient(registryUrl());
    return KafkubeTopics.catalog(prefix(), partitions(), schema -> AvroSerde.generic(client, schema, false));
  }
}
