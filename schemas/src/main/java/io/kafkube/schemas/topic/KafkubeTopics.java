package io.kafkube.schemas.topic;

import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;

/** The topic catalogue of a kafkube cluster with kafkube's own schemas and kinds. */
public final class KafkubeTopics {
  public static final String DEFAULT_PREFIX = "kafkube";

  /** The envelope and kind schemas of {@link KafkubeSchemas}. */
  public static final TopicCatalog.ValueSchemas SCHEMAS = new TopicCatalog.ValueSchemas() {
    @Override
    public Schema command() {
      return KafkubeSchemas.command();
    }

    @Override
    public Schema change() {
      return KafkubeSchemas.change();
    }

    @Override
    public Schema reply() {
      return KafkubeSchemas.reply();
    }

    @Override
    public Schema kind(ResourceType type) {
      return KafkubeSchemas.kind(type);
    }
  };

  private KafkubeTopics() {}

  public static TopicCatalog catalog(String prefix, int partitions, Function<Schema, Serde<GenericRecord>> valueSerde) {
    return new TopicCatalog(prefix, partitions, ResourceRegistry.kubernetes(), SCHEMAS, valueSerde);
  }
}
