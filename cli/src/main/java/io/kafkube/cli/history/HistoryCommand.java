package io.kafkube.cli.history;

import io.kafkube.cli.common.ClusterOptions;
import io.kafkube.cli.common.TopicReader;
import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.serde.AvroDeserializer;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.topic.TopicCatalog;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kafkube history}: every change of an object (or of a key prefix), oldest first, from kafkube.history. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Prints every change of an object, oldest first: revision, time, user, verb and what changed.")
public final class HistoryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OBJECT",
      description = "<resource>/<namespace>/<name>, <resource>/<name>, or a key or key prefix like /registry/pods/")
  String object;

  @Option(names = "--no-diff", description = "omit what changed")
  boolean noDiff;

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    KeySelector selector = KeySelector.parse(object, ResourceRegistry.kubernetes());
    TopicCatalog topics = cluster.catalog();
    Integer partition = selector.prefix() ? null
        : Utils.toPositive(Utils.murmur2(selector.key().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            % topics.partitions();
    List<GenericRecord> changes = new ArrayList<>();
    AvroDeserializer<GenericRecord> values = AvroDeserializer.generic(new CachedSchemaRegistryClient(cluster.registryUrl()));
    TopicReader.readPartitions(cluster.bootstrapServers(), List.of(topics.history().name()), partition, values, r -> {
      if (r.value() != null && selector.matches(r.key())) {
        changes.add(r.value());
      }
    });
    changes.sort(Comparator.comparingLong((GenericRecord c) -> ((Number) c.get("time")).longValue())
        .thenComparingLong(c -> ((Number) c.get("revision")).longValue()));
    PrintWriter out = spec.commandLine().getOut();
    if (changes.isEmpty()) {
      out.println("no changes of " + selector.key() + (selector.prefix() ? "*" : "") + " in " + topics.history().name());
      out.flush();
      return selector.prefix() ? 0 : 1;
    }
    out.printf("%-10s %-24s %-28s %-13s %s%n", "REVISION", "TIME", "USER", "VERB", "KEY");
    for (GenericRecord c : changes) {
      GenericRecord user = (GenericRecord) c.get("user");
      out.printf("%-10s %-24s %-28s %-13s %s%n", c.get("revision"),
          Instant.ofEpochMilli(((Number) c.get("time")).longValue()), user.get("username"), c.get("verb"), c.get("key"));
      if (!noDiff) {
        for (String line : ChangeDiff.lines((GenericRecord) c.get("before"), (GenericRecord) c.get("after"))) {
          out.println("    " + line);
        }
      }
    }
    out.flush();
    return 0;
  }
}
