package io.kafkube.cli.history;

import io.kafkube.cli.common.ClusterOptions;
import io.kafkube.cli.common.TopicReader;
import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.serde.AvroDeserializer;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.topic.Topic;
import io.kafkube.schemas.topic.TopicCatalog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kafkube replay}: rebuilds the current state of every object from {@code kafkube.history}
 * alone and checks that it equals what the compacted state topics hold.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Rebuilds the state from kafkube.history alone and reports whether it equals the state topics.")
public final class ReplayCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Option(names = "--attempts", defaultValue = "3",
      description = "re-reads when the cluster wrote between the two reads (default: ${DEFAULT-VALUE})")
  int attempts;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** The outcome of one comparison. */
  public record Result(long changes, int replayed, int inState, List<String> differences) {
    public boolean equal() {
      return differences.isEmpty();
    }
  }

  @Override
  public Integer call() {
    TopicCatalog topics = cluster.catalog();
    PrintWriter out = spec.commandLine().getOut();
    Result r = null;
    for (int i = 0; i < Math.max(1, attempts); i++) {
      r = compare(cluster.bootstrapServers(), cluster.registryUrl(), topics);
      if (r.equal()) {
        break;
      }
    }
    out.printf("replayed %d changes from %s into %d objects; the state topics hold %d objects%n",
        r.changes(), topics.history().name(), r.replayed(), r.inState());
    if (r.equal()) {
      out.println("equal: the state topics are exactly the replay of the history");
      out.flush();
      return 0;
    }
    out.println("DIFFERENT: " + r.differences().size() + " object(s)");
    r.differences().stream().limit(50).forEach(d -> out.println("  " + d));
    out.flush();
    return 1;
  }

  /** Folds history into the latest object per key and compares it with the state topics. */
  public static Result compare(String bootstrapServers, String registryUrl, TopicCatalog topics) {
    AvroDeserializer<GenericRecord> values = AvroDeserializer.generic(new CachedSchemaRegistryClient(registryUrl));
    Map<String, GenericRecord> replayed = new HashMap<>();
    long[] changes = {0};
    TopicReader.readAll(bootstrapServers, List.of(topics.history().name()), values, rec -> {
      if (rec.value() == null) {
        return;
      }
      changes[0]++;
      GenericRecord after = (GenericRecord) rec.value().get("after");
      if (after == null) {
        replayed.remove(rec.key());
      } else {
        replayed.put(rec.key(), after);
      }
    });
    Map<String, GenericRecord> state = new HashMap<>();
    List<String> stateTopics = new ArrayList<>(topics.stateTopics().values().stream().map(Topic::name).toList());
    stateTopics.add(topics.kv().name()); // the raw etcd keys (KeyValue records)
    TopicReader.readAll(bootstrapServers, stateTopics, values, rec -> {
      if (rec.value() == null) {
        state.remove(rec.key());
      } else {
        state.put(rec.key(), rec.value());
      }
    });
    List<String> diffs = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(replayed.keySet());
    keys.addAll(state.keySet());
    for (String k : keys) {
      GenericRecord a = replayed.get(k);
      GenericRecord b = state.get(k);
      if (a == null) {
        diffs.add(k + ": in the state topics, not in the replay");
      } else if (b == null) {
        diffs.add(k + ": in the replay, not in the state topics");
      } else if (KeyValues.isKeyValue(a) ? !a.equals(b) : !KubeJson.toJson(a).equals(KubeJson.toJson(b))) {
        diffs.add(k + ": differs (history rv " + rv(a) + ", state rv " + rv(b) + ")");
      }
    }
    return new Result(changes[0], replayed.size(), state.size(), diffs);
  }

  private static String rv(GenericRecord obj) {
    GenericRecord m = (GenericRecord) obj.get("metadata");
    return m == null ? "?" : String.valueOf(m.get("resourceVersion"));
  }
}
