package io.kafkube.store.internal;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/** The partition Kafka's default partitioner picks for a string key. */
public final class Partitions {
  private Partitions() {}

  public static int of(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
