package io.kafkube.registry.serde;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/** How a serializer names the subject of a record's schema, as Confluent's strategies do. */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} / {@code <topic>-value} (the default). */
  TOPIC_NAME,
  /** The record's full name. */
  RECORD_NAME,
  /** {@code <topic>-<record full name>}. */
  TOPIC_RECORD_NAME;

  public String subject(String topic, boolean isKey, Schema schema) {
    switch (this) {
      case RECORD_NAME:
        return schema.getFullName();
      case TOPIC_RECORD_NAME:
        return topic + "-" + schema.getFullName();
      default:
        return topic + (isKey ? "-key" : "-value");
    }
  }

  /** Parses a configured strategy: Confluent's class names or these constant names. */
  public static SubjectNameStrategy parse(Object configured) {
    if (configured == null) {
      return TOPIC_NAME;
    }
    String name = configured instanceof Class<?> c ? c.getSimpleName() : configured.toString().trim();
    String simple = name.substring(name.lastIndexOf('.') + 1);
    switch (simple) {
      case "TopicNameStrategy":
      case "TOPIC_NAME":
        return TOPIC_NAME;
      case "RecordNameStrategy":
      case "RECORD_NAME":
        return RECORD_NAME;
      case "TopicRecordNameStrategy":
      case "TOPIC_RECORD_NAME":
        return TOPIC_RECORD_NAME;
      default:
        throw new ConfigException("Unsupported subject name strategy " + name);
    }
  }
}
