package io.kafkube.registry.serde;

import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.client.InMemorySchemaRegistryClient;
import io.kafkube.registry.client.SchemaRegistryClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration keys of the Avro serdes, named as Confluent's ({@code KafkaAvroSerializerConfig})
 * so that the same properties work with either.
 */
public final class AvroSerdeConfig {
  /** Base URL(s) of the registry, comma separated; {@code mock://<scope>} for an in-memory one. */
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  /** Whether the serializer registers the writer schema (default true) or only looks it up. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  /** Subject naming for keys: TopicNameStrategy (default), RecordNameStrategy, TopicRecordNameStrategy. */
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  /** Subject naming for values, as for keys. */
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
  /** Whether the deserializer returns generated (specific) classes found by the writer's full name. */
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

  private static final String MOCK = "mock://";
  private static final Map<String, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

  private AvroSerdeConfig() {}

  /** The client for a configured URL: shared per URL so that every serde shares one id cache. */
  static SchemaRegistryClient client(Map<String, ?> configs) {
    Object url = configs.get(SCHEMA_REGISTRY_URL);
    if (url == null || url.toString().isBlank()) {
      throw new ConfigException("Missing required configuration \"" + SCHEMA_REGISTRY_URL + "\"");
    }
    String u = url.toString().trim();
    if (u.startsWith(MOCK)) {
      return InMemorySchemaRegistryClient.forScope(u.substring(MOCK.length()));
    }
    return CLIENTS.computeIfAbsent(u, CachedSchemaRegistryClient::new);
  }

  static boolean bool(Map<String, ?> configs, String key, boolean dflt) {
    Object v = configs.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    return Boolean.parseBoolean(v.toString().trim());
  }
}
