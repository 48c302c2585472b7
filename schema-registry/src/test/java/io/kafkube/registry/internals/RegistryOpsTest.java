package io.kafkube.registry.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kafkube.registry.client.CompatibilityLevel;
import io.kafkube.registry.client.InMemorySchemaRegistryClient;
import io.kafkube.registry.client.SchemaRegistryException;
import io.kafkube.registry.internals.RegistryOps.Plan;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The state machine shared by the server and the in-memory client. */
class RegistryOpsTest {
  static Schema record(String name, String... fields) {
    StringBuilder sb = new StringBuilder("{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[");
    for (int i = 0; i < fields.length; i++) {
      sb.append(i > 0 ? "," : "").append(fields[i]);
    }
    return new Schema.Parser().parse(sb.append("]}").toString());
  }

  static final String A = "{\"name\":\"a\",\"type\":\"int\"}";
  static final String B_DEFAULT = "{\"name\":\"b\",\"type\":\"int\",\"default\":1}";
  static final String B_DEFAULT_2 = "{\"name\":\"b\",\"type\":\"int\",\"default\":2}";
  static final String C = "{\"name\":\"c\",\"type\":\"string\"}";

  final InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();

  static int code(Runnable r) {
    try {
      r.run();
    } catch (SchemaRegistryException e) {
      return e.errorCode();
    }
    throw new AssertionError("no error");
  }

  @Test
  void defaultsAreNotDroppedByDeduplication() {
    int one = client.register("s", record("R", A, B_DEFAULT));
    int two = client.register("s", record("R", A, B_DEFAULT_2));
    assertThat(two).as("a different default is a different schema").isNotEqualTo(one);
    assertThat(client.versions("s")).containsExactly(1, 2);
  }

  @Test
  void idsAreGlobalPerSchema() {
    int id = client.register("x", record("R", A));
    assertThat(client.register("y", record("R", A))).isEqualTo(id);
    assertThat(client.register("x", record("R", A))).isEqualTo(id);
    assertThat(client.getById(id)).isEqualTo(record("R", A));
    assertThat(client.lookup("y", record("R", A))).get().extracting(m -> m.version()).isEqualTo(1);
    assertThat(client.lookup("y", record("R", C))).isEmpty();
    assertThat(client.lookup("zzz", record("R", A))).isEmpty();
  }

  @Test
  void transitiveLevelsCheckEveryVersion() {
    client.setCompatibility("s", CompatibilityLevel.BACKWARD);
    client.register("s", record("R", A));
    client.register("s", record("R", A, B_DEFAULT));
    Schema dropsA = record("R", B_DEFAULT);
    // BACKWARD: only the latest counts; reading v2 data without "a" is fine.
    assertThat(client.testCompatibility("s", dropsA)).isTrue();
    client.setCompatibility("s", CompatibilityLevel.FORWARD_TRANSITIVE);
    assertThat(client.testCompatibility("s", dropsA)).as("v1 readers need a").isFalse();
    assertThat(code(() -> client.register("s", dropsA))).isEqualTo(409);
    client.setCompatibility("s", CompatibilityLevel.NONE);
    assertThat(client.register("s", dropsA)).isPositive();
    assertThat(client.getCompatibility("s")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(client.getCompatibility("other")).isEqualTo(CompatibilityLevel.BACKWARD);
  }

  @Test
  void errorsCarryConfluentCodes() {
    assertThat(code(() -> client.getById(1))).isEqualTo(40403);
    assertThat(code(() -> client.getLatest("none"))).isEqualTo(40401);
    client.register("s", record("R", A));
    assertThat(code(() -> client.getVersion("s", 2))).isEqualTo(40402);
    assertThat(code(() -> RegistryOps.parseVersion("0"))).isEqualTo(42202);
    assertThat(code(() -> Schemas.parse("{", null))).isEqualTo(42201);
    assertThat(code(() -> Schemas.parse("{\"type\":\"string\"}", "JSON"))).isEqualTo(42201);
    assertThat(code(() -> client.deleteSubject("s", true))).isEqualTo(40405);
  }

  @Test
  void idsAreNeverReusedEvenWhenTheHighestIsDeleted() {
    RegistryState state = new RegistryState();
    Plan<Integer> p1 = RegistryOps.register(state, "s", record("R", A));
    p1.records().forEach(state::apply);
    Plan<List<Integer>> soft = RegistryOps.deleteSubject(state, "s", false);
    soft.records().forEach(state::apply);
    Plan<List<Integer>> hard = RegistryOps.deleteSubject(state, "s", true);
    assertThat(hard.records()).first().isEqualTo(new RegistryRecord.IdWatermark(p1.result()));
    hard.records().forEach(state::apply);

    // Rebuild from what compaction would keep: the watermark only.
    RegistryState rebuilt = new RegistryState();
    rebuilt.apply(new RegistryRecord.IdWatermark(p1.result()));
    Plan<Integer> again = RegistryOps.register(rebuilt, "s", record("R", A));
    assertThat(again.result()).isGreaterThan(p1.result());
  }

  @Test
  void recordsRoundTripThroughTheTopicEncoding() {
    List<RegistryRecord> records = List.of(
        new RegistryRecord.SchemaVersion("s", 3, 7, record("R", A).toString(), true),
        new RegistryRecord.SchemaTombstone("s", 3),
        new RegistryRecord.Config(null, CompatibilityLevel.FULL),
        new RegistryRecord.Config("s", null),
        new RegistryRecord.IdWatermark(9),
        new RegistryRecord.Leader("i", "http://127.0.0.1:1"));
    for (RegistryRecord r : records) {
      RecordCodec.Encoded e = RecordCodec.encode(r);
      assertThat(RecordCodec.decode(e.key(), e.value())).isEqualTo(r);
    }
    assertThat(new String(RecordCodec.encode(records.get(0)).key()))
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":3,\"magic\":1}");
    assertThatThrownBy(() -> RecordCodec.decode("{\"keytype\":\"NOOP\"}".getBytes(), null))
        .isInstanceOf(RecordCodec.UnknownRecordException.class);
  }
}
